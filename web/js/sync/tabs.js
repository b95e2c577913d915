// The other open tabs of the app: one tab per browser profile holds the
// socket (Web Locks, the leader); the others hear every change and the
// status on a BroadcastChannel and send their changes through IndexedDB.
// Part of the Sync class (sync.js): its methods here are copied onto
// Sync.prototype (sync.js, `Object.defineProperties`), so `this` is the Sync.

import { Transport } from '../transport.js';
import { touched } from './touched.js';

const LOCK_NAME = 'psc-sync-connection';
const CHANNEL_NAME = 'psc-sync';

export class SyncTabs {
  startTabs() {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
    if (this.channel) this.channel.onmessage = (event) => this.serial(() => this.onTabMessage(event.data));
    if (navigator.locks?.request) {
      this.setConnection('connecting');
      this.post({ kind: 'status?' });  // a tab already holding the socket answers
      // Held for the life of the page; the next tab in line takes over when it closes.
      navigator.locks.request(LOCK_NAME, () => {
        this.serial(() => this.becomeLeader());
        return new Promise(() => {});
      });
    } else {
      this.serial(() => this.becomeLeader());
    }
  }

  post(message) { this.channel?.postMessage(message); }

  async onTabMessage(message) {
    switch (message.kind) {
      case 'changes':
        this.replica.receive(message.changes);
        if (this.leader && message.local) this.deviceSync.enqueue(message.changes);
        this.status.outbox = await this.storage.outboxCount();
        this.emitStatus();
        this.emit('data', { remote: !message.local, changed: touched(message.changes) });
        if (this.leader && message.local) this.pump();
        break;
      case 'status':
        if (this.leader) break;
        Object.assign(this.status, message.status, { outbox: await this.storage.outboxCount() });
        if (message.clockOffset !== this.clockOffset) {
          this.clockOffset = message.clockOffset;
          this.replica.setClockOffset(this.clockOffset);
        }
        this.emitStatus(false);
        break;
      case 'status?':
        if (this.leader) this.broadcastStatus();
        break;
      case 'rejected':
        this.rejected = await this.storage.listRejected();
        await this.rebuildReplica();
        this.emit('rejected');
        this.emit('data', { remote: true });
        break;
      case 'session':
        await this.identity.load();
        this.replica.setActor(this.identity.actor);
        // Leaving kiosk mode in another tab moved the cursor back.
        this.cursor = (await this.storage.getMeta('cursor')) ?? 0;
        this.applySession();
        break;
      case 'actor':
        await this.identity.load();
        this.replica.setActor(this.identity.actor);
        this.emit('session');
        break;
      case 'pref':
        this.prefs[message.key] = message.value;
        this.emit('pref', { key: message.key });
        break;
      case 'handoff':
        // A file imported, or answered by the server, in another tab.
        await this.handoffs.load();
        await this.rebuildReplica();
        this.status.handoffs = this.handoffs.pendingCount;
        this.emitStatus(false);
        this.emit('data', { remote: true });
        this.emit('handoff', { answered: message.answered ?? [] });
        if (this.leader) await this.uploadHandoffs();
        break;
      default:
        break;
    }
  }

  broadcastStatus() {
    const { outbox, ...status } = this.status;
    this.post({ kind: 'status', status, clockOffset: this.clockOffset });
  }

  async becomeLeader() {
    // The tab that held the socket until now moved the cursor on.
    this.cursor = (await this.storage.getMeta('cursor')) ?? 0;
    this.leader = true;
    this.transport = new Transport(this.urls);
    this.transport.addEventListener('state', (e) => this.onTransportState(e.detail));
    this.transport.addEventListener('open', () => this.serial(() => this.onOpen()));
    this.transport.addEventListener('message', (e) => this.serial(() => this.onMessage(e.detail)));
    this.transport.addEventListener('close', () => this.onClose());
    if (this.session || this.identity.retiring.length) this.transport.start();
    else this.setConnection('signed-out');
  }
}
