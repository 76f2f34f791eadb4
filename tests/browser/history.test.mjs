// The road back: the history scrubber under the cost chart shows the network
// as it was at an earlier iteration, exactly (the readouts and the plot's
// pixels of a fresh run stopped there); a branch from there with another α
// keeps the old run beside the new one, both drawn in the cost chart, both
// kept through a reload and an export/import; all of it on a phone and from
// the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { useBrowser } from './harness.mjs';
import {
  canvasDigest, exportDocument, frames, importFile, openPlanar, setRange, waitForMessage, waitForSave,
} from './persistence-helpers.mjs';
import { clickStep, setUnits, trainUntil } from './page-helpers.mjs';

const shared = useBrowser();
/** Less motion: the page opens paused at iteration 0. */
const STILL = { context: { reducedMotion: 'reduce' } };
const PHONE = { viewport: { width: 390, height: 844 }, context: { reducedMotion: 'reduce', isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };
const count = (n) => n.toLocaleString('en-US');
/** --run-1 in style.css: the first kept run's curve. */
const KEPT_RGB = [0, 158, 115];
const TRAINING_RGB = [31, 58, 95];

/** What the reader sees of the network: the readouts and the plot's pixels. */
async function shownNetwork(page) {
  await frames(page, 3);
  const readouts = await page.evaluate(() => Object.fromEntries(['iteration', 'cost', 'accuracy']
    .map((id) => [id, document.getElementById(id).textContent])));
  return { readouts, plot: await canvasDigest(page, 'plot') };
}

/**
 * What the insight panels say of the network shown at `iteration`: the next
 * step's readout (computed for that iteration) and a gradient check's
 * difference and timing line.
 */
async function insightsAt(page, iteration) {
  await page.waitForFunction((n) => document.getElementById('lookahead').dataset.iteration === String(n), iteration);
  const lookahead = await page.textContent('#lookahead-readout');
  await page.click('#grad-check-run');
  await page.waitForFunction(() => /^\d/.test(document.getElementById('grad-check-difference').textContent), null, { timeout: 60_000 });
  const difference = await page.textContent('#grad-check-difference');
  const checkedAt = /iteration (\d+)/.exec(await page.textContent('#grad-check-time'))?.[1];
  return { lookahead, difference, checkedAt };
}

/** Waits until the scrubber shows its iteration (the replay is done). */
function replayed(page) {
  return page.waitForFunction(() => document.getElementById('scrubber-status').dataset.ready === 'true');
}

/** How many of the cost chart's pixels are near `rgb`. */
function chartPixels(page, rgb) {
  return page.$eval('#cost-chart', (canvas, target) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 200 && target.every((v, k) => Math.abs(data[i + k] - v) <= 12)) count += 1;
    }
    return count;
  }, rgb);
}

const runLabels = (page) => page.$$eval('#branches .run-label', (labels) => labels.map((label) => label.textContent));

test('scrubbing back 1000 iterations shows what a fresh run stopped there shows', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url);
  await trainUntil(page, 1500);
  const end = Number(await page.textContent('#iteration'));
  const back = end - 1000;
  await setRange(page, 'scrubber', back);
  await replayed(page);
  const past = await shownNetwork(page);
  assert.equal(past.readouts.iteration, String(back));
  assert.match(await page.textContent('#scrubber-status'), new RegExp(`iteration ${count(back)} of ${count(end)}`));
  assert.equal(await page.$eval('#scrubber-now', (button) => button.hidden), false);
  const axe = await new AxeBuilder({ page }).include('#cost-title').include('.scrubber').analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), [], 'axe finds nothing while scrubbed back');

  const fresh = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(fresh.page, back);
  const stopped = await shownNetwork(fresh.page);
  assert.deepEqual(past.readouts, stopped.readouts, 'the same iteration, cost and accuracy');
  assert.deepEqual(past.plot, stopped.plot, 'the same plot, pixel for pixel');
  // The next step over η and the gradient check are those of the network shown.
  const pastInsights = await insightsAt(page, back);
  assert.equal(pastInsights.checkedAt, String(back));
  assert.deepEqual(pastInsights, await insightsAt(fresh.page, back), 'the same next step and gradient check');

  // The run itself is untouched: back to now shows it again, and nothing was kept.
  await page.click('#scrubber-now');
  await frames(page, 2);
  assert.equal(await page.textContent('#iteration'), String(end));
  assert.equal(await page.$eval('#scrubber', (input) => input.value), String(end));
  assert.equal(await page.$eval('#branches', (list) => list.hidden), true);
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
  await context.close();
});

test('a branch with another α: two curves, kept through a reload and an export/import', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(page, 600);
  await setRange(page, 'scrubber', 300);
  await replayed(page);
  const before = await chartPixels(page, KEPT_RGB);
  assert.equal(before, 0, 'no kept run yet');
  // α 0.5 (the slider is log10 α): the run branches at iteration 300.
  await setRange(page, 'lr', Math.log10(0.5));
  await frames(page, 2);
  assert.equal(await page.textContent('#iteration'), '300', 'the run went on from the shown iteration');
  assert.deepEqual(await runLabels(page), ['α 0.5', 'α 1.2']);
  await clickStep(page, 100);
  await frames(page, 3);
  assert.equal(await page.textContent('#iteration'), '400');
  assert.ok(await chartPixels(page, KEPT_RGB) > 20, 'the kept run\'s curve is drawn');
  assert.ok(await chartPixels(page, TRAINING_RGB) > 20, 'the current run\'s curve is drawn');

  const saved = await waitForSave(page);
  assert.equal(saved.version, 4);
  assert.equal(saved.branches.length, 1);
  assert.equal(saved.branches[0].iteration, 600);
  assert.equal(saved.branches[0].points, undefined, 'the same points are not saved twice');
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  await frames(page, 3);
  assert.deepEqual(await runLabels(page), ['α 0.5', 'α 1.2']);
  assert.equal(await page.textContent('#iteration'), '400');
  assert.ok(await chartPixels(page, KEPT_RGB) > 20, 'the kept run\'s curve is drawn after a reload');

  const exported = JSON.parse((await exportDocument(page)).text);
  assert.equal(exported.branches.length, 1);
  assert.equal(exported.branches[0].settings.learningRate, 1.2);
  const other = await openPlanar(shared.browser, shared.server.url, STILL);
  await importFile(other.page, 'branched.json', JSON.stringify(exported), 'application/json');
  await other.page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  assert.deepEqual(await runLabels(other.page), ['α 0.5', 'α 1.2']);
  assert.equal(await other.page.textContent('#iteration'), '400');

  // Restoring the kept run makes it current; the other is kept in its place.
  await other.page.click('#branches button:text("Restore")');
  await other.page.waitForFunction(() => document.getElementById('iteration').textContent === '600');
  assert.deepEqual(await runLabels(other.page), ['α 1.2', 'α 0.5']);
  assert.equal(await other.page.textContent('#lr-value'), '1.2');
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await other.context.close();
  await context.close();
});

test('the scrubber reaches back across a change of α, and a branch from there trains at the α of then', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(page, 300);
  await setRange(page, 'lr', Math.log10(0.5));
  await clickStep(page, 300);
  assert.equal(await page.$eval('#scrubber', (input) => input.min), '0', 'the whole run can be scrubbed');
  await setRange(page, 'scrubber', 200);
  await replayed(page);
  const past = await shownNetwork(page);

  const fresh = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(fresh.page, 200);
  assert.deepEqual(past, await shownNetwork(fresh.page), 'the network at iteration 200, trained at α 1.2');
  await clickStep(fresh.page, 50);
  const freshOn = await shownNetwork(fresh.page);

  // A step from iteration 200 branches at the α of then, and goes on as the fresh run does.
  await clickStep(page, 50);
  assert.equal(await page.textContent('#lr-value'), '1.2');
  assert.deepEqual((await shownNetwork(page)).readouts, freshOn.readouts);
  assert.deepEqual(await runLabels(page), ['α 1.2', 'α 0.5']);
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();
  await context.close();
});

test('branches by the optimizer and by the width: each run named by what differs, at most four kept', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(page, 100);
  await setRange(page, 'scrubber', 50);
  await replayed(page);
  // Adam from iteration 50 (the optimizer is in the Training card's details).
  await page.$eval('#optimizer', (select) => select.closest('details')?.setAttribute('open', ''));
  await page.selectOption('#optimizer', 'adam');
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  assert.equal(await page.textContent('#iteration'), '50');
  assert.deepEqual(await runLabels(page), ['Adam', 'Gradient descent (the tutorial\'s)']);
  await clickStep(page, 30);
  // Five units from iteration 60: the network starts again from the seed; the Adam run is kept too.
  await setRange(page, 'scrubber', 60);
  await replayed(page);
  await setUnits(page, 1, 5);
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 3);
  assert.equal(await page.textContent('#iteration'), '0');
  assert.deepEqual(await runLabels(page), [
    'Adam, 5 units', 'Gradient descent (the tutorial\'s), 4 units', 'Adam, 4 units',
  ]);
  // Two more branches: the oldest unpinned run goes, with a notice.
  await clickStep(page, 20);
  await setRange(page, 'scrubber', 10);
  await replayed(page);
  await page.click('#step');
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 4);
  await clickStep(page, 5);
  await setRange(page, 'scrubber', 5);
  await replayed(page);
  await page.click('#step');
  assert.match(await waitForMessage(page, /At most 4 runs are kept/), /oldest unpinned one \(Gradient descent/);
  assert.equal(await page.$$eval('#branches .run', (runs) => runs.length), 4);
  assert.deepEqual(problems, []);
  await context.close();
});

test('removing a kept run can be undone; a reset and its undo keep the runs', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(page, 60);
  await setRange(page, 'scrubber', 30);
  await replayed(page);
  await page.click('#step');
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  assert.deepEqual(await runLabels(page), ['run 1', 'run 2'], 'nothing differs: the runs are numbered');
  await page.click('#reset');
  await frames(page, 2);
  assert.equal(await page.textContent('#iteration'), '0');
  assert.equal(await page.$$eval('#branches .run', (runs) => runs.length), 2, 'a reset keeps the kept runs');
  await page.click('#undo');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '31');
  await page.click('#branches button:text("Remove")');
  await page.waitForFunction(() => document.getElementById('branches').hidden);
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  assert.equal(await page.textContent('#iteration'), '31');
  assert.match(await page.textContent('#branches'), /kept at iteration 60/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a kept run that does not check out is left out with a message; the rest opens', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, STILL);
  await clickStep(page, 20);
  const document = JSON.parse((await exportDocument(page)).text);
  document.branches = [{ ...document, branches: undefined, weights: { values: [1, 2] } }];
  await importFile(page, 'bad-branch.json', JSON.stringify(document), 'application/json');
  assert.match(await waitForMessage(page, /kept run 1 was left out/), /weights|values/);
  assert.equal(await page.textContent('#iteration'), '20');
  assert.equal(await page.$eval('#branches', (list) => list.hidden), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone, the scrubber and the runs work from the keyboard', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, PHONE);
  await clickStep(page, 50);
  const scrubber = page.locator('#scrubber');
  await scrubber.scrollIntoViewIfNeeded();
  const box = await scrubber.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the scrubber fits the phone's width: ${JSON.stringify(box)}`);
  await scrubber.focus();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowLeft');
  await replayed(page);
  assert.equal(await page.textContent('#iteration'), '40');
  assert.match(await page.textContent('#scrubber-status'), /iteration 40 of 50/);
  // A step from there branches: the run left behind is kept.
  await page.click('#step');
  await page.waitForFunction(() => document.querySelectorAll('#branches .run').length === 2);
  assert.equal(await page.textContent('#iteration'), '41');
  await scrubber.focus();
  const reached = [];
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.closest('#branches') ? document.activeElement.textContent : null));
  }
  assert.ok(reached.includes('Restore') && reached.includes('Pin') && reached.includes('Remove'), `Tab reaches the runs' buttons: ${reached}`);
  // Pin by the keyboard.
  await page.locator('#branches button', { hasText: 'Pin' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#branches [aria-pressed]')?.getAttribute('aria-pressed') === 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'pin', 'the focus stays on the button pressed');
  const layout = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(layout.scroll <= layout.width, `no horizontal scroll: ${JSON.stringify(layout)}`);
  assert.deepEqual(problems, []);
  await context.close();
});
