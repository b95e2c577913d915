// Who the device syncs as: signing in and out (owed revocations included),
// kiosk sessions under their own token and the ended ones still delivering
// their changes, and which session a new connection says hello with.
// Part of the Sync class (sync.js): its methods here are copied onto
// Sync.prototype (sync.js, `Object.defineProperties`), so `this` is the Sync.

// A sign-in body's device name: none when left empty (the server keeps the old one).
function named(deviceName) { return deviceName.trim() ? { device_name: deviceName.trim() } : {}; }

// A session as identity.js keeps it, from a sign-in answer.
function sessionFrom(answer) {
  return { token: answer.token, account: answer.account, role: answer.role,
           neighborhood: answer.neighborhood ?? '', department: answer.department ?? '' };
}

export class SyncSessions {
  // The signed-in session ({token, account, role, neighborhood, department})
  // or null; `name` is the account, the actor on this device's changes.
  get session() { return this.identity.session; }
  get name() { return this.identity.actor; }

  // Signs in with an account; resolves with the session or rejects with an
  // Error whose message is the server's (wrong password, too many attempts)
  // and whose code is the server's error code ('offline' without a network).
  // `deviceName` (optional) is what people will call this device ("Frog
  // Hollow tablet 2"), shown instead of its id (device-names.js).
  signIn(username, password, deviceName = '') {
    return this.startSession('/api/login', { username, password, device: this.deviceId, ...named(deviceName) });
  }

  // The first sign-in of an account whose password was printed (first start,
  // admin create-account or reset-password): the server signs it in only
  // with a new password of its own (POST /api/password).
  signInWithNewPassword(username, password, newPassword, deviceName = '') {
    return this.startSession('/api/password',
      { username, password, new_password: newPassword, device: this.deviceId, ...named(deviceName) });
  }

  // The server's device names (device-names.js), kept as the `deviceNames`
  // setting for offline use: fetched when a connection starts and after a
  // device is named. Quietly keeps the last list when it cannot be fetched.
  async refreshDeviceNames() {
    if (!this.session || this.session.role === 'kiosk') return;
    let names;
    try {
      names = await this.apiGet('/api/device-names');
    } catch {
      return;
    }
    if (JSON.stringify(names) !== JSON.stringify(this.prefs.deviceNames)) await this.setPref('deviceNames', names);
  }

  // Names a device (this one, or any for a coordinator); '' forgets its name.
  async nameDevice(device, name) {
    const answer = await this.api('/api/devices/name', { body: { device, name }, token: this.session?.token ?? '' });
    await this.refreshDeviceNames();
    return answer;
  }

  // Changes the signed-in account's password; this device stays signed in.
  changePassword(password, newPassword) {
    return this.api('/api/password', { body: { password, new_password: newPassword }, token: this.session?.token ?? '' });
  }

  // Turns this device into a neighborhood kiosk with a one-time code an
  // organizer issued.
  kioskSignIn(code) {
    return this.startSession('/api/kiosk-login', { code, device: this.deviceId });
  }

  async startSession(path, body) {
    // A sign-out made offline first: until the server has revoked that
    // token, it holds this device for its account (409 device_taken).
    await this.settleRevocations();
    const session = sessionFrom(await this.api(path, { body }));
    await this.serial(() => this.setSession(session));
    this.post({ kind: 'session' });
    this.refreshDeviceNames();
    return session;
  }

  // Forgets the token; the server revokes it now, or, if it cannot be
  // reached, once it can (the token is kept as owed until then: identity.js).
  // Nothing stored on the device is deleted: changes still waiting stay
  // waiting.
  async signOut() {
    await this.serial(async () => {
      if (this.session?.token) await this.identity.oweRevocation(this.session);
      await this.setSession(null);
    });
    this.post({ kind: 'session' });
    await this.settleRevocations();
  }

  // Asks the server to revoke every token this device still owes a
  // revocation (signed out of while offline); resolves true when none is
  // left. A token the server already refuses (401) counts as revoked. Runs
  // when signing out, when the browser is back online, at start, and before
  // every sign-in.
  settleRevocations() {
    this.settling ??= (async () => {
      for (const { token } of [...this.identity.owed]) {
        if (await this.revoke(token)) await this.identity.revocationDone(token);
      }
      return this.identity.owed.length === 0;
    })().finally(() => { this.settling = null; });  // (a callback: runs after the assignment)
    return this.settling;
  }

  async setSession(session) {
    await this.identity.setSession(session);
    this.replica.setActor(this.identity.actor);
    this.applySession();
  }

  // The organizer hands the tablet to residents: the tablet asks the server
  // for a one-time kiosk code for `neighborhood`, redeems it itself, and
  // syncs with the kiosk token until endKioskSession(), so the server
  // accepts only proposed priorities, votes and sign-ins from it and sends
  // it no attendance. The organizer's session waits aside. Rejects like
  // api() (Error 'offline' when the server cannot be reached).
  async startKioskSession(neighborhood) {
    const organizer = this.identity.session;
    if (!organizer || organizer.role === 'kiosk') return;
    const issued = await this.api('/api/kiosk-codes', { token: organizer.token, body: { neighborhood } });
    if (issued.neighborhood && issued.neighborhood !== neighborhood) {
      throw Object.assign(new Error(`this account may open kiosks for ${issued.neighborhood} only`), { code: 'forbidden' });
    }
    const kiosk = sessionFrom(await this.api('/api/kiosk-login', { body: { code: issued.code, device: this.deviceId } }));
    // What the organizer recorded just before goes first (best effort; what
    // is still waiting is sent when the organizer's session is back).
    await this.outboxDrained(5000);
    await this.serial(async () => {
      await this.identity.enterKiosk(kiosk, this.cursor);
      this.replica.setActor(this.identity.actor);
      this.applySession();
    });
    this.post({ kind: 'session' });
  }

  // Back to the organizer's session (and its sync cursor: the kiosk was not
  // sent attendance, so the organizer's catch-up resumes from before). The
  // kiosk token is revoked once the kiosk's changes have reached the server.
  // A tablet signed in with a kiosk code has no organizer session: it ends
  // signed out.
  async endKioskSession() {
    if (this.session?.role !== 'kiosk') return;
    await this.serial(async () => {
      if (!this.identity.kioskOverOrganizer) {
        await this.identity.addRetiring(this.session);
        await this.setSession(null);
        return;
      }
      await this.restoreOrganizer({ retire: true });
    });
    this.post({ kind: 'session' });
  }

  async restoreOrganizer({ retire }) {
    const { kiosk, cursor } = await this.identity.leaveKiosk();
    if (retire) await this.identity.addRetiring(kiosk);
    if (Number.isFinite(cursor)) {
      this.cursor = cursor;
      await this.storage.setMeta('cursor', cursor);
    }
    this.replica.setActor(this.identity.actor);
    this.applySession();
  }

  // Resolves when nothing is waiting to be sent, or after `ms`.
  outboxDrained(ms) {
    if (this.status.outbox === 0 || this.status.connection !== 'online') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.removeEventListener('status', check); resolve(); };
      const check = () => { if (this.status.outbox === 0 || this.status.connection !== 'online') done(); };
      const timer = setTimeout(done, ms);
      this.addEventListener('status', check);
    });
  }

  // The leader connects only while signed in (or while an ended kiosk
  // session still has changes to deliver).
  applySession() {
    if (this.leader && this.transport) {
      this.transport.stop();
      if (this.session || this.identity.retiring.length) this.transport.start();
      else this.setConnection('signed-out');
    }
    this.emit('session');
  }

  // Which session this connection says hello with: an ended kiosk session
  // that still has changes waiting (the server takes a change only from the
  // account that made it), else the signed-in one. Ended sessions with
  // nothing left are revoked and forgotten.
  async connectionSession() {
    for (const old of this.identity.retiring) {
      if ((await this.storage.outboxChanges(1, old.account)).length) return old;
      this.retire(old);
    }
    return this.session;
  }

  async retire(old) {
    if (await this.revoke(old.token)) await this.identity.dropRetiring(old.token);
  }
}
