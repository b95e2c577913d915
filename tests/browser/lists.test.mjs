// Reference data the city manages in the app (issue 14): offline, the
// coordinator adds a category with its Spanish name and an agency, and
// retires a category; once synced, an organizer's forms offer the new
// category (in both languages) and no longer the retired one, with no
// rebuild of the app. The organizer then records the neighborhood's
// organizations with their membership dates, and a meeting's "not
// represented" list counts only the groups that were members that day.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMeeting, openSection } from './meeting_steps.mjs';
import {
  accountMenuItem, card, chooseNeighborhood, errorsOf, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
  },
  started: (s, b) => { server = s; browser = b; },
});

async function synced(page) { await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor(); }

test('the coordinator manages the city’s categories and agencies offline; organizers’ forms follow', async (t) => {
  const step = stepsOf(t);
  let c;

  await step('offline, the coordinator adds “Truancy” and the Community Court and retires a category', async () => {
    c = await openDevice(browser, server, 'coordinator', { account: 'tester' });
    await status(c.page).connection.filter({ hasText: 'Online' }).waitFor();
    await waitForServiceWorker(c.page);
    await (await accountMenuItem(c.page, 'link', 'Departments and categories')).click();
    await c.page.getByRole('heading', { name: 'Departments and categories', level: 1 }).waitFor();
    const categories = c.page.getByTestId('list-category');
    await categories.locator('.list-entry', { hasText: 'Economic development' }).waitFor();
    await c.context.setOffline(true);
    await status(c.page).connection.filter({ hasText: 'Offline' }).waitFor();
    await categories.getByLabel(/^Name \(English\)/).fill('Truancy');
    await categories.getByLabel(/^Name in Spanish/).fill('Ausentismo escolar');
    await categories.getByRole('button', { name: 'Add category' }).click();
    await categories.locator('.list-entry', { hasText: 'Truancy' }).filter({ hasText: 'Ausentismo escolar · truancy' }).waitFor();
    const departments = c.page.getByTestId('list-department');
    await departments.getByLabel(/^Name \(English\)/).fill('Community Court');
    await departments.getByLabel(/^Kind/).selectOption({ label: 'Court' });
    await departments.getByRole('button', { name: 'Add department' }).click();
    await departments.locator('.list-entry', { hasText: 'Community Court' }).filter({ hasText: 'Court · community-court' }).waitFor();
    // The same name again is refused in words.
    await categories.getByLabel(/^Name \(English\)/).fill('truancy');
    await categories.getByRole('button', { name: 'Add category' }).click();
    await categories.getByText('“truancy” is on the list already.').waitFor();
    await categories.getByRole('button', { name: 'Retire: Economic development' }).click();
    await categories.locator('.list-entry.is-retired', { hasText: 'Economic development' }).waitFor();
    await screenshot(c.page, 'li1-lists-offline', { fullPage: true });
    await c.context.setOffline(false);
    await synced(c.page);
    // After a reload the forms still name it as the coordinator wrote it
    // (the names were once refreshed only when a change arrived).
    await c.page.reload();
    await c.page.goto(`${server.url}/#/n/frog-hollow/new`);
    const offered = await c.page.getByLabel(/^Category/).locator('option').allInnerTexts();
    assert.ok(offered.includes('Truancy'), offered.join(' | '));
    assert.deepEqual(errorsOf(c.page), []);
  });

  await step('an organizer’s priority form offers Truancy, in Spanish too, and no longer the retired category', async () => {
    const o = await openDevice(browser, server, 'organizer', { account: 'org-fh' });
    await chooseNeighborhood(o.page, 'Frog Hollow');
    await o.page.getByRole('link', { name: 'Add a priority' }).click();
    const options = await o.page.getByLabel(/^Category/).locator('option').allInnerTexts();
    assert.ok(options.includes('Truancy'), options.join(' | '));
    assert.ok(!options.includes('Economic development'), options.join(' | '));
    await o.page.getByLabel(/^Title/).fill('Kids out of school on Park St mornings');
    await o.page.getByLabel(/^Category/).selectOption({ label: 'Truancy' });
    await o.page.getByRole('button', { name: 'Save' }).click();
    await card(o.page, 'Kids out of school on Park St mornings').waitFor();
    await o.page.locator('#language-picker').selectOption({ label: 'Español' });
    await card(o.page, 'Kids out of school on Park St mornings').filter({ hasText: 'Ausentismo escolar' }).waitFor();
    await o.page.locator('#language-picker').selectOption({ label: 'English' });
    await synced(o.page);
    assert.deepEqual(errorsOf(o.page), []);
  });

  await step('the organizer records the neighborhood’s organizations with their membership', async () => {
    const o = await openDevice(browser, server, 'organizer-2', { account: 'org-fh' });
    await chooseNeighborhood(o.page, 'Frog Hollow');
    await o.page.getByRole('link', { name: 'Organizations', exact: true }).click();
    const add = async (name, { joined = '', left = '', representative = '' } = {}) => {
      await o.page.getByLabel(/^Name/).fill(name);
      if (joined) await o.page.getByLabel(/^Member since/).fill(joined);
      if (left) await o.page.getByLabel(/^Left on/).fill(left);
      if (representative) await o.page.getByLabel(/^Representative/).fill(representative);
      await o.page.getByRole('button', { name: 'Add organization' }).click();
      await o.page.getByTestId('org').filter({ hasText: name }).waitFor();
    };
    await add('Zion Street Block Club', { joined: '2025-01-15', representative: 'Ana López' });
    await add('Park Terrace Tenants', { joined: '2020-05-01', left: '2026-01-31' });
    await add('Broad Street Merchants', { joined: '2026-06-01' });
    // Leaving before joining is refused in words.
    await o.page.getByLabel(/^Name/).fill('Backwards Club');
    await o.page.getByLabel(/^Member since/).fill('2026-02-01');
    await o.page.getByLabel(/^Left on/).fill('2026-01-01');
    await o.page.getByRole('button', { name: 'Add organization' }).click();
    await o.page.getByText('It cannot have left before it joined.').waitFor();
    assert.match(await o.page.getByTestId('org').filter({ hasText: 'Zion' }).innerText(), /member since Jan 15, 2025 · represented by Ana López/);
    await screenshot(o.page, 'li2-organizations', { fullPage: true });

    // A March meeting: the tenants had left, the merchants not yet joined.
    await createMeeting(o.page, 'Frog Hollow', { title: 'Frog Hollow PSC, March', date: '2026-03-10', time: '18:30' });
    await openSection(o.page, 'Summary');
    const absent = await o.page.locator('.summary-absent').first().innerText();
    assert.match(absent, /Not represented: Zion Street Block Club$/);
    await synced(o.page);
    assert.deepEqual(errorsOf(o.page), []);
  });
});
