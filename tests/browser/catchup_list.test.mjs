// A long catch-up with the neighborhood's priority list open (web/js/app.js
// refresh, views/priority-list.js): a fresh tablet signs in to a neighborhood
// of 2,000 priorities, sent in 200 pages, and opens the list at once. The
// catch-up must finish; the list must fill in while it runs (its count grows,
// cards are on screen before it ends) without being drawn whole again on
// each refresh: only the cards of the records that arrived are added. Before
// the fix every refresh rebuilt every card, so a catch-up drew the list
// over and over, and at 20,000 records never finished.
//
// Counted, not timed: a MutationObserver in the page counts the lists and
// the cards added to the document (whatever the machine's load, the old code
// adds the whole list at every refresh during the catch-up).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeMaker, SyncClient, randomRecordId } from '../support/sync_client.mjs';
import { card, errorsOf, newDeviceContext, openApp, signIn, status, useServerAndBrowser } from './support.mjs';

const RECORDS = 2000;

let server;
let browser;

// Small pages: a catch-up of many pages, so of many refreshes.
useServerAndBrowser({
  serverOptions: { args: ['--page-size', '40'] },
  prepare: async (s) => {
    s.createAccount('org-catchup', 'organizer', { neighborhood: 'frog-hollow' });
    const client = await SyncClient.connect(s.wsUrl, { catchUp: false });
    const maker = new ChangeMaker(client.device);
    const changes = [];
    for (let i = 0; i < RECORDS; i += 1) {
      changes.push(...maker.priority({ record: randomRecordId(), title: `Streetlight out on block ${i}`, category: 'public_safety' }));
    }
    for (let i = 0; i < changes.length; i += 996) await client.push(changes.slice(i, i + 996), { timeoutMs: 60000 });
    await client.close();
  },
  started: (s, b) => { server = s; browser = b; },
});

test('a long catch-up with the list open finishes, and the list fills in card by card, never redrawn whole', { timeout: 300000 }, async () => {
  const context = await newDeviceContext(browser);
  const page = await openApp(context, server, { account: null, label: 'tablet' });
  // Counts what is added to the document from now on.
  await page.evaluate(() => {
    const seen = { lists: 0, cards: 0, counts: [], cardsWhileCatchingUp: false };
    window.__listSeen = seen;
    const countCards = (node) => (node.matches('.priority-card') ? 1 : 0) + node.querySelectorAll('.priority-card').length;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          if (node.matches('ul.priority-list') || node.querySelector('ul.priority-list')) seen.lists += 1;
          seen.cards += countCards(node);
        }
      }
      const count = document.querySelector('.list-header p.muted')?.textContent;
      if (count && count !== seen.counts.at(-1)) seen.counts.push(count);
      if (document.querySelector('.priority-card') && document.querySelector('[data-testid="catch-up"]')) seen.cardsWhileCatchingUp = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await signIn(page, server, 'org-catchup');
  await page.evaluate(() => { location.hash = '#/n/frog-hollow'; });

  // The catch-up finishes (generous: a loaded machine is slow, never stuck).
  await page.getByTestId('catch-up').waitFor({ state: 'detached', timeout: 240000 });
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor({ timeout: 60000 });
  await page.getByText(`${RECORDS.toLocaleString('en-US')} priorities`, { exact: true }).waitFor();
  // Every card drawn once it is over (the list holds some back while it runs).
  await page.waitForFunction((n) => document.querySelectorAll('.priority-card').length === n, RECORDS, { timeout: 60000 });
  assert.equal(await page.getByTestId('list-more').isVisible(), false, 'no "more below" line once caught up');

  const seen = await page.evaluate(() => window.__listSeen);
  // The list element is created when the screen opens (twice if it opened
  // empty, before the first Frog Hollow record arrived), never per refresh.
  assert.ok(seen.lists <= 2, `the list was drawn whole ${seen.lists} times during the catch-up`);
  // Each card about once: a card drawn again only when its record changed
  // (its fields split over two pages) or it was held back and drawn later.
  assert.ok(seen.cards <= RECORDS * 1.5, `${seen.cards} cards were added to the page for ${RECORDS} records`);
  // The list filled in while the catch-up ran.
  assert.ok(seen.cardsWhileCatchingUp, 'cards were on screen while the device was catching up');
  assert.ok(seen.counts.length >= 3, `the count grew while catching up (${seen.counts.join(' → ')})`);

  // The user's own save shows at once, in the long list.
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill('Abandoned car on Park Terrace');
  await page.getByLabel(/^Category/).selectOption({ label: 'Youth' });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, 'Abandoned car on Park Terrace').waitFor();
  await page.getByText(`${(RECORDS + 1).toLocaleString('en-US')} priorities`, { exact: true }).waitFor();
  assert.deepEqual(errorsOf(page), []);
});
