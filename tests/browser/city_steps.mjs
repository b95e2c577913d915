// Steps shared by the city-wide tests (dashboard, roll-up, report-back):
// calendar days as the test devices see them, priorities typed through the
// priority form, and department commitments recorded over the real sync
// protocol by a department liaison's account (the web app has no commitment
// screen yet; the liaison's own tool speaks the same protocol).
import assert from 'node:assert/strict';
import { ChangeMaker, SyncClient, newDeviceId, randomRecordId } from '../support/sync_client.mjs';

// The devices' time zone (support.mjs newDeviceContext).
const ZONE = 'America/New_York';

// The calendar day `offset` days from today in the devices' zone, YYYY-MM-DD.
export function dayOffset(offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offset * 86_400_000));
}

// "Dec 5, 2026" as the app prints a calendar day (time.js formatDate, en-US).
export function printedDate(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric' });
}

// Adds a priority through the neighborhood's priority list and form (the
// neighborhood already chosen). status/department: visible labels.
export async function addPriority(page, { title, category, status = '', department = '' }) {
  await page.getByRole('link', { name: '+ Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: category });
  if (status) await page.getByLabel(/^Status/).selectOption({ label: status });
  if (department) await page.getByLabel(/^Department it is addressed to/).selectOption({ label: department });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.priority-card', { hasText: title }).waitFor();
}

// Records commitments as the liaison `account` of their department:
// [{title, department, summary, status, expected_date}] (priority by title,
// as the liaison's catch-up shows it). Resolves with the commitment ids.
export async function recordCommitments(server, account, commitments) {
  const client = await SyncClient.connect(server.wsUrl, { device: newDeviceId('liaison'), account });
  try {
    const titles = new Map();
    for (const c of client.catchUp.changes) if (c.type === 'priority' && c.field === 'title') titles.set(c.value, c.record);
    const maker = new ChangeMaker(client.device, { actor: account });
    const changes = [];
    const ids = [];
    for (const { title, ...fields } of commitments) {
      const priority = titles.get(title);
      assert.ok(priority, `the liaison sees the priority "${title}"`);
      const record = randomRecordId();
      ids.push(record);
      for (const [field, value] of Object.entries({ priority, ...fields })) {
        changes.push(maker.change({ type: 'commitment', record, field, value }));
      }
    }
    const ack = await client.push(changes);
    assert.deepEqual(ack.rejected, [], 'every commitment is accepted');
    return ids;
  } finally {
    await client.close();
  }
}
