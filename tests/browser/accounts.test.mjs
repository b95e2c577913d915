// A coordinator's first run and their accounts and devices screens (issue
// 15), at 1024×768, against the real server: the getting-started steps on
// the home screen; an organizer's account made in the app, its one-time
// password shown once and good only for choosing their own; a reset; a
// disabled account cut off on its tablet at once; one device signed out from
// the device list. In English and Spanish.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountMenuItem, errorsOf, newDeviceContext, openApp, openDevice, screenshot, stepsOf, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

async function typeSignIn(page, username, password) {
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

// The first sign-in of an account with a one-time password: choose one's own.
async function firstSignIn(page, username, printed, chosen) {
  await typeSignIn(page, username, printed);
  const form = page.getByTestId('first-password-form');
  await form.waitFor();
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('New password again').fill(chosen);
  await form.getByRole('button', { name: 'Save and sign in' }).click();
  await page.getByTestId('account').filter({ hasText: username }).waitFor();
}

async function oneTimePassword(page) {
  const notice = page.getByTestId('account-password');
  await notice.waitFor();
  return (await notice.locator('strong').innerText()).trim();
}

const row = (page, username) => page.locator(`tr[data-account="${username}"]`);

test('a coordinator starts from the getting-started steps, makes an organizer, resets, disables and signs a device out', async (t) => {
  const step = stepsOf(t);
  let desk, page, steps;       // the coordinator’s desk
  let printed, reset, tablet;  // Maria’s passwords and tablet
  await step('the getting-started steps lead the coordinator to the accounts screen', async () => {
    desk = await openDevice(browser, server, 'desk');
    page = desk.page;
    steps = page.getByTestId('getting-started');
    await steps.waitFor();
    await screenshot(page, 'ac-getting-started', { top: true });
    await steps.getByRole('link', { name: 'Accounts' }).click();
    const table = page.getByTestId('accounts-table');
    await table.waitFor();
    assert.match(await row(page, 'tester').innerText(), /tester \(you\)\s+coordinator\s+City-wide\s+Active/);
    assert.equal(await row(page, 'tester').getByRole('button').count(), 0, 'no way to disable or reset oneself here');
  });

  await step('an organizer’s account is made and its one-time password shown once', async () => {
    // An organizer for Parkville: the password is shown once.
    await page.getByLabel(/^Account name/).fill('maria.lopez');
    const form = page.locator('form[aria-labelledby="new-account-heading"]');
    await form.getByLabel('Role', { exact: true }).selectOption({ label: 'organizer' });
    assert.equal(await form.getByLabel('Department', { exact: true }).isVisible(), false);
    await form.getByLabel('Neighborhood', { exact: true }).selectOption({ label: 'Parkville' });
    await page.getByRole('button', { name: 'Create account' }).click();
    printed = await oneTimePassword(page);
    assert.match(printed, /^[0-9a-f]{20}$/);
    assert.match(await page.getByTestId('account-password').innerText(), /Account maria\.lopez created/);
    assert.match(await row(page, 'maria.lopez').innerText(), /organizer\s+Parkville\s+Has not signed in yet/);
    await screenshot(page, 'ac-accounts-created', { top: true });
  });

  await step('the same name again is refused in words next to the form', async () => {
    // The same name again: refused in words next to the form.
    await page.getByLabel(/^Account name/).fill('maria.lopez');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('new-account-error').filter({ hasText: 'There is already an account named maria.lopez.' }).waitFor();
  });

  await step('the one-time password only lets Maria choose her own', async () => {
    // Maria's tablet: the one-time password only lets her choose her own.
    tablet = await openApp(await newDeviceContext(browser), server, { account: null, label: 'maria' });
    await firstSignIn(tablet, 'maria.lopez', printed, 'parkville-lantern-22');
    await tablet.getByRole('heading', { name: 'Parkville: priorities' }).waitFor();
  });

  await step('a reset gives a new one-time password', async () => {
    // Forgotten password: reset gives a new one-time password; the old one fails.
    await page.reload();
    await page.waitForSelector('body.ready');
    await row(page, 'maria.lopez').getByRole('button', { name: 'Reset password: maria.lopez' }).click();
    reset = await oneTimePassword(page);
    assert.notEqual(reset, printed);
    assert.match(await page.getByTestId('account-password').innerText(), /password of maria\.lopez was reset/);
  });

  await step('signing Maria’s tablet out from the device list ends her session there at once', async () => {
    // The device list names Maria's tablet; signing it out ends her session there at once.
    await (await accountMenuItem(page, 'link', 'Devices')).click();
    const devices = page.getByTestId('devices-table');
    await devices.waitFor();
    const tabletRow = devices.locator('tr', { hasText: 'maria.lopez' });
    await tabletRow.getByRole('button', { name: /^Sign out: / }).click();
    await tablet.getByTestId('signin-form').waitFor();
    await devices.locator('tr', { hasText: 'maria.lopez' }).filter({ hasText: 'Signed out' }).waitFor();
  });

  await step('signed in again with the reset password, then disabled, Maria is cut off at once', async () => {
    // Signed in again with the reset password, then disabled: cut off at once.
    await firstSignIn(tablet, 'maria.lopez', reset, 'parkville-lantern-23');
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await row(page, 'maria.lopez').getByRole('button', { name: 'Disable: maria.lopez' }).click();
    await row(page, 'maria.lopez').filter({ hasText: 'Disabled' }).waitFor();
    await tablet.getByTestId('signin-form').waitFor();
    await typeSignIn(tablet, 'maria.lopez', 'parkville-lantern-23');
    await tablet.getByTestId('signin-error').waitFor();
    await row(page, 'maria.lopez').getByRole('button', { name: 'Enable: maria.lopez' }).click();
    await row(page, 'maria.lopez').filter({ hasText: 'Active' }).waitFor();
  });

  await step('the accounts screen fits the same width in Spanish', async () => {
    // In Spanish, at the same width.
    await page.locator('#language-picker').selectOption({ label: 'Español' });
    await page.getByRole('heading', { name: 'Cuentas', level: 1 }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1024, `the accounts screen is ${width} px wide`);
    await screenshot(page, 'ac-accounts-es', { top: true });
    await page.locator('#language-picker').selectOption({ label: 'English' });
  });

  await step('the getting-started steps can be put away, and stay away', async () => {
    // The steps can be put away, and stay away.
    await page.goto(`${server.url}/#/`);
    await steps.getByRole('button', { name: 'Hide these steps' }).click();
    await steps.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Choose a neighborhood' }).waitFor();
    assert.equal(await page.getByTestId('getting-started').count(), 0);
  });

  await step('the desk shows no unexpected error', async () => {
    // Refusals the app showed (a name taken, a disabled sign-in) are logged by Chromium as failed loads.
    assert.deepEqual(errorsOf(page).filter((e) => !/status of (401|409) /.test(e)), []);
  });
});

test('organizers see no accounts screen and no getting-started steps', async () => {
  server.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
  const { page } = await openDevice(browser, server, 'org', { account: 'org-fh' });
  await page.goto(`${server.url}/#/accounts`);
  await page.getByRole('heading', { name: 'Frog Hollow: priorities' }).waitFor();
  assert.equal(await page.getByTestId('accounts-table').count(), 0);
  await page.goto(`${server.url}/#/`);
  assert.equal(await page.getByTestId('getting-started').count(), 0);
});

// Real account names are longer than the tests' "tester": the first account
// is "coordinator", and Spanish role names are long. At 1024 px the toolbar
// must stay one row and never scroll sideways, for every role, both languages.
test('the toolbar is one row at 1024 px with real account names, for every role, in both languages', async () => {
  const people = [
    ['coordinator-hartford', 'coordinator', {}],  // longer than the first account's "coordinator"
    ['maria.rodriguez-frog-hollow', 'organizer', { neighborhood: 'frog-hollow' }],
    ['dpw-liaison-public-works', 'liaison', { department: 'public-works' }],
    ['viewer-frog-hollow-block-club', 'viewer', { neighborhood: 'frog-hollow' }],
    ['a'.repeat(64), 'coordinator', {}],
  ];
  const problems = [];
  for (const [account, role, place] of people) {
    server.createAccount(account, role, place);
    const device = await openDevice(browser, server, role, { account });
    const { page } = device;
    for (const language of ['English', 'Español']) {
      await page.locator('#language-picker').selectOption({ label: language });
      await page.locator(`html[lang="${language === 'English' ? 'en' : 'es'}"]`).waitFor();
      const layout = await page.evaluate(() => {
        // Every control, also those inside a group (the city-wide links):
        // in one row they overlap vertically (centred, they differ in height).
        const controls = [...document.querySelectorAll('#toolbar select, #toolbar a, #toolbar button, #toolbar summary')]
          .filter((e) => e.offsetParent !== null && !e.closest('.toolbar-menu-panel'));
        const items = controls.map((e) => e.getBoundingClientRect());
        const firstBottom = Math.min(...items.map((r) => r.bottom));
        // A select narrower than its longest option cuts its words ("Españ").
        const cut = [...document.querySelectorAll('#toolbar select')].filter((select) => {
          const probe = document.createElement('select');
          probe.append(...[...select.options].map((o) => new Option(o.text)));
          Object.assign(probe.style, { position: 'absolute', width: 'auto', minWidth: '0', maxWidth: 'none' });
          probe.className = select.className;
          document.body.append(probe);
          const natural = probe.getBoundingClientRect().width;
          probe.remove();
          return select.getBoundingClientRect().width + 1 < natural * 0.75;
        }).map((select) => select.id);
        return {
          rows: items.every((r) => r.top < firstBottom) ? 1 : 2,
          cut,
          sideways: document.documentElement.scrollWidth > window.innerWidth,
          overflowing: items.some((r) => r.right > window.innerWidth + 0.5),
        };
      });
      if (layout.rows !== 1 || layout.sideways || layout.overflowing || layout.cut.length) problems.push(`${account} (${role}, ${language}): ${JSON.stringify(layout)}`);
      if (role === 'coordinator' && account.length < 64 && language === 'Español') await screenshot(page, 'toolbar-coordinator-es', { top: true });
    }
    assert.deepEqual(errorsOf(page), []);
    await device.context.close();
  }
  assert.deepEqual(problems, []);
});
