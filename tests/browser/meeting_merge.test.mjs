// Two tablets at one meeting, against the real psc-server: both sign people
// in and take dot-votes while offline — the same people typed with
// different case and spacing on each — and after reconnecting both show ONE
// attendance list and ONE ranking, identical, with the same voter's dot
// recorded on both tablets counted once. The only disagreement, how a name
// is spelled, is shown as a conflict and resolved once for everyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attendeeNames, createMeeting, enterTallies, exportSummary, openMeeting, openSection, raisePriority, rankingRows,
  signIn, vote,
} from './meeting_steps.mjs';
import { openDevice, PORTRAIT, screenshot, status, stepsOf, useServerAndBrowser } from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

const TITLE = 'Block group meeting at Grace Church';
const LIGHTS = 'Broken streetlights on Wethersfield Ave';
const DUMPING = 'Illegal dumping behind the bodega';
const PARKING = 'Double parking at school pickup';

test('two tablets sign in overlapping people and vote offline; they merge into one attendance list and one ranking', async (t) => {
  const step = stepsOf(t);
  let a, b, rosa;
  await step('tablet A creates the meeting with three problems and tablet B opens it', async () => {
    a = await openDevice(browser, server, 'A', { account: 'ana.secretary' });
    // The second tablet is held upright.
    b = await openDevice(browser, server, 'B', { account: 'ben.cochair', viewport: PORTRAIT });

    await createMeeting(a.page, 'South End', { title: TITLE, kind: 'Block group', date: '2026-12-05', time: '10:00', location: 'Grace Church hall' });
    await openSection(a.page, 'Problems');
    await raisePriority(a.page, { title: LIGHTS, category: 'Public safety' });
    await raisePriority(a.page, { title: DUMPING, category: 'Environment and sanitation' });
    await raisePriority(a.page, { title: PARKING, category: 'Traffic and streets' });
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await openMeeting(b.page, 'South End', TITLE);
    await openSection(b.page, 'Problems');
    await b.page.locator('.raised-list .raised-title', { hasText: PARKING }).waitFor();
  });

  await step('offline, both tablets sign in the same two people spelled differently, and one more each', async () => {
    for (const d of [a, b]) {
      await d.context.setOffline(true);
      await status(d.page).connection.filter({ hasText: 'Offline' }).waitFor();
      await openSection(d.page, 'Sign-in');
    }
    // A and B both sign in Rosa and Tom, spelled differently; each also signs in someone else.
    await signIn(a.page, 'Rosa Diaz', { group: { name: 'Wethersfield Ave Block Watch', kind: 'Block group' } });
    await signIn(a.page, 'Tom Nguyen');
    await signIn(a.page, 'Grace Kim');
    await signIn(b.page, 'rosa  DIAZ');
    await signIn(b.page, 'TOM NGUYEN ');
    await signIn(b.page, 'Luis Ortiz', { role: 'Business' });
    assert.deepEqual(await attendeeNames(a.page), ['Grace Kim', 'Rosa Diaz', 'Tom Nguyen']);
    assert.deepEqual(await attendeeNames(b.page), ['Luis Ortiz', 'rosa DIAZ', 'TOM NGUYEN']);
    await screenshot(b.page, 'n0-tablet-b-portrait-signin-offline', { top: true });
  });

  await step('offline, both take dot-votes, one voter’s dot on both tablets, and B enters a paper tally', async () => {
    // Votes (3 dots each by default). Rosa's dot on the streetlights is taken on both tablets.
    for (const d of [a, b]) await openSection(d.page, 'Voting');
    await vote(a.page, 'Rosa Diaz', [LIGHTS, DUMPING]);
    await vote(a.page, 'Tom Nguyen', [LIGHTS]);
    await vote(a.page, 'Grace Kim', [PARKING]);
    await vote(b.page, 'rosa DIAZ', [LIGHTS]);
    await vote(b.page, 'Luis Ortiz', [PARKING, DUMPING]);
    await enterTallies(b.page, { [PARKING]: 3 });
    await screenshot(b.page, 'n1-tablet-b-portrait-voting-offline', { top: true });
  });

  await step('both reconnect and nothing is refused on either', async () => {
    for (const d of [a, b]) {
      await d.context.setOffline(false);
      await status(d.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    }

    // Both tablets' work was accepted: nothing refused, on either.
    for (const d of [a, b]) assert.equal(await d.page.getByTestId('rejected').count(), 0, await d.page.locator('#notices').innerText());
  });

  await step('both show one list of four people; the spelling of two names is a conflict', async () => {
    // One list of four people on both; the spelling of two names is a conflict.
    for (const d of [a, b]) await openSection(d.page, 'Sign-in');
    await a.page.getByRole('heading', { name: 'Signed in (4)' }).waitFor();
    await b.page.getByRole('heading', { name: 'Signed in (4)' }).waitFor();
    const namesA = await attendeeNames(a.page);
    assert.deepEqual(namesA, await attendeeNames(b.page), 'the same list on both tablets');
    assert.deepEqual(namesA.map((n) => n.toLowerCase()), ['grace kim', 'luis ortiz', 'rosa diaz', 'tom nguyen']);
    rosa = a.page.locator('.attendee', { has: a.page.locator('.attendee-name', { hasText: /^rosa diaz$/i }) });
    await rosa.locator('.conflict-panel').waitFor();
    assert.match(await rosa.locator('.conflict-panel').innerText(), /Name: 2 different values were saved on different devices/);
    // Rosa's group survives the merge: only A gave one.
    assert.match(await rosa.locator('.attendee-meta').innerText(), /Wethersfield Ave Block Watch/);
    await rosa.scrollIntoViewIfNeeded();
    await screenshot(a.page, 'n2-merged-signin-conflict');
  });

  await step('A keeps the capitalized spellings and B follows', async () => {
    // A keeps the properly capitalized spellings; B follows.
    await rosa.locator('.conflict-leaf', { hasText: /“Rosa Diaz”/ }).getByRole('button', { name: 'Keep this one' }).click();
    const tom = a.page.locator('.attendee', { has: a.page.locator('.attendee-name', { hasText: /^tom nguyen$/i }) });
    await tom.locator('.conflict-leaf', { hasText: /“Tom Nguyen”/ }).getByRole('button', { name: 'Keep this one' }).click();
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    const clean = ['Grace Kim', 'Luis Ortiz', 'Rosa Diaz', 'Tom Nguyen'];
    for (const d of [a, b]) {
      await d.page.locator('.attendee .conflict-panel').first().waitFor({ state: 'detached' });
      assert.deepEqual(await attendeeNames(d.page), clean);
    }
  });

  await step('both show one ranking, the dot taken on both tablets counted once', async () => {
    // One ranking: Rosa's streetlights dot, taken on both tablets, counts once;
    // the paper tally is added; ties share a rank, ordered by title.
    const expected = [['1', PARKING, '2', '3', '5'], ['2', LIGHTS, '2', '0', '2'], ['2', DUMPING, '2', '0', '2']];
    for (const d of [a, b]) {
      await openSection(d.page, 'Ranking');
      assert.deepEqual(await rankingRows(d.page), expected);
    }
    await screenshot(b.page, 'n3-merged-ranking-portrait', { top: true });
  });

  await step('both tablets’ summaries are the same', async () => {
    for (const d of [a, b]) await openSection(d.page, 'Summary');
    const [summaryA, summaryB] = [await exportSummary(a.page), await exportSummary(b.page)];
    assert.deepEqual(summaryA, summaryB);
    assert.equal(summaryA.signed_in, 4);
    assert.equal(await a.page.getByTestId('meeting-summary').innerText(), await b.page.getByTestId('meeting-summary').innerText());
  });

  await step('neither tablet shows an error', async () => {
    assert.deepEqual([...a.errors, ...b.errors], []);
  });
});
