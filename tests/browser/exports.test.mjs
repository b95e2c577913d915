// Downloads from the screens that show the data (issue 15): the Download menu
// on a neighborhood's list, the report-back agenda, a meeting's summary, the
// dashboard and the roll-up. Files are made on the device by the core from
// what it holds: they download offline, with no token in any URL, and a CSV
// "for Excel" starts with a byte-order mark (a choice the device keeps).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { addPriority } from './city_steps.mjs';
import { chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser } from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const ACCENTED = 'Banquetas rotas en la calle Park — José "Pepe" Ñúñez, otra vez';
const FORMULA = '=HYPERLINK("http://example.com","click")';

// Opens the Download menu inside `scope` and saves the file behind `name`:
// {name, bytes, text, urls requested while it downloaded}.
async function download(page, scope, name) {
  const menu = scope.getByTestId('export-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  const requests = [];
  const onRequest = (request) => requests.push(request.url());
  page.on('request', onRequest);
  const [file] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name, exact: true }).click()]);
  page.off('request', onRequest);
  const bytes = readFileSync(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString('utf8'), requests };
}

test('an organizer downloads the neighborhood as CSV for Excel and as JSON, offline too', async (t) => {
  const step = stepsOf(t);
  let page, context, header, csv;
  await step('the organizer records two priorities with awkward titles', async () => {
    ({ page, context } = await openDevice(browser, server, 'org-fh', { account: 'org-fh' }));
    await addPriority(page, { title: ACCENTED, category: 'Traffic and streets' });
    await addPriority(page, { title: FORMULA, category: 'Public safety' });
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await chooseNeighborhood(page, 'Frog Hollow');
    header = page.locator('.list-header');
  });

  await step('plain CSV is UTF-8 with no mark, quoted by RFC 4180, formulas kept as text, made on the device', async () => {
    // Plain CSV first: UTF-8 with no mark, RFC 4180 quoting, the formula kept as text.
    csv = await download(page, header, 'Priorities (CSV)');
    assert.match(csv.name, /^frog-hollow-\d{4}-\d{2}-\d{2}-priorities\.csv$/);
    assert.notEqual(csv.bytes[0], 0xef, 'no byte-order mark unless asked');
    const lines = csv.text.split('\r\n');
    assert.match(lines[0], /^id,rank,score,title,category,status,/);
    assert.ok(lines[0].includes(',neighborhood,'));
    assert.ok(csv.text.includes('"Banquetas rotas en la calle Park — José ""Pepe"" Ñúñez, otra vez"'), csv.text);
    assert.ok(csv.text.includes(`"'=HYPERLINK(""http://example.com"",""click"")"`), 'a formula stays text');
    assert.deepEqual(csv.requests.filter((url) => url.includes('/api/')), [], 'made on the device, not fetched');
  });

  await step('CSV for Excel starts with a byte-order mark', async () => {
    // For Excel: the byte-order mark first; the choice survives a reload.
    await header.getByLabel(/^CSV for Excel/).check();
    csv = await download(page, header, 'Priorities (CSV)');
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(csv.bytes.subarray(3).toString('utf8'), /^id,rank,score,title/);
    await screenshot(page, 'export-menu', { top: true });
  });

  await step('the Excel choice survives a reload, and the menu closes as a menu does', async () => {
    await page.reload();
    await page.waitForSelector('body.ready');
    await chooseNeighborhood(page, 'Frog Hollow');
    const menu = header.getByTestId('export-menu');
    await menu.locator('summary').click();
    assert.equal(await header.getByLabel(/^CSV for Excel/).isChecked(), true);
    // It closes as a menu does: Escape, or a tap elsewhere.
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('open'), null);
    await menu.locator('summary').click();
    await page.getByRole('heading', { name: 'Frog Hollow: priorities' }).click();
    assert.equal(await menu.getAttribute('open'), null);
  });

  await step('offline, the neighborhood still downloads as JSON and attendance as CSV', async () => {
    // Offline: still downloads, everything the device holds of the neighborhood.
    await context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    const all = await download(page, header, 'Everything (JSON)');
    assert.match(all.name, /^frog-hollow-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(all.text);
    assert.equal(doc.neighborhood.id, 'frog-hollow');
    assert.deepEqual(doc.priorities.map((p) => p.title).sort(), [ACCENTED, FORMULA].sort());
    const attendance = await download(page, header, 'Attendance (CSV)');
    assert.equal(attendance.bytes.subarray(3).toString('utf8'), 'id,meeting,name,organization,organization_name,role,neighborhood,department\r\n');
    await context.setOffline(false);
  });

  await step('the report-back agenda downloads as JSON', async () => {
    // The report-back agenda offers itself as JSON beside the neighborhood's tables.
    await page.getByRole('link', { name: 'Report-back agenda' }).click();
    const agenda = page.getByTestId('report-back');
    await agenda.waitFor();
    const agendaFile = await download(page, agenda, 'This agenda (JSON)');
    assert.match(agendaFile.name, /^report-back-frog-hollow-\d{4}-\d{2}-\d{2}\.json$/);
    const agendaDoc = JSON.parse(agendaFile.text);
    assert.equal(agendaDoc.neighborhood, 'frog-hollow');
    assert.equal(agendaDoc.counts.open_priorities, agendaDoc.items.length);
  });
});

test('a coordinator downloads the whole city from the dashboard and the roll-up', async () => {
  const { page } = await openDevice(browser, server, 'desk');
  await chooseNeighborhood(page, 'Parkville');
  await addPriority(page, { title: 'Dumping behind the plaza', category: 'Environment and sanitation' });
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();

  await page.goto(`${server.url}/#/dashboard`);
  const dashboard = page.locator('.dash-page');
  await dashboard.getByRole('heading', { level: 1 }).waitFor();
  const city = await download(page, dashboard, 'Everything (JSON)');
  assert.match(city.name, /^psc-city-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(city.text);
  assert.equal(doc.neighborhoods.length, 17);
  const titles = doc.priorities.map((p) => p.title);
  for (const title of [ACCENTED, FORMULA, 'Dumping behind the plaza']) assert.ok(titles.includes(title), title);
  const rows = (await download(page, dashboard, 'Priorities (CSV)')).text;
  assert.ok(rows.includes(',parkville,') && rows.includes(',frog-hollow,'), 'each row says its neighborhood');

  await page.goto(`${server.url}/#/rollup`);
  await page.locator('.rollup-content').waitFor();
  const commitments = await download(page, page.locator('.dash-page'), 'Department commitments (CSV)');
  assert.match(commitments.text.replace(/^\uFEFF/, ''), /^id,priority,department,summary,status,expected_date/);
});
