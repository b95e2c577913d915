// Who is working on this device: the ONE place that decides the actor stamped
// on every change and the token the device presents to the server in `hello`.
//
// A session is what POST /api/login (or /api/kiosk-login) answered:
//   {token, account, role, neighborhood, department}
// The actor of every change is the session's account — the server refuses
// any other (`actor_mismatch`) — and welcome.actor/role/... confirm it.
//
// Kiosk mode on an organizer's tablet (kiosk.js): the tablet redeems a kiosk
// code for a kiosk session and works under it; the organizer's session is
// kept aside, with the organizer's sync cursor (a kiosk is sent less: no
// attendance), and comes back when the organizer leaves kiosk mode. A kiosk
// session that still has changes waiting when it ends is kept as `retiring`
// until the leader has delivered them with its token (then revokes it).
//
// Signing out forgets the session at once, but the server must hear it too
// (POST /api/logout), or the token stays live and no other account can sign
// in on this device (409 device_taken). A token signed out of while the
// server could not be reached is kept in `owed` until the server has
// confirmed its revocation (sync.js settleRevocations: when the device is
// back online, and before the next sign-in).
//
// Persisted in IndexedDB `meta`: session, session_aside {session, cursor},
// sessions_retiring [session...], revocations_owed [{token, account, at}...].
export class Identity {
  constructor(storage) {
    this.storage = storage;
    this.session = null;
    this.aside = null;
    this.retiring = [];
    this.owed = [];
  }

  async load() {
    const keys = ['session', 'session_aside', 'sessions_retiring', 'revocations_owed'];
    const values = await Promise.all(keys.map((key) => this.storage.getMeta(key)));
    this.loadFrom(new Map(keys.map((key, i) => [key, values[i]])));
  }

  // The same from the `meta` entries already read (a Map; storage.js readOpening).
  loadFrom(meta) {
    this.session = meta.get('session') ?? null;
    this.aside = meta.get('session_aside') ?? null;
    this.retiring = meta.get('sessions_retiring') ?? [];
    this.owed = meta.get('revocations_owed') ?? [];
  }

  // The actor written on every change this device makes.
  get actor() { return this.session?.account ?? ''; }

  // What hello presents.
  helloToken() { return this.session?.token ?? ''; }

  // A kiosk session started from an organizer's session (which comes back).
  get kioskOverOrganizer() { return this.session?.role === 'kiosk' && Boolean(this.aside); }

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

  // Switches to a kiosk session, keeping the current one (and its cursor) aside.
  async enterKiosk(kioskSession, cursor) {
    this.aside = { session: this.session, cursor };
    await this.storage.setMeta('session_aside', this.aside);
    await this.setSession(kioskSession);
  }

  // Back to the session kept aside; resolves with {kiosk, cursor}: the kiosk
  // session that ended and the cursor to resume the organizer's sync from.
  async leaveKiosk() {
    const kiosk = this.session;
    const { session, cursor } = this.aside ?? { session: null, cursor: null };
    await this.setSession(session);
    this.aside = null;
    await this.storage.setMeta('session_aside', null);
    return { kiosk, cursor };
  }

  async addRetiring(session) {
    if (!session || this.retiring.some((s) => s.token === session.token)) return;
    this.retiring = [...this.retiring, session];
    await this.storage.setMeta('sessions_retiring', this.retiring);
  }

  async dropRetiring(token) {
    this.retiring = this.retiring.filter((s) => s.token !== token);
    await this.storage.setMeta('sessions_retiring', this.retiring);
  }

  // A signed-out session whose token the server must still revoke; stored
  // before the session is forgotten, so a crash or a closed tab keeps it.
  // (Read again first: another tab of the device may have changed the list.)
  async oweRevocation(session, at = Date.now()) {
    if (!session?.token) return;
    const owed = (await this.storage.getMeta('revocations_owed')) ?? [];
    this.owed = owed.some((o) => o.token === session.token) ? owed
      : [...owed, { token: session.token, account: session.account ?? '', at }];
    await this.storage.setMeta('revocations_owed', this.owed);
  }

  // The server confirmed the revocation (or the token no longer works).
  async revocationDone(token) {
    const owed = (await this.storage.getMeta('revocations_owed')) ?? [];
    this.owed = owed.filter((o) => o.token !== token);
    if (this.owed.length !== owed.length) await this.storage.setMeta('revocations_owed', this.owed);
  }
}
