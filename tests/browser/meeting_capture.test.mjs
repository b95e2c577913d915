// A whole meeting captured with no connection, end to end against the real
// psc-server: the organizer's tablet (online once, then offline) creates the
// meeting, signs people in (adding new groups on the spot), takes the agenda,
// captures the problems raised, runs dot-voting with a configured number of
// dots, enters paper tallies, records action items, writes minutes and closes
// the meeting; reloads offline and finds everything; reconnects; a second
// device then shows the same meeting — the same core summary and the same
// words on screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addActionItem, addAgendaItem, createMeeting, enterTallies, exportSummary, openMeeting, openSection, raisePriority,
  rankingRows, signIn, vote,
} from './meeting_steps.mjs';
import { openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker } from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

const TITLE = 'Frog Hollow PSC — December';
const SPEEDING = 'Speeding on Park Street';
const HOUSE = 'Abandoned house at 45 Babcock St';
const DEALING = 'Drug dealing near Pope Park';
const MINUTES = 'Officer Ramos reported two arrests near Pope Park.\nResidents asked for speed humps on Park Street.';

test('a meeting captured offline survives an offline reload and reaches a second device identically', async (t) => {
  const step = stepsOf(t);
  let a, page, summaryText, summaryA;  // the organizer’s tablet
  let b;                              // the second device
  await step('the organizer’s tablet, online once, goes offline and creates the meeting', async () => {
    a = await openDevice(browser, server, 'A', { account: 'dana.whitfield' });
    page = a.page;
    await status(page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
    await waitForServiceWorker(page);

    await a.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();

    await createMeeting(page, 'Frog Hollow', {
      title: TITLE, date: '2026-12-03', time: '18:30', location: 'Park Street Library, community room',
    });
    assert.equal(await page.getByTestId('meeting-status').innerText(), 'Held');
  });

  await step('people sign in, with new groups added on the spot, once each, and a headcount', async () => {
    // Sign-in: two new groups added on the spot, roles, a headcount.
    await signIn(page, 'Maria Lopez', { group: { name: 'Park Terrace Block Club', kind: 'Block group' } });
    await signIn(page, 'John Smith', { group: 'Park Terrace Block Club' });
    await signIn(page, 'Officer Luis Ramos', { role: 'Police' });
    await signIn(page, 'Keisha Brown', { group: { name: 'Broad Street Merchants', kind: 'Business group' }, role: 'Business' });
    // The same person again, typed differently: still one sign-in.
    await signIn(page, '  maria   LOPEZ ', { group: 'Park Terrace Block Club', expect: 'Maria Lopez is already signed in.' });
    assert.deepEqual(await page.locator('.attendee .attendee-name').allInnerTexts(),
      ['John Smith', 'Keisha Brown', 'Maria Lopez', 'Officer Luis Ramos']);
    await page.getByLabel('Headcount').fill('12');
    await page.getByRole('button', { name: 'Save headcount' }).click();
    await page.getByTestId('headcount-stats').filter({ hasText: 'Signed in: 4 · Headcount: 12 · Total present: 12' }).waitFor();
    await screenshot(page, 'm1-signin', { top: true });
  });

  await step('the agenda is taken, one item moved up', async () => {
    // Agenda, with one item moved up.
    await openSection(page, 'Agenda');
    await addAgendaItem(page, 'Welcome and introductions');
    await addAgendaItem(page, 'New concerns from residents');
    await addAgendaItem(page, 'Police report-back', 'Two arrests near Pope Park since November.');
    await page.getByRole('button', { name: 'Move up: Police report-back' }).click();
    await page.locator('.agenda-item').nth(1).filter({ hasText: 'Police report-back' }).waitFor();
    await screenshot(page, 'm2-agenda', { top: true });
  });

  await step('the problems raised become proposed priorities of the meeting', async () => {
    // Problems raised become proposed priorities raised at this meeting.
    await openSection(page, 'Problems');
    await raisePriority(page, { title: SPEEDING, category: 'Traffic and streets', address: 'Park St between Broad and Washington' });
    await raisePriority(page, { title: HOUSE, category: 'Housing and blight', address: '45 Babcock St', description: 'Doors open, people sleeping inside.' });
    await raisePriority(page, { title: DEALING, category: 'Public safety' });
    await screenshot(page, 'm3-problems-raised', { top: true });
  });

  await step('dot-voting with two dots each refuses a third dot, and paper tallies are entered', async () => {
    // Dot-voting with two dots each; a third dot is refused.
    await openSection(page, 'Voting');
    await page.getByRole('button', { name: 'One dot fewer' }).click();
    await page.getByTestId('dots-per-attendee').filter({ hasText: '2' }).waitFor();
    await vote(page, 'Maria Lopez', [SPEEDING, HOUSE]);
    assert.equal(await page.locator('.ballot-list').getByRole('button', { name: new RegExp(DEALING) }).isDisabled(), true,
      'a voter with no dots left cannot place another');
    await vote(page, 'John Smith', [SPEEDING]);
    await vote(page, 'Officer Luis Ramos', [DEALING]);
    await vote(page, 'Keisha Brown', [SPEEDING, DEALING]);
    await enterTallies(page, { [HOUSE]: 4, [DEALING]: 2 });
    await screenshot(page, 'm4-voting', { top: true });
  });

  await step('the ranking adds up dots and tallies', async () => {
    await openSection(page, 'Ranking');
    const expectedRanking = [['1', HOUSE, '1', '4', '5'], ['2', DEALING, '2', '2', '4'], ['3', SPEEDING, '3', '0', '3']];
    assert.deepEqual(await rankingRows(page), expectedRanking);
    await screenshot(page, 'm5-ranking', { top: true });
  });

  await step('action items are recorded, corrected and checked off', async () => {
    await openSection(page, 'Actions');
    await addActionItem(page, { description: 'Ask Public Works for speed humps on Park Street', owner: 'Maria', due: '2026-12-17', priority: SPEEDING });
    // Corrected afterwards: editing writes only what changed.
    await page.getByRole('button', { name: 'Edit: Ask Public Works for speed humps on Park Street' }).click();
    await page.getByLabel(/^Who \(community contact\)/).fill('Maria Lopez');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.action-item', { hasText: 'Owner: Maria Lopez · due Dec 17, 2026' }).waitFor();
    await addActionItem(page, { description: 'Report 45 Babcock St to Licenses & Inspections', owner: 'John Smith', due: '2026-12-10', priority: HOUSE });
    await page.getByRole('checkbox', { name: 'Report 45 Babcock St to Licenses & Inspections' }).check();
    await page.locator('.action-item.is-done', { hasText: 'Babcock' }).waitFor();
    await screenshot(page, 'm6-actions', { top: true });
  });

  await step('the minutes are saved and the meeting is closed, its summary counting each group', async () => {
    await openSection(page, 'Minutes');
    await page.getByLabel('Minutes').fill(MINUTES);
    await page.getByRole('button', { name: 'Save minutes' }).click();
    await page.getByText('Minutes saved on this device.').waitFor();

    await openSection(page, 'Summary');
    await page.getByRole('button', { name: 'Close the meeting' }).click();
    await page.getByRole('button', { name: 'Yes, close it' }).click();
    await page.getByTestId('meeting-status').filter({ hasText: 'Closed' }).waitFor();
    await page.getByText('This meeting is closed.').waitFor();
    summaryText = await page.getByTestId('meeting-summary').innerText();
    assert.match(summaryText, /Park Terrace Block Club \(Block group\): 2 attending/);
    assert.match(summaryText, /Broad Street Merchants \(Business group\): 1 attending/);
    assert.match(summaryText, /1 attending for themselves \(no group\)/);
    await screenshot(page, 'm7-summary-closed', { top: true });
    await screenshot(page, 'm7-summary-closed-full', { fullPage: true });
  });

  await step('a closed meeting’s capture screens are read-only', async () => {
    // A closed meeting's capture screens are read-only.
    await openSection(page, 'Sign-in');
    assert.equal(await page.getByLabel(/^Name/).isDisabled(), true);
  });

  await step('an offline reload finds everything there, still waiting to be sent', async () => {
    // Offline reload: everything is still there, still waiting to be sent.
    const waiting = await status(page).outbox.innerText();
    assert.match(waiting, /^\d+ changes waiting$/);
    await page.reload();
    await page.waitForSelector('body.ready');
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    // The page shows "Connecting…" for a moment after boot, until the
    // connection reports it is offline (a race the heading does not wait for).
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor({ timeout: 5000 });
    assert.equal(await status(page).outbox.innerText(), waiting);
    await openSection(page, 'Summary');
    assert.equal(await page.getByTestId('meeting-summary').innerText(), summaryText);
  });

  await step('the exported summary holds the whole meeting', async () => {
    summaryA = await exportSummary(page);
    assert.equal(summaryA.meeting.status, 'closed');
    assert.equal(summaryA.signed_in, 4);
    assert.equal(summaryA.total_present, 12);
    assert.equal(summaryA.meeting.dots_per_attendee, 2);
    assert.equal(summaryA.meeting.minutes, MINUTES);
    assert.deepEqual(summaryA.agenda.map((i) => i.title), ['Welcome and introductions', 'Police report-back', 'New concerns from residents']);
    assert.deepEqual(summaryA.priorities_raised.map((p) => [p.title, p.status]), [[HOUSE, 'proposed'], [DEALING, 'proposed'], [SPEEDING, 'proposed']]);
    assert.deepEqual(summaryA.ranking.map((r) => [r.title, r.dots, r.tallied, r.score, r.rank]), [[HOUSE, 1, 4, 5, 1], [DEALING, 2, 2, 4, 2], [SPEEDING, 3, 0, 3, 3]]);
    assert.deepEqual(summaryA.action_items.map((i) => [i.description, i.owner, i.due_date, i.done]), [
      ['Report 45 Babcock St to Licenses & Inspections', 'John Smith', '2026-12-10', true],
      ['Ask Public Works for speed humps on Park Street', 'Maria Lopez', '2026-12-17', false]]);
  });

  await step('back online, everything goes out and a second device shows the same meeting', async () => {
    // Back online: everything goes out; a second device sees the same meeting.
    await a.context.setOffline(false);
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();

    b = await openDevice(browser, server, 'B', { account: 'coordinator.b' });
    await openMeeting(b.page, 'Frog Hollow', TITLE);
    await openSection(b.page, 'Summary');
    const summaryB = await exportSummary(b.page);
    assert.deepEqual(summaryB, summaryA, 'the core summary is the same on both devices');
    assert.equal(await b.page.getByTestId('meeting-summary').innerText(), summaryText, 'and so is what the organizer reads');
    await screenshot(b.page, 'm8-summary-on-b', { fullPage: true });
  });

  await step('on the second device, the next meeting suggests this one’s people as they are typed', async () => {
    // The next meeting on B: the people of this one are suggested as they are typed.
    await b.page.getByRole('link', { name: /Frog Hollow: meetings/ }).click();
    await b.page.locator('.meeting-card', { hasText: TITLE }).waitFor();
    await screenshot(b.page, 'm9-meeting-list', { top: true });
    await b.page.getByRole('link', { name: '+ New meeting' }).click();
    await b.page.getByLabel(/^Title/).fill('Frog Hollow PSC — January');
    await b.page.getByLabel(/^Date/).fill('2027-01-07');
    await screenshot(b.page, 'm0-new-meeting', { top: true });
    await b.page.getByRole('button', { name: 'Create meeting' }).click();
    await b.page.getByRole('heading', { name: 'Sign people in' }).waitFor();
    const recent = b.page.getByRole('group', { name: 'Recent:' });
    assert.deepEqual(await recent.getByRole('button').allInnerTexts(), ['John Smith', 'Keisha Brown', 'Maria Lopez', 'Officer Luis Ramos']);
    await b.page.getByLabel(/^Name/).fill('ke');
    await recent.getByRole('button', { name: 'Keisha Brown' }).waitFor();
    assert.equal(await recent.getByRole('button').count(), 1);
    await recent.getByRole('button', { name: 'Keisha Brown' }).click();
    assert.equal(await b.page.getByLabel(/^Name/).inputValue(), 'Keisha Brown');
    assert.equal(await b.page.getByRole('radio', { name: 'Business', exact: true }).isChecked(), true);
    await b.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await b.page.locator('.attendee', { hasText: 'Keisha Brown' }).filter({ hasText: 'Broad Street Merchants · Business' }).waitFor();
    await screenshot(b.page, 'm10-signin-recent-names', { top: true });
  });

  await step('neither device shows an error', async () => {
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
