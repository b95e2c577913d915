// The coordinator's city-wide dashboard and the leaders' roll-up, end to end
// against the real psc-server: three neighborhoods' organizers capture
// priorities on their own tablets (two of them offline, then reconnecting),
// one holds a meeting, department liaisons record commitments (one of them
// already overdue), and the coordinator's device shows it all merged:
// totals, top priorities per neighborhood, the category chart, the
// department scorecards and recent meetings; the filters narrow every part
// and survive a reload; the roll-up prints one scorecard per department.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { addPriority, dayOffset, recordCommitments } from './city_steps.mjs';
import { createMeeting, signIn } from './meeting_steps.mjs';
import {
  chooseNeighborhood, errorsOf, openDevice, screenshot, screenshotDir, status, stepsOf, useServerAndBrowser,
} from './support.mjs';

const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 1024, height: 768 };

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
    s.createAccount('org-sg', 'organizer', { neighborhood: 'south-green' });
    s.createAccount('org-pv', 'organizer', { neighborhood: 'parkville' });
    s.createAccount('dpw-liaison', 'liaison', { department: 'public-works' });
    s.createAccount('hpd-liaison', 'liaison', { department: 'police' });
  },
  started: (s, b) => { server = s; browser = b; },
});

// An organizer's tablet for one neighborhood, online once.
async function organizerTablet(account, neighborhood) {
  const device = await openDevice(browser, server, account, { account });
  await status(device.page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
  await chooseNeighborhood(device.page, neighborhood);
  return device;
}

async function goOffline(device) {
  await device.context.setOffline(true);
  await status(device.page).connection.filter({ hasText: 'Offline' }).waitFor();
}

async function reconnect(device) {
  await device.context.setOffline(false);
  await status(device.page).outbox.filter({ hasText: 'All changes synced' }).waitFor({ timeout: 20000 });
}

// The texts of the top-priorities table, by neighborhood slug.
async function topRows(page) {
  return page.getByTestId('top-priorities').locator('tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((row) => [
    row.dataset.neighborhood, [...row.querySelectorAll('.top-list li a')].map((a) => a.textContent)])));
}

// The chart's bars as "neighborhood/category=count", sorted.
async function bars(page) {
  return (await page.locator('svg.chart .chart-bar').evaluateAll((rects) => rects.map((r) =>
    `${r.dataset.neighborhood}/${r.dataset.category}=${r.dataset.count}`))).sort();
}

async function total(page, key) {
  return page.locator(`[data-total="${key}"] .total-number`).innerText();
}

function scorecardRow(page, department) {
  return page.getByTestId('scorecards').locator(`tbody tr[data-department="${department}"]`);
}

// The cells of a scorecard row after the department's name.
async function scorecardCells(page, department) {
  return scorecardRow(page, department).locator('td').allInnerTexts();
}

test('three neighborhoods captured on separate tablets, partly offline, merge on the coordinator’s dashboard', async (t) => {
  const step = stepsOf(t);
  let fh, sg, pv;           // the organizers’ tablets
  let desk, page, filters;  // the coordinator’s desk
  await step('Frog Hollow’s organizer captures priorities, a meeting and sign-ins offline', async () => {
    // Frog Hollow: captured offline, with a meeting and two sign-ins.
    fh = await organizerTablet('org-fh', 'Frog Hollow');
    await goOffline(fh);
    await addPriority(fh.page, { title: 'Speeding on Park Street', category: 'Traffic and streets', status: 'Adopted', department: 'Department of Public Works' });
    await addPriority(fh.page, { title: 'Drug dealing near Pope Park', category: 'Public safety', status: 'Adopted', department: 'Hartford Police Department' });
    await createMeeting(fh.page, 'Frog Hollow', { title: 'Frog Hollow PSC — this month', date: dayOffset(-3), time: '18:30', location: 'Park Street Library' });
    await signIn(fh.page, 'Maria Lopez', { group: { name: 'Park Terrace Block Club', kind: 'Block group' } });
    await signIn(fh.page, 'Officer Luis Ramos', { role: 'Police' });
  });

  await step('South Green’s organizer captures priorities online', async () => {
    // South Green: captured online.
    sg = await organizerTablet('org-sg', 'South Green');
    await addPriority(sg.page, { title: 'Graffiti on the rec center', category: 'Quality of life' });
    await addPriority(sg.page, { title: 'Abandoned house at 12 Wolcott St', category: 'Housing and blight', status: 'Adopted', department: 'Licenses & Inspections (Development Services)' });
    await status(sg.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('Parkville captures offline too, then both offline tablets reconnect and sync', async () => {
    // Parkville: offline too; both offline tablets then reconnect.
    pv = await organizerTablet('org-pv', 'Parkville');
    await goOffline(pv);
    await addPriority(pv.page, { title: 'Youth center closes at 6 pm', category: 'Youth', status: 'Adopted', department: 'Parks & Recreation' });
    await addPriority(pv.page, { title: 'Speeding on New Britain Ave', category: 'Traffic and streets', status: 'In progress' });
    await reconnect(fh);
    await reconnect(pv);
  });

  await step('the departments’ liaisons record commitments, one already overdue', async () => {
    // The departments answer: Public Works promised a date that has passed.
    await recordCommitments(server, 'dpw-liaison', [{
      title: 'Speeding on Park Street', department: 'public-works', summary: 'Speed humps between Broad and Washington',
      status: 'in_progress', expected_date: dayOffset(-5),
    }, {
      title: 'Speeding on New Britain Ave', department: 'public-works', summary: 'Traffic study', status: 'acknowledged',
      expected_date: dayOffset(30),
    }]);
    await recordCommitments(server, 'hpd-liaison', [{
      title: 'Drug dealing near Pope Park', department: 'police', summary: 'Extra patrols in the evening',
      status: 'acknowledged', expected_date: dayOffset(14),
    }]);
  });

  await step('the coordinator’s dashboard totals the three tablets’ work', async () => {
    // The coordinator's desk: the dashboard from the app's chrome.
    desk = await openDevice(browser, server, 'coordinator', { account: 'tester', viewport: DESKTOP });
    page = desk.page;
    await status(page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
    await page.getByTestId('nav-dashboard').click();
    await page.getByRole('heading', { name: 'City-wide dashboard', level: 1 }).waitFor();
    await page.locator('[data-total="overdue"] .total-number', { hasText: '1' }).waitFor();

    assert.equal(await total(page, 'priorities'), '6');
    assert.equal(await total(page, 'open_priorities'), '6');
    assert.equal(await total(page, 'open_commitments'), '3');
    assert.equal(await total(page, 'overdue'), '⚠ 1');
    assert.equal(await total(page, 'meetings'), '1');
  });

  await step('the top priorities per neighborhood are merged from the three tablets', async () => {
    // Top priorities per neighborhood: only the three with work, merged from three tablets.
    assert.deepEqual(await topRows(page), {
      'frog-hollow': ['Drug dealing near Pope Park', 'Speeding on Park Street'],
      parkville: ['Speeding on New Britain Ave', 'Youth center closes at 6 pm'],
      'south-green': ['Abandoned house at 12 Wolcott St', 'Graffiti on the rec center'],
    });
    assert.match(await page.getByTestId('top-priorities').locator('tr[data-neighborhood="frog-hollow"]').innerText(), /⚠ 1/);
  });

  await step('the category chart and its table count each neighborhood and category', async () => {
    // The chart: one bar per neighborhood and category, labelled with its count.
    assert.deepEqual(await bars(page), [
      'frog-hollow/public_safety=1', 'frog-hollow/traffic_streets=1', 'parkville/traffic_streets=1', 'parkville/youth=1',
      'south-green/housing_blight=1', 'south-green/quality_of_life=1',
    ]);
    const chartText = await page.locator('svg.chart').textContent();
    for (const word of ['Frog Hollow', 'Parkville', 'South Green', 'Traffic and', 'total 2']) assert.ok(chartText.includes(word), word);
    // The same numbers as a table, for screen readers.
    await page.getByText('Show these numbers as a table').click();
    assert.match(await page.getByTestId('category-table').locator('tr', { hasText: 'Parkville' }).innerText(), /Parkville\s+1\s+0\s+0\s+0\s+1/);
  });

  await step('the department scorecards count addressed, open and overdue priorities', async () => {
    // Scorecards with department names: Public Works has the overdue one.
    // Cells: addressed, awaiting, open, overdue, done, declined, confirmed, reopened, median days.
    assert.match(await scorecardRow(page, 'public-works').innerText(), /^Department of Public Works/);
    // Both count in the median: "Speeding on New Britain Ave", entered straight as "In progress", was adopted that day too.
    assert.deepEqual(await scorecardCells(page, 'public-works'), ['2', '0', '2', '⚠ 1', '0', '0', '0', '0', '0 days\nfrom 2 priorities']);
    assert.deepEqual((await scorecardCells(page, 'police')).slice(0, 4), ['1', '0', '1', '0']);
    assert.deepEqual((await scorecardCells(page, 'licenses-inspections')).slice(0, 4), ['1', '1', '0', '0'], 'adopted, addressed, not answered');
    assert.deepEqual((await scorecardCells(page, 'parks-recreation')).slice(0, 2), ['1', '1']);
    assert.match(await page.locator('.scorecards-idle').innerText(), /Fire Department/);
  });

  await step('recent meetings show attendance and representation', async () => {
    // Recent meetings with attendance and representation.
    const meetingRow = page.getByTestId('recent-meetings').locator('tbody tr');
    assert.equal(await meetingRow.count(), 1);
    assert.match(await meetingRow.innerText(), /Frog Hollow\s+Frog Hollow PSC — this month\s+Held\s+2\s+2\s+1 group\b/);
  });

  await step('the dashboard is captured on screen and printed to PDF', async () => {
    await screenshot(page, 'dashboard-desktop', { top: true, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: path.join(screenshotDir, 'dashboard.pdf'), format: 'Letter', margin: { top: '0.5in', bottom: '0.5in', left: '0.5in', right: '0.5in' } });
    await page.emulateMedia({ media: 'screen' });
  });

  await step('the category filter narrows every part', async () => {
    // Filters narrow every part, live in the URL and survive a reload.
    filters = page.getByRole('search', { name: 'Filters' });
    await filters.getByLabel('Category').selectOption({ label: 'Traffic and streets' });
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^2$/ }).waitFor();
    assert.deepEqual(await bars(page), ['frog-hollow/traffic_streets=1', 'parkville/traffic_streets=1']);
    assert.deepEqual(await topRows(page), { 'frog-hollow': ['Speeding on Park Street'], parkville: ['Speeding on New Britain Ave'] });
    assert.deepEqual((await scorecardCells(page, 'public-works')).slice(0, 4), ['2', '0', '2', '⚠ 1']);
    assert.equal(await scorecardRow(page, 'police').count(), 0, 'police has nothing in this category');
  });

  await step('the neighborhood filter narrows further and lives in the URL', async () => {
    await filters.getByLabel('Neighborhood').selectOption({ label: 'Parkville' });
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^1$/ }).waitFor();
    assert.deepEqual(await bars(page), ['parkville/traffic_streets=1']);
    assert.equal(await total(page, 'overdue'), '0');
    assert.match(page.url(), /#\/dashboard\?neighborhood=parkville&category=traffic_streets$/);
    assert.match(await page.locator('.filter-line').innerText(), /Showing: Parkville · Traffic and streets/);
  });

  await step('the filters survive a reload', async () => {
    await page.reload();
    await page.waitForSelector('body.ready');
    await page.getByRole('heading', { name: 'City-wide dashboard', level: 1 }).waitFor();
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^1$/ }).waitFor();
    assert.equal(await page.getByRole('search', { name: 'Filters' }).getByLabel('Neighborhood').inputValue(), 'parkville');
    assert.deepEqual(await bars(page), ['parkville/traffic_streets=1']);
  });

  await step('offline, the device still answers a status filter', async () => {
    // Computed on the device: offline, a status filter still answers.
    await desk.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    await page.getByRole('search', { name: 'Filters' }).getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^6$/ }).waitFor();
    await page.getByRole('search', { name: 'Filters' }).getByLabel('Status').selectOption({ label: 'In progress' });
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^1$/ }).waitFor();
    assert.deepEqual(await topRows(page), { parkville: ['Speeding on New Britain Ave'] });
    await page.getByRole('search', { name: 'Filters' }).getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('[data-total="priorities"] .total-number', { hasText: /^6$/ }).waitFor();
    await desk.context.setOffline(false);
  });

  await step('the tablet layout fits the screen', async () => {
    // The tablet layout.
    await page.setViewportSize(TABLET);
    await screenshot(page, 'dashboard-tablet', { top: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'nothing wider than the tablet’s screen');
  });

  await step('the leaders’ roll-up shows one scorecard per department and the common problems', async () => {
    // The leaders' roll-up: one scorecard per department, the common problems.
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('nav-rollup').click();
    await page.getByRole('heading', { name: 'City-wide roll-up for the leaders’ meeting', level: 1 }).waitFor();
    const works = page.locator('.dept-card[data-department="public-works"]');
    assert.match(await works.innerText(), /Department of Public Works[\s\S]*Overdue\s+⚠ 1/);
    assert.deepEqual(await works.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.neighborhood)), ['frog-hollow', 'parkville']);
    assert.match(await works.locator('tr[data-neighborhood="frog-hollow"]').innerText(), /Frog Hollow\s+1\s+0\s+1\s+⚠ 1/);
    assert.equal(await page.locator('.dept-card').count(), 4, 'public works, police, licenses & inspections, parks');
    const categories = page.getByTestId('rollup-categories').locator('li');
    assert.match(await categories.first().innerText(), /^Traffic and streets — 2 priorities \(2 open\) in 2 neighborhoods:\s+Frog Hollow 1 · Parkville 1$/);
    assert.equal(await categories.count(), 5);
    await screenshot(page, 'rollup', { top: true, fullPage: true });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0,
      'the roll-up fits the desk’s screen');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: path.join(screenshotDir, 'rollup.pdf'), format: 'Letter', margin: { top: '0.5in', bottom: '0.5in', left: '0.5in', right: '0.5in' } });
    await page.emulateMedia({ media: 'screen' });
  });

  await step('no device shows an unexpected error', async () => {
    assert.deepEqual(errorsOf(page), []);
    // (An offline tablet's failed requests are expected; nothing else is.)
    for (const device of [fh, sg, pv]) assert.deepEqual(device.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED')), []);
  });
});

test('the city-wide screens are not offered to an organizer', async () => {
  const fh = await openDevice(browser, server, 'org-fh', { account: 'org-fh' });
  assert.equal(await fh.page.getByTestId('nav-dashboard').count(), 0);
  await fh.page.goto(`${server.url}/#/dashboard`);
  await fh.page.waitForSelector('body.ready');
  await fh.page.getByTestId('not-for-role').waitFor();
  // The report-back agenda is theirs, from the neighborhood's tabs.
  await chooseNeighborhood(fh.page, 'Frog Hollow');
  await fh.page.getByRole('link', { name: 'Report-back agenda' }).click();
  await fh.page.getByRole('heading', { name: 'Progress since the last meeting' }).waitFor();
});
