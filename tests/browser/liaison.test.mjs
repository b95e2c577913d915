// The department liaison, end to end against the real psc-server: South
// Green's organizer addresses priorities to Public Works from the priority
// form; Frog Hollow has one addressed to Public Works and one to Police. The
// Public Works liaison signs in and lands on the department's list: the
// three Public Works priorities, city-wide, awaiting a response; none of
// Police's. The liaison records a commitment and later updates it; the
// organizer's tablet shows both. The liaison is offered no priority editing
// (read-only priority, other screens redirect to the list), and the server
// refuses a priority edit signed by the liaison. A viewer is offered no
// edits either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_PASSWORD } from '../support/server.mjs';
import { ChangeMaker, SyncClient } from '../support/sync_client.mjs';
import { createMeeting } from './meeting_steps.mjs';
import { card, chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser } from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-sg', 'organizer', { neighborhood: 'south-green' });
    s.createAccount('pw', 'liaison', { department: 'public-works' });
    s.createAccount('view-sg', 'viewer', { neighborhood: 'south-green' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const POTHOLES = 'Potholes on Wethersfield Ave';
const TRASH = 'Overflowing trash cans at Barnard Park';
const YOUTH = 'Youth center closes too early';  // addressed to nobody
const DUMPING = 'Illegal dumping behind Park St';  // Frog Hollow, Public Works
const DEALING = 'Drug dealing at Park and Broad';  // Frog Hollow, Police
const SUMMARY = 'Crew to patch the 300 block';

async function synced(page) {
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
}

// Adopted: the committee has taken it on, so the department owes an answer.
async function addPriority(page, title, department, { status = 'Adopted' } = {}) {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: 'Quality of life' });
  await page.getByLabel(/^Status/).selectOption({ label: status });
  if (department) await page.getByLabel(/^Department/).selectOption({ label: department });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

function item(page, title) {
  return page.getByTestId('dept-item').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

test('a Public Works liaison answers the priorities addressed to Public Works, city-wide, and edits nothing else', async (t) => {
  const step = stepsOf(t);
  let o, meetingUrl, responses;              // on the organizer’s tablet
  let l, awaiting, commitment, priorityUrl;  // on the liaison’s
  await step('a coordinator’s device pushes Frog Hollow’s priorities for Public Works and for Police', async () => {
    // Frog Hollow's priorities, from a coordinator's device over the protocol.
    const coordinator = await SyncClient.connect(server.wsUrl);
    const maker = new ChangeMaker(coordinator.device);
    const ack = await coordinator.push([
      ...maker.priority({ title: DUMPING, neighborhood: 'frog-hollow', status: 'adopted', extra: { department: 'public-works' } }),
      ...maker.priority({ title: DEALING, neighborhood: 'frog-hollow', status: 'adopted', extra: { department: 'police' } }),
    ]);
    assert.equal(ack.rejected.length, 0);
    await coordinator.close();
  });

  await step('South Green’s organizer addresses two priorities to Public Works', async () => {
    // South Green's organizer addresses two priorities to Public Works.
    o = await openDevice(browser, server, 'organizer', { account: 'org-sg' });
    await chooseNeighborhood(o.page, 'South Green');
    await addPriority(o.page, POTHOLES, 'Department of Public Works');
    await addPriority(o.page, TRASH, 'Department of Public Works');
    await addPriority(o.page, YOUTH, null);
    await createMeeting(o.page, 'South Green', { title: 'South Green PSC, April', date: '2026-04-09', time: '18:30' });
    meetingUrl = o.page.url();
    await synced(o.page);
    await chooseNeighborhood(o.page, 'South Green');
    assert.match(await card(o.page, POTHOLES).innerText(), /Awaiting Department of Public Works/);
  });

  await step('the liaison lands on the department’s list: its priorities, city-wide, awaiting a response', async () => {
    // The liaison lands on the department's list.
    l = await openDevice(browser, server, 'liaison', { account: 'pw' });
    await l.page.getByRole('heading', { name: 'Department of Public Works: priorities addressed to you' }).waitFor();
    assert.match(l.page.url(), /#\/department$/);
    awaiting = l.page.locator('[data-group="awaiting"]');
    for (const title of [POTHOLES, TRASH, DUMPING]) await item(l.page, title).waitFor();
    assert.deepEqual((await l.page.locator('.dept-item h3').allInnerTexts()).sort(), [DUMPING, POTHOLES, TRASH].sort(),
      'only Public Works priorities, from every neighborhood');
    assert.equal(await awaiting.getByTestId('dept-item').count(), 3, 'all three await a response');
    assert.equal(await awaiting.getByTestId('flag-awaiting').count(), 3);
    assert.match(await l.page.getByTestId('dept-summary').innerText(), /3 priorities · 3 awaiting your response/);
    assert.match(await item(l.page, DUMPING).innerText(), /Frog Hollow/);
  });

  await step('the neighborhood filter narrows the list', async () => {
    // The neighborhood filter narrows the list.
    await l.page.getByLabel('Neighborhood').selectOption({ label: 'Frog Hollow' });
    await l.page.locator('.dept-item h3').filter({ hasText: POTHOLES }).waitFor({ state: 'detached' });
    assert.deepEqual(await l.page.locator('.dept-item h3').allInnerTexts(), [DUMPING]);
    await l.page.getByLabel('Neighborhood').selectOption({ label: 'All neighborhoods' });
    await item(l.page, POTHOLES).waitFor();
  });

  await step('the liaison is offered nothing but commitments', async () => {
    // Nothing but commitments is offered: no neighborhood picker, no add, no edit.
    assert.equal(await l.page.locator('#neighborhood-picker').count(), 0);
    assert.equal(await l.page.getByRole('link', { name: /Add a priority/ }).count(), 0);
    assert.equal(await l.page.getByRole('link', { name: /^Edit/ }).count(), 0);
    assert.equal(await l.page.getByTestId('nav-conflicts').count(), 0);
  });

  await step('the liaison records a commitment to the potholes', async () => {
    // The liaison records a commitment to the potholes.
    await item(l.page, POTHOLES).getByRole('button', { name: 'Record a commitment' }).click();
    const form = item(l.page, POTHOLES).getByTestId('commitment-new');
    await form.getByLabel(/^What the department will do/).fill(SUMMARY);
    await form.getByLabel(/^Expected by/).fill('2030-06-30');
    await form.getByLabel(/^Responder/).fill('J. Rivera');
    await form.getByRole('button', { name: 'Save commitment' }).click();
    await l.page.getByTestId('toast').filter({ hasText: 'Commitment saved' }).waitFor();
    const answered = l.page.locator('[data-group="open"]');
    await answered.getByTestId('dept-item').filter({ hasText: POTHOLES }).waitFor();
    assert.equal(await awaiting.getByTestId('dept-item').count(), 2);
    commitment = item(l.page, POTHOLES).getByTestId('commitment');
    assert.match(await commitment.innerText(), /Acknowledged/);
    assert.match(await commitment.innerText(), /Crew to patch the 300 block/);
    assert.match(await commitment.innerText(), /Expected Jun 30, 2030 · Responder: J\. Rivera/);
    await synced(l.page);
    await screenshot(l.page, 'liaison', { top: true, fullPage: true });
  });

  await step('the organizer’s tablet receives the commitment, on the card and on the priority', async () => {
    // The organizer's tablet receives it: on the card and on the priority.
    await card(o.page, POTHOLES).getByTestId('commitment-chip').filter({ hasText: 'Department of Public Works: Acknowledged' }).waitFor();
    await card(o.page, POTHOLES).getByRole('link', { name: /^Edit/ }).click();
    responses = o.page.getByTestId('priority-commitments');
    await responses.getByText(SUMMARY).waitFor();
  });

  await step('the liaison updates the commitment, now in progress and late', async () => {
    // Later, the liaison moves it on: in progress, with notes, and now late.
    await commitment.getByRole('button', { name: /^Update/ }).click();
    const edit = item(l.page, POTHOLES).getByTestId('commitment-edit');
    await edit.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'In progress' });
    await edit.getByLabel(/^Status notes/).fill('Asphalt plant reopens next week.');
    await edit.getByLabel(/^Expected by/).fill('2025-01-15');
    await edit.getByRole('button', { name: 'Save update' }).click();
    await l.page.locator('[data-group="overdue"]').getByTestId('dept-item').filter({ hasText: POTHOLES }).waitFor();
    assert.match(await commitment.innerText(), /In progress/);
    assert.equal(await item(l.page, POTHOLES).getByTestId('flag-overdue').count(), 1);
    await synced(l.page);
    await screenshot(l.page, 'liaison-updated', { top: true, fullPage: true });
  });

  await step('the organizer’s tablet receives the update', async () => {
    await responses.getByTestId('commitment-status').filter({ hasText: 'In progress' }).waitFor();
    await responses.getByText('Asphalt plant reopens next week.').waitFor();
    await screenshot(o.page, 'liaison-organizer-priority', { top: true, fullPage: true });
  });

  await step('the priority itself opens read-only for the liaison', async () => {
    // The priority itself opens read-only for the liaison.
    await item(l.page, POTHOLES).getByRole('link', { name: POTHOLES, exact: true }).click();
    await l.page.getByTestId('read-only').waitFor();
    assert.equal(await l.page.getByLabel(/^Title/).isDisabled(), true);
    assert.equal(await l.page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await l.page.getByRole('button', { name: /Delete/ }).count(), 0);
    await screenshot(l.page, 'liaison-priority-read-only', { top: true, fullPage: true });
    priorityUrl = l.page.url();
    assert.match(priorityUrl, /#\/p\/[0-9a-f]{32}$/);
  });

  await step('direct URLs to editing screens lead back to the department’s list', async () => {
    // Direct URLs to editing screens lead back to the department's list.
    const meetingHash = new URL(meetingUrl).hash;
    for (const hash of ['#/n/south-green', '#/n/south-green/new', '#/n/south-green/meetings/new', meetingHash, '#/conflicts', '#/department/police']) {
      await l.page.goto(`${server.url}/${hash}`);
      await l.page.getByRole('heading', { name: 'Department of Public Works: priorities addressed to you' }).waitFor();
      assert.match(l.page.url(), /#\/department$/, `${hash} redirects`);
    }
    await l.page.goto(`${priorityUrl}/edit`);
    await l.page.getByTestId('read-only').waitFor();
    assert.equal(await l.page.getByRole('button', { name: 'Save' }).count(), 0);
  });

  await step('the server refuses a priority edit signed by the liaison', async () => {
    // And the server refuses a priority edit signed by the liaison (pushed
    // from the liaison's browser with its own sign-in, bypassing the UI).
    const refused = await l.page.evaluate(async ({ password, priorityId }) => {
      const device = `web-forged-${Math.random().toString(16).slice(2, 10)}`;
      const login = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'pw', password, device }) }).then((r) => r.json());
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/sync`);
      const messages = [];
      const next = (type) => new Promise((resolve) => {
        const check = () => { const m = messages.find((x) => x.type === type); if (m) resolve(m); else setTimeout(check, 20); };
        check();
      });
      socket.onmessage = (event) => messages.push(JSON.parse(event.data));
      await new Promise((resolve) => { socket.onopen = resolve; });
      socket.send(JSON.stringify({ type: 'hello', version: 1, device, token: login.token, cursor: 0, unsynced: 1 }));
      await next('welcome');
      const hlc = Date.now().toString(16).padStart(12, '0') + '0000';
      socket.send(JSON.stringify({ type: 'push', batch: 'forged', changes: [{ id: `${hlc}@${device}`, type: 'priority',
        record: priorityId, field: 'title', value: 'Renamed by a liaison', hlc, device, actor: 'pw', base: [] }] }));
      const answer = await next('ack');
      socket.close();
      return answer.rejected;
    }, { password: TEST_PASSWORD, priorityId: priorityUrl.split('/').pop() });
    assert.equal(refused.length, 1);
    assert.equal(refused[0].code, 'forbidden');
  });

  await step('the department’s list reads in Spanish too', async () => {
    // In Spanish too.
    await l.page.goto(`${server.url}/#/department`);
    await l.page.getByLabel('Language').selectOption({ label: 'Español' });
    await l.page.getByRole('heading', { name: 'Departamento de Obras Públicas: prioridades dirigidas a ustedes' }).waitFor();
    await l.page.getByRole('heading', { name: /^Esperan su respuesta/ }).waitFor();
    assert.match(await item(l.page, POTHOLES).getByTestId('commitment').innerText(), /En curso/);
  });

  await step('neither device shows an error', async () => {
    assert.deepEqual([...o.errors, ...l.errors], []);
  });
});

test('a viewer reads the neighborhood and is offered no edits', async (t) => {
  const step = stepsOf(t);
  let v;
  await step('the viewer sees the neighborhood’s priorities but no add or edit', async () => {
    v = await openDevice(browser, server, 'viewer', { account: 'view-sg' });
    await chooseNeighborhood(v.page, 'South Green');
    await card(v.page, POTHOLES).waitFor();
    assert.equal(await v.page.getByRole('link', { name: /Add a priority/ }).count(), 0);
    assert.equal(await v.page.getByRole('link', { name: /^Edit/ }).count(), 0);
    assert.equal(await v.page.getByTestId('nav-conflicts').count(), 0);
    // The department's answer shows on the card.
    await card(v.page, POTHOLES).getByTestId('commitment-chip').filter({ hasText: 'Department of Public Works: In progress' }).waitFor();
  });

  await step('a priority opens read-only for the viewer', async () => {
    await card(v.page, POTHOLES).getByRole('link', { name: /^Open/ }).click();
    await v.page.getByTestId('read-only').waitFor();
    assert.equal(await v.page.getByLabel(/^Title/).isDisabled(), true);
    assert.equal(await v.page.getByRole('button', { name: 'Save' }).count(), 0);
    assert.equal(await v.page.getByRole('button', { name: /Delete/ }).count(), 0);
  });

  await step('the new-priority URL leads back to the list', async () => {
    await v.page.goto(`${server.url}/#/n/south-green/new`);
    await v.page.getByRole('heading', { name: 'South Green: priorities' }).waitFor();
    assert.match(v.page.url(), /#\/n\/south-green$/);
  });

  await step('a meeting opens read-only, with no capture and no closing', async () => {
    await v.page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await v.page.getByRole('heading', { name: 'South Green: meetings' }).waitFor();
    assert.equal(await v.page.getByRole('link', { name: /New meeting/ }).count(), 0);
    await v.page.getByRole('link', { name: 'South Green PSC, April', exact: true }).click();
    await v.page.getByTestId('read-only').waitFor();
    assert.equal(await v.page.getByRole('link', { name: 'Edit details' }).count(), 0);
    assert.equal(await v.page.getByRole('link', { name: 'Kiosk mode' }).count(), 0);
    assert.equal(await v.page.locator('fieldset.capture:not([disabled])').count(), 0, 'capture forms disabled');
    await v.page.locator('.meeting-tabs').getByRole('link', { name: /^Summary/ }).click();
    await v.page.locator('.meeting-tabs [aria-current="page"]', { hasText: 'Summary' }).waitFor();
    assert.equal(await v.page.getByRole('button', { name: /Close the meeting/ }).count(), 0);
    await screenshot(v.page, 'viewer-meeting', { top: true });
  });

  await step('the viewer’s page shows no error', async () => {
    assert.deepEqual(v.errors, []);
  });
});
