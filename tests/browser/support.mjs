// Shared pieces of the browser tests: Debian's Chromium driven by
// playwright-core, one browser context per simulated device, and waits on
// what the user sees (never on sleeps).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

import { TEST_ACCOUNT, TEST_PASSWORD, startServer } from '../support/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const screenshotDir = path.join(here, 'screenshots');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// What axe-core (npm, tests/package.json) finds on the page as it is now:
// violations of WCAG 2.1 A/AA and axe's best practices whose impact is
// critical or serious, as "rule: help — where" lines (empty when none).
// Injected through the DevTools protocol, so the app's CSP stays as served.
export async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join('; ')}`);
  });
}

// Controls a finger must hit on a tablet smaller than 44×44 CSS px (WCAG 2.5.5,
// Apple's and Google's guidance): buttons, links styled as buttons or tabs,
// form fields. Links inside running text are left out (they wrap with it).
export async function smallTouchTargets(page) {
  return page.evaluate(() => {
    const controls = document.querySelectorAll('button, .button, .tab, select, input:not([type=hidden]), textarea, summary, .breadcrumb a');
    const small = [];
    for (const element of controls) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || element.closest('[hidden], .visually-hidden')) continue;
      const checkbox = element.matches('input[type=checkbox], input[type=radio]');
      // A checkbox or radio counts with its label, which takes the tap too.
      const label = !checkbox ? null : element.closest('label') ?? (element.id ? document.querySelector(`label[for="${element.id}"]`) : null);
      const height = label ? Math.max(box.height, label.getBoundingClientRect().height) : box.height;
      if (height < 44 || (!checkbox && box.width < 44)) {
        small.push(`${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} "${(element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(height)}`);
      }
    }
    return small;
  });
}

export const VIEWPORT = { width: 1024, height: 768 };          // a 10-inch tablet, landscape
export const PORTRAIT = { width: 768, height: 1024 };

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PSC_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// A test file's real server (a fresh data folder; `serverOptions` as
// startServer takes them) and Chromium: started before its tests,
// `prepare(server)` then making its accounts and data; each test's devices
// closed after it; both stopped after the file. `started(server, browser)`
// hands them to the file. A test split into steps (stepsOf) keeps its
// devices from one step to the next: they are closed when the test ends.
export function useServerAndBrowser({ serverOptions = {}, prepare = () => {}, started }) {
  let server;
  let browser;
  before(async () => {
    server = await startServer(serverOptions);
    await prepare(server);
    browser = await launchBrowser();
    started(server, browser);
  });
  afterEach(() => (openSteps === 0 ? closeDevices() : undefined));  // node runs it after each step too
  after(async () => {
    await browser?.close();
    await server?.stop();
    server?.removeData();
  });
}

// A journey (one user's way through the app) as named steps, so a failure
// says which step broke: `const step = stepsOf(t); await step('the
// organizer signs in', async () => {...}); ...`. Each step is a subtest; they
// share the test's devices and variables. After a failed step the rest are
// skipped: they would fail for the same reason and hide the first failure.
let openSteps = 0;
export function stepsOf(t) {
  let failed = '';
  return async (name, run) => {
    openSteps += 1;
    try {
      await t.test(name, failed ? { skip: `step "${failed}" failed` } : {}, async (s) => {
        try {
          await run(s);
        } catch (error) {
          failed = name;
          throw error;
        }
      });
    } finally {
      openSteps -= 1;
    }
  };
}

const contexts = new Set();

// A browser context for one simulated device (own IndexedDB, service worker,
// cache), closed by closeDevices() even when a test fails half-way.
export async function newDeviceContext(browser, { viewport = VIEWPORT } = {}) {
  const context = await browser.newContext({
    viewport, locale: 'en-US', timezoneId: 'America/New_York', serviceWorkers: 'allow', acceptDownloads: true,
  });
  contexts.add(context);
  context.on('close', () => contexts.delete(context));
  return context;
}

export async function closeDevices() {
  await Promise.all([...contexts].map((context) => context.close()));
}

// Page errors and console errors of every page opened through openApp, so a
// test can assert there were none.
const pageErrors = new WeakMap();
export function errorsOf(page) { return pageErrors.get(page) ?? []; }

// THE way a test starts the app: a new page (tab) of `context` at `path`,
// waited until the app has booted, then signed in through the sign-in screen
// as `account` (a username; created as a coordinator if the test server does
// not have it). The account is the actor on the device's changes.
// options: {account (default TEST_ACCOUNT; null: stay signed out, or already
//           signed in: another tab of a signed-in device), path ('/' or
//           '/#/...'), label (for errors), ready (wait for body.ready; default true),
//           deviceName (typed into the sign-in's device name)}
export async function openApp(context, server, { account = TEST_ACCOUNT, path = '/', label = 'page', ready = true, deviceName = '' } = {}) {
  const page = await context.newPage();
  const errors = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The URL says which load failed ("Failed to load resource" alone does not).
    const url = message.location()?.url ?? '';
    // Chromium logs every failed load as a console error, even one the app
    // catches. Going offline in a test can cut the app's background requests
    // to the server (/health for catch-up progress, /api/... uploads), which
    // the app expects and retries; a shell file failing offline still counts.
    const path = url ? new URL(url).pathname : '';
    if (/ERR_INTERNET_DISCONNECTED/.test(message.text()) && (path === '/health' || path.startsWith('/api/'))) return;
    errors.push(`${label}: console: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  await page.goto(server.url + path);
  if (!ready) return page;
  await page.waitForSelector('body.ready');
  if (account) await signIn(page, server, account, { deviceName });
  return page;
}

// A simulated device (its own browser context) with the app open and signed in.
export async function openDevice(browser, server, name, { viewport, ...options } = {}) {
  const context = await newDeviceContext(browser, { viewport });
  const page = await openApp(context, server, { label: name, ...options });
  return { name, context, page, errors: errorsOf(page) };
}

// Signs the page in through the sign-in screen, as a person would.
export async function signIn(page, server, account = TEST_ACCOUNT, { deviceName = '' } = {}) {
  if (!server.admin('list-accounts').split('\n').some((line) => line.startsWith(`${account}\t`)))
    server.createAccount(account, 'coordinator');
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  await page.getByLabel('Username').fill(account);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  if (deviceName) await page.getByLabel('Name of this device').fill(deviceName);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('account').filter({ hasText: account }).waitFor();
}

// An item of the toolbar's account menu (the account page, Hand-off, Devices,
// Sign out), the menu opened first as a person would.
export async function accountMenuItem(page, role, name) {
  const menu = page.getByTestId('account-menu');
  if (!(await menu.evaluate((details) => details.open))) await menu.locator('summary').click();
  return menu.getByRole(role, { name, exact: true });
}

export function status(page) {
  return {
    connection: page.getByTestId('connection'),
    outbox: page.getByTestId('outbox'),
    lastSync: page.getByTestId('last-sync'),
  };
}

// Waits until the service worker controls the page, so a later reload is
// served from its cache.
export async function waitForServiceWorker(page) {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
  }, null, { timeout: 15000 });
}

export async function chooseNeighborhood(page, label) {
  await page.getByLabel('Neighborhood').selectOption({ label });
  await page.getByRole('heading', { name: `${label}: priorities` }).waitFor();
}

// A screenshot of what the user sees (the viewport); {top: true} scrolls to
// the top of the screen first, {fullPage: true} takes the whole page.
export async function screenshot(page, name, { top = false, fullPage = false } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  if (fullPage) {
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    return;
  }
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

// The card of the priority whose title is `title` (exact), in the list.
export function card(page, title) {
  return page.locator('.priority-card').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}
