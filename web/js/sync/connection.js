// The leader tab's connection: hello, welcome, pages stored then applied,
// pushes and acks (cut and tracked by the core's DeviceSync), and the
// connection's state and the server's errors as the UI shows them.
// Part of the Sync class (sync.js): its methods here are copied onto
// Sync.prototype (sync.js, `Object.defineProperties`), so `this` is the Sync.

import { randomHex } from './random-hex.js';
import { SNAPSHOT_EVERY } from './replica-host.js';
import { touched } from './touched.js';

// The http(s) address of a sync address's server (ws://h:p/sync -> http://h:p/sync).
const httpOf = (syncAddress) => new URL(syncAddress.replace(/^ws/, 'http'));

export class SyncConnection {
  onTransportState({ state, retryAt }) {
    this.status.retryAt = retryAt;
    if (state === 'open') this.setConnection(this.welcomed ? 'online' : 'connecting');
    else if (state !== 'stopped') this.setConnection(state);
  }

  async onOpen() {
    this.welcomed = false;
    this.deviceSync.onConnectionLost();
    this.connectedAs = await this.connectionSession();
    if (!this.connectedAs) {
      this.transport.stop();
      this.setConnection('signed-out');
      return;
    }
    // Delivering an ended kiosk session's changes: its pages are not ours.
    this.draining = this.connectedAs !== this.session;
    const unsynced = await this.storage.outboxCount();
    this.transport.send(this.core.encodeHello(this.deviceId, this.connectedAs.token, this.cursor, unsynced,
      (await this.storage.getMeta('epoch')) ?? ''));
  }

  onClose() {
    this.welcomed = false;
    this.deviceSync.onConnectionLost();
    if (this.status.catchUp) {
      this.status.catchUp = null;
      this.emitStatus();
    }
  }

  // Every server message goes to the replica's core whole (one call): a
  // changes page is decoded and checked there and held until onChanges has
  // stored it; any other message comes back as an object.
  async onMessage(text) {
    let message;
    try {
      message = this.replica.take(text);
    } catch (error) {
      this.setError({ code: error.code ?? 'malformed', message: error.message });
      return;
    }
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'changes': return this.onChanges(message, text);
      case 'ack': return this.onAck(message);
      case 'error': return this.setError({ code: message.code, message: message.message });
      default: return undefined;
    }
  }

  async onWelcome(welcome) {
    if (!this.draining && await this.identity.onWelcome(welcome)) {
      this.replica.setActor(this.identity.actor);
      this.post({ kind: 'actor' });
      this.emit('session');
    }
    this.welcomed = true;
    this.transport.resetBackoff();
    this.clockOffset = welcome.server_time - Date.now();
    this.replica.setClockOffset(this.clockOffset);
    this.storage.setMeta('clock_offset', this.clockOffset).catch(() => {});
    this.status.error = null;
    // The server's limits, and where catch-up starts: the server restored its
    // store from a backup since this device's last connection (another
    // epoch) when it moves the cursor, catching the device up from the start.
    if (this.deviceSync.onWelcome(welcome, !this.draining)) await this.storage.setMeta('cursor', this.cursor);
    if (!this.draining && welcome.epoch) await this.storage.setMeta('epoch', welcome.epoch);
    // The outbox as stored: changes other tabs stored while no tab was
    // connected, without those acknowledged meanwhile.
    this.deviceSync.replaceOutbox(await this.storage.outboxChanges());
    this.setConnection('online');
    this.fetchCatchUpTarget();
    this.refreshServers();
    this.refreshDeviceNames();
    // Hand-off files first: this device's own edits to records a file
    // brought must not reach the server before those records do.
    try {
      await this.uploadHandoffs();
    } catch (error) {
      console.warn('PSC Sync: hand-off upload failed; retried at the next connection', error);
    }
    this.pump();
  }

  // The server's last sequence, so catch-up can show a percentage. (Read
  // from the page's own node: /health is not readable cross-origin, so
  // after moving to another node progress shows a count only.)
  async fetchCatchUpTarget() {
    try {
      const response = await fetch(new URL('health', httpOf(this.url)), { cache: 'no-store' });
      const health = await response.json();
      if (Number.isFinite(health.sequence)) this.deviceSync.setCatchUpTarget(health.sequence);
    } catch { /* progress then shows a count only */ }
  }

  // The nodes this device may sync with, as the node it is connected to
  // names them (GET /servers; --sync-url): kept in storage, so that when
  // its node is gone the device moves to another, even after a reload the
  // service worker served. The page's Content-Security-Policy (connect-src)
  // lists the same nodes, so a list naming anything else cannot be used.
  async refreshServers() {
    try {
      const response = await fetch(new URL('servers', httpOf(this.transport.url)), { cache: 'no-store' });
      const { sync_urls: urls } = await response.json();
      if (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string' && /^wss?:\/\//.test(u))) return;
      this.urls = [...new Set([this.url, ...urls])];
      this.transport.setUrls(this.urls);
      await this.storage.setMeta('sync_urls', urls);
    } catch { /* the list stays as it was */ }
  }

  // page: {cursor, more, count, own} as the core decoded it (it holds the
  // changes); text: the page as received, whose changes are stored as sent
  // (the core checked every one of them).
  async onChanges(page, text) {
    if (this.draining) return;  // sent to an ended kiosk session: its scope, not ours
    const { changes } = JSON.parse(text);
    await this.storage.saveReceivedPage(changes, page.cursor, this.deviceId);
    this.noteStored(changes.length);
    this.deviceSync.onPage(page.cursor, page.more, changes.length);
    const applied = this.replica.applyPage();
    if (changes.length) this.post({ kind: 'changes', changes, local: false });
    this.status.catchUp = this.deviceSync.catchUp();
    if (!page.more) {
      // Caught up after a large catch-up: snapshot now, so the next opening is fast.
      if (this.unsnapshotted >= SNAPSHOT_EVERY) this.scheduleSnapshot(0);
      await this.markSynced();
    }
    if (page.own > 0) this.status.outbox = await this.storage.outboxCount();
    this.emitStatus();
    if (applied > 0) this.emit('data', { remote: true, changed: touched(changes) });
  }

  async onAck(ack) {
    this.deviceSync.onAck(ack);  // what it leaves unanswered is sent again
    await this.storage.applyAck(ack.accepted, ack.rejected);
    this.status.outbox = await this.storage.outboxCount();
    if (ack.rejected.length) {
      this.rejected = await this.storage.listRejected();
      await this.rebuildReplica();  // the refused changes left `changes`
      this.post({ kind: 'rejected' });
      this.emit('rejected');
      this.emit('data', { remote: true });
    }
    await this.markSynced();
    this.emitStatus();
    this.pump();
  }

  async markSynced() {
    this.status.lastSync = Date.now();
    await this.storage.setMeta('last_sync', this.status.lastSync);
  }

  // Sends the next push if none is awaiting its ack (psc::DeviceSync cuts
  // it: whole creations, under the server's limits), of the connected
  // account's changes only: the server takes a change only from the account
  // that made it.
  async pump() {
    if (!this.leader || !this.welcomed || this.pumping) return;
    const account = this.connectedAs?.account ?? '';
    if (this.draining && !this.deviceSync.hasUnacknowledgedOf(account)) {
      // The ended session's changes are all delivered: revoke it, then
      // connect as the signed-in account.
      this.pumping = true;
      try {
        const old = this.connectedAs;
        this.draining = false;
        this.connectedAs = null;
        await this.retire(old);
        if (this.identity.retiring.some((r) => r.token === old.token)) await this.identity.dropRetiring(old.token);
        this.applySession();
      } finally {
        this.pumping = false;
      }
      return;
    }
    const text = this.deviceSync.nextPush(randomHex(8), account);
    if (text && !this.transport.send(text)) this.deviceSync.onConnectionLost();
  }

  setConnection(connection) {
    if (this.status.connection === connection && connection !== 'waiting') return;
    this.status.connection = connection;
    this.emitStatus();
  }

  setError(error) {
    if (error.code === 'unauthorized' && this.draining && this.connectedAs) {
      // An ended kiosk session the server no longer accepts (revoked by a
      // coordinator): its waiting changes cannot be delivered by this device.
      const old = this.connectedAs;
      this.draining = false;
      this.connectedAs = null;
      this.serial(async () => {
        await this.identity.dropRetiring(old.token);
        this.applySession();
      });
      return;
    }
    if (error.code === 'unauthorized' && this.identity.kioskOverOrganizer) {
      // The kiosk token was revoked: the kiosk screen stays, recording under
      // the organizer's session again (as when kiosk mode starts offline).
      this.serial(async () => {
        if (!this.identity.kioskOverOrganizer) return;
        await this.restoreOrganizer({ retire: false });
        this.post({ kind: 'session' });
      });
    } else if (error.code === 'unauthorized' && this.session && this.connectedAs?.token === this.session.token) {
      // Token revoked or the account disabled: sign in again. Keep everything
      // stored; the outbox is sent once a valid session exists. (Only for the
      // connection of this session: the server also closes the connection of
      // an ended kiosk session the moment this device revokes its token.)
      this.serial(async () => {
        await this.setSession(null);
        this.post({ kind: 'session' });
      });
    }
    this.status.error = error;
    this.emitStatus();
    this.emit('notice', { kind: 'error', code: error.code, text: error.message });
  }
}
