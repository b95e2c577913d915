// Accessibility on every screen, every role, both languages (issue 15):
// axe-core finds no critical or serious violation of WCAG 2.1 A/AA or its
// best practices, and every control a finger must hit on the tablet is at
// least 44×44 px. The screens hold real data: priorities (one with a
// conflict), a meeting with attendees and action items, a commitment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeMaker, SyncClient, newDeviceId } from '../support/sync_client.mjs';
import { addPriority, recordCommitments } from './city_steps.mjs';
import { addActionItem, createMeeting, openSection, signIn as signInAttendee } from './meeting_steps.mjs';
import {
  accessibilityProblems, chooseNeighborhood, newDeviceContext, openApp, openDevice,
  smallTouchTargets, status, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
    s.createAccount('dpw', 'liaison', { department: 'public-works' });
    s.createAccount('viewer-fh', 'viewer', { neighborhood: 'frog-hollow' });
  },
  started: (s, b) => { server = s; browser = b; },
});

// Checks the screen as it stands, in English and then in Spanish; collects
// the findings under `where` instead of stopping at the first.
async function check(page, where, findings, { languages = true } = {}) {
  for (const language of languages ? ['English', 'Español'] : ['English']) {
    if (languages) {
      await page.locator('#language-picker').selectOption({ label: language });
      await page.locator(`html[lang="${language === 'English' ? 'en' : 'es'}"]`).waitFor();
    }
    await page.waitForTimeout(50);  // a re-render after the switch
    for (const problem of await accessibilityProblems(page)) findings.push(`${where} (${language}): ${problem}`);
    for (const small of await smallTouchTargets(page)) findings.push(`${where} (${language}): under 44 px: ${small}`);
  }
  if (languages) {
    await page.locator('#language-picker').selectOption({ label: 'English' });
    await page.locator('html[lang="en"]').waitFor();
    await page.waitForTimeout(50);  // the re-render the switch starts, before the next move
  }
}

const TITLE = 'Streetlights out on Park Street';

test('every screen of every role: no serious accessibility problem, touch targets of 44 px', async () => {
  const findings = [];

  // Signed out.
  const out = await openApp(await newDeviceContext(browser), server, { account: null, label: 'signed-out' });
  await out.getByTestId('signin-form').waitFor();
  await check(out, 'sign-in', findings, { languages: false });

  // An organizer's tablet: list, form, meeting capture, kiosk.
  const org = await openDevice(browser, server, 'org', { account: 'org-fh' });
  let page = org.page;
  await addPriority(page, { title: TITLE, category: 'Public safety', status: 'Adopted', department: 'Department of Public Works' });
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  // A concurrent edit from another device makes a conflict.
  const record = await page.locator('.priority-card', { hasText: TITLE }).getAttribute('data-id');
  const other = await SyncClient.connect(server.wsUrl, { device: newDeviceId('other'), account: 'org-fh' });
  const titleChange = other.catchUp.changes.find((c) => c.record === record && c.field === 'title');
  if (titleChange) {
    await other.push([new ChangeMaker(other.device, { actor: 'org-fh' }).change({ type: 'priority', record, field: 'title', value: `${TITLE} (north end)`, base: [] })]);
  }
  await other.close();
  await chooseNeighborhood(page, 'Frog Hollow');
  await check(page, 'priority list', findings);
  await page.locator('.priority-card', { hasText: 'Streetlights' }).first().getByRole('link', { name: /^Edit/ }).click();
  await page.getByRole('button', { name: 'Save' }).waitFor();
  await check(page, 'priority form', findings);
  await createMeeting(page, 'Frog Hollow', { title: 'Frog Hollow PSC', date: '2026-12-10', time: '18:30', location: 'Library' });
  await signInAttendee(page, 'Ana López');
  await check(page, 'meeting sign-in', findings);
  for (const section of ['Problems', 'Voting', 'Ranking', 'Actions', 'Minutes', 'Summary']) {
    await openSection(page, section);
    if (section === 'Actions') await addActionItem(page, { description: 'Call Public Works', owner: 'Ana', due: '2026-12-17' });
    await check(page, `meeting ${section}`, findings);
  }
  await page.getByRole('link', { name: 'Meetings', exact: true }).first().click().catch(() => {});
  await page.goto(`${server.url}/#/n/frog-hollow/meetings`);
  await page.getByRole('link', { name: '+ New meeting' }).waitFor();
  await check(page, 'meetings list', findings);
  await page.goto(`${server.url}/#/n/frog-hollow/report-back`);
  await page.getByTestId('report-back').waitFor();
  await check(page, 'report-back', findings);
  await page.goto(`${server.url}/#/conflicts`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await check(page, 'conflicts queue', findings);
  await page.goto(`${server.url}/#/handoff`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await check(page, 'hand-off', findings);
  await page.goto(`${server.url}/#/account`);
  // (It once drew the hand-off screen here: its render, started by the
  // language switch, finished after the move and drew over this screen.)
  await page.getByTestId('change-password-form').waitFor();
  await check(page, 'account', findings);
  // Kiosk: set-up, welcome, ballot, exit.
  await page.goto(`${server.url}/#/n/frog-hollow/meetings`);
  await page.getByRole('link', { name: 'Frog Hollow PSC', exact: true }).click();
  await openSection(page, 'Kiosk mode');
  await check(page, 'kiosk set-up', findings);
  await page.getByLabel(/^Organizer PIN/).fill('2468');
  await page.getByLabel(/^PIN again/).fill('2468');
  await page.getByRole('button', { name: 'Start kiosk mode' }).click();
  const screen = (name) => page.locator(`[data-testid="kiosk"][data-screen="${name}"]`);
  await screen('welcome').waitFor();
  for (const [name, button] of [['welcome', null], ['vote', 'Vote on priorities'], ['concern', 'Tell us about a problem'], ['exit', 'Organizer']]) {
    if (button) {
      await screen('welcome').waitFor();
      await page.getByRole('button', { name: button }).click();
    }
    await screen(name).waitFor();
    for (const problem of await accessibilityProblems(page)) findings.push(`kiosk ${name}: ${problem}`);
    for (const small of await smallTouchTargets(page)) findings.push(`kiosk ${name}: under 44 px: ${small}`);
    if (name !== 'welcome') {
      await page.reload();  // a reload starts the next resident at the welcome screen
      await page.waitForSelector('body.ready');
    }
  }

  // A liaison's work list.
  await recordCommitments(server, 'dpw', [{ title: TITLE, department: 'public-works', summary: 'Replace the bulbs', status: 'acknowledged', expected_date: '2026-12-20' }]);
  const liaison = await openDevice(browser, server, 'liaison', { account: 'dpw' });
  await liaison.page.getByRole('heading', { level: 1 }).waitFor();
  await liaison.page.getByText('Replace the bulbs').first().waitFor();
  await check(liaison.page, 'department work list', findings);

  // A viewer.
  const viewer = await openDevice(browser, server, 'viewer', { account: 'viewer-fh' });
  await chooseNeighborhood(viewer.page, 'Frog Hollow');
  await check(viewer.page, 'viewer list', findings);

  // The coordinator's desk.
  const desk = await openDevice(browser, server, 'desk');
  page = desk.page;
  await page.getByTestId('getting-started').waitFor();
  await check(page, 'home', findings);
  // The account menu, open (its items: account page, hand-off, devices, sign out).
  await page.getByTestId('account-menu').locator('summary').click();
  await check(page, 'account menu', findings, { languages: false });
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('account-menu').evaluate((menu) => menu.open), false, 'Escape closes the menu');
  await page.goto(`${server.url}/#/account`);
  await page.getByTestId('own-device-name-form').waitFor();
  await check(page, '#/account', findings);
  for (const [hash, ready] of [['#/dashboard', '.dashboard-content'], ['#/rollup', '.rollup-content'], ['#/accounts', '[data-testid="accounts-table"]'],
    ['#/devices', '[data-testid="devices-table"]'], ['#/conflicts', 'h1'], ['#/lists', '[data-testid="list-category"] .list-entry'],
    ['#/leaders', 'h1'], ['#/n/frog-hollow/organizations', '.org-add']]) {
    await page.goto(`${server.url}/${hash}`);
    await page.locator(ready).first().waitFor().catch(async (error) => {
      // What the screen showed instead, so a failure here can be placed.
      console.log(`${hash} never showed ${ready}; the screen read:\n${await page.locator('main').innerText()}`);
      throw error;
    });
    await check(page, hash, findings);
  }

  if (findings.length) console.log(findings.join('\n'));
  assert.deepEqual(findings, []);
});
