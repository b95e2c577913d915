// Who is working on this device: the ONE place that decides the actor stamped
// on every change and the token the device presents to the server in `hello`.
//
// A session is what POST /api/login (or /api/kiosk-login) answered:
//   {token, account, role, neighborhood, department}
// The actor of every change is the session's account — the server refuses
// any other (`actor_mismatch`) — and welcome.actor/role/... confirm it.
//
// Persisted in IndexedDB `meta`: session.
export class Identity {
  constructor(storage) {
    this.storage = storage;
    this.session = null;
  }

  async load() {
    this.session = (await this.storage.getMeta('session')) ?? null;
  }

  // The actor written on every change this device makes.
  get actor() { return this.session?.account ?? ''; }

  // What hello presents.
  helloToken() { return this.session?.token ?? ''; }

  async setSession(session) {
    this.session = session;
    await this.storage.setMeta('session', session);
  }

  // The server's welcome confirms who the token belongs to (the account may
  // have been renamed or its role changed since sign-in). Returns true if
  // the actor changed (the replica must then stamp new changes with it).
  async onWelcome(welcome) {
    if (!this.session || typeof welcome.actor !== 'string' || !welcome.actor) return false;
    const next = { ...this.session, account: welcome.actor };
    for (const key of ['role', 'neighborhood', 'department']) {
      if (typeof welcome[key] === 'string' && (key !== 'role' || welcome[key])) next[key] = welcome[key];
    }
    const before = this.actor;
    if (JSON.stringify(next) !== JSON.stringify(this.session)) await this.setSession(next);
    return this.actor !== before;
  }
}
