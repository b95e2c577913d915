// The report-back agenda for a neighborhood's next PSC meeting, end to end
// against the real psc-server: an organizer's tablet holds a meeting (problems
// raised, adopted, ranked by paper counts, one resolved), names the
// departments, plans the next meeting; department liaisons answer (one
// commitment already overdue, one department silent). The agenda lists the
// open priorities in rank order with each commitment's status and date, the
// overdue one flagged in words, the silent department, and what was resolved;
// it prints (a screenshot and a PDF in tests/browser/screenshots/). Then the
// meeting is asked whether the resolved priority stayed solved: offline, the
// residents say it came back, which reopens it; the coordinator's dashboard
// counts it and the export holds the verdict.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { TEST_ACCOUNT, TEST_PASSWORD } from '../support/server.mjs';
import { dayOffset, printedDate, recordCommitments } from './city_steps.mjs';
import { addActionItem, createMeeting, enterTallies, openSection, raisePriority } from './meeting_steps.mjs';
import {
  card, chooseNeighborhood, errorsOf, openDevice, screenshot, screenshotDir, status, stepsOf, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
    s.createAccount('dpw-liaison', 'liaison', { department: 'public-works' });
    s.createAccount('hpd-liaison', 'liaison', { department: 'police' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const SPEEDING = 'Speeding on Park Street';
const DEALING = 'Drug dealing near Pope Park';
const TRASH = 'Trash on the Broad Street lots';
const LIGHT = 'Broken streetlight on Capen St';
const LAST = 'Frog Hollow PSC — last month';
const NEXT = 'Frog Hollow PSC — next month';

async function setDepartment(page, title, department) {
  await chooseNeighborhood(page, 'Frog Hollow');
  await card(page, title).getByRole('link', { name: /^Edit/ }).click();
  await page.getByLabel(/^Department it is addressed to/).selectOption({ label: department });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Frog Hollow: priorities' }).waitFor();
}

test('the report-back agenda shows rank order, an overdue commitment, a silent department and what was resolved; it prints', async (t) => {
  const step = stepsOf(t);
  let fh, page, agenda, items, speeding;
  await step('last month’s meeting raises four problems, adopts three, ranks them by paper counts and takes on actions', async () => {
    fh = await openDevice(browser, server, 'org-fh', { account: 'org-fh' });
    page = fh.page;
    await status(page).lastSync.filter({ hasText: 'Last synced' }).waitFor();

    // Last month's meeting: four problems raised, three adopted (in the
    // meeting's Problems list), one already fixed; paper counts rank them.
    await createMeeting(page, 'Frog Hollow', { title: LAST, date: dayOffset(-14), time: '18:30', location: 'Park Street Library' });
    await openSection(page, 'Problems');
    await raisePriority(page, { title: SPEEDING, category: 'Traffic and streets' });
    await raisePriority(page, { title: DEALING, category: 'Public safety' });
    await raisePriority(page, { title: TRASH, category: 'Environment and sanitation' });
    await raisePriority(page, { title: LIGHT, category: 'Public safety' });
    for (const title of [SPEEDING, DEALING, TRASH]) await page.getByLabel(`Status: ${title}`).selectOption({ label: 'Adopted' });
    await page.getByLabel(`Status: ${LIGHT}`).selectOption({ label: 'Resolved' });
    await openSection(page, 'Voting');
    await enterTallies(page, { [TRASH]: 9, [DEALING]: 5, [SPEEDING]: 2 });
    // What the meeting took on: one late, one without a date, one already done.
    await openSection(page, 'Actions');
    await addActionItem(page, { description: 'Ask for a speed study on Park Street', owner: 'Maria Lopez', due: dayOffset(-3), priority: SPEEDING });
    await addActionItem(page, { description: 'Invite the Pope Park block clubs' });
    await addActionItem(page, { description: 'Send the minutes to the members', owner: 'John' });
    await page.getByRole('checkbox', { name: 'Send the minutes to the members' }).check();
    await page.locator('.action-item.is-done', { hasText: 'Send the minutes' }).waitFor();
  });

  await step('the organizer names the departments; adopting recorded the day', async () => {
    // Adopting in the meeting recorded the day; the organizer names departments.
    await setDepartment(page, SPEEDING, 'Department of Public Works');
    await setDepartment(page, TRASH, 'Department of Public Works');
    await setDepartment(page, DEALING, 'Hartford Police Department');
    await card(page, SPEEDING).getByRole('link', { name: /^Edit/ }).click();
    assert.equal(await page.getByTestId('adopted-on').innerText(), `Adopted on ${printedDate(dayOffset(0))}.`);
    assert.equal(await page.getByLabel(/^Department it is addressed to/).inputValue(), 'public-works');
    // Taken straight to "resolved" (it was fixed before the meeting): adopted that day too.
    await chooseNeighborhood(page, 'Frog Hollow');
    await card(page, LIGHT).getByRole('link', { name: /^Edit/ }).click();
    assert.equal(await page.getByTestId('adopted-on').innerText(), `Adopted on ${printedDate(dayOffset(0))}.`);
  });

  await step('the next meeting is planned and everything syncs', async () => {
    // The next meeting is planned.
    await createMeeting(page, 'Frog Hollow', { title: NEXT, date: dayOffset(7), time: '18:30', location: 'Park Street Library, community room', status: 'Planned' });
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('the departments answer: Public Works late on one priority and silent on another, the police with a date ahead', async () => {
    // The departments answer: Public Works is late on speeding and silent on
    // the trash; the police have a date ahead.
    await recordCommitments(server, 'dpw-liaison', [{
      title: SPEEDING, department: 'public-works', summary: 'Speed humps between Broad and Washington', status: 'in_progress',
      expected_date: dayOffset(-10), responder: 'R. Diaz, DPW', status_notes: 'Waiting for the asphalt contractor.',
    }]);
    await recordCommitments(server, 'hpd-liaison', [{
      title: DEALING, department: 'police', summary: 'Evening foot patrols around the park', status: 'acknowledged',
      expected_date: dayOffset(20),
    }]);
  });

  await step('the agenda lists the open priorities in rank order', async () => {
    // From the neighborhood's tabs to the agenda; it updates as the answers arrive.
    await chooseNeighborhood(page, 'Frog Hollow');
    await page.getByRole('link', { name: 'Report-back agenda' }).click();
    agenda = page.getByTestId('report-back');
    await agenda.getByRole('heading', { name: 'Progress since the last meeting', level: 1 }).waitFor();
    await agenda.getByTestId('overdue-flag').waitFor();

    items = agenda.getByTestId('rb-items').locator(':scope > li');
    assert.deepEqual(await items.evaluateAll((lis) => lis.map((li) => [li.dataset.rank, li.querySelector('.rb-title a').textContent])),
      [['1', TRASH], ['2', DEALING], ['3', SPEEDING]], 'open priorities in rank order (paper counts 9, 5, 2)');
  });

  await step('the overdue commitment is flagged in words, with its status and date', async () => {
    speeding = items.filter({ hasText: SPEEDING });
    assert.match(await speeding.getAttribute('class'), /is-overdue/);
    assert.match(await speeding.locator('.flag-overdue').textContent(), /Overdue/, 'flagged in words, not colour alone');
    assert.equal(await speeding.getByTestId('overdue-flag').textContent(), '⚠ Overdue by 10 days');
    assert.match(await speeding.locator('tbody tr').innerText(),
      /Department of Public Works\s+R\. Diaz, DPW\s+Speed humps between Broad and Washington\s+Waiting for the asphalt contractor\.\s+In progress/);
    assert.match(await speeding.locator('tbody tr').innerText(), new RegExp(printedDate(dayOffset(-10))));
  });

  await step('the police’s commitment shows its date and the silent department is named', async () => {
    const dealing = items.filter({ hasText: DEALING });
    assert.doesNotMatch(await dealing.getAttribute('class'), /is-overdue/);
    assert.match(await dealing.locator('tbody tr').innerText(),
      new RegExp(`Hartford Police Department\\s+Evening foot patrols around the park\\s+Acknowledged[\\s\\S]*${printedDate(dayOffset(20))}`));

    const trash = items.filter({ hasText: TRASH });
    assert.match(await trash.locator('.rb-awaiting').innerText(), /Has not answered: Department of Public Works/);
  });

  await step('what was resolved, the open action items, the counts and both meetings show', async () => {
    assert.deepEqual(await agenda.getByTestId('rb-resolved').locator('li strong').allInnerTexts(), [LIGHT]);
    // Open action items of earlier meetings: dated first, the done one left out.
    const actions = agenda.getByTestId('rb-actions').locator(':scope > li');
    assert.deepEqual(await actions.locator('strong:first-child').allInnerTexts(),
      ['Ask for a speed study on Park Street', 'Invite the Pope Park block clubs']);
    assert.match(await actions.first().innerText(),
      new RegExp(`Owner: Maria Lopez · due ${printedDate(dayOffset(-3))} · from ${LAST}[\\s\\S]*${SPEEDING}[\\s\\S]*⚠ Overdue by 3 days`));
    assert.match(await actions.nth(1).innerText(), /No owner yet · from /);
    assert.equal(await agenda.getByTestId('rb-counts').innerText(),
      '3 open priorities · 2 open commitments · ⚠ 1 overdue · 1 department has not answered · 2 open action items · 1 resolved since the last meeting · 1 resolved priority to confirm');
    assert.match(await agenda.getByTestId('rb-next').innerText(), /Park Street Library, community room/);
    assert.match(await agenda.getByTestId('rb-last').innerText(), new RegExp(LAST));
    assert.match(await agenda.getByTestId('rb-generated').innerText(), new RegExp(printedDate(dayOffset(0))));
    await agenda.getByRole('button', { name: 'Print' }).waitFor();
  });

  await step('the agenda prints without the app’s chrome, the overdue flag still in words', async () => {
    await page.getByTestId('toast').waitFor({ state: 'detached', timeout: 10000 });  // the last "Saved" has gone
    await screenshot(page, 'report-back', { top: true, fullPage: true });

    // Printed: no app chrome, no buttons; the overdue flag is still words.
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.app-header', '.toolbar', '.neighborhood-tabs', '.report-actions']) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is not printed`);
    }
    assert.equal(await speeding.getByTestId('overdue-flag').isVisible(), true);
    await page.pdf({ path: path.join(screenshotDir, 'report-back.pdf'), format: 'Letter', margin: { top: '0.5in', bottom: '0.5in', left: '0.5in', right: '0.5in' } });
    await page.emulateMedia({ media: 'screen' });
  });

  await step('the agenda reads in Spanish too', async () => {
    // In Spanish too.
    await page.getByLabel('Language').selectOption({ label: 'Español' });
    await agenda.getByRole('heading', { name: 'Avances desde la última reunión', level: 1 }).waitFor();
    assert.equal(await speeding.getByTestId('overdue-flag').textContent(), '⚠ Vencido hace 10 días');
    await page.getByLabel('Idioma').selectOption({ label: 'English' });
  });

  await step('the agenda asks whether the fixed streetlight stayed solved, to be recorded at the next meeting', async () => {
    const ask = agenda.getByTestId('rb-to-confirm');
    assert.deepEqual(await ask.locator('li h3').allInnerTexts(), [LIGHT]);
    assert.equal(await ask.getByTestId('outcome-note').innerText(), `Answers are recorded for ${NEXT}.`);
    assert.deepEqual(await ask.locator('li button').allInnerTexts(),
      ['Residents confirm it is solved', 'Not solved', 'It came back']);
    // In Spanish at a tablet's width, the three answers still fit beside each other or wrap whole.
    await page.getByLabel('Language').selectOption({ label: 'Español' });
    await ask.getByRole('button', { name: 'Volvió a pasar' }).waitFor();
    await ask.scrollIntoViewIfNeeded();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
    await screenshot(page, 'report-back-to-confirm-es');
    await page.getByLabel('Idioma').selectOption({ label: 'English' });
    await ask.getByRole('button', { name: 'It came back' }).waitFor();
  });

  await step('offline, the residents say it came back: recorded, and the priority is open again', async () => {
    await fh.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    await agenda.getByTestId('rb-to-confirm').getByRole('button', { name: 'It came back' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Recorded: came back. The priority is open again (in progress).' }).waitFor();
    await agenda.getByTestId('rb-to-confirm').getByText('No resolved priority is waiting for the residents’ answer.').waitFor();
    const reopened = agenda.getByTestId('rb-items').locator(`li[data-priority]`, { hasText: LIGHT });
    await reopened.waitFor();
    assert.equal(await reopened.getByTestId('outcome-line').innerText(), `Residents, ${printedDate(dayOffset(7))}: came back`);
    assert.match(await reopened.innerText(), /In progress/);
    await reopened.scrollIntoViewIfNeeded();
    await screenshot(page, 'report-back-reopened');
    await fh.context.setOffline(false);
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('the coordinator’s dashboard counts it reopened; the verdict is in the neighborhood’s export', async () => {
    const desk = await openDevice(browser, server, 'coordinator', { account: 'tester' });
    await desk.page.goto(`${server.url}/#/dashboard`);
    const counts = desk.page.getByTestId('dash-outcomes');
    await counts.locator('[data-count="reopened"] dd').filter({ hasText: '1' }).waitFor();
    assert.equal(await counts.locator('[data-count="resolved"] dd').innerText(), '0');
    assert.equal(await counts.locator('[data-count="confirmed"] dd').innerText(), '0');
    // The coordinator's export over the API, as a spreadsheet user downloads it.
    const device = 'web-report-back-export';
    const login = await (await fetch(`${server.url}/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: TEST_ACCOUNT, password: TEST_PASSWORD, device }),
    })).json();
    const csv = await (await fetch(`${server.url}/api/export/neighborhood/frog-hollow/outcomes.csv`, {
      headers: { authorization: `Bearer ${login.token}`, 'x-psc-device': device },
    })).text();
    assert.match(csv, new RegExp(`^id,meeting,priority,verdict,decided_on,notes\r\n[0-9a-f]{32},[0-9a-f]{32},[0-9a-f]{32},came_back,${dayOffset(7)},\r\n$`));
    assert.deepEqual(errorsOf(desk.page), []);
  });

  await step('the page shows no error', async () => {
    assert.deepEqual(errorsOf(page), []);
  });
});
