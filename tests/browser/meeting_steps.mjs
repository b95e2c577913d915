// What an organizer does at a meeting, step by step, as a user would: by
// labels, roles and visible text. Shared by the meeting and kiosk tests.
import { readFileSync } from 'node:fs';
import { chooseNeighborhood } from './support.mjs';

// A part of the meeting: a tab (Sign-in, Agenda, Problems, Voting, Ranking,
// Actions, Minutes, Summary) or a link by the title (Edit details, Kiosk mode).
export async function openSection(page, label) {
  await page.locator('.meeting-tabs, .meeting-header').getByRole('link', { name: new RegExp(`^${label}`) }).click();
  await page.locator('.meeting-tabs [aria-current="page"], .meeting-header [aria-current="page"]', { hasText: label }).waitFor();
}

// From anywhere: the neighborhood's meetings, "New meeting", filled, created.
// Lands on the meeting's sign-in.
export async function createMeeting(page, neighborhood, { title, kind = 'PSC', date, time, location, status = 'Held', dots }) {
  await chooseNeighborhood(page, neighborhood);
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.getByRole('link', { name: '+ New meeting' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Kind of meeting/).selectOption({ label: kind });
  await page.getByLabel(/^Date/).fill(date);
  await page.getByLabel(/^Start time/).fill(time);
  if (location) await page.getByLabel(/^Location/).fill(location);
  await page.getByRole('radio', { name: status, exact: true }).check({ force: true });
  if (dots !== undefined) await page.getByLabel('Dots per attendee').fill(String(dots));
  await page.getByRole('button', { name: 'Create meeting' }).click();
  await page.getByRole('heading', { name: 'Sign people in' }).waitFor();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

// Opens an existing meeting from the neighborhood's meeting list.
export async function openMeeting(page, neighborhood, title) {
  await chooseNeighborhood(page, neighborhood);
  await page.getByRole('link', { name: 'Meetings', exact: true }).click();
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

// group: an existing group's name, or {name, kind} for a new one.
export async function signIn(page, name, { group = null, role = 'Resident', expect = 'signed in.' } = {}) {
  await page.getByLabel(/^Name/).fill(name);
  if (group && typeof group === 'object') {
    await page.getByLabel('Group represented').selectOption({ label: '+ New group…' });
    await page.getByLabel(/^New group’s name/).fill(group.name);
    await page.getByLabel('Kind of group').selectOption({ label: group.kind });
  } else if (group) {
    await page.getByLabel('Group represented').selectOption({ label: group });
  }
  await page.getByRole('radio', { name: role, exact: true }).check({ force: true });
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('.signin-form .form-message').filter({ hasText: expect }).waitFor();
}

export async function attendeeNames(page) {
  return page.locator('.attendee .attendee-name').allInnerTexts();
}

export async function addAgendaItem(page, title, notes = '') {
  await page.getByLabel(/^Title/).fill(title);
  if (notes) await page.getByLabel(/^Notes/).fill(notes);
  await page.getByRole('button', { name: 'Add item' }).click();
  await page.locator('.agenda-item', { hasText: title }).waitFor();
}

export async function raisePriority(page, { title, category, address = '', description = '' }) {
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: category });
  if (address) await page.getByLabel(/^Address or place/).fill(address);
  if (description) await page.getByLabel(/^Description/).fill(description);
  await page.getByRole('button', { name: 'Add priority' }).click();
  await page.locator('.raised-list .raised-title', { hasText: title }).waitFor();
}

// Places `voter`'s dots on the priorities titled `titles` (Voting tab).
export async function vote(page, voter, titles) {
  await page.locator('.voter-list').getByRole('button', { name: new RegExp(`^${voter}`) }).click();
  await page.getByTestId('ballot-heading').filter({ hasText: `${voter}:` }).waitFor();
  for (const title of titles) {
    const toggle = page.locator('.ballot-list').getByRole('button', { name: new RegExp(escapeRegExp(title)) });
    await toggle.click();
    await page.locator('.ballot-list button[aria-pressed="true"]', { hasText: title }).waitFor();
  }
}

// {title: count} typed into the paper tallies and saved.
export async function enterTallies(page, counts) {
  for (const [title, count] of Object.entries(counts)) await page.getByLabel(title, { exact: true }).fill(String(count));
  await page.getByRole('button', { name: 'Save paper counts' }).click();
  await page.locator('.tally-form .form-message').filter({ hasText: 'paper counts saved' }).waitFor();
}

export async function addActionItem(page, { description, owner = '', due = '', priority = '' }) {
  await page.getByLabel(/^What will be done/).fill(description);
  if (owner) await page.getByLabel(/^Who \(community contact\)/).fill(owner);
  if (due) await page.getByLabel(/^Due date/).fill(due);
  if (priority) await page.getByLabel(/^For priority/).selectOption({ label: priority });
  await page.getByRole('button', { name: 'Add action item' }).click();
  await page.locator('.action-item', { hasText: description }).waitFor();
}

// The ranking table as [[rank, title, dots, paper, total], ...].
export async function rankingRows(page, testid = 'meeting-ranking') {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((rows) => rows.map((row) => {
    const cells = row.querySelectorAll('td');
    return [cells[0].textContent, row.querySelector('.ranking-title').textContent, cells[2].textContent, cells[3].textContent, cells[4].textContent];
  }));
}

// The core's meeting summary, as the Summary tab's Download menu saves it.
export async function exportSummary(page) {
  await page.getByTestId('meeting-summary').waitFor();
  const menu = page.locator('.summary-actions').getByTestId('export-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    menu.getByRole('button', { name: 'Meeting summary (JSON)' }).click(),
  ]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

export function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
