// The WebSocket to the server's /sync endpoint, kept open while the device is
// online: reconnects with exponential backoff and jitter (capped), connects
// at once when the browser reports `online`, and closes on `offline`.
//
// Several servers (nodes sharing one PostgreSQL, each named by its sync
// address): when the connection to one closes or cannot be made, the next
// address is tried at once; the backoff starts only when every address has
// failed in turn. With one address this is the plain backoff.
//
// Events (EventTarget): 'state' (detail: {state, retryAt}), 'open',
// 'message' (detail: text), 'close' (detail: {code, reason}).
// States: 'offline' (browser has no network), 'connecting', 'open',
// 'waiting' (server unreachable; retry scheduled at retryAt), 'stopped'.
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;
const NEXT_SERVER_DELAY_MS = 100;

export function syncUrl(location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/sync`;
}

export class Transport extends EventTarget {
  // `urls`: one sync address, or several (the first is tried first).
  constructor(urls) {
    super();
    this.urls = [...new Set([].concat(urls))];
    this.index = 0;
    this.failedInTurn = 0;  // addresses that failed since one last welcomed this device
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.running = false;
    this.state = 'stopped';
    this.retryAt = null;
    this.onOnline = () => { this.attempt = 0; this.connectNow(); };
    this.onOffline = () => { this.dropSocket(); this.setState('offline'); };
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connectNow();
  }

  stop() {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.dropSocket();
    this.setState('stopped');
  }

  get url() { return this.urls[this.index % this.urls.length]; }

  // A new list of addresses (a server told them); the current one is kept
  // if it is still listed, so an open connection is not disturbed.
  setUrls(urls) {
    const current = this.url;
    this.urls = [...new Set([].concat(urls))];
    this.index = Math.max(0, this.urls.indexOf(current));
  }

  get isOpen() { return this.socket !== null && this.socket.readyState === WebSocket.OPEN; }

  // False if the socket is not open (the caller retries after reconnecting).
  send(text) {
    if (!this.isOpen) return false;
    this.socket.send(text);
    return true;
  }

  connectNow() {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = null;
    if (!navigator.onLine) { this.setState('offline'); return; }
    if (this.socket) return;  // already connecting or open
    this.setState('connecting');
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this.nextServer();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.setState('open');
      this.dispatchEvent(new Event('open'));
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.dispatchEvent(new CustomEvent('message', { detail: event.data }));
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.dispatchEvent(new CustomEvent('close', { detail: { code: event.code, reason: event.reason } }));
      if (this.running) this.nextServer();
    };
    // onerror is always followed by onclose, which handles the retry.
  }

  // Call once the server has welcomed the device: the next failure starts
  // the backoff from the shortest delay again.
  resetBackoff() { this.attempt = 0; this.failedInTurn = 0; }

  // The connection closed or could not be made: the next address at once,
  // or, once every address failed in turn, the backoff.
  nextServer() {
    this.failedInTurn += 1;
    this.index = (this.index + 1) % this.urls.length;
    if (this.failedInTurn < this.urls.length) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => { this.timer = null; this.connectNow(); }, NEXT_SERVER_DELAY_MS);
      this.setState('connecting');
      return;
    }
    this.failedInTurn = 0;
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (!this.running) return;
    if (!navigator.onLine) { this.setState('offline'); return; }
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);  // "equal jitter"
    this.attempt = Math.min(this.attempt + 1, 16);
    clearTimeout(this.timer);
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => { this.timer = null; this.connectNow(); }, delay);
    this.setState('waiting');
  }

  dropSocket() {
    clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try { socket.close(); } catch { /* already closed */ }
      this.dispatchEvent(new CustomEvent('close', { detail: { code: 1000, reason: 'closed by the device' } }));
    }
  }

  setState(state) {
    if (state !== 'waiting') this.retryAt = null;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, retryAt: this.retryAt } }));
  }
}
