// Signing out while offline (web/js/sync.js signOut, settleRevocations;
// identity.js `owed`): the device forgets the session at once and keeps the
// token as owed a revocation; once the server can be reached again it is
// revoked (POST /api/logout), before the next sign-in at the latest, so
// another account can sign in on the same device (the server gives a device
// to one account at a time: 409 device_taken while the old token lives).
// When the server still holds the device for another account, the sign-in
// form says so in words a person can act on, in English and in Spanish.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_PASSWORD } from '../support/server.mjs';
import { accountMenuItem, errorsOf, openDevice, screenshot, status, useServerAndBrowser, waitForServiceWorker } from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    for (const name of ['ana', 'ben', 'carla', 'dario']) s.createAccount(name, 'organizer', { neighborhood: 'parkville' });
  },
  started: (s, b) => { server = s; browser = b; },
});

// A `meta` entry of the page's IndexedDB.
function meta(page, key) {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('psc-sync');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('meta').objectStore('meta').get(key);
      get.onsuccess = () => { open.result.close(); resolve(get.result ?? null); };
      get.onerror = () => reject(get.error);
    };
  }), key);
}

// What the server answers a request signed with `token` from `device`
// (GET /api/kiosks: any organizer's token may ask; nothing changes).
async function tokenStatus(token, device) {
  const response = await fetch(`${server.url}/api/kiosks`, {
    headers: { authorization: `Bearer ${token}`, 'x-psc-device': device },
  });
  return response.status;
}

// Signs out from the toolbar while the device is offline.
async function signOutOffline(tablet) {
  const { page, context } = tablet;
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  // Installed for offline use first, as a tablet is before a meeting: under
  // load the worker could still be starting, and the sign-in screen's icon
  // then failed to load offline.
  await waitForServiceWorker(page);
  const session = await meta(page, 'session');
  const device = await meta(page, 'device_id');
  await context.setOffline(true);
  await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
  await (await accountMenuItem(page, 'button', 'Sign out')).click();
  await page.getByTestId('signin-form').waitFor();
  // The server has not heard of it: the token still works, and the device owes its revocation.
  assert.equal(await tokenStatus(session.token, device), 200);
  assert.deepEqual((await meta(page, 'revocations_owed')).map((o) => o.token), [session.token]);
  assert.equal(await meta(page, 'session'), null);
  return { token: session.token, device };
}

async function fillSignIn(page, account, { username = 'Username', password = 'Password' } = {}) {
  const form = page.getByTestId('signin-form');
  await form.getByLabel(username).fill(account);
  await form.getByLabel(password).fill(TEST_PASSWORD);
  await form.locator('button[type="submit"]').click();
}

test('signed out offline, then back online: another account signs in on the device, and the old token is revoked', async () => {
  const tablet = await openDevice(browser, server, 'tablet', { account: 'ana' });
  const { token, device } = await signOutOffline(tablet);
  const { page, context } = tablet;

  await context.setOffline(false);
  await fillSignIn(page, 'ben');
  await page.getByTestId('account').filter({ hasText: 'ben' }).waitFor();
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  assert.equal(await tokenStatus(token, device), 401, "ana's token no longer works");
  assert.deepEqual(await meta(page, 'revocations_owed'), []);
  assert.deepEqual(errorsOf(page), []);
});

test('while the server still holds the device for the account signed out offline, the sign-in form says what to do', async () => {
  const tablet = await openDevice(browser, server, 'tablet', { account: 'carla' });
  const { token, device } = await signOutOffline(tablet);
  const { page, context } = tablet;

  // Back online, but the revocation cannot reach the server (a flaky proxy).
  await context.route('**/api/logout', (route) => route.abort('connectionreset'));
  await context.setOffline(false);
  await page.getByLabel('Language').selectOption({ label: 'Español' });
  await fillSignIn(page, 'dario', { username: 'Usuario', password: 'Contraseña' });
  const error = page.getByTestId('signin-error');
  await error.filter({ hasText: 'El servidor todavía tiene otra cuenta con la sesión abierta en este dispositivo' }).waitFor();
  assert.match(await error.innerText(), new RegExp(`mantenga este dispositivo conectado.*\\(dispositivo ${device}\\)`));
  await page.getByLabel('Idioma').selectOption({ label: 'English' });
  await fillSignIn(page, 'dario');
  await error.filter({ hasText: 'The server still has another account signed in on this device' }).waitFor();
  assert.match(await error.innerText(), new RegExp(`keep this device online for a moment and try again.*\\(device ${device}\\)`));
  await screenshot(page, 'so1-device-taken', { top: true });
  assert.equal(await tokenStatus(token, device), 200, 'still live: the sign-out has not reached the server');

  // The connection to the server recovers: the next try revokes carla's token first, then signs in.
  await context.unroute('**/api/logout');
  await fillSignIn(page, 'dario');
  await page.getByTestId('account').filter({ hasText: 'dario' }).waitFor();
  assert.equal(await tokenStatus(token, device), 401);
  assert.deepEqual(await meta(page, 'revocations_owed'), []);
  // The aborted revocations are the only failed loads.
  assert.deepEqual(errorsOf(page).filter((e) => !/api\/logout|409 \(Conflict\)/.test(e)), []);
});
