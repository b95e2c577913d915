// The coordinator's audit trail in the web app: who changed what of a record,
// from which device, when (GET /api/history behind it). Organizers do not get
// the link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  card, chooseNeighborhood, errorsOf, openDevice, screenshot, status, stepsOf, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-sg', 'organizer', { neighborhood: 'south-green' });
  },
  started: (s, b) => { server = s; browser = b; },
});

test('a coordinator opens the history of a priority: each change with account, device and time', async (t) => {
  const step = stepsOf(t);
  const coordinator = await openDevice(browser, server, 'coordinator', { account: 'tester' });
  const page = coordinator.page;
  await step('the coordinator records a priority', async () => {
    await chooseNeighborhood(page, 'South Green');
    await page.getByRole('link', { name: 'Add a priority' }).click();
    await page.getByLabel(/^Title/).fill('Graffiti on the rec center');
    await page.getByLabel(/^Category/).selectOption({ label: 'Quality of life' });
    await page.getByRole('button', { name: 'Save' }).click();
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('its history lists each change with account and device', async () => {
    await card(page, 'Graffiti on the rec center').getByRole('link', { name: /^Edit/ }).click();
    await page.getByTestId('history-link').click();
    const table = page.getByTestId('history-table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.ok(rows.length >= 4, `one row per stored change (${rows.length})`);
    assert.ok(rows.some((r) => r.includes('title') && r.includes('Graffiti on the rec center') && r.includes('tester')));
    assert.ok(rows.every((r) => /web-[0-9a-f]{16}/.test(r)), 'the device of each change');
    await screenshot(page, 'h1-record-history');
    assert.deepEqual(errorsOf(page), []);
  });

  await step('an organizer is not offered the history', async () => {
    const organizer = await openDevice(browser, server, 'organizer', { account: 'org-sg' });
    await chooseNeighborhood(organizer.page, 'South Green');
    await card(organizer.page, 'Graffiti on the rec center').getByRole('link', { name: /^Edit/ }).click();
    await organizer.page.getByLabel(/^Title/).waitFor();
    assert.equal(await organizer.page.getByTestId('history-link').count(), 0, 'not offered to organizers');
  });
});
