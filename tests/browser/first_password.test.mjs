// The first sign-in as a new coordinator would do it: the password printed on
// the console signs in only to choose one's own; then any account changes its
// password from the account screen (its name in the toolbar), in English and
// in Spanish, at 1024x768.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountMenuItem, errorsOf, newDeviceContext, openApp, screenshot, useServerAndBrowser } from './support.mjs';

let server;
let browser;
let printed;

useServerAndBrowser({
  prepare: async (s) => {
    printed = /one-time password (\S+)/.exec(s.output())?.[1];
  },
  started: (s, b) => { server = s; browser = b; },
});

async function typeSignIn(page, username, password) {
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

test('the printed password leads straight to choosing a new one, then signs in', async () => {
  assert.ok(printed, server.output());
  const context = await newDeviceContext(browser);
  const page = await openApp(context, server, { account: null, label: 'coordinator' });
  await typeSignIn(page, 'coordinator', printed);
  const form = page.getByTestId('first-password-form');
  await form.waitFor();
  assert.match(await form.textContent(), /coordinator/);
  await screenshot(page, 'first-password');

  // Two different copies: refused here, nothing sent.
  await page.getByLabel('New password', { exact: true }).fill('harbor-lantern-orchard');
  await page.getByLabel('New password again').fill('harbor-lantern-orchid');
  await form.getByRole('button', { name: 'Save and sign in' }).click();
  await page.getByTestId('first-password-error').filter({ hasText: 'not the same' }).waitFor();
  // Too short: the server's refusal, in words.
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('New password again').fill('short');
  await page.evaluate(() => document.getElementById('first-password-new').removeAttribute('minlength'));
  await form.getByRole('button', { name: 'Save and sign in' }).click();
  await page.getByTestId('first-password-error').filter({ hasText: 'at least 10 characters' }).waitFor();

  await page.getByLabel('New password', { exact: true }).fill('harbor-lantern-orchard');
  await page.getByLabel('New password again').fill('harbor-lantern-orchard');
  await form.getByRole('button', { name: 'Save and sign in' }).click();
  await page.getByTestId('account').filter({ hasText: 'coordinator' }).waitFor();
  await page.getByText('All changes synced').waitFor();
  // The refusals above are answers the app shows (Chromium logs each as a failed load), nothing else.
  assert.deepEqual(errorsOf(page).filter((e) => !/status of (400|403) /.test(e)), []);

  // Another device: the printed password no longer works at all.
  const other = await openApp(await newDeviceContext(browser), server, { account: null, label: 'other' });
  await typeSignIn(other, 'coordinator', printed);
  await other.getByTestId('signin-error').filter({ hasText: 'Wrong username or password' }).waitFor();
});

test('an organizer changes the password from the account screen, in Spanish too', async () => {
  server.createAccount('marta', 'organizer', { neighborhood: 'frog-hollow', password: 'marta-first-pass' });
  const context = await newDeviceContext(browser);
  const page = await openApp(context, server, { account: null, label: 'marta' });
  await typeSignIn(page, 'marta', 'marta-first-pass');
  await page.getByTestId('account').filter({ hasText: 'marta' }).waitFor();
  await (await accountMenuItem(page, 'link', 'Your account and this device')).click();
  const form = page.getByTestId('change-password-form');
  await form.waitFor();
  await page.getByLabel('Current password').fill('wrong-password-here');
  await page.getByLabel('New password', { exact: true }).fill('marta-second-pass');
  await page.getByLabel('New password again').fill('marta-second-pass');
  await form.getByRole('button', { name: 'Change password' }).click();
  await page.getByTestId('change-password-error').filter({ hasText: 'current password is wrong' }).waitFor();

  await page.getByLabel('Language').selectOption('es');
  await page.getByTestId('change-password-form').getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
  await page.getByLabel('Contraseña actual').fill('marta-first-pass');
  await page.getByLabel('Contraseña nueva', { exact: true }).fill('marta-second-pass');
  await page.getByLabel('Repita la contraseña nueva').fill('marta-second-pass');
  await screenshot(page, 'change-password-es');
  await page.getByTestId('change-password-form').getByRole('button', { name: 'Cambiar contraseña' }).click();
  await page.getByText('Contraseña cambiada.').waitFor();
  assert.equal(await page.getByLabel('Contraseña actual').inputValue(), '', 'the form is cleared');

  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'marta', password: 'marta-second-pass', device: 'check-device' }),
  });
  assert.equal(login.status, 200);
  assert.deepEqual(errorsOf(page).filter((e) => !/status of 401 /.test(e)), []);
});
