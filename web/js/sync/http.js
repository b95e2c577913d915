// The server's HTTP API as the device calls it: JSON in and out, the
// device's token and id on every signed call.
// Part of the Sync class (sync.js): its methods here are copied onto
// Sync.prototype (sync.js, `Object.defineProperties`), so `this` is the Sync.

export class SyncHttp {
  // A JSON call to the server's /api; `token` signs it as this device.
  // Rejects with Error('offline') when the server cannot be reached, or with
  // the server's message and {code, status, device} (device: this device's id).
  async api(path, { body = null, token = '' } = {}) {
    const headers = { 'content-type': 'application/json' };
    if (token) Object.assign(headers, { authorization: `Bearer ${token}`, 'x-psc-device': this.deviceId });
    let response;
    try {
      response = await fetch(path, { method: 'POST', headers, body: body === null ? '' : JSON.stringify(body) });
    } catch {
      throw Object.assign(new Error('offline'), { code: 'offline' });
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw Object.assign(new Error(answer.message ?? `HTTP ${response.status}`),
        { code: answer.error, status: response.status, device: this.deviceId });
    }
    return answer;
  }

  // GET `path` with this device's sign-in; the JSON answer, or throws as api() does.
  async apiGet(path) {
    const headers = { authorization: `Bearer ${this.session?.token ?? ''}`, 'x-psc-device': this.deviceId };
    let response;
    try {
      response = await fetch(path, { headers, cache: 'no-store' });
    } catch {
      throw Object.assign(new Error('offline'), { code: 'offline' });
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(answer.message ?? `HTTP ${response.status}`), { code: answer.error, status: response.status });
    return answer;
  }

  // Revokes a token on the server; resolves true once it no longer works.
  async revoke(token) {
    try {
      await this.api('/api/logout', { token });
      return true;
    } catch (error) {
      return error.status === 401;  // already revoked or expired
    }
  }
}
