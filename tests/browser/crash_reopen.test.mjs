// A page killed mid-sync reopens with its outbox intact and finishes: the
// browser (a persistent profile, so IndexedDB survives as on a tablet) is
// closed while a long push is under way, relaunched on the same profile, and
// the app shows every change it has not seen acknowledged still waiting; it
// then sends them, and the server holds every change exactly once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../support/server.mjs';
import { catchUp } from '../support/sync_client.mjs';
import {
  VIEWPORT, card, chooseNeighborhood, errorsOf, openApp, screenshot, status, waitForServiceWorker,
} from './support.mjs';

const PRIORITIES = 50;          // six field changes each: 300 changes
const CHANGES = PRIORITIES * 6;

let server;
let profile;

before(async () => {
  // One priority (six changes: a creation is never split) per push: fifty
  // acknowledged round trips, so the sync is still going when the browser
  // is closed.
  server = await startServer({ args: ['--max-batch', '6'] });
  profile = mkdtempSync(path.join(tmpdir(), 'psc-profile-'));
});
after(async () => {
  await server?.stop();
  server?.removeData();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// The same browser profile each time, as a tablet's browser restarting.
function launch() {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.PSC_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: VIEWPORT, locale: 'en-US', timezoneId: 'America/New_York', serviceWorkers: 'allow',
  });
}

function waiting(text) {
  const m = /^(\d+) changes? waiting$/.exec(text.replace(/,/g, ''));
  return m ? Number(m[1]) : 0;
}

async function serverChangesFrom(device) {
  const { changes } = await catchUp(server.wsUrl);
  return changes.filter((c) => c.device === device);
}

test('a browser closed mid-sync reopens with its outbox intact and finishes, storing each change once', async () => {
  let context = await launch();
  let page = await openApp(context, server, { label: 'before' });
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  await waitForServiceWorker(page);
  await chooseNeighborhood(page, 'Sheldon-Charter Oak');
  await context.setOffline(true);
  await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
  for (let i = 1; i <= PRIORITIES; i += 1) {
    await page.getByRole('link', { name: 'Add a priority' }).click();
    await page.getByLabel(/^Title/).fill(`Streetlight out, pole ${i}`);
    await page.getByLabel(/^Category/).selectOption({ label: 'Public safety' });
    await page.getByLabel(/^Address/).fill(`${i} Wyllys St`);
    await page.getByLabel(/^Description/).fill(`Pole ${i} has been dark for a week.`);
    await page.getByRole('button', { name: 'Save' }).click();
    await card(page, `Streetlight out, pole ${i}`).waitFor();
  }
  await status(page).outbox.filter({ hasText: `${CHANGES} changes waiting` }).waitFor();
  const device = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('psc-sync');
    open.onsuccess = () => {
      const get = open.result.transaction('meta').objectStore('meta').get('device_id');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  }));
  assert.deepEqual(errorsOf(page), []);

  // Back online; as soon as the first ack is in, the browser goes away.
  await context.setOffline(false);
  await page.waitForFunction((total) => {
    const m = /(\d+) changes? waiting/.exec(document.querySelector('[data-testid="outbox"]')?.textContent.replace(/,/g, '') ?? '');
    return m && Number(m[1]) < total;
  }, CHANGES, { polling: 'raf' });
  await context.close();
  const delivered = (await serverChangesFrom(device)).length;
  assert.ok(delivered > 0 && delivered < CHANGES, `closed mid-sync (${delivered} of ${CHANGES} on the server)`);

  // Reopened on the same profile, with the sync socket held back at first:
  // every change the server does not have is still waiting.
  context = await launch();
  let allowSocket = false;
  await context.routeWebSocket(/\/sync$/, (ws) => {
    if (allowSocket) ws.connectToServer();
    else ws.close({ code: 1011, reason: 'held back by the test' });
  });
  page = await openApp(context, server, { label: 'after', account: null, path: '/#/n/sheldon-charter-oak' });
  await page.getByTestId('account').filter({ hasText: 'tester' }).waitFor();  // still signed in
  const outbox = waiting(await status(page).outbox.innerText());
  assert.ok(outbox + delivered >= CHANGES, `nothing lost: ${outbox} waiting + ${delivered} on the server`);
  assert.ok(outbox < CHANGES && outbox > 0, `the acknowledged ones are no longer waiting (${outbox})`);
  for (const i of [1, PRIORITIES / 2, PRIORITIES]) await card(page, `Streetlight out, pole ${i}`).waitFor();
  await screenshot(page, 'r1-reopened-outbox-intact');

  // Let it connect: it finishes, and the server has each change once.
  allowSocket = true;
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor({ timeout: 60000 });
  const stored = await serverChangesFrom(device);
  assert.equal(stored.length, CHANGES);
  assert.equal(new Set(stored.map((c) => c.id)).size, CHANGES, 'no change stored twice');
  const titles = new Set(stored.filter((c) => c.field === 'title').map((c) => c.value));
  for (let i = 1; i <= PRIORITIES; i += 1) assert.ok(titles.has(`Streetlight out, pole ${i}`));
  assert.deepEqual(errorsOf(page), []);
  await context.close();
});
