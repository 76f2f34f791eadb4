// The panels that look inside training: the gradient check (right for the
// tutorial's network and a ReLU network, wrong with the planted mistake),
// the learning rate's next step (the current η marked, a rising region
// shaded at α = 10, setting α by click and keys), the landscape (drawn with
// the path while the page keeps drawing frames), which points drive the
// update, and all of them on a phone and from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RESULTS, useBrowser } from './harness.mjs';
import { nextFrames, trainUntil } from './page-helpers.mjs';
import { canvasDigest, openPlanar } from './persistence-helpers.mjs';

const shared = useBrowser();
const PAUSED = { context: { reducedMotion: 'reduce' } };
const PHONE = { viewport: { width: 390, height: 844 }, context: { reducedMotion: 'reduce', isMobile: true, hasTouch: true, deviceScaleFactor: 2 } };

/** Runs the gradient check from its button; returns the overall figure. */
async function checkGradients(page) {
  await page.click('#grad-check-run');
  await page.waitForFunction(() => /^\d/.test(document.querySelector('#grad-check-difference').textContent), null, { timeout: 60_000 });
  return Number.parseFloat(await page.textContent('#grad-check-difference'));
}

/** The RGB of the canvas `selector` at CSS position (x, y) from its top left. */
function canvasPixel(page, selector, x, y) {
  return page.$eval(selector, (canvas, [cx, cy]) => {
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const data = canvas.getContext('2d').getImageData(Math.round(cx * scale), Math.round(cy * scale), 1, 1).data;
    return [data[0], data[1], data[2], data[3]];
  }, [x, y]);
}

test('the gradient check passes the tutorial\'s network and catches the planted mistake', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, PAUSED);
  const right = await checkGradients(page);
  assert.ok(right < 1e-7, `overall difference ${right}`);
  assert.match(await page.textContent('#grad-check-verdict'), /correct/);
  // Every entry of dW1, db1, dW2, db2: 4×2 + 4 + 4 + 1.
  assert.equal(await page.locator('#grad-check-table td').count(), 17);
  assert.equal(await page.locator('#grad-check-table td.diff-bad').count(), 0);
  const costBefore = await page.textContent('#cost');

  await page.check('#plant-bug');
  await page.waitForFunction(() => /^\d/.test(document.querySelector('#grad-check-difference').textContent)
    && document.querySelector('#grad-check-verdict').dataset.verdict === 'wrong', null, { timeout: 60_000 });
  const wrong = Number.parseFloat(await page.textContent('#grad-check-difference'));
  assert.ok(wrong > 1e-3, `with the planted mistake: ${wrong}`);
  // The mistake is dW2's: its entries turn red, the others stay right.
  assert.equal(await page.locator('#grad-check-table figure:nth-child(3) td.diff-bad').count(), 4);
  assert.equal(await page.locator('#grad-check-table figure:nth-child(1) td.diff-bad').count(), 0);

  // Training never uses it: 50 steps cost what they cost without it.
  assert.equal(await page.textContent('#cost'), costBefore);
  await page.$eval('#step', (button) => { for (let i = 0; i < 50; i += 1) button.click(); });
  await nextFrames(page);
  const withSwitch = await page.textContent('#cost');
  const fresh = await openPlanar(shared.browser, shared.server.url, PAUSED);
  await fresh.page.$eval('#step', (button) => { for (let i = 0; i < 50; i += 1) button.click(); });
  await nextFrames(fresh.page);
  assert.equal(withSwitch, await fresh.page.textContent('#cost'));
  await fresh.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the gradient check passes a 3-layer ReLU network built from a link, after training too', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, `${shared.server.url}?layers=8,8&activation=relu&init=he`, PAUSED);
  await page.waitForFunction(() => document.querySelectorAll('#network-editor .layer-item').length === 2);
  const atStart = await checkGradients(page);
  assert.ok(atStart < 1e-7, `at iteration 0: ${atStart}`);
  // W1 8×2, b1 8, W2 8×8, b2 8, W3 1×8, b3 1.
  assert.equal(await page.locator('#grad-check-table td').count(), 16 + 8 + 64 + 8 + 8 + 1);
  await trainUntil(page, 200);
  const trained = await checkGradients(page);
  assert.ok(trained < 1e-7, `after training: ${trained}`);
  await page.check('#plant-bug');
  await page.waitForFunction(() => document.querySelector('#grad-check-verdict').dataset.verdict === 'wrong', null, { timeout: 60_000 });
  assert.ok(Number.parseFloat(await page.textContent('#grad-check-difference')) > 1e-3);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the next step: α marked, a rising region shaded at α = 10 on the flower, α set by click and keys', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, `${shared.server.url}?lr=10`, PAUSED);
  // A few iterations at α = 10 bring the run where a step that long overshoots.
  await page.$eval('#step', (button) => { for (let i = 0; i < 20; i += 1) button.click(); });
  await page.waitForFunction(() => document.querySelector('#lookahead').dataset.rate === '10'
    && document.querySelector('#lookahead').dataset.iteration === '20');
  await nextFrames(page);
  const rising = await page.$eval('#lookahead', (root) => root.dataset.rising);
  assert.ok(rising.length > 0, 'no rising region');
  const ranges = rising.split(' ').map((range) => range.split('-').map(Number));
  assert.ok(ranges.some(([from, to]) => from <= 10 && to >= 9.9), `α = 10 is not in a rising region: ${rising}`);
  assert.match(await page.textContent('#lookahead-readout'), /At α = 10 the next step raises J/);
  assert.match(await page.textContent('#lookahead-stable'), /2\/λmax ≈ \d/);

  // The chart: at α's x (the right end of the axis, 10) the orange marker;
  // just left of it, inside the shaded range, the shade over the white card.
  await page.locator('#lookahead-chart').scrollIntoViewIfNeeded();
  const box = await page.locator('#lookahead-chart').boundingBox();
  const right = box.width - 34;
  const [r, g, b] = await canvasPixel(page, '#lookahead-chart', right - 1, 40);
  assert.ok(r > 180 && g < 140 && b < 80, `marker at α: ${[r, g, b]}`);
  const from = Math.max(...ranges.filter(([, to]) => to >= 9.9).map(([start]) => start));
  const shadeX = 44 + ((Math.log10(from / 0.001) + 4) / 2 / 4) * (box.width - 78);
  const shade = await canvasPixel(page, '#lookahead-chart', Math.min(right - 8, shadeX), 15);
  assert.ok(shade[3] > 20 && shade[3] < 120, `the shade: ${shade}`);

  // Clicking at η = 0.1 (the axis's middle) sets α there; the keys move it.
  await page.mouse.click(box.x + 44 + (box.width - 78) / 2, box.y + 60);
  await page.waitForFunction(() => Math.abs(Number(document.querySelector('#lr-value').textContent) - 0.1) < 0.005);
  const clicked = Number(await page.textContent('#lr-value'));
  await page.focus('#lookahead-chart');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((before) => Number(document.querySelector('#lr-value').textContent) > before, clicked);
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('#lr-value').textContent === '10');
  await page.waitForFunction(() => document.querySelector('#lookahead-chart').getAttribute('aria-valuenow') === '10');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the landscape draws with the path while the page keeps drawing frames', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, PAUSED);
  await trainUntil(page, 600);
  await page.selectOption('#landscape-directions', 'path');
  // Frame gaps while it is computed, from requestAnimationFrame.
  await page.evaluate(() => {
    window.frameGaps = [];
    let last = performance.now();
    const tick = (now) => {
      window.frameGaps.push(now - last);
      last = now;
      if (!document.querySelector('#landscape').dataset.drawn) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.waitForFunction(() => document.querySelector('#landscape').dataset.drawn === 'path', null, { timeout: 60_000 });
  const gaps = await page.evaluate(() => window.frameGaps);
  assert.ok(gaps.length > 5, `only ${gaps.length} frames: it was drawn in one go`);
  assert.ok(Math.max(...gaps) < 100, `a frame took ${Math.max(...gaps).toFixed(1)} ms (frame ${gaps.indexOf(Math.max(...gaps))} of ${gaps.length})`);
  assert.match(await page.textContent('#landscape-status'), /41 × 41 costs at iteration \d+, along the two main directions of the path: \d+ ms of computing/);

  // The heat map varies, the current point (orange) is at the centre, the path (white) is drawn.
  const box = await page.locator('#landscape-chart').boundingBox();
  const centre = await canvasPixel(page, '#landscape-chart', box.width / 2, box.height / 2);
  assert.ok(centre[0] > 180 && centre[1] < 140 && centre[2] < 80, `the current point: ${centre}`);
  const counts = await page.$eval('#landscape-chart', (canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let white = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245) white += 1;
      colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
    }
    return { white, colours: colours.size };
  });
  assert.ok(counts.white > 50, `path pixels: ${counts.white}`);
  assert.ok(counts.colours > 30, `a flat picture: ${counts.colours} colours`);

  // Random directions: another picture; each press, another pair.
  const pathDigest = await canvasDigest(page, 'landscape-chart');
  await page.selectOption('#landscape-directions', 'random');
  await page.waitForFunction(() => document.querySelector('#landscape').dataset.drawn === 'random', null, { timeout: 60_000 });
  const randomDigest = await canvasDigest(page, 'landscape-chart');
  assert.notDeepEqual(randomDigest, pathDigest);
  await page.click('#landscape-draw');
  await page.waitForFunction(() => document.querySelector('#landscape').dataset.drawn === 'random', null, { timeout: 60_000 });
  assert.notDeepEqual(await canvasDigest(page, 'landscape-chart'), randomDigest);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the path directions need a path: a fresh run says so and changes nothing', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, PAUSED);
  await page.selectOption('#landscape-directions', 'path');
  await page.waitForFunction(() => /No landscape: .*train a while first/.test(document.querySelector('#landscape-status').textContent));
  assert.equal(await page.textContent('#iteration'), '0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('which points drive the update: rings and the first layer\'s lines, or a note when the features are not x₁, x₂', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, PAUSED);
  await trainUntil(page, 300);
  const before = await canvasDigest(page, 'plot');
  await page.check('#drivers');
  await nextFrames(page);
  assert.notDeepEqual(await canvasDigest(page, 'plot'), before);
  assert.match(await page.textContent('#drivers-note'), /w·x \+ b = 0/);
  await page.uncheck('#drivers');
  await nextFrames(page);
  assert.deepEqual(await canvasDigest(page, 'plot'), before);
  await context.close();

  const other = await openPlanar(shared.browser, `${shared.server.url}?features=x1,x2,sinx1`, PAUSED);
  await other.page.check('#drivers');
  await other.page.waitForFunction(() => /not lines on this plane/.test(document.querySelector('#drivers-note').textContent));
  assert.deepEqual(other.problems, []);
  assert.deepEqual(problems, []);
  await other.context.close();
});

test('on a phone, every panel fits and works from the keyboard', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, PHONE);
  for (const selector of ['#lookahead', '#grad-check', '#landscape']) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `${selector} sticks out: ${JSON.stringify(box)}`);
  }
  // Keyboard only: Tab reaches the button, Enter runs the check.
  await page.focus('#plant-bug');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'grad-check-run');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^\d/.test(document.querySelector('#grad-check-difference').textContent), null, { timeout: 60_000 });
  const table = await page.locator('#grad-check-table').boundingBox();
  assert.ok(table.x + table.width <= 390, `the table sticks out: ${JSON.stringify(table)}`);
  await page.focus('#landscape-directions');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'landscape-draw');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#landscape').dataset.drawn === 'random', null, { timeout: 60_000 });
  const chart = await page.locator('#landscape-chart').boundingBox();
  assert.ok(chart.width > 200 && chart.x + chart.width <= 390);
  await page.locator('#lookahead').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(RESULTS, 'insight-390x844.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});
