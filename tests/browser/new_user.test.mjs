// What a new coordinator, organizer or resident tripped over (issue 15),
// at 1024×768, against the real psc-server:
//  (a) a 10,000-character title with no spaces is kept to the schema's 200
//      characters with a counter and words saying so, and every screen it
//      shows on (list, meeting tabs, kiosk ballot, report-back) still fits
//      the tablet's width;
//  (b) an organizer lands on their own neighborhood, and another
//      neighborhood's empty list says why it is empty, with no "button above";
//  (c) no literal "null" under the new-priority form;
//  (d) a title of only spaces is refused next to the field, in English and
//      Spanish, and nothing is saved;
//  (e) "1 dot from 1 resident" on the kiosk line, and the lock-out after
//      wrong PINs counts down;
//  (f) a confirmation (toast) closes, and does not follow to another screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMeeting, openSection, raisePriority, signIn as signInAttendee } from './meeting_steps.mjs';
import { chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser } from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

const LONG = 'W'.repeat(10000);
const KEPT = 'W'.repeat(200);

// Pastes `text` over what the field holds, as a user's paste would arrive: a
// paste event carrying the text, then the browser inserting it (cut at the
// field's maxlength).
async function paste(locator, text) {
  await locator.focus();
  await locator.evaluate((input, pasted) => {
    input.select();
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    document.execCommand('insertText', false, pasted);
  }, text);
}

async function assertFits(page, where) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1024, `${where}: the page is ${width} px wide on a 1024 px screen`);
}

async function setLanguage(page, name) {
  await page.locator('#language-picker').selectOption({ label: name });
}

test('the new-priority form: no "null", a title of spaces is refused by the field, a long paste is cut with a counter, and the list still fits', async (t) => {
  const step = stepsOf(t);
  let d, page;
  await step('the new-priority form opens with no "null" under it', async () => {
    d = await openDevice(browser, server, 'coordinator laptop');
    page = d.page;
    await chooseNeighborhood(page, 'Clay-Arsenal');
    await page.getByRole('link', { name: '+ Add a priority' }).click();
    await page.getByRole('heading', { name: 'New priority for Clay-Arsenal' }).waitFor();

    // (c) Nothing under the form reads "null".
    const text = await page.locator('#main').innerText();
    assert.ok(!/\bnull\b/.test(text), `the new-priority screen shows "null":\n${text}`);
  });

  await step('a title of only spaces is refused next to the field and nothing is saved', async () => {
    // (d) A title of spaces: said next to the title, nothing saved.
    await page.getByLabel(/^Title/).fill('     ');
    await page.getByLabel(/^Category/).selectOption({ label: 'Traffic and streets' });
    await page.getByRole('button', { name: 'Save' }).click();
    const titleError = page.getByTestId('error-title');
    await titleError.filter({ hasText: 'A title is needed' }).waitFor();
    assert.equal(await page.getByLabel(/^Title/).getAttribute('aria-invalid'), 'true');
    assert.ok(await titleError.isVisible() && await titleError.evaluate((e) => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().bottom <= innerHeight),
      'the message is in view');
    assert.match(new URL(page.url()).hash, /\/new$/, 'still on the form');
    assert.equal(await page.getByTestId('rejected').count(), 0, 'no refusal from the core');
    assert.equal(await status(page).outbox.innerText(), 'All changes synced', 'nothing was saved');
    await screenshot(page, 'nu-title-spaces-en');
  });

  await step('in Spanish, a title of spaces is refused too', async () => {
    await setLanguage(page, 'Español');
    await page.getByRole('heading', { name: 'Nueva prioridad para Clay-Arsenal' }).waitFor();
    await page.getByLabel(/^Título/).fill('   ');
    await page.getByLabel(/^Categoría/).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByTestId('error-title').filter({ hasText: 'Hace falta un título' }).waitFor();
    await screenshot(page, 'nu-title-spaces-es');
  });

  await step('a 10,000-character paste keeps 200 characters and the Spanish form says so', async () => {
    // (a) A 10,000-character paste: 200 kept, and the form says so.
    await paste(page.locator('#field-title'), LONG);
    assert.equal(await page.locator('#field-title').inputValue(), KEPT);
    await page.getByTestId('count-title').filter({ hasText: '200 de 200 caracteres' }).waitFor();
    await page.getByTestId('count-title').filter({ hasText: 'caben solo 200' }).waitFor();
    assert.equal(await page.getByTestId('error-title').isVisible(), false, 'typing clears the error');
    await screenshot(page, 'nu-long-paste-es');
  });

  await step('in English the counter says only 200 characters fit, and the form fits the screen', async () => {
    await setLanguage(page, 'English');
    await page.getByRole('heading', { name: 'New priority for Clay-Arsenal' }).waitFor();
    await paste(page.locator('#field-title'), LONG);
    await page.getByTestId('count-title').filter({ hasText: '200 of 200 characters' }).waitFor();
    await page.getByTestId('count-title').filter({ hasText: 'Only 200 characters fit' }).waitFor();
    assert.equal(await page.locator('#field-title').getAttribute('maxlength'), '200');
    await assertFits(page, 'new-priority form');
    await screenshot(page, 'nu-long-paste-en');
  });

  await step('the long title is saved and the list still fits, its Edit button on the screen', async () => {
    await page.getByLabel(/^Category/).selectOption({ label: 'Traffic and streets' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Clay-Arsenal: priorities' }).waitFor();
    await page.locator('.priority-card').filter({ hasText: KEPT }).waitFor();
    await assertFits(page, 'priority list');
    const edit = page.locator('.priority-card').filter({ hasText: KEPT }).getByRole('link', { name: 'Edit' });
    const box = await edit.boundingBox();
    assert.ok(box && box.x + box.width <= 1024, 'the Edit button is on the screen');
    await screenshot(page, 'nu-long-list-en', { top: true });
  });

  await step('the edit form fits and the "Saved" toast did not follow to it', async () => {
    await page.locator('.priority-card').filter({ hasText: KEPT }).getByRole('link', { name: 'Edit' }).click();
    await page.getByTestId('count-title').filter({ hasText: '200 of 200 characters' }).waitFor();
    await assertFits(page, 'edit form');
    // (f) The "Saved" toast came along to the list (it is about that save); a
    // move to another screen clears it.
    assert.equal(await page.getByTestId('toast').count(), 0, 'the toast did not follow to the edit screen');
  });

  await step('the list fits in Spanish too', async () => {
    await page.getByRole('link', { name: 'Back to the list' }).click();
    await setLanguage(page, 'Español');
    await page.locator('.priority-card').first().waitFor();
    await assertFits(page, 'priority list (es)');
    await screenshot(page, 'nu-long-list-es', { top: true });
    await setLanguage(page, 'English');
  });

  await step('the page shows no error', async () => {
    assert.deepEqual(d.errors, []);
  });
});

test('an organizer lands on their own neighborhood; another one reads the truth; a long title fits every meeting screen, the kiosk and the report-back; kiosk words count; the lock-out counts down; toasts stay put', async (t) => {
  const step = stepsOf(t);
  let d, page, recovery, locked;
  const screen = (name) => page.locator(`[data-testid="kiosk"][data-screen="${name}"]`);

  await step('an organizer lands on her own neighborhood', async () => {
    server.createAccount('olivia', 'organizer', { neighborhood: 'frog-hollow' });
    d = await openDevice(browser, server, 'organizer tablet', { account: 'olivia' });
    page = d.page;
    // (b) Her own neighborhood, not the grid of 17.
    await page.getByRole('heading', { name: 'Frog Hollow: priorities' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/n/frog-hollow');
    await status(page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
  });

  await step('another neighborhood’s empty list says why, in English and Spanish', async () => {
    // Another neighborhood: its priorities are not sent to her; no "button above".
    await chooseNeighborhood(page, 'Clay-Arsenal');
    const empty = page.getByTestId('list-empty');
    await empty.filter({ hasText: 'Your account works with Frog Hollow' }).waitFor();
    const emptyText = await empty.innerText();
    assert.ok(!/button above/.test(emptyText), emptyText);
    assert.equal(await page.getByRole('link', { name: '+ Add a priority' }).count(), 0);
    await screenshot(page, 'nu-other-neighborhood-en', { top: true });
    await setLanguage(page, 'Español');
    await empty.filter({ hasText: 'Su cuenta trabaja con Frog Hollow' }).waitFor();
    await screenshot(page, 'nu-other-neighborhood-es', { top: true });
    await setLanguage(page, 'English');
    await page.getByRole('link', { name: 'Go to Frog Hollow' }).click();
    await page.getByRole('heading', { name: 'Frog Hollow: priorities' }).waitFor();
  });

  await step('at a new meeting, a toast closes with its button and is gone after a move to another tab', async () => {
    // A meeting where the long title is raised, voted on, tallied, summed up.
    await createMeeting(page, 'Frog Hollow', { title: 'Frog Hollow December PSC', date: '2026-12-03', time: '18:30' });
    await signInAttendee(page, 'Dora Quiñones');
    // (f) A toast closes with its button, and is gone after a move to another tab.
    await page.getByLabel(/^Headcount/).fill('12');
    await page.getByRole('button', { name: 'Save headcount' }).click();
    const toast = page.getByTestId('toast');
    await toast.filter({ hasText: 'Headcount saved.' }).waitFor();
    await screenshot(page, 'nu-toast-en');
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save headcount' }).click();
    await toast.filter({ hasText: 'Headcount saved.' }).waitFor();
    await openSection(page, 'Problems');
    await toast.waitFor({ state: 'detached', timeout: 1000 });
  });

  await step('a long title raised at the meeting is cut to 200 characters and the problems tab fits', async () => {
    await paste(page.locator('#raise-title'), LONG);
    await page.getByTestId('count-title').filter({ hasText: 'Only 200 characters fit' }).waitFor();
    await page.getByLabel(/^Category/).selectOption({ label: 'Traffic and streets' });
    await page.getByRole('button', { name: 'Add priority' }).click();
    await page.locator('.raised-list .raised-title', { hasText: KEPT }).waitFor();
    assert.equal(await page.getByTestId('count-title').isVisible(), false, 'the counter goes with the text');
    await raisePriority(page, { title: 'Speeding on Park Street', category: 'Traffic and streets' });
    await assertFits(page, 'meeting: problems');
  });

  await step('the voting, ranking and summary tabs fit the long title, in English and Spanish', async () => {
    for (const section of ['Voting', 'Ranking', 'Summary']) {
      await openSection(page, section);
      await page.getByText(KEPT).first().waitFor();
      await assertFits(page, `meeting: ${section}`);
    }
    await openSection(page, 'Voting');
    const tally = page.getByLabel(KEPT, { exact: true });
    if (await tally.count()) {
      await tally.fill('3');
      await assertFits(page, 'meeting: tallies');
    }
    await screenshot(page, 'nu-long-voting-en', { fullPage: true });
    await openSection(page, 'Summary');
    await screenshot(page, 'nu-long-summary-en', { fullPage: true });
    await setLanguage(page, 'Español');
    await page.getByText(KEPT).first().waitFor();
    await assertFits(page, 'meeting: summary (es)');
    await screenshot(page, 'nu-long-summary-es', { top: true });
    await setLanguage(page, 'English');
  });

  await step('the report-back agenda fits the long title, in English and Spanish', async () => {
    // The report-back agenda (the long title is an open priority).
    await page.evaluate(() => { location.hash = '#/n/frog-hollow/report-back'; });
    await page.getByTestId('report-back').waitFor();
    await page.getByTestId('report-back').getByText(KEPT).first().waitFor();
    await assertFits(page, 'report-back');
    await screenshot(page, 'nu-long-report-back-en', { top: true });
    await setLanguage(page, 'Español');
    await assertFits(page, 'report-back (es)');
    await screenshot(page, 'nu-long-report-back-es', { top: true });
    await setLanguage(page, 'English');
  });

  await step('the kiosk ballot fits the long title and takes a resident’s dot', async () => {
    // The kiosk ballot, then "1 dot from 1 resident".
    await page.evaluate(() => { history.back(); });
    await page.getByRole('heading', { name: 'Frog Hollow December PSC', level: 1 }).waitFor();
    await openSection(page, 'Kiosk mode');
    await page.getByLabel(/^Organizer PIN/).fill('2468');
    await page.getByLabel(/^PIN again/).fill('2468');
    recovery = await page.getByTestId('kiosk-recovery-code').innerText();
    assert.match(recovery, /^\d{4} \d{4} \d{4}$/);
    await page.getByRole('button', { name: 'Start kiosk mode' }).click();
    await screen('welcome').waitFor();
    await page.getByRole('button', { name: 'Vote on priorities' }).click();
    await screen('vote').waitFor();
    await page.locator('.kiosk-option-title', { hasText: KEPT }).waitFor();
    await assertFits(page, 'kiosk ballot');
    await screenshot(page, 'nu-long-kiosk-ballot-en');
    await page.getByRole('button', { name: 'Español' }).click();
    await assertFits(page, 'kiosk ballot (es)');
    await screenshot(page, 'nu-long-kiosk-ballot-es');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: new RegExp(KEPT) }).click();
    await page.getByRole('button', { name: 'I’m done' }).click();
    await screen('thanks').waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    await screen('welcome').waitFor();
  });

  await step('too many wrong PINs lock the kiosk, and the lock-out counts down in both languages', async () => {
    // (e) Too many wrong PINs: the lock-out counts down, second by second.
    await page.getByRole('button', { name: 'Organizer' }).click();
    for (let i = 0; i < 5; i++) {
      // Each refusal draws the screen again: wait for it before the next try.
      await page.locator('.kiosk-view').evaluate((e) => { e.dataset.old = 'yes'; });
      await page.getByLabel('PIN', { exact: true }).fill('1357');
      await page.getByRole('button', { name: 'Leave kiosk mode' }).click();
      await page.locator('.kiosk-view:not([data-old])').waitFor();
      if (i < 4) await page.getByText('That PIN is not right.').waitFor();
    }
    locked = page.getByTestId('kiosk-locked');
    await locked.filter({ hasText: /Try again in \d+ seconds/ }).waitFor();
    const seconds = async () => Number((await locked.innerText()).match(/(\d+) seconds/)[1]);
    const first = await seconds();
    await page.waitForFunction((s) => {
      const m = document.querySelector('[data-testid="kiosk-locked"]')?.textContent.match(/(\d+) seconds/);
      return m && Number(m[1]) <= s - 2;
    }, first, { timeout: 5000 });
    await screenshot(page, 'nu-kiosk-locked-en');
    await page.getByRole('button', { name: 'Español' }).click();
    await locked.filter({ hasText: /Inténtelo de nuevo en \d+ segundos/ }).waitFor();
    assert.ok(!(await page.getByTestId('kiosk').innerText()).includes('That PIN'), 'no English left on the Spanish exit screen');
    await screenshot(page, 'nu-kiosk-locked-es');
    await page.getByRole('button', { name: 'English' }).click();
  });

  await step('during the lock-out the right PIN is refused but the recovery code leaves kiosk mode', async () => {
    // (e) A resident's five wrong PINs do not lock the organizer out: during
    // the lock-out even the right PIN is refused, but the recovery code shown
    // at setup leaves kiosk mode at once.
    const field = page.getByLabel('Recovery code', { exact: true });
    await field.fill('2468');
    await page.locator('.kiosk-view').evaluate((e) => { e.dataset.old = 'yes'; });
    await page.getByRole('button', { name: 'Leave kiosk mode' }).click();
    await page.locator('.kiosk-view:not([data-old])').waitFor();
    await screen('exit').waitFor();
    await locked.waitFor();
    await page.getByLabel('Recovery code', { exact: true }).fill(recovery);
    await page.getByRole('button', { name: 'Leave kiosk mode' }).click();
    await page.getByRole('heading', { name: 'Frog Hollow December PSC', level: 1 }).waitFor();
  });

  await step('the tablet shows no error', async () => {
    assert.deepEqual(d.errors, []);
  });
});

test('kiosk votes are counted in words that agree with the number', async () => {
  const i18n = await import('../../web/js/i18n.js');
  assert.equal(i18n.tCount('voting.kioskResidents', 1), '1 resident');
  assert.equal(i18n.tCount('voting.kioskDots', 1), '1 dot');
  assert.equal(i18n.t('voting.kioskBallots', { dots: i18n.tCount('voting.kioskDots', 1), residents: i18n.tCount('voting.kioskResidents', 1) }),
    'Kiosk: 1 dot from 1 resident.');
  assert.equal(i18n.t('voting.kioskBallots', { dots: i18n.tCount('voting.kioskDots', 3), residents: i18n.tCount('voting.kioskResidents', 2) }),
    'Kiosk: 3 dots from 2 residents.');
});
