// The coordinator's conflicts queue, end to end against the real psc-server:
// an organizer's tablet and the coordinator's laptop both edit, offline, the
// title of a priority and the location of a meeting; after both reconnect
// the coordinator's queue (#/conflicts) lists both fields with both values,
// who wrote each and on which device. The coordinator keeps one value of one
// and types a merged value for the other: the queue empties at once, and
// the organizer's tablet, after its sync, shows no conflict and the values
// the coordinator chose.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMeeting, openMeeting, openSection } from './meeting_steps.mjs';
import {
  card, chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-sg', 'organizer', { neighborhood: 'south-green' });
    s.createAccount('coord', 'coordinator');
  },
  started: (s, b) => { server = s; browser = b; },
});

const ORIGINAL = 'Broken streetlights on Capitol Ave';
const TITLE_O = 'Streetlights out on Capitol Ave, 200 block';
const TITLE_C = 'Capitol Ave lights broken near the park';
const MERGED = 'Streetlights out on Capitol Ave, 200 block, near the park';
const MEETING = 'South Green PSC, March';
const PLACE = 'Church basement';
const PLACE_O = 'Community room, 120 Wadsworth St';
const PLACE_C = 'Public library annex';

async function synced(page) {
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
}

async function editTitle(page, from, to) {
  await chooseNeighborhood(page, 'South Green');
  await card(page, from).getByRole('link', { name: /^Edit/ }).click();
  await page.getByLabel(/^Title/).fill(to);
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, to).waitFor();
}

async function editLocation(page, to) {
  await openMeeting(page, 'South Green', MEETING);
  await openSection(page, 'Edit details');
  await page.getByLabel(/^Location/).fill(to);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.meeting-when').filter({ hasText: to }).waitFor();
}

function badge(page) { return page.getByTestId('conflict-count'); }

test('the conflicts queue lists every conflicting field with its values; resolving empties it everywhere', async (t) => {
  const step = stepsOf(t);
  let o, c, items, titleItem, placeItem;
  await step('the organizer’s priority and meeting reach the coordinator, with no conflict badge', async () => {
    o = await openDevice(browser, server, 'organizer', { account: 'org-sg' });
    c = await openDevice(browser, server, 'coordinator', { account: 'coord' });

    // The organizer records a priority and a meeting; both reach the coordinator.
    await chooseNeighborhood(o.page, 'South Green');
    await o.page.getByRole('link', { name: 'Add a priority' }).click();
    await o.page.getByLabel(/^Title/).fill(ORIGINAL);
    await o.page.getByLabel(/^Category/).selectOption({ label: 'Public safety' });
    await o.page.getByRole('button', { name: 'Save' }).click();
    await createMeeting(o.page, 'South Green', { title: MEETING, date: '2026-03-12', time: '18:30', location: PLACE });
    await synced(o.page);
    await chooseNeighborhood(c.page, 'South Green');
    await card(c.page, ORIGINAL).waitFor();
    await c.page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await c.page.getByRole('link', { name: MEETING, exact: true }).waitFor();
    for (const d of [o, c]) {
      await d.page.getByTestId('nav-conflicts').waitFor();
      assert.equal(await badge(d.page).isVisible(), false, `${d.name}: no badge while nothing conflicts`);
    }
  });

  await step('both go offline, edit the same two fields differently, and reconnect', async () => {
    // Both go offline and edit the same two fields differently.
    for (const d of [o, c]) {
      // Offline, a page the service worker does not control yet fails to load
      // the favicon on every screen change (a console error).
      await waitForServiceWorker(d.page);
      await d.context.setOffline(true);
      await status(d.page).connection.filter({ hasText: 'Offline' }).waitFor();
    }
    await editTitle(o.page, ORIGINAL, TITLE_O);
    await editLocation(o.page, PLACE_O);
    await editTitle(c.page, ORIGINAL, TITLE_C);
    await editLocation(c.page, PLACE_C);
    for (const d of [o, c]) {
      await d.context.setOffline(false);
      await synced(d.page);
    }
  });

  await step('both devices count the two conflicts, and the coordinator’s queue lists them', async () => {
    // Both devices count the two conflicts in the navigation.
    for (const d of [o, c]) await badge(d.page).filter({ hasText: /^2$/ }).waitFor();

    await c.page.getByTestId('nav-conflicts').click();
    await c.page.getByRole('heading', { name: 'Conflicts to resolve' }).waitFor();
    items = c.page.getByTestId('queue-item');
    await items.nth(1).waitFor();
    assert.equal(await items.count(), 2);
    assert.match(await c.page.getByTestId('queue-count').innerText(), /2 fields have different values/);
  });

  await step('each conflict shows both values, who wrote each on which device, and links to its record', async () => {
    titleItem = items.and(c.page.locator('[data-type="priority"][data-field="title"]'));
    placeItem = items.and(c.page.locator('[data-type="meeting"][data-field="location"]'));
    for (const [item, type, values, label] of [
      [titleItem, 'Priority', [TITLE_O, TITLE_C], null],
      [placeItem, 'Meeting', [PLACE_O, PLACE_C], MEETING],
    ]) {
      const text = await item.innerText();
      assert.match(text, new RegExp(`^${type}`), 'the record type');
      assert.match(text, /South Green/, 'the neighborhood');
      if (label) assert.ok(text.includes(label), 'the record label');
      const shown = (await item.locator('.conflict-value').allInnerTexts()).map((v) => v.replace(/^“|”$/g, ''));
      assert.deepEqual([...shown].sort(), [...values].sort(), 'both values');
      // Who wrote each value, on which device, and when (local time).
      const bylines = await item.locator('.byline').allInnerTexts();
      assert.equal(bylines.length, 2);
      assert.ok(bylines.some((b) => /^by org-sg on web-[0-9a-f]{16}, \d{1,2}:\d{2}\s?[AP]M$/.test(b)), bylines.join(' | '));
      assert.ok(bylines.some((b) => /^by coord on this device \(web-[0-9a-f]{16}\), \d{1,2}:\d{2}\s?[AP]M$/.test(b)), bylines.join(' | '));
      assert.equal(await item.getByRole('button', { name: 'Keep this one' }).count(), 2);
    }
    // The record links to its screen.
    assert.match(await titleItem.locator('h2 a').getAttribute('href'), /^#\/p\/[0-9a-f]{32}$/);
    assert.match(await placeItem.locator('h2 a').getAttribute('href'), /^#\/m\/[0-9a-f]{32}\/details$/);
    await screenshot(c.page, 'conflicts-queue', { top: true, fullPage: true });
  });

  await step('the coordinator keeps one value and types a merged one: the queue empties at once', async () => {
    // Keep the organizer's meeting place; type a merged title.
    await placeItem.locator('.conflict-leaf').filter({ hasText: PLACE_O }).getByRole('button', { name: 'Keep this one' }).click();
    await placeItem.waitFor({ state: 'detached' });
    await badge(c.page).filter({ hasText: /^1$/ }).waitFor();
    const merge = titleItem.getByLabel('Or type a merged value');
    await merge.fill(MERGED);
    await titleItem.getByRole('button', { name: 'Save this value' }).click();
    await c.page.getByTestId('queue-empty').waitFor();
    assert.equal(await badge(c.page).isVisible(), false, 'no badge once the queue is empty');
    await synced(c.page);
  });

  await step('the organizer’s tablet, after its sync, shows no conflict and the chosen values', async () => {
    // The organizer's tablet follows after its sync: no conflict, the chosen values.
    await badge(o.page).waitFor({ state: 'hidden' });
    await chooseNeighborhood(o.page, 'South Green');
    await card(o.page, MERGED).waitFor();
    assert.equal(await o.page.locator('.card-conflict').count(), 0);
    await openMeeting(o.page, 'South Green', MEETING);
    await o.page.locator('.meeting-when').filter({ hasText: PLACE_O }).waitFor();
    await o.page.getByTestId('nav-conflicts').click();
    await o.page.getByTestId('queue-empty').waitFor();
    await o.page.getByLabel('Language').selectOption({ label: 'Español' });
    await o.page.getByRole('heading', { name: 'Conflictos por resolver' }).waitFor();
    assert.match(await o.page.getByTestId('queue-empty').innerText(), /No hay conflictos/);
  });

  await step('neither device shows an error', async () => {
    assert.deepEqual([...o.errors, ...c.errors], []);
  });
});
