// The resident kiosk, end to end against the real psc-server, offline and in
// Spanish: the organizer hands the tablet over with a PIN and the tablet
// signs in as a kiosk of the neighborhood (the server takes only concerns and
// dots from it); a resident adds a concern and dot-votes; finishing — or
// walking away (the idle reset, made short for the test) — leaves nothing of
// the previous resident on screen; a reload does not escape kiosk mode;
// leaving needs the PIN (a wrong one is refused) and brings the organizer's
// session back; the organizer then finds the concern and the votes recorded,
// stamped with the kiosk account. A second tablet becomes a kiosk with a
// one-time code.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../support/server.mjs';
import { catchUp } from '../support/sync_client.mjs';
import { createMeeting, openSection, raisePriority, rankingRows, signIn } from './meeting_steps.mjs';
import {
  errorsOf as errorsOfPage, newDeviceContext, openApp, openDevice, screenshot, status, stepsOf, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

// The idle reset is 60 s; the test shortens it (localStorage
// "psc.kioskIdleSeconds") only around the two residents who walk away.
const IDLE_SECONDS = 2;
const setIdle = (page, seconds) => page.evaluate((s) => {
  if (s) localStorage.setItem('psc.kioskIdleSeconds', String(s));
  else localStorage.removeItem('psc.kioskIdleSeconds');
}, seconds);
const POTHOLES = 'Potholes on Franklin Ave';
const MUSIC = 'Loud music after midnight';
const LOT = 'Vacant lot full of trash';
const CONCERN = {
  title: 'Carros a alta velocidad frente a la escuela',
  description: 'Por la mañana los carros no paran en el cruce.',
  address: 'Franklin Ave y Maple Ave',
};
const ATTENDEE = 'Rosa Villanueva';

test('English and Spanish have the same words; a resident session resets after 60 s idle by default', async () => {
  const i18n = await import(pathToFileURL(path.join(projectRoot, 'web/js/i18n.js')).href);
  const en = i18n.messageKeys('en').sort();
  const es = i18n.messageKeys('es').sort();
  assert.deepEqual(es.filter((k) => !en.includes(k)), [], 'Spanish keys missing in English');
  assert.deepEqual(en.filter((k) => !es.includes(k)), [], 'English keys missing in Spanish');
  assert.deepEqual(i18n.keysDefinedTwice(), [], 'a key two message modules define takes one module’s words on both screens');
  const lock = await import(pathToFileURL(path.join(projectRoot, 'web/js/kiosk-lock.js')).href);
  assert.equal(lock.idleTimeoutMs(), 60 * 1000);
});

test('a kiosk in Spanish records a concern and votes, resets between residents, and needs the PIN to leave', async (t) => {
  const step = stepsOf(t);
  let d, page, kiosk;
  const screen = (name) => page.locator(`[data-testid="kiosk"][data-screen="${name}"]`);
  // Nothing of the organizer's world shows on a kiosk screen.
  const assertPrivate = async (extra = []) => {
    const text = await page.locator('body').innerText();
    for (const secret of [ATTENDEE, 'olga', ...extra]) assert.ok(!text.includes(secret), `the kiosk shows “${secret}”:\n${text}`);
    assert.equal(await page.locator('#toolbar').isVisible(), false, 'the organizer toolbar is hidden');
  };
  const kioskToken = () => server.admin('list-devices').split('\n').map((line) => line.split('\t'))
    .find((f) => f[3] === 'kiosk' && f[1].startsWith('kiosk-barry-square-'));

  await step('the organizer holds a meeting with three problems raised, all synced', async () => {
    server.createAccount('olga', 'organizer', { neighborhood: 'barry-square' });
    d = await openDevice(browser, server, 'kiosk tablet', { account: 'olga' });
    page = d.page;
    await status(page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
    kiosk = page.getByTestId('kiosk');

    await createMeeting(page, 'Barry Square', { title: 'Barry Square block party', kind: 'Block group', date: '2026-12-06', time: '13:00' });
    await signIn(page, ATTENDEE);
    await openSection(page, 'Problems');
    for (const [title, category] of [[POTHOLES, 'Traffic and streets'], [MUSIC, 'Quality of life'], [LOT, 'Environment and sanitation']]) {
      await raisePriority(page, { title, category });
    }
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('the organizer starts kiosk mode with a PIN and the tablet signs in as a kiosk', async () => {
    // The organizer starts kiosk mode with a PIN; the tablet signs in as a kiosk.
    await openSection(page, 'Kiosk mode');
    await page.getByTestId('kiosk-account-fact').filter({ hasText: 'signs in as a kiosk of Barry Square' }).waitFor();
    await page.getByLabel(/^Organizer PIN/).fill('2468');
    await page.getByLabel(/^PIN again/).fill('2468');
    await screenshot(page, 'k0-kiosk-setup', { top: true });
    await page.getByRole('button', { name: 'Start kiosk mode' }).click();
    await screen('welcome').waitFor();
    assert.equal(kioskToken()?.[7], 'active', 'the tablet redeemed a kiosk code');
    await status(page).connection.filter({ hasText: 'Online' }).waitFor();
  });

  await step('offline, the kiosk stores only a hash of the PIN and shows nothing of the organizer’s', async () => {
    // The residents' part happens offline.
    await d.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/kiosk');
    const stored = await page.evaluate(() => new Promise((resolve) => {
      indexedDB.open('psc-sync').onsuccess = (e) => {
        e.target.result.transaction('meta').objectStore('meta').get('kiosk').onsuccess = (r) => resolve(r.target.result);
      };
    }));
    assert.ok(!JSON.stringify(stored).includes('2468'), 'the PIN itself is not stored');
    assert.match(stored.pin.hash, /^[0-9a-f]{64}$/);
    assert.match(stored.pin.salt, /^[0-9a-f]{32}$/);
    await assertPrivate();
  });

  await step('resident 1 sends a concern in Spanish, the language switch keeping what was typed', async () => {
    // Resident 1, in Spanish: a concern, then two dots, then "Terminé".
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: /¡Bienvenido! Ayude a Barry Square/ }).waitFor();
    await screenshot(page, 'k1-kiosk-welcome-es');
    await page.getByRole('button', { name: 'Contarnos un problema' }).click();
    await page.getByLabel('En pocas palabras, ¿cuál es el problema?').fill(CONCERN.title);
    await page.getByRole('radio', { name: 'Tránsito y calles' }).check({ force: true });
    await page.getByLabel(/^Cuéntenos más/).fill(CONCERN.description);
    await page.getByLabel(/^¿Dónde está\?/).fill(CONCERN.address);
    // The language switch is on every screen and keeps what was typed.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'What problem should the committee work on?' }).waitFor();
    assert.equal(await page.getByLabel('In a few words, what is the problem?').inputValue(), CONCERN.title);
    await page.getByRole('button', { name: 'Español' }).click();
    await screenshot(page, 'k2-kiosk-concern-es', { fullPage: true });
    // Send is on screen without scrolling at 1024×768 (the form is taller), at
    // the top of the page and with the focus in the first field.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByLabel('En pocas palabras, ¿cuál es el problema?').focus();
    const send = await page.getByRole('button', { name: 'Enviar' }).boundingBox();
    assert.ok(send.y + send.height <= 768, `Enviar ends at ${send.y + send.height} px on a 768 px screen`);
    await screenshot(page, 'k2-kiosk-concern-es-top');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByRole('heading', { name: '¡Gracias! Su inquietud quedó registrada.' }).waitFor();
    await assertPrivate([CONCERN.title, CONCERN.description, CONCERN.address]);
  });

  await step('resident 1 puts two dots on a Spanish ballot and finishes', async () => {
    await page.getByRole('button', { name: 'Votar por las prioridades' }).click();
    await screen('vote').waitFor();
    await page.getByTestId('dots-left').filter({ hasText: 'Puntos que le quedan: 3' }).waitFor();
    // The concern just typed is not on this kiosk's ballot (the next resident would see it).
    assert.deepEqual(await page.locator('.kiosk-option-title').allInnerTexts(), [MUSIC, POTHOLES, LOT]);
    await page.getByRole('button', { name: new RegExp(POTHOLES) }).click();
    await page.getByRole('button', { name: new RegExp(MUSIC) }).click();
    await page.getByTestId('dots-left').filter({ hasText: 'Puntos que le quedan: 1' }).waitFor();
    assert.equal(await page.locator('.kiosk-option[aria-pressed="true"]').count(), 2);
    await screenshot(page, 'k3-kiosk-vote-es');
    // No English left on a Spanish kiosk screen.
    const i18n = await import(pathToFileURL(path.join(projectRoot, 'web/js/messages/kiosk.js')).href);
    const spanishText = await kiosk.innerText();
    for (const [key, english] of Object.entries(i18n.en)) {
      if (english !== i18n.es[key] && english.length > 4 && !english.includes('{')) {
        assert.ok(!spanishText.includes(english), `English “${english}” (${key}) on the Spanish kiosk`);
      }
    }
    await page.getByRole('button', { name: 'Terminé' }).click();
    await screen('thanks').waitFor();
    await screenshot(page, 'k4-kiosk-thanks');
    await assertPrivate([CONCERN.title, CONCERN.description, CONCERN.address]);
  });

  await step('resident 2 starts from a clean ballot and walks away: the idle reset clears it', async () => {
    // Resident 2 starts from a clean ballot: none of resident 1's dots show.
    await page.getByRole('button', { name: 'Start' }).click();
    await screen('welcome').waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('button', { name: 'Votar por las prioridades' }).click();
    await page.getByTestId('dots-left').filter({ hasText: 'Puntos que le quedan: 3' }).waitFor();
    assert.equal(await page.locator('.kiosk-option[aria-pressed="true"]').count(), 0);
    await setIdle(page, IDLE_SECONDS);
    await page.getByRole('button', { name: new RegExp(LOT) }).click();
    await page.getByTestId('dots-left').filter({ hasText: 'Puntos que le quedan: 2' }).waitFor();
    // ...and walks away: the idle reset brings back a clean welcome screen, in English.
    await screen('welcome').waitFor({ timeout: IDLE_SECONDS * 1000 + 5000 });
    await page.getByRole('heading', { name: /^Welcome! Help Barry Square/ }).waitFor();
    await screenshot(page, 'k6-kiosk-after-idle-reset');
  });

  await step('resident 3’s half-typed concern is gone after the idle reset', async () => {
    // Resident 3 starts typing a concern and walks away: nothing of it stays.
    await page.getByRole('button', { name: 'Tell us about a problem' }).click();
    await page.getByLabel('In a few words, what is the problem?').fill('Half-typed private note');
    await screen('welcome').waitFor({ timeout: IDLE_SECONDS * 1000 + 5000 });
    await setIdle(page, null);  // back to 60 s
    await page.getByRole('button', { name: 'Tell us about a problem' }).click();
    assert.equal(await page.getByLabel('In a few words, what is the problem?').inputValue(), '');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Vote on priorities' }).click();
    await page.getByTestId('dots-left').filter({ hasText: 'Dots left: 3' }).waitFor();
    assert.equal(await page.locator('.kiosk-option[aria-pressed="true"]').count(), 0);
    await assertPrivate(['Half-typed private note', CONCERN.title]);
  });

  await step('a reload or another address does not leave kiosk mode', async () => {
    // A reload — or typing another address — does not leave kiosk mode.
    await page.reload();
    await page.waitForSelector('body.ready');
    await screen('welcome').waitFor();
    await page.evaluate(() => { location.hash = '#/n/barry-square/meetings'; });
    await screen('welcome').waitFor();
    assert.equal(new URL(page.url()).hash, '#/kiosk');
    await assertPrivate();
  });

  await step('leaving needs the PIN: a wrong one is refused, the right one brings the organizer back', async () => {
    // Leaving needs the PIN; a wrong one is refused.
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('button', { name: 'Organizador' }).click();
    await page.getByLabel('PIN', { exact: true }).fill('1357');
    await page.getByRole('button', { name: 'Salir del modo quiosco' }).click();
    await page.getByText('Ese PIN no es correcto.').waitFor();
    await screenshot(page, 'k5-kiosk-wrong-pin-es');
    await screen('exit').waitFor();
    await page.getByLabel('PIN', { exact: true }).fill('2468');
    await page.getByRole('button', { name: 'Salir del modo quiosco' }).click();
    await page.getByRole('heading', { name: 'Barry Square block party', level: 1 }).waitFor();
    assert.equal(await page.locator('#toolbar').isVisible(), true);
    await page.getByTestId('account').filter({ hasText: 'olga' }).waitFor();  // the organizer's session is back
    assert.equal(await page.getByTestId('kiosk').count(), 0);
  });

  await step('the organizer finds the residents’ concern and dots recorded', async () => {
    // The organizer sees what the residents entered: one proposed concern raised
    // at the meeting, and 3 kiosk dots from 2 residents (one walked away).
    await openSection(page, 'Problems');
    const concern = page.locator('.raised-item', { hasText: CONCERN.title });
    await concern.waitFor();
    assert.equal(await concern.getByRole('combobox').inputValue(), 'proposed');
    await openSection(page, 'Voting');
    await page.getByTestId('kiosk-ballots').filter({ hasText: 'Kiosk: 3 dots from 2 residents.' }).waitFor();
    await openSection(page, 'Ranking');
    assert.deepEqual(await rankingRows(page), [
      ['1', MUSIC, '1', '0', '1'], ['1', POTHOLES, '1', '0', '1'], ['1', LOT, '1', '0', '1'], ['4', CONCERN.title, '0', '0', '0']]);
  });

  await step('back online, the kiosk’s changes sync and its token is revoked', async () => {
    // Back online: the kiosk's changes go with the kiosk token, which is then
    // revoked; the organizer's session syncs again.
    await d.context.setOffline(false);
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await status(page).connection.filter({ hasText: 'Online' }).waitFor();
    const deadline = Date.now() + 10000;
    while (kioskToken()?.[7] !== 'revoked' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(kioskToken()?.[7], 'revoked', 'leaving kiosk mode revokes the kiosk token');
  });

  await step('the kiosk’s changes are stamped with the kiosk account, the organizer’s with hers', async () => {
    const kioskAccount = kioskToken()[1];
    const { changes } = await catchUp(server.wsUrl);
    const votes = changes.filter((c) => c.type === 'vote' && c.field === 'voter');
    assert.equal(votes.length, 3);
    assert.ok(votes.every((c) => c.actor === kioskAccount), 'kiosk dots are stamped with the kiosk account');
    const concernTitle = changes.find((c) => c.type === 'priority' && c.field === 'title' && c.value === CONCERN.title);
    assert.equal(concernTitle?.actor, kioskAccount);
    const organizers = changes.filter((c) => c.type === 'priority' && c.field === 'title' && c.value === POTHOLES);
    assert.equal(organizers[0]?.actor, 'olga');
  });

  await step('the tablet shows no error', async () => {
    assert.deepEqual(d.errors, []);
  });
});

test('another tablet becomes a kiosk with a one-time code, and leaving signs it out', async () => {
  const a = await openDevice(browser, server, 'organizer tablet', { account: 'olga' });
  await createMeeting(a.page, 'Barry Square', { title: 'Barry Square spring cleanup', kind: 'Block group', date: '2026-12-13', time: '10:00' });
  await openSection(a.page, 'Kiosk mode');
  await a.page.getByRole('button', { name: 'Get a kiosk code' }).click();
  const code = (await a.page.locator('.kiosk-code-value').innerText()).trim();
  assert.match(code, /^[A-Z0-9-]{4,12}$/);
  await screenshot(a.page, 'k7-kiosk-code', { top: true });

  const context = await newDeviceContext(browser);
  const b = await openApp(context, server, { account: null, label: 'second tablet' });
  await b.getByLabel('Kiosk code').fill('WRONG123');
  await b.getByRole('button', { name: 'Start kiosk' }).click();
  await b.getByText('That kiosk code does not work').waitFor();
  await b.getByLabel('Kiosk code').fill(code);
  await b.getByRole('button', { name: 'Start kiosk' }).click();
  await b.getByRole('heading', { name: 'Kiosk for Barry Square' }).waitFor();
  await b.getByTestId('account').filter({ hasText: /^kiosk-barry-square-/ }).waitFor();
  assert.equal(await b.getByLabel('Neighborhood').count(), 0, 'a kiosk account has no neighborhood to pick');
  assert.doesNotMatch(await b.locator('body').innerText(), /\bnull\b|undefined/);
  const value = await b.locator('#kiosk-start-meeting option', { hasText: 'Barry Square spring cleanup' }).getAttribute('value');
  await b.getByLabel('Meeting').selectOption(value);
  await b.getByLabel(/^Organizer PIN/).fill('1122');
  await b.getByLabel(/^PIN again/).fill('1122');
  await screenshot(b, 'k8-kiosk-start-with-code', { top: true });
  await b.getByRole('button', { name: 'Start kiosk mode' }).click();
  await b.locator('[data-testid="kiosk"][data-screen="welcome"]').waitFor();
  await b.getByRole('button', { name: 'Tell us about a problem' }).click();
  await b.getByLabel('In a few words, what is the problem?').fill('Broken streetlight on Zion St');
  await b.getByRole('radio', { name: 'Traffic and streets' }).check({ force: true });
  await b.getByRole('button', { name: 'Send' }).click();
  await b.getByRole('button', { name: 'I’m done' }).click();
  await b.getByRole('button', { name: 'Organizer' }).click();
  await b.getByLabel('PIN', { exact: true }).fill('1122');
  await b.getByRole('button', { name: 'Leave kiosk mode' }).click();
  await b.getByTestId('signin-form').waitFor();

  // The organizer's tablet receives the concern, proposed, from the kiosk.
  await openSection(a.page, 'Problems');
  const concern = a.page.locator('.raised-item', { hasText: 'Broken streetlight on Zion St' });
  await concern.waitFor();
  assert.equal(await concern.getByRole('combobox').inputValue(), 'proposed');
  // (The wrong code's 401 is the browser's own console line.)
  assert.deepEqual([...a.errors, ...errorsOfPage(b).filter((e) => !/status of 401/.test(e))], []);
});
