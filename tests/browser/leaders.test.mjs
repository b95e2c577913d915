// The city-wide leaders' meeting (issue 14): the leaders of every PSC meet
// monthly with the departments. A coordinator plans it offline on a tablet,
// drafts its agenda from the roll-up (each neighborhood's top priorities, the
// problem two neighborhoods share, the department scorecards, the late
// commitment), signs in a Frog Hollow leader with her group and a police
// lieutenant with his department, and assigns two action items: one to Frog
// Hollow, one to Public Works. Back online it syncs. Frog Hollow's organizer
// and the Public Works liaison each find the meeting (read-only) and the
// item assigned to them, and check it off; neither can touch the other's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeMaker, SyncClient, randomRecordId } from '../support/sync_client.mjs';
import { openSection } from './meeting_steps.mjs';
import { chooseNeighborhood, errorsOf, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker } from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
    s.createAccount('pw', 'liaison', { department: 'public-works' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const MEETING = 'December leaders’ meeting';
const FOR_FROG_HOLLOW = 'Bring the Park St lighting survey to the January meeting';
const FOR_PUBLIC_WORKS = 'Report which streetlights on Park St are fixed';

async function synced(page) { await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor(); }

test('a coordinator records the leaders’ meeting offline; organizers and liaisons see it and check off what is theirs', async (t) => {
  const step = stepsOf(t);
  let c;  // the coordinator's tablet

  await step('the city has open priorities: a shared problem and a late commitment', async () => {
    const desk = await SyncClient.connect(server.wsUrl);
    const maker = new ChangeMaker(desk.device);
    const commitment = randomRecordId();
    const lights = randomRecordId();
    const ack = await desk.push([
      ...maker.priority({ record: lights, title: 'Streetlights out on Park St', neighborhood: 'frog-hollow', status: 'adopted' }),
      ...maker.priority({ title: 'Speeding on Broad St', category: 'traffic_streets', neighborhood: 'frog-hollow', status: 'adopted' }),
      ...maker.priority({ title: 'Speeding on Fairfield Ave', category: 'traffic_streets', neighborhood: 'parkville', status: 'adopted' }),
      ...Object.entries({ priority: lights, department: 'public-works', summary: 'Crews will replace the fixtures', status: 'in_progress',
                          expected_date: '2026-01-15' })
        .map(([field, value]) => maker.change({ type: 'commitment', record: commitment, field, value })),
    ]);
    assert.deepEqual(ack.rejected, []);
    await desk.close();
  });

  await step('offline, the coordinator plans the leaders’ meeting from the roll-up', async () => {
    c = await openDevice(browser, server, 'coordinator', { account: 'tester' });
    await status(c.page).connection.filter({ hasText: 'Online' }).waitFor();
    await waitForServiceWorker(c.page);
    await c.page.getByTestId('nav-rollup').click();
    await c.page.getByTestId('rollup-totals').filter({ hasText: '3 open priorities' }).waitFor();
    await c.context.setOffline(true);
    await status(c.page).connection.filter({ hasText: 'Offline' }).waitFor();
    await c.page.getByTestId('leaders-link').click();
    await c.page.getByRole('heading', { name: 'City-wide leaders’ meetings', level: 1 }).waitFor();
    await c.page.getByRole('link', { name: '+ New leaders’ meeting' }).click();
    assert.deepEqual(await c.page.getByLabel(/^Kind of meeting/).locator('option').allInnerTexts(), ['City-wide leaders']);
    assert.equal(await c.page.getByLabel('Dots per attendee').count(), 0, 'the leaders do not vote with dots');
    await c.page.getByLabel(/^Title/).fill(MEETING);
    await c.page.getByLabel(/^Date/).fill('2026-12-03');
    await c.page.getByLabel(/^Start time/).fill('17:30');
    await c.page.getByRole('radio', { name: 'Held', exact: true }).check({ force: true });
    await c.page.getByRole('button', { name: 'Create meeting' }).click();
    await c.page.getByRole('heading', { name: MEETING, level: 1 }).waitFor();
    const tabs = await c.page.locator('.meeting-tabs a').allInnerTexts();
    assert.ok(!tabs.some((tab) => /Problems|Voting|Ranking/.test(tab)), tabs.join(' | '));
  });

  await step('the agenda is drafted from the roll-up: neighborhoods, the shared problem, scorecards, the late commitment', async () => {
    await openSection(c.page, 'Agenda');
    await c.page.getByTestId('draft-agenda').click();
    const titles = c.page.locator('.agenda-list .agenda-title');
    await titles.nth(4).waitFor();
    assert.deepEqual(await titles.allInnerTexts(), [
      'Frog Hollow: top priorities', 'Parkville: top priorities', 'Shared problem: Traffic and streets in 2 neighborhoods',
      'Department scorecards', 'Late commitments (1)']);
    const late = c.page.locator('.agenda-item', { hasText: 'Late commitments' });
    assert.match(await late.innerText(), /Department of Public Works on “Streetlights out on Park St” \(Frog Hollow\)/);
    await screenshot(c.page, 'ld1-agenda-drafted');
  });

  await step('a leader signs in for Frog Hollow, a lieutenant for the police', async () => {
    await openSection(c.page, 'Sign-in');
    await c.page.getByLabel(/^Name/).fill('Rosa Martínez');
    await c.page.getByLabel(/^Speaks for/).selectOption({ label: 'Frog Hollow' });
    await c.page.getByLabel(/^Group represented/).selectOption({ label: '+ New group…' });
    await c.page.getByLabel(/^New group’s name/).fill('Frog Hollow NRZ');
    await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await c.page.locator('.attendee', { hasText: 'Rosa Martínez' }).waitFor();
    await c.page.getByLabel(/^Name/).fill('Lt. Diaz');
    await c.page.getByLabel(/^Speaks for/).selectOption({ label: 'Hartford Police Department' });
    await c.page.getByRole('radio', { name: 'Police', exact: true }).check({ force: true });
    await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const diaz = c.page.locator('.attendee', { hasText: 'Lt. Diaz' });
    await diaz.waitFor();
    assert.match(await c.page.locator('.attendee', { hasText: 'Rosa' }).innerText(), /Frog Hollow · Frog Hollow NRZ · Resident/);
    assert.match(await diaz.innerText(), /Hartford Police Department · Police/);
  });

  await step('two action items, assigned to Frog Hollow and to Public Works; then online, it syncs', async () => {
    await openSection(c.page, 'Actions');
    for (const [description, assignee] of [[FOR_FROG_HOLLOW, 'Frog Hollow'], [FOR_PUBLIC_WORKS, 'Department of Public Works']]) {
      await c.page.getByLabel(/^What will be done/).fill(description);
      await c.page.getByLabel(/^Assigned to/).selectOption({ label: assignee });
      await c.page.getByRole('button', { name: 'Add action item' }).click();
      await c.page.locator('.action-item', { hasText: description }).getByTestId('assignee').filter({ hasText: `For ${assignee}` }).waitFor();
    }
    await screenshot(c.page, 'ld2-actions-assigned');
    await c.context.setOffline(false);
    await synced(c.page);
    await openSection(c.page, 'Summary');
    assert.match(await c.page.getByTestId('neighborhoods-present').innerText(), /Neighborhoods present: 1 of 17/);
    assert.deepEqual(errorsOf(c.page), []);
  });

  await step('Frog Hollow’s organizer finds it, read-only, and checks off the item assigned to Frog Hollow', async () => {
    const o = await openDevice(browser, server, 'organizer', { account: 'org-fh' });
    await chooseNeighborhood(o.page, 'Frog Hollow');
    await o.page.getByRole('link', { name: 'Meetings', exact: true }).click();
    const assigned = o.page.getByTestId('assigned-actions');
    await assigned.locator('.action-item', { hasText: FOR_FROG_HOLLOW }).waitFor();
    assert.equal(await assigned.locator('.action-item').count(), 1, 'only what is Frog Hollow’s');
    await screenshot(o.page, 'ld3-organizer-assigned', { fullPage: true });
    await assigned.getByRole('link', { name: MEETING }).click();
    await o.page.getByTestId('read-only').waitFor();
    const mine = o.page.locator('.action-item', { hasText: FOR_FROG_HOLLOW }).getByRole('checkbox');
    const theirs = o.page.locator('.action-item', { hasText: FOR_PUBLIC_WORKS }).getByRole('checkbox');
    assert.equal(await theirs.isDisabled(), true, 'Public Works’ item is not Frog Hollow’s to check off');
    assert.equal(await o.page.getByRole('button', { name: /^Edit/ }).count(), 0);
    await mine.check();
    await synced(o.page);
    await screenshot(o.page, 'ld4-organizer-checked-off');
    assert.deepEqual(errorsOf(o.page), []);
  });

  await step('the Public Works liaison finds its item on the department list and checks it off', async () => {
    const l = await openDevice(browser, server, 'liaison', { account: 'pw' });
    const assigned = l.page.getByTestId('assigned-actions');
    await assigned.locator('.action-item', { hasText: FOR_PUBLIC_WORKS }).waitFor();
    assert.equal(await assigned.locator('.action-item', { hasText: FOR_FROG_HOLLOW }).count(), 0);
    await screenshot(l.page, 'ld5-liaison-assigned', { fullPage: true });
    // Checked off, it leaves the list of what is still to do.
    await assigned.locator('.action-item', { hasText: FOR_PUBLIC_WORKS }).getByRole('checkbox').click();
    await assigned.locator('.action-item', { hasText: FOR_PUBLIC_WORKS }).waitFor({ state: 'detached' });
    await synced(l.page);
    // The meeting itself is open to the liaison, read-only.
    await assigned.getByRole('link', { name: 'City-wide leaders’ meetings →' }).click();
    await l.page.getByRole('link', { name: MEETING }).first().click();
    await l.page.getByTestId('read-only').waitFor();
    assert.deepEqual(errorsOf(l.page), []);
  });

  await step('the coordinator sees both checked off; in Spanish at 1024 px the sign-in fits', async () => {
    await openSection(c.page, 'Actions');
    for (const description of [FOR_FROG_HOLLOW, FOR_PUBLIC_WORKS])
      await c.page.locator('.action-item.is-done', { hasText: description }).waitFor();
    await c.page.locator('#language-picker').selectOption({ label: 'Español' });
    await openSection(c.page, 'Registro');
    await c.page.getByLabel(/^Representa a/).waitFor();
    assert.equal(await c.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
    await screenshot(c.page, 'ld6-signin-es');
    assert.deepEqual(errorsOf(c.page), []);
  });
});
