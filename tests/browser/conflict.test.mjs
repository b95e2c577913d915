// Concurrent edits, end to end against the real psc-server: two devices edit
// the same title while offline; after both reconnect they show the same
// winning title and the conflict with both values (who, which device); one
// device resolves it and the conflict disappears on both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  card, chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

const ORIGINAL = 'Broken streetlights on Capitol Ave';
const TITLE_A = 'Streetlights out on Capitol Ave, 200 block';
const TITLE_B = 'Capitol Ave lights broken near the park';

async function editTitle(device, from, to) {
  await card(device.page, from).getByRole('link', { name: /^Edit/ }).click();
  const title = device.page.getByLabel(/^Title/);
  await title.fill(to);
  await device.page.getByRole('button', { name: 'Save' }).click();
  await device.page.getByTestId('toast').filter({ hasText: 'Saved on this device' }).waitFor();
  await card(device.page, to).waitFor();
}

// The titles a device's card shows as conflicting, in the order shown.
async function conflictValues(device, title) {
  const values = await card(device.page, title).locator('.card-conflict .conflict-value').allInnerTexts();
  return values.map((v) => v.replace(/^“|”$/g, ''));
}

test('concurrent offline edits of a title become a visible conflict, resolved once for everyone', async (t) => {
  const step = stepsOf(t);
  let a, b, shownA, loser;
  await step('A records a priority and it reaches B live', async () => {
    // A is named at sign-in (issue 15: bylines showed only random ids); B is not.
    a = await openDevice(browser, server, 'A', { account: 'ana', deviceName: 'South Green tablet 1' });
    b = await openDevice(browser, server, 'B', { account: 'ben' });
    for (const d of [a, b]) await chooseNeighborhood(d.page, 'South Green');

    await a.page.getByRole('link', { name: 'Add a priority' }).click();
    await a.page.getByLabel(/^Title/).fill(ORIGINAL);
    await a.page.getByLabel(/^Category/).selectOption({ label: 'Public safety' });
    await a.page.getByRole('button', { name: 'Save' }).click();
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await card(b.page, ORIGINAL).waitFor();  // live fan-out to B
  });

  await step('both go offline, edit the title differently, and reconnect', async () => {
    for (const d of [a, b]) {
      // As a tablet that has had the app a while: the service worker serves the
      // shell (its install grows with the app; without it the browser's own
      // offline refetches of the icon would be console errors).
      await waitForServiceWorker(d.page);
      await d.context.setOffline(true);
      await status(d.page).connection.filter({ hasText: 'Offline' }).waitFor();
    }
    await editTitle(a, ORIGINAL, TITLE_A);
    await editTitle(b, ORIGINAL, TITLE_B);
    for (const d of [a, b]) assert.equal(await status(d.page).outbox.innerText(), '1 change waiting');

    for (const d of [a, b]) {
      await d.context.setOffline(false);
      await status(d.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    }
  });

  await step('both show the same winning title and a conflict listing both values, by whom and on which device', async () => {
    // Both converge on one displayed title, with a conflict listing both values.
    const conflictCards = (d) => d.page.locator('.priority-card.has-conflict');
    await conflictCards(a).first().waitFor();
    await conflictCards(b).first().waitFor();
    shownA = await conflictCards(a).locator('.priority-title').innerText();
    const shownB = await conflictCards(b).locator('.priority-title').innerText();
    assert.equal(shownA, shownB, 'both devices show the same winning title');
    assert.ok([TITLE_A, TITLE_B].includes(shownA));
    for (const d of [a, b]) {
      const values = await conflictValues(d, shownA);
      assert.deepEqual([...values].sort(), [TITLE_A, TITLE_B].sort());
      assert.equal(values[0], shownA, 'the displayed value is listed first');
      const text = await card(d.page, shownA).locator('.card-conflict').innerText();
      assert.match(text, d === a ? /by ana on this device \(South Green tablet 1\)/ : /by ana on South Green tablet 1,/);
      assert.match(text, d === b ? /by ben on this device \(web-[0-9a-f]{16}\)/ : /by ben on web-[0-9a-f]{16}/);
    }
    await screenshot(a.page, 'b1-conflict-list');
  });

  await step('A resolves the conflict by keeping the value that is not displayed', async () => {
    // A opens the conflict and keeps the value that is *not* displayed.
    loser = shownA === TITLE_A ? TITLE_B : TITLE_A;
    await card(a.page, shownA).getByRole('link', { name: 'Resolve' }).click();
    const panel = a.page.locator('.conflict-panel[data-field="title"]');
    await panel.waitFor();
    assert.match(await panel.innerText(), /Title: 2 different values were saved on different devices/);
    await screenshot(a.page, 'b2-conflict-resolve');
    await panel.locator('.conflict-leaf').filter({ hasText: loser }).getByRole('button', { name: 'Keep this one' }).click();
    await a.page.getByTestId('toast').filter({ hasText: 'Conflict resolved' }).waitFor();
    await panel.waitFor({ state: 'detached' });
    assert.equal(await a.page.getByLabel(/^Title/).inputValue(), loser);
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await screenshot(a.page, 'b3-resolved-edit');
  });

  await step('B follows, and the conflict disappears on both devices', async () => {
    // B follows: the resolution names both values in its base, so it wins everywhere.
    await card(b.page, loser).waitFor();
    assert.equal(await b.page.locator('.priority-card.has-conflict').count(), 0);
    assert.equal(await b.page.locator('.card-conflict').count(), 0);
    await a.page.getByRole('link', { name: 'Back to the list' }).click();
    await card(a.page, loser).waitFor();
    assert.equal(await a.page.locator('.card-conflict').count(), 0);
    await screenshot(b.page, 'b4-resolved-on-b');
  });

  await step('neither device shows an error', async () => {
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
