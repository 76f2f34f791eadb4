// The reader's work survives: a reload, Export then Import (JSON and CSV),
// a dropped file, a share link opened elsewhere, and Undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import {
  canvasDigest, clickPlot, exportDocument, frames, importFile, openPlanar, pause, play, readouts,
  savedState, setRange, stateOf, waitForMessage, waitForSave, whenReady,
} from './persistence-helpers.mjs';
import { clickStep } from './page-helpers.mjs';

const shared = useBrowser();
/** Less motion: the page opens paused at iteration 0. */
const STILL = { context: { reducedMotion: 'reduce' } };

const iterationOf = async (page) => Number(await page.textContent('#iteration'));

/** Edits everything a reader can: points of both classes, a removal, every setting; then trains. */
async function doSomeWork(page) {
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 10);
  await pause(page);
  await page.click('#units-plus-1');
  await page.click('#units-plus-1');
  await page.click('#add-layer');
  await page.click('#units-minus-2');
  await page.selectOption('#activation-2', 'relu');
  await page.check('#feature-x1x2');
  await page.selectOption('#init', 'xavier');
  await setRange(page, 'lr', Math.log10(0.5));
  await setRange(page, 'speed', Math.log10(37));
  await page.check('#log-scale');
  await clickPlot(page, 4.5, 4.5);
  await clickPlot(page, -4.5, 4.5, { shift: true });
  await clickPlot(page, 4.5, -4.5);
  await clickPlot(page, 4.5, -4.5, { right: true });
  await page.click('#class-0');
  await clickPlot(page, 0.25, -4.75);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '403');
  const start = await iterationOf(page);
  await play(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 100, start);
  await pause(page);
}

/** Everything that must survive: readouts, settings, the document, and the pixels. */
async function everything(page) {
  await frames(page, 3);
  return {
    readouts: await readouts(page),
    plot: await canvasDigest(page, 'plot'),
    chart: await canvasDigest(page, 'cost-chart'),
    document: await stateOf(page),
  };
}

test('a reload restores the points, the settings, the iteration, the plot and the cost chart exactly', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await doSomeWork(page);
  await waitForSave(page);
  const saved = await everything(page);
  assert.equal(saved.readouts.learningRate, '0.5');
  assert.equal(saved.readouts.speed, '37');
  assert.equal(saved.readouts.network, '6 units tanh, 5 units relu');
  assert.equal(saved.readouts.features, 'x1,x2,x1x2');
  assert.equal(saved.readouts.init, 'xavier');
  assert.equal(saved.document.version, 4);
  assert.deepEqual(saved.document.model, {
    features: ['x1', 'x2', 'x1x2'],
    layers: [{ units: 6, activation: 'tanh' }, { units: 5, activation: 'relu' }],
    init: 'xavier',
  });
  assert.equal(saved.readouts.logScale, true);
  assert.equal(saved.readouts.class1, false);
  assert.equal(saved.document.points.x.length, 403);

  await page.reload();
  await whenReady(page);
  await page.waitForFunction((n) => document.querySelector('#iteration').textContent === n, saved.readouts.iteration);
  const restored = await everything(page);
  assert.deepEqual(restored, saved);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an Adam run reloaded, or undone to, goes on exactly as if it had never stopped: the optimizer\'s moments are kept', async () => {
  // Adam on mini-batches of 64: 7 updates an epoch over the 400 points.
  const url = `${shared.server.url}?optimizer=adam&lr=0.01&batch=64`;
  /** Steps `count` epochs and waits until the page shows iteration `reached`. */
  const step = async (page, count, reached) => {
    await clickStep(page, count);
    await page.waitForFunction((n) => document.getElementById('iteration').textContent === String(n), reached);
  };
  const straight = await openPlanar(shared.browser, url, STILL);
  await step(straight.page, 300, 300);
  const expected = await waitForSave(straight.page);
  assert.equal(expected.moments.t, 300 * 7);

  const { page, context, problems } = await openPlanar(shared.browser, url, STILL);
  await step(page, 200, 200);
  const saved = await waitForSave(page);
  assert.equal(saved.moments.t, 200 * 7);
  assert.equal(saved.moments.v.length, saved.weights.values.length);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '200');
  // Reset, then Undo: the run is where it was, moments too.
  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '0');
  await page.click('#undo');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '200');
  await step(page, 100, 300);
  const after = await waitForSave(page);
  assert.equal(after.iteration, 300);
  assert.deepEqual(after.weights, expected.weights, 'the same weights, bit for bit');
  assert.deepEqual(after.moments, expected.moments);
  assert.deepEqual(after.history, expected.history);
  assert.deepEqual(await readouts(page), await readouts(straight.page));
  assert.deepEqual(problems, []);
  assert.deepEqual(straight.problems, []);
  await straight.context.close();
  await context.close();
});

test('Export → JSON, Clear, Import of that file brings everything back', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await doSomeWork(page);
  const exported = await exportDocument(page, 'json');
  assert.match(exported.name, /^planar-.*\.json$/);
  const saved = await everything(page);

  await page.click('#clear');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '0');
  await page.setInputFiles('#import-file', exported.path);
  await waitForMessage(page, /Imported .*403 points/);
  await page.waitForFunction((n) => document.querySelector('#iteration').textContent === n, saved.readouts.iteration);
  assert.deepEqual(await everything(page), saved);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Export → CSV, Clear, Import of that file brings the points back exactly', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await doSomeWork(page);
  const before = await stateOf(page);
  const csv = await exportDocument(page, 'csv');
  assert.match(csv.name, /\.csv$/);
  assert.match(csv.text, /^x,y,label\n/);

  await page.click('#clear');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '0');
  await page.setInputFiles('#import-file', csv.path);
  await waitForMessage(page, /Imported 403 points/);
  const after = await stateOf(page);
  assert.deepEqual(after.points, before.points);
  // The points only: the settings stay and training starts over on them.
  assert.deepEqual({ ...after.settings, dataset: 'x' }, { ...before.settings, dataset: 'x' });
  assert.equal(after.iteration, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Export → PNG saves the plot as a PNG image', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  const png = await exportDocument(page, 'png');
  assert.match(png.name, /\.png$/);
  assert.deepEqual([...png.text.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a file dropped on the page is imported, with a hint while it is dragged', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x,y,label\n1,2,0\n-1,-2,1\n3,3,1\n'], 'mine.csv', { type: 'text/csv' }));
    return transfer;
  });
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.waitForSelector('#drop-hint', { state: 'visible' });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await page.waitForSelector('#drop-hint', { state: 'hidden' });
  await waitForMessage(page, /Imported 3 points from mine\.csv/);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '3');
  assert.deepEqual((await stateOf(page)).points, { x: [1, -1, 3], y: [2, -2, 3], label: [0, 1, 1] });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a share link opened in a new browser shows the same points, settings, iteration and weights', async () => {
  const sharer = await openPlanar(shared.browser, shared.server.url, { context: { permissions: ['clipboard-read', 'clipboard-write'] } });
  await doSomeWork(sharer.page);
  await sharer.page.click('#share');
  await waitForMessage(sharer.page, /Copied a link/);
  const url = sharer.page.url();
  assert.match(url, /#v=3&/);
  assert.equal(await sharer.page.evaluate(() => navigator.clipboard.readText()), url);
  const sharedState = await stateOf(sharer.page);

  // Another browser profile: nothing saved there.
  const reader = await openPlanar(shared.browser, url);
  await reader.page.waitForFunction((n) => document.querySelector('#iteration').textContent === String(n), sharedState.iteration);
  await waitForMessage(reader.page, /Opened a shared link/);
  const opened = await stateOf(reader.page);
  for (const key of ['settings', 'points', 'weights', 'iteration']) assert.deepEqual(opened[key], sharedState[key], key);
  assert.deepEqual(await canvasDigest(reader.page, 'plot'), await canvasDigest(sharer.page, 'plot'));

  // An edit makes the link stale: it leaves the address bar, and a reload shows the edit.
  await clickPlot(reader.page, 3, 3);
  await reader.page.waitForFunction(() => document.querySelector('#points').textContent === '404');
  assert.equal(new URL(reader.page.url()).hash, '');
  await waitForSave(reader.page);
  await reader.page.reload();
  await whenReady(reader.page);
  await reader.page.waitForFunction(() => document.querySelector('#points').textContent === '404');

  for (const { problems, context } of [sharer, reader]) {
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('reloading a page opened from a link keeps the training done since', async () => {
  const sharer = await openPlanar(shared.browser, shared.server.url);
  await sharer.page.click('#share');
  await waitForMessage(sharer.page, /link/);
  const url = sharer.page.url();
  await sharer.context.close();

  const { page, problems, context } = await openPlanar(shared.browser, url);
  await waitForMessage(page, /Opened a shared link/);
  const trained = await iterationOf(page) + 100;
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n, trained);
  for (let saved = await savedState(page); !(saved?.iteration > trained); saved = await savedState(page)) {
    await page.waitForTimeout(200);
  }
  assert.equal(page.url(), url, 'training alone leaves the link in place');
  await page.reload();
  await whenReady(page);
  assert.ok(await iterationOf(page) > trained);
  assert.equal(await page.isHidden('#message'), true, 'no second "Opened a shared link"');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link of a running state opens paused for a reader who asked for less motion', async () => {
  const sharer = await openPlanar(shared.browser, shared.server.url);
  await play(sharer.page);
  await sharer.page.click('#share');
  await waitForMessage(sharer.page, /link/);
  const url = sharer.page.url();
  assert.match(url, /&pl=1&/);
  await sharer.context.close();

  const { page, problems, context } = await openPlanar(shared.browser, url, { context: { reducedMotion: 'reduce' } });
  await waitForMessage(page, /Opened a shared link/);
  assert.equal(await page.textContent('#play'), 'Play');
  const iteration = await iterationOf(page);
  await frames(page, 10);
  assert.equal(await iterationOf(page), iteration);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without clipboard access the link is shown in a read-only field', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, {
    init: [[() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    }]],
  });
  await page.click('#share');
  await waitForMessage(page, /copy it from the field/);
  const field = page.locator('#share-link');
  await field.waitFor({ state: 'visible' });
  assert.equal(await field.inputValue(), page.url());
  assert.equal(await field.evaluate((input) => input.readOnly), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link that is too large for a URL says so and offers Export → JSON', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  const rows = Array.from({ length: 3000 }, (_, i) => `${(i % 100) / 20 - 2.5},${Math.floor(i / 100) / 10 - 1.5},${i % 2}`);
  await importFile(page, 'many.csv', `x,y,label\n${rows.join('\n')}\n`);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '3000');
  const before = page.url();
  await page.click('#share');
  await waitForMessage(page, /too large for a link: 3000 points; use Export → JSON/);
  assert.equal(page.url(), before);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link pasted over work of one\'s own opens as a new work; the earlier one stays in Recent', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await pause(page);
  await page.click('#share');
  await waitForMessage(page, /link/);
  const tutorialLink = page.url();

  // Work of one's own, saved; then the old link is pasted into the address bar.
  await page.click('#clear');
  await clickPlot(page, 1, 1);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '1');
  await waitForSave(page);
  const mine = await stateOf(page);
  await page.goto(tutorialLink);
  await waitForMessage(page, /Opened the shared link as a new work. What you had before is in Recent/);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  await page.click('#recent-button');
  const item = page.locator('.recent-item', { hasText: '1 point ·' });
  await item.locator('.recent-open').click();
  await waitForMessage(page, /Opened “/);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '1');
  const reopened = await stateOf(page);
  for (const key of ['points', 'settings', 'weights', 'iteration']) assert.deepEqual(reopened[key], mine[key], key);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Undo brings back what Clear, a data set change and Start over took, by button, Ctrl+Z and U', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await pause(page);
  assert.equal(await page.isDisabled('#undo'), true);
  const original = await stateOf(page);

  await page.click('#clear');
  await page.waitForFunction(() => !document.querySelector('#undo').disabled);
  assert.match(await page.getAttribute('#undo', 'title'), /Undo clear/);
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  assert.deepEqual(await stateOf(page), original);

  await page.selectOption('#dataset', 'xor');
  await page.waitForFunction(() => document.querySelector('#dataset').value === 'xor');
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('#dataset').value === 'flower');
  assert.deepEqual((await stateOf(page)).points, original.points);

  await setRange(page, 'lr', Math.log10(3));
  await page.click('#new');
  await page.waitForFunction(() => document.querySelector('#lr-value').textContent === '1.2');
  await page.keyboard.press('u');
  await page.waitForFunction(() => document.querySelector('#lr-value').textContent === '3');
  assert.equal(await page.isDisabled('#undo'), true);
  assert.deepEqual(problems, []);
  await context.close();
});
