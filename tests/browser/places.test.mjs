// A priority's place (issue 14, places): at a meeting with no connection an
// organizer stands at the problem and takes the tablet's location (the
// browser's geolocation, emulated here as a GPS fix would come), adds the
// police beat, saves offline; once synced the coordinator sees both and the
// Open311 feed carries lat/long. A typed position is accepted with a space
// after the comma and refused, next to the field, when it is not one; a
// tablet that does not allow its location says so in words. Offline, the
// neighborhood's map draws the located priorities as points, north up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  card, chooseNeighborhood, errorsOf, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const TITLE = 'Abandoned car on Park Terrace';

test('an organizer places a priority with the tablet’s location offline; the coordinator and Open311 see it', async (t) => {
  const step = stepsOf(t);
  const organizer = await openDevice(browser, server, 'organizer', { account: 'org-fh' });
  const page = organizer.page;
  const form = () => page.locator('form.priority-form');

  await step('offline, "Use this tablet’s location" fills the field from the GPS fix', async () => {
    await organizer.context.grantPermissions(['geolocation'], { origin: server.url });
    await organizer.context.setGeolocation({ latitude: 41.76371234, longitude: -72.68512345, accuracy: 12.4 });
    await status(page).connection.filter({ hasText: 'Online' }).waitFor();
    await waitForServiceWorker(page);
    await chooseNeighborhood(page, 'Frog Hollow');
    await organizer.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    await page.getByRole('link', { name: 'Add a priority' }).click();
    await page.getByLabel(/^Title/).fill(TITLE);
    await page.getByLabel(/^Category/).selectOption({ label: 'Quality of life' });
    await page.getByTestId('use-location').click();
    await page.getByTestId('location-status').filter({ hasText: 'within about 12 m' }).waitFor();
    assert.equal(await page.getByLabel(/^Location/).inputValue(), '41.763712, -72.685123', 'six decimals, read as typed');
    await page.getByLabel(/^Police district or beat/).fill('  District 3, beat 12  ');
    await screenshot(page, 'pl1-location-found');
  });

  await step('a position that is not one is refused next to the field, and nothing is saved', async () => {
    const location = page.getByLabel(/^Location/);
    await location.fill('Park Terrace');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('error-coordinates').filter({ hasText: 'latitude, longitude' }).waitFor();
    assert.equal(await location.getAttribute('aria-invalid'), 'true');
    await location.fill('91, -72.68');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('error-coordinates').filter({ hasText: 'latitude, longitude' }).waitFor();
    assert.equal(await form().count(), 1, 'still on the form');
  });

  await step('the typed position is kept in the core’s compact form, saved offline', async () => {
    await page.getByLabel(/^Location/).fill('41.7637100 ,  -72.68512');
    await page.getByRole('button', { name: 'Save' }).click();
    await card(page, TITLE).waitFor();
    await status(page).outbox.filter({ hasText: /waiting/ }).waitFor();
    // Stored as 41.76371,-72.68512: read back below from the form and the Open311 feed.
  });

  await step('back online it syncs; the form shows the place again', async () => {
    await organizer.context.setOffline(false);
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await card(page, TITLE).getByRole('link', { name: /^Edit/ }).click();
    assert.equal(await page.getByLabel(/^Location/).inputValue(), '41.76371, -72.68512');
    assert.equal(await page.getByLabel(/^Police district or beat/).inputValue(), 'District 3, beat 12');
    // Adopted, so it is public in the Open311 feed.
    await page.getByLabel(/^Status/).selectOption('adopted');
    await page.getByRole('button', { name: 'Save' }).click();
    await card(page, TITLE).waitFor();
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    assert.deepEqual(errorsOf(page), []);
  });

  await step('the coordinator sees the place; the Open311 feed has lat and long', async () => {
    const coordinator = await openDevice(browser, server, 'coordinator', { account: 'tester' });
    await chooseNeighborhood(coordinator.page, 'Frog Hollow');
    await card(coordinator.page, TITLE).getByRole('link', { name: /^Edit/ }).click();
    assert.equal(await coordinator.page.getByLabel(/^Location/).inputValue(), '41.76371, -72.68512');
    assert.equal(await coordinator.page.getByLabel(/^Police district or beat/).inputValue(), 'District 3, beat 12');
    await coordinator.page.locator('#language-picker').selectOption({ label: 'Español' });
    await coordinator.page.getByText('Usar la ubicación de esta tableta').waitFor();
    await coordinator.page.getByLabel(/^Ubicación/).scrollIntoViewIfNeeded();
    await screenshot(coordinator.page, 'pl2-location-es');
    const feed = await (await fetch(`${server.url}/open311/v2/requests.json`)).json();
    const request = feed.find((r) => r.description.startsWith(TITLE));
    assert.ok(request, JSON.stringify(feed));
    assert.equal(request.lat, 41.76371);
    assert.equal(request.long, -72.68512);
    const xml = await (await fetch(`${server.url}/open311/v2/requests.xml`)).text();
    assert.match(xml, /<lat>41\.76371<\/lat><long>-72\.68512<\/long>/);
    assert.deepEqual(errorsOf(coordinator.page), []);
  });
});

test('offline, the neighborhood’s map draws its located priorities where they are, north up, with a scale', async (t) => {
  const step = stepsOf(t);
  const organizer = await openDevice(browser, server, 'organizer', { account: 'org-fh' });
  const page = organizer.page;
  const NORTH_WEST = 'Broken hydrant on Lawrence St';
  const UNPLACED = 'Noise from the Park St bars';

  await step('two more priorities: one placed about 300 m north-west, one with no place', async () => {
    await status(page).connection.filter({ hasText: 'Online' }).waitFor();
    await waitForServiceWorker(page);
    await chooseNeighborhood(page, 'Frog Hollow');
    await card(page, TITLE).waitFor();
    await organizer.context.setOffline(true);
    await status(page).connection.filter({ hasText: 'Offline' }).waitFor();
    for (const [title, position] of [[NORTH_WEST, '41.7660, -72.6880'], [UNPLACED, '']]) {
      await page.getByRole('link', { name: 'Add a priority' }).click();
      await page.getByLabel(/^Title/).fill(title);
      await page.getByLabel(/^Category/).selectOption({ label: 'Quality of life' });
      if (position) await page.getByLabel(/^Location/).fill(position);
      await page.getByRole('button', { name: 'Save' }).click();
      await card(page, title).waitFor();
    }
  });

  await step('the map, opened, has a numbered point for each placed priority and none for the other', async () => {
    const map = page.getByTestId('priority-map');
    await map.locator('summary').click();
    const points = map.locator('a.map-point');
    await points.nth(1).waitFor();
    assert.equal(await points.count(), 2);
    const legend = await map.getByTestId('map-legend').locator('li').allInnerTexts();
    assert.equal(legend.length, 2);
    assert.ok(legend.some((l) => l.startsWith(TITLE) && l.includes('District 3, beat 12')), legend.join(' | '));
    assert.ok(legend.some((l) => l.startsWith(NORTH_WEST)));
    assert.ok(!legend.some((l) => l.startsWith(UNPLACED)));
    // North-west is up and to the left.
    const at = async (title) => {
      const point = points.filter({ has: page.locator('title', { hasText: title }) });
      const circle = point.locator('circle');
      return { x: Number(await circle.getAttribute('cx')), y: Number(await circle.getAttribute('cy')) };
    };
    const car = await at(TITLE);
    const hydrant = await at(NORTH_WEST);
    assert.ok(hydrant.x < car.x && hydrant.y < car.y, `${JSON.stringify(hydrant)} is up and left of ${JSON.stringify(car)}`);
    assert.match(await map.locator('.map-scale text').textContent(), /^\d+ (m|km)$/);
    assert.equal(await map.locator('svg').getAttribute('aria-label'), 'Map of 2 priorities with a location');
    await map.scrollIntoViewIfNeeded();
    await screenshot(page, 'pl4-map-offline');
  });

  await step('a point leads to its priority', async () => {
    await page.getByTestId('priority-map').locator('a.map-point', { has: page.locator('title', { hasText: NORTH_WEST }) }).click();
    assert.equal(await page.getByLabel(/^Title/).inputValue(), NORTH_WEST);
    await organizer.context.setOffline(false);
    await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    assert.deepEqual(errorsOf(page), []);
  });
});

test('a tablet that does not allow its location says so, and the field can still be typed', async () => {
  const organizer = await openDevice(browser, server, 'organizer', { account: 'org-fh' });
  const page = organizer.page;
  await chooseNeighborhood(page, 'Frog Hollow');
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByTestId('use-location').click();
  await page.getByTestId('location-status').filter({ hasText: 'does not let PSC Sync use its location' }).waitFor();
  assert.equal(await page.getByLabel(/^Location/).inputValue(), '');
  assert.equal(await page.getByTestId('use-location').isEnabled(), true, 'the button can be tried again');
  await screenshot(page, 'pl3-location-denied');
  assert.deepEqual(errorsOf(page), []);
});
