// The page as a reader uses it: the plot, the editing gestures, the
// controls and the keys, and what training the tutorial's network achieves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useBrowser } from './harness.mjs';
import {
  CLASS_RGB, clickStep, fieldClass, near, nextFrames, pause, petalCentres, planeToClient, plotPixels,
  editorState, readNumber, setRange, setUnits, trainUntil,
} from './page-helpers.mjs';

const shared = useBrowser();

const iterationOf = (page) => readNumber(page, '#iteration');

test('the page loads without problems, trains at once, and shows a field under 400 points', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 30);
  assert.equal(await page.textContent('#points'), '400');
  assert.equal(await page.textContent('#play'), 'Pause');
  assert.equal(await page.textContent('#lr-value'), '1.2');
  assert.equal(await page.textContent('#speed-value'), '10');
  assert.deepEqual(await editorState(page), { features: ['x1', 'x2'], layers: [[4, 'tanh']], init: 'tutorial' });
  assert.equal(await page.inputValue('#dataset'), 'flower');

  // The field: a grid of samples over the plane takes many colours.
  const grid = [];
  for (let x = -4.5; x <= 4.5; x += 1) for (let y = -4.5; y <= 4.5; y += 1) grid.push([x, y]);
  const colours = new Set((await plotPixels(page, grid)).map(([rgb]) => rgb.join(',')));
  assert.ok(colours.size > 10, `only ${colours.size} colours on the plot`);

  // The backing store follows the CSS size times the device pixel ratio.
  const sizes = await page.$eval('#plot', (c) => [c.width, Math.round(c.getBoundingClientRect().width * devicePixelRatio)]);
  assert.ok(Math.abs(sizes[0] - sizes[1]) <= 1, `canvas ${sizes[0]} px for ${sizes[1]} device px`);

  const readouts = await page.$$eval('#iteration, #cost, #accuracy, #points', (nodes) => nodes.map((n) => n.textContent));
  assert.ok(readouts.every((text) => !text.includes('NaN')), readouts.join(' '));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a click adds a point of the selected class, shift-click the other, right-click removes, dragging moves', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  await pause(page);
  assert.ok(await page.isChecked('#class-1'));

  const first = await planeToClient(page, -4.6, -4.6);
  await page.mouse.click(first.x, first.y);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '401');
  await nextFrames(page);
  let [[pixel]] = await plotPixels(page, [[-4.6, -4.6]]);
  assert.ok(near(pixel, CLASS_RGB[1]), `class 1 point drawn as ${pixel}`);

  const second = await planeToClient(page, 4.6, 4.6);
  await page.keyboard.down('Shift');
  await page.mouse.click(second.x, second.y);
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '402');
  await nextFrames(page);
  [[pixel]] = await plotPixels(page, [[4.6, 4.6]]);
  assert.ok(near(pixel, CLASS_RGB[0]), `shift-click point drawn as ${pixel}`);

  // Key 0 selects class 0 for plain clicks.
  await page.mouse.move(10, 10);
  await page.keyboard.press('0');
  assert.ok(await page.isChecked('#class-0'));
  const third = await planeToClient(page, 4.6, -4.6);
  await page.mouse.click(third.x, third.y);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '403');
  await nextFrames(page);
  [[pixel]] = await plotPixels(page, [[4.6, -4.6]]);
  assert.ok(near(pixel, CLASS_RGB[0]), `class 0 point drawn as ${pixel}`);

  // Dragging the class 1 point moves it; the count stays.
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  const target = await planeToClient(page, -4.0, -3.2);
  await page.mouse.move(target.x, target.y, { steps: 6 });
  await page.mouse.up();
  await nextFrames(page);
  assert.equal(await page.textContent('#points'), '403');
  [[pixel]] = await plotPixels(page, [[-4.0, -3.2]]);
  assert.ok(near(pixel, CLASS_RGB[1]), `moved point drawn as ${pixel}`);

  // Right-click removes the nearest point within reach; alt-click too.
  await page.mouse.click(target.x + 3, target.y - 2, { button: 'right' });
  await page.waitForFunction(() => document.querySelector('#points').textContent === '402');
  await page.mouse.click(second.x, second.y, { button: 'right' });
  await page.waitForFunction(() => document.querySelector('#points').textContent === '401');
  await page.keyboard.down('Alt');
  await page.mouse.click(third.x, third.y);
  await page.keyboard.up('Alt');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  // A right-click far from every point removes nothing.
  const empty = await planeToClient(page, -4.6, 4.6);
  await page.mouse.click(empty.x, empty.y, { button: 'right' });
  await nextFrames(page);
  assert.equal(await page.textContent('#points'), '400');
  assert.deepEqual(problems, []);
  await context.close();
});

test('while paused, Step and the S key advance exactly one iteration; Space toggles play', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await pause(page);
  const start = await iterationOf(page);
  await page.click('#step');
  await nextFrames(page);
  assert.equal(await iterationOf(page), start + 1);
  await page.keyboard.press('s');
  await nextFrames(page);
  assert.equal(await iterationOf(page), start + 2);
  // Still paused: nothing moves.
  await page.waitForTimeout(150);
  assert.equal(await iterationOf(page), start + 2);

  // Space plays even though the mouse left focus on the Step button...
  await page.keyboard.press('Space');
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 5, start + 2);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#play').textContent === 'Play');
  // ...but presses a button the keyboard moved to.
  const paused = await iterationOf(page);
  await page.focus('#step');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'step');
  await page.keyboard.press('Space');
  await nextFrames(page);
  assert.equal(await iterationOf(page), paused + 1);
  assert.equal(await page.textContent('#play'), 'Play');
  assert.deepEqual(problems, []);
  await context.close();
});

test('keys typed into the seed field stay there', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await pause(page);
  const before = await iterationOf(page);
  await page.fill('#seed', '');
  await page.type('#seed', '10 s r n');
  await nextFrames(page);
  assert.equal(await page.inputValue('#seed'), '10 s r n');
  assert.equal(await iterationOf(page), before);
  assert.ok(await page.isChecked('#class-1'));
  assert.equal(await page.textContent('#play'), 'Play');
  assert.equal(await page.isChecked('#step-through'), false);
  // An invalid seed is refused with a message; a valid one resets on Enter.
  await page.click('#reset');
  await page.waitForFunction(() => !document.querySelector('#message').hidden);
  assert.match(await page.textContent('#message'), /seed/);
  assert.equal(await iterationOf(page), before);
  await page.fill('#seed', '7');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.querySelector('#iteration').textContent === '0');
  assert.equal(await page.textContent('#seed-in-use'), '7');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the learning rate slider changes the rate and the trajectory without resetting the run', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  await pause(page);
  const costAfter = async (steps) => {
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#iteration').textContent === '0');
    assert.equal(await page.textContent('#cost'), '0.693048');
    await clickStep(page, steps);
    await page.waitForFunction((n) => document.querySelector('#iteration').textContent === String(n), steps);
    return readNumber(page, '#cost');
  };
  const atDefault = await costAfter(40);
  await setRange(page, '#lr', -2);
  assert.equal(await page.textContent('#lr-value'), '0.01');
  await nextFrames(page);
  assert.equal(await iterationOf(page), 40, 'changing the rate keeps the iteration');
  const atSlow = await costAfter(40);
  assert.ok(atSlow > atDefault + 0.01, `cost ${atSlow} at 0.01 vs ${atDefault} at 1.2`);

  await setRange(page, '#lr', Math.log10(3.456));
  assert.equal(await page.textContent('#lr-value'), '3.46');
  await setRange(page, '#lr', 1);
  assert.equal(await page.textContent('#lr-value'), '10');
  await setRange(page, '#lr', -3);
  assert.equal(await page.textContent('#lr-value'), '0.001');
  await setRange(page, '#speed', 2);
  assert.equal(await page.textContent('#speed-value'), '100');
  assert.deepEqual(problems, []);
  await context.close();
});

test('5000 iterations on the flower at rate 1.2 reach 88 % and colour each petal as its class', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await trainUntil(page, 5000);
  const accuracy = await readNumber(page, '#accuracy');
  assert.ok(accuracy >= 88, `accuracy ${accuracy}`);
  await nextFrames(page);
  for (const label of [0, 1]) {
    const spots = petalCentres(label, 2.6);
    const seen = (await plotPixels(page, spots, 7)).map(fieldClass);
    assert.deepEqual(seen, [label, label, label, label], `petals of class ${label} at ${JSON.stringify(spots)}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('one hidden unit cannot learn the flower; four can', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await pause(page);
  await setUnits(page, 1, 1);
  await page.waitForFunction(() => document.querySelector('#iteration').textContent === '0');
  await trainUntil(page, 5000);
  const narrow = await readNumber(page, '#accuracy');
  assert.ok(narrow < 75, `accuracy ${narrow} with one hidden unit`);

  await setUnits(page, 1, 4);
  await page.waitForFunction(() => document.querySelector('#iteration').textContent === '0');
  await trainUntil(page, 5000);
  const wide = await readNumber(page, '#accuracy');
  assert.ok(wide > 88, `accuracy ${wide} with four hidden units`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('data sets load 400 points; empty shows dashes; clear and start over', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  for (const name of ['circles', 'xor', 'gaussians', 'spiral', 'moons']) {
    await page.selectOption('#dataset', name);
    await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  }
  await page.selectOption('#dataset', 'empty');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '0');
  await nextFrames(page);
  assert.equal(await page.textContent('#cost'), '–');
  assert.equal(await page.textContent('#accuracy'), '–');
  assert.equal(await page.textContent('#iteration'), '0');

  // Training goes on with new points at once.
  const spot = await planeToClient(page, 1, 1);
  await page.mouse.click(spot.x, spot.y);
  const other = await planeToClient(page, -1, -1);
  await page.keyboard.down('Shift');
  await page.mouse.click(other.x, other.y);
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '2');
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 10);
  assert.ok(Number.isFinite(await readNumber(page, '#cost')));

  await page.click('#clear');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '0');
  await setRange(page, '#lr', 0);
  await page.click('#new');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
  assert.equal(await page.inputValue('#dataset'), 'flower');
  assert.equal(await page.textContent('#lr-value'), '1.2');
  const text = await page.textContent('body');
  assert.ok(!text.includes('NaN'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a learning rate far too high shows the warning, never NaN', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  assert.equal(await page.isHidden('#lr-warning'), true);
  // The flower stays stable even at 10; the spiral does not.
  await setRange(page, '#lr', 1);
  await page.selectOption('#dataset', 'spiral');
  await setRange(page, '#speed', 1);
  await page.waitForFunction(() => !document.querySelector('#lr-warning').hidden, null, { timeout: 20_000 });
  await nextFrames(page);
  const text = await page.textContent('body');
  assert.ok(!text.includes('NaN'), 'the page shows NaN');
  assert.deepEqual(problems, []);
  await context.close();
});
