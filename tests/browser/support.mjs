// Shared pieces of the browser tests: Debian's Chromium driven by
// playwright-core, one browser context per simulated device, and waits on
// what the user sees (never on sleeps).
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { TEST_ACCOUNT, TEST_PASSWORD } from '../support/server.mjs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const screenshotDir = path.join(here, 'screenshots');

export const VIEWPORT = { width: 1024, height: 768 };

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.PSC_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

const contexts = new Set();

// A browser context for one simulated device (own IndexedDB, service worker,
// cache), closed by closeDevices() even when a test fails half-way.
export async function newDeviceContext(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', serviceWorkers: 'allow' });
  contexts.add(context);
  context.on('close', () => contexts.delete(context));
  return context;
}

export async function closeDevices() {
  await Promise.all([...contexts].map((context) => context.close()));
}

// A device with the app open. Page errors and console errors are collected
// so a test can assert there were none.
// The device signs in as `account` (created as a coordinator if missing).
export async function openDevice(browser, server, name, { account = TEST_ACCOUNT } = {}) {
  const context = await newDeviceContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${name}: console: ${message.text()}`);
  });
  await page.goto(server.url + '/');
  await page.waitForSelector('body.ready');
  await signIn(page, server, account);
  return { name, context, page, errors };
}

// Signs the page in through the sign-in screen, as a person would.
export async function signIn(page, server, account = TEST_ACCOUNT) {
  if (!server.admin('list-accounts').split('\n').some((line) => line.startsWith(`${account}\t`)))
    server.createAccount(account, 'coordinator');
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  await page.getByLabel('Username').fill(account);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('account').filter({ hasText: account }).waitFor();
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

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

// The card of the priority whose title is `title` (exact), in the list.
export function card(page, title) {
  return page.locator('.priority-card').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}
