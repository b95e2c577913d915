// Who is working on this device: the ONE place that decides the actor stamped
// on every change and what the device presents to the server in `hello`.
//
// Today the actor is the display name typed in the toolbar and hello carries
// no token. When accounts land (POST /api/login gives a device token; every
// change's actor must equal welcome.actor), only this module changes: it
// keeps the token, presents it in hello, and adopts welcome.actor as the
// actor. The rest of the app asks identity.actor / identity.displayName.
//
// Persisted in IndexedDB `meta`: display_name (and, later, token/account).
export class Identity extends EventTarget {
  constructor(storage) {
    super();
    this.storage = storage;
    this.displayName = '';
    this.serverActor = '';  // welcome.actor, once the server names one
    this.token = '';
  }

  async load() {
    this.displayName = (await this.storage.getMeta('display_name')) ?? '';
    this.serverActor = (await this.storage.getMeta('server_actor')) ?? '';
    this.token = (await this.storage.getMeta('token')) ?? '';
  }

  // The actor written on every change this device makes.
  get actor() { return this.serverActor || this.displayName; }

  // What hello presents.
  helloToken() { return this.token; }

  // The name shown on this device's entries. Returns true if the actor changed.
  async setDisplayName(name) {
    const before = this.actor;
    this.displayName = name;
    await this.storage.setMeta('display_name', name);
    return this.actor !== before;
  }

  // Another tab of this device changed the name.
  adoptDisplayName(name) {
    const before = this.actor;
    this.displayName = name;
    return this.actor !== before;
  }

  // The server's welcome; returns true if the actor changed (the replica
  // must then stamp new changes with it).
  async onWelcome(welcome) {
    const actor = typeof welcome.actor === 'string' ? welcome.actor : '';
    if (!actor || actor === this.serverActor) return false;
    const before = this.actor;
    this.serverActor = actor;
    await this.storage.setMeta('server_actor', actor);
    return this.actor !== before;
  }
}
