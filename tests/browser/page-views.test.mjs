// The views that explain: the inspector and step-through, the network
// diagram, the cost chart; the layout at desktop and phone sizes (with the
// screenshots); reduced motion; and a visible error when the loop breaks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPage, RESULTS, useBrowser } from './harness.mjs';
import {
  clickStep, nextFrames, pause, readNumber, setLayerCount, setRange, setUnits,
} from './page-helpers.mjs';

const shared = useBrowser();
before(() => mkdir(RESULTS, { recursive: true }));

const matrixValues = (page, name) => page.$$eval(`#inspector [data-matrix="${name}"] tr`,
  (rows) => rows.map((row) => [...row.cells].map((cell) => Number.parseFloat(cell.textContent))));

test('the inspector shows W1 as n_h × 2 numbers that change with a step', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await pause(page);
  await nextFrames(page);
  const before = await matrixValues(page, 'W1');
  assert.equal(before.length, 4);
  assert.ok(before.every((row) => row.length === 2 && row.every(Number.isFinite)), JSON.stringify(before));
  assert.match(await page.textContent('#inspector [data-matrix="W1"] figcaption'), /4×2/);
  for (const formula of ['Z1 = W1·X + b1', 'A1 = tanh(Z1)', 'A2 = σ(Z2)', 'dZ2 = A2 − Y', 'dW1 = dZ1·Xᵀ / m', 'W1 ← W1 − α·dW1']) {
    assert.ok((await page.textContent('#inspector')).includes(formula), formula);
  }
  await page.click('#step');
  await nextFrames(page);
  const after = await matrixValues(page, 'W1');
  assert.notDeepEqual(after, before);

  // The point under the cursor: its Z1 and A1 have n_h rows, A2 is a probability.
  const box = await page.locator('#plot').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.waitForFunction(() => !document.querySelector('#inspector .point-note').textContent.startsWith('Data point 1,'));
  assert.equal((await matrixValues(page, 'Z1')).length, 4);
  const [[a2]] = await matrixValues(page, 'A2');
  assert.ok(a2 >= 0 && a2 <= 1, `A2 = ${a2}`);

  await setUnits(page, 1, 1);
  await nextFrames(page);
  const narrow = await matrixValues(page, 'W1');
  assert.equal(narrow.length, 1);
  assert.equal(narrow[0].length, 2);
  assert.match(await page.textContent('#inspector [data-matrix="W1"] figcaption'), /1×2/);
  assert.equal((await matrixValues(page, 'W2'))[0].length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('step-through walks forward, cost, backward, update; the update runs exactly one iteration', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await page.check('#step-through');
  await page.waitForFunction(() => document.querySelector('#play').textContent === 'Play');
  await nextFrames(page);
  const start = Number(await page.textContent('#iteration'));
  await nextFrames(page);
  assert.equal(Number(await page.textContent('#iteration')), start, 'step-through pauses');

  const current = () => page.$eval('#inspector', (root) => [root.dataset.stage,
    root.querySelector('.stage-list li.current')?.dataset.stage ?? null]);
  for (const stage of ['forward', 'cost', 'backward']) {
    await page.click('#next-stage');
    await nextFrames(page);
    assert.deepEqual(await current(), [stage, stage]);
    assert.equal(Number(await page.textContent('#iteration')), start, `no update at the ${stage} stage`);
  }
  // The backward stage shows the gradients the update is about to use.
  const upcoming = await matrixValues(page, 'dW1');
  const weights = await matrixValues(page, 'W1');
  await page.click('#next-stage');
  await nextFrames(page);
  assert.deepEqual(await current(), ['update', 'update']);
  assert.equal(Number(await page.textContent('#iteration')), start + 1);
  assert.deepEqual(await matrixValues(page, 'dW1'), upcoming, 'the update used the gradients shown');
  assert.notDeepEqual(await matrixValues(page, 'W1'), weights);
  assert.match(await page.textContent('#stage-text'), /update/);

  // N goes on with the next iteration's forward stage.
  await page.locator('body').focus();
  await page.keyboard.press('n');
  await nextFrames(page);
  assert.deepEqual(await current(), ['forward', 'forward']);
  assert.equal(Number(await page.textContent('#iteration')), start + 1);

  // Play leaves step-through.
  await page.click('#play');
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 5, start);
  assert.equal(await page.isChecked('#step-through'), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the network diagram has a map per input and unit and values on hover', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await pause(page);
  await nextFrames(page);
  assert.equal(await page.locator('#network canvas').count(), 7, 'two inputs, four hidden units and the output');
  const titles = await page.$$eval('#network .edge title', (nodes) => nodes.map((n) => n.textContent));
  assert.equal(titles.length, 4 * 2 + 4);
  assert.ok(titles.some((t) => /^W1\[1,1\] = -?\d/.test(t)), titles[0]);
  assert.ok(titles.some((t) => /^W2\[1,4\] = -?\d/.test(t)));
  const widths = await page.$$eval('#network .edge-line', (lines) => lines.map((l) => Number(l.getAttribute('stroke-width'))));
  assert.ok(new Set(widths).size > 1, 'edge widths follow |w|');
  const colours = await page.$$eval('#network .edge-line', (lines) => new Set(lines.map((l) => l.getAttribute('stroke'))).size);
  assert.equal(colours, 2, 'both signs appear');
  // The maps are drawn: their pixels vary.
  const varied = await page.$$eval('#network canvas', (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return new Set(Array.from({ length: data.length / 4 }, (_, i) => data[4 * i] * 65536 + data[4 * i + 1] * 256 + data[4 * i + 2])).size > 3;
  }));
  assert.ok(varied.every(Boolean), JSON.stringify(varied));
  assert.match(await page.getAttribute('#network canvas >> nth=0', 'title'), /^Input feature x₁/);
  assert.match(await page.getAttribute('#network canvas >> nth=2', 'title'), /^Layer 1, unit 1 \(tanh\): A₁ = tanh\(Z₁\)/);
  assert.match(await page.getAttribute('#network canvas >> nth=6', 'title'), /^The output, P\(class 1\)/);
  const biases = await page.$$eval('#network .bias title', (nodes) => nodes.map((n) => n.textContent));
  assert.equal(biases.length, 4 + 1);
  assert.match(biases[0], /^b1\[1\] = -?\d/);

  await setUnits(page, 1, 7);
  await nextFrames(page);
  assert.equal(await page.locator('#network canvas').count(), 2 + 7 + 1);
  await setLayerCount(page, 0);
  await nextFrames(page);
  assert.equal(await page.locator('#network canvas').count(), 2 + 1, 'no hidden layer: the inputs and the output');
  assert.equal(await page.locator('#network .edge').count(), 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the cost chart reads out the iteration under the pointer and has a log scale', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 200);
  await pause(page);
  await page.locator('#cost-chart').scrollIntoViewIfNeeded();
  const box = await page.locator('#cost-chart').boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.waitForFunction(() => !document.querySelector('#cost-tooltip').hidden);
  assert.match(await page.textContent('#cost-tooltip'), /^iterations? \d+(–\d+)?: J = 0\.\d{6}/);
  // A learning rate change leaves a mark on the curve.
  const markPixels = () => page.$eval('#cost-chart', (c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 100 && data[i + 2] > data[i + 1] + 40 && data[i] > data[i + 1] + 20) count += 1;
    }
    return count;
  });
  assert.equal(await markPixels(), 0);
  await setRange(page, '#lr', 0);
  await clickStep(page, 100);
  await nextFrames(page);
  assert.ok(await markPixels() > 10, 'no mark where the rate changed');

  const linear = await page.$eval('#cost-chart', (c) => c.toDataURL());
  await page.check('#log-scale');
  await nextFrames(page);
  const log = await page.$eval('#cost-chart', (c) => c.toDataURL());
  assert.notEqual(log, linear);
  assert.deepEqual(problems, []);
  await context.close();
});

test('desktop and phone layouts: screenshots, no horizontal scroll, controls reachable', async () => {
  // A deterministic state, paused from the start (reduced motion), then
  // exactly 3000 iterations through the Step button (the README's
  // screenshot, which `npm run screenshot` writes to docs/).
  const desktop = await openPage(shared.browser, shared.server.url, { viewport: { width: 1280, height: 800 }, context: { reducedMotion: 'reduce' } });
  await desktop.page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  await clickStep(desktop.page, 3000);
  await desktop.page.waitForFunction(() => document.querySelector('#iteration').textContent === '3000');
  await nextFrames(desktop.page);
  await nextFrames(desktop.page);
  await desktop.page.screenshot({ path: join(RESULTS, 'page-1280x800.png') });
  const layout = await desktop.page.evaluate(() => {
    const plot = document.querySelector('#plot').getBoundingClientRect();
    const panel = document.querySelector('.panel').getBoundingClientRect();
    return { plotRight: plot.right, panelLeft: panel.left, plotBottom: plot.bottom, scroll: document.documentElement.scrollWidth };
  });
  assert.ok(layout.plotRight <= layout.panelLeft, 'the plot is left of the panel');
  assert.ok(layout.plotBottom <= 800, 'the whole plot is in view');
  assert.ok(layout.scroll <= 1280);
  // A deeper network, 2-8-8-1, from the editor: for a look at the diagram and inspector.
  await setUnits(desktop.page, 1, 8);
  await desktop.page.click('#add-layer');
  await clickStep(desktop.page, 300);
  await desktop.page.waitForFunction(() => document.querySelector('#iteration').textContent === '300');
  await nextFrames(desktop.page);
  await desktop.page.screenshot({ path: join(RESULTS, 'page-2-8-8-1-1280x800.png') });
  await desktop.page.screenshot({ path: join(RESULTS, 'page-2-8-8-1-1280x800-full.png'), fullPage: true });
  assert.ok(await desktop.page.evaluate(() => document.documentElement.scrollWidth) <= 1280);
  assert.deepEqual(desktop.problems, []);
  await desktop.context.close();

  const phone = await openPage(shared.browser, shared.server.url, { viewport: { width: 390, height: 844 }, context: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
  await phone.page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await phone.page.screenshot({ path: join(RESULTS, 'page-390x844.png') });
  await phone.page.tap('#play');
  await phone.page.screenshot({ path: join(RESULTS, 'page-390x844-full.png'), fullPage: true });
  const scrollWidth = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `the page scrolls sideways: ${scrollWidth} px wide`);
  // The widest network the editor makes still fits across a phone.
  await phone.page.tap('#units-plus-1');
  await phone.page.tap('#units-plus-1');
  for (let i = 0; i < 5; i += 1) await phone.page.tap('#add-layer');
  await phone.page.check('#feature-sinx2');
  await nextFrames(phone.page);
  const network = await phone.page.locator('#network').boundingBox();
  assert.ok(network.x >= 0 && network.x + network.width <= 390, JSON.stringify(network));
  const maps = await phone.page.$$eval('#network canvas', (canvases) => canvases.map((c) => c.getBoundingClientRect().right));
  assert.equal(maps.length, 3 + 6 * 6 + 1);
  assert.ok(Math.max(...maps) <= 390, `a map sticks out: ${Math.max(...maps)}`);
  assert.ok(await phone.page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await phone.page.screenshot({ path: join(RESULTS, 'page-deep-390x844-full.png'), fullPage: true });
  await phone.page.click('#undo');
  for (let i = 0; i < 7; i += 1) await phone.page.click('#undo');
  await phone.page.waitForFunction(() => document.querySelector('#layer-count').textContent === '1');
  await setUnits(phone.page, 1, 8);
  await phone.page.tap('#add-layer');
  await nextFrames(phone.page);
  await phone.page.screenshot({ path: join(RESULTS, 'page-2-8-8-1-390x844-full.png'), fullPage: true });
  for (const selector of ['#plot', '#play', '#step', '#reset', '#lr', '#speed', '#add-layer', '#units-plus-1', '#activation-1', '#feature-x1', '#init', '#dataset', '#class-0', '#clear', '#cost-chart', '#network', '#step-through']) {
    const element = phone.page.locator(selector);
    await element.scrollIntoViewIfNeeded();
    assert.ok(await element.isVisible(), `${selector} is visible`);
    const bounds = await element.boundingBox();
    assert.ok(bounds.x >= 0 && bounds.x + bounds.width <= 390, `${selector} fits across: ${JSON.stringify(bounds)}`);
  }
  // A tap adds a point; a long press removes it.
  const count = Number(await phone.page.textContent('#points'));
  await phone.page.locator('#plot').scrollIntoViewIfNeeded();
  const plot = await phone.page.locator('#plot').boundingBox();
  const spot = { x: plot.x + plot.width * 0.04, y: plot.y + plot.height * 0.04 };
  await phone.page.touchscreen.tap(spot.x, spot.y);
  await phone.page.waitForFunction((n) => Number(document.querySelector('#points').textContent) === n + 1, count);
  const touch = await phone.context.newCDPSession(phone.page);
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: spot.x, y: spot.y }] });
  await phone.page.waitForFunction((n) => Number(document.querySelector('#points').textContent) === n, count);
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await nextFrames(phone.page);
  assert.equal(Number(await phone.page.textContent('#points')), count, 'the long press added nothing');
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

test('with reduced motion the page starts paused at the tutorial\'s first cost', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url, { context: { reducedMotion: 'reduce' } });
  await page.waitForFunction(() => document.querySelector('#cost').textContent !== '–');
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('#iteration'), '0');
  assert.equal(await page.textContent('#cost'), '0.693048');
  assert.equal(await page.textContent('#play'), 'Play');
  assert.equal(await readNumber(page, '#points'), 400);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exception in the frame loop stops it with a visible message', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  assert.equal(await page.isHidden('#error'), true);
  await page.evaluate(() => {
    CanvasRenderingContext2D.prototype.putImageData = () => {
      throw new Error('provoked drawing failure');
    };
  });
  await page.waitForFunction(() => !document.querySelector('#error').hidden);
  assert.match(await page.textContent('#error'), /Something went wrong: Error: provoked drawing failure\. Reload the page/);
  const stopped = Number(await page.textContent('#iteration'));
  await page.waitForTimeout(200);
  assert.equal(Number(await page.textContent('#iteration')), stopped, 'the loop stopped');
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^console error: Error: provoked drawing failure/);
  await context.close();
});

test('a page whose engine cannot load says so', async () => {
  // No service worker: the wasm it keeps would never reach the route below.
  const { page, problems, context } = await openPage(shared.browser, shared.server.url, { context: { serviceWorkers: 'block' } });
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await page.route('**/*.wasm', (route) => route.abort());
  await page.reload();
  await page.waitForFunction(() => !document.querySelector('#error').hidden);
  assert.match(await page.textContent('#error-text'), /^Planar could not start: .+WebAssembly/);
  // Only the provoked failure: the request and the browser's note of it.
  assert.ok(problems.length > 0 && problems.every((p) => /\.wasm|Failed to load resource/.test(p)), problems.join('\n'));
  await context.close();
});
