// Training in a Worker: the page's thread only draws while the run trains
// elsewhere, every edit made while it trains lands in order, and a Worker
// that cannot load or crashes leaves a message and the work intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { clickStep } from './page-helpers.mjs';
import {
  canvasDigest, clickPlot, dismissMessage, frames, openPlanar, pause, play, plotPoint, setRange, stateOf, waitForMessage,
  waitForSave, whenReady,
} from './persistence-helpers.mjs';

const shared = useBrowser();

const iterationOf = async (page) => Number(await page.textContent('#iteration'));
/** The speed slider's rightmost position: 10³ = 1000 iterations a frame, the fastest. */
const FASTEST = 3;
/** Where the page's own thread trains, the most iterations it runs in a frame (the speed setting's top). */
const MOST_PER_FRAME = 1000;
const WORKER_CHUNK = /\/assets\/train-worker-[^/]*\.js$/;

/** Plays at the fastest speed until the run is `beyond` iterations further on. */
async function trainFast(page, beyond = 2000) {
  await setRange(page, 'speed', FASTEST);
  await play(page);
  const start = await iterationOf(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n, start + beyond, { timeout: 60_000 });
}

test('the run trains in the Worker: it goes on while the page\'s thread is busy, and that thread has no long task while training', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  assert.ok(page.workers().some((worker) => WORKER_CHUNK.test(worker.url())), 'the training Worker runs');
  // A generous warm-up: the Worker's engine is loaded and has trained for a while.
  await trainFast(page, 3000);

  // Three seconds in which the page's thread does nothing but wait: the run
  // goes on in the Worker (for two seconds after the page's last grant),
  // and the first frames after take all it did. On this thread at most two
  // frames' worth could have been trained.
  const { before, after } = await page.evaluate(() => new Promise((done) => {
    const read = () => Number(document.querySelector('#iteration').textContent);
    requestAnimationFrame(() => {
      const start = read();
      const until = performance.now() + 3000;
      while (performance.now() < until) { /* the page's thread is busy */ }
      requestAnimationFrame(() => requestAnimationFrame(() => done({ before: start, after: read() })));
    });
  }));
  assert.ok(after - before > 2 * MOST_PER_FRAME, `the run went on while the page's thread was busy: ${before} → ${after}`);

  // Long tasks of the page's thread (50 ms or more), over windows of two
  // seconds of training at full speed. The machine's other work can hold
  // the thread up now and then, so the best of a few windows counts: the
  // page's own work in a frame (the views drawing, the Worker's progress
  // taken) must leave one without any.
  const windows = [];
  for (let i = 0; i < 5 && !windows.some(({ longTasks }) => longTasks.length === 0); i += 1) {
    windows.push(await page.evaluate(() => new Promise((done) => {
      const read = () => Number(document.querySelector('#iteration').textContent);
      const longTasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
      });
      observer.observe({ type: 'longtask' });
      const start = read();
      setTimeout(() => {
        observer.disconnect();
        done({ longTasks, trained: read() - start });
      }, 2000);
    })));
  }
  console.log(`while training at full speed, 2 s windows: ${windows.map(({ trained, longTasks }) => `${trained} iterations, long tasks ${JSON.stringify(longTasks)}`).join('; ')}`);
  assert.ok(windows.every(({ trained }) => trained > 0), 'it trained while measured');
  assert.ok(windows.some(({ longTasks }) => longTasks.length === 0), 'a window without a task of 50 ms or more');
  assert.doesNotMatch(await page.textContent('#message'), /training worker/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('edits made while it trains at full speed all land, in order: points added, moved and removed, the learning rate', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await pause(page);
  await page.click('#class-0');
  const start = await stateOf(page);
  assert.equal(start.points.x.length, 400);
  await trainFast(page, 1000);

  const added = [[4.5, 4.5, 0], [-4.5, 4.5, 1], [4.5, -4.5, 0], [-4.5, -4.5, 1], [0.25, -4.75, 0], [-0.25, 4.75, 1]];
  for (const [x, y, label] of added.slice(0, 3)) await clickPlot(page, x, y, { shift: label === 1 });
  await setRange(page, 'lr', Math.log10(0.5));
  await clickPlot(page, 4.5, -4.5, { right: true });
  for (const [x, y, label] of added.slice(3)) await clickPlot(page, x, y, { shift: label === 1 });
  // A drag of the second point added, across the plane, a move at a time.
  const from = await plotPoint(page, -4.5, 4.5);
  const to = await plotPoint(page, -3, 3);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i += 1) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
  }
  await page.mouse.up();
  await setRange(page, 'lr', Math.log10(0.2));
  const edited = await iterationOf(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 500, edited, { timeout: 60_000 });
  await pause(page);

  const state = await stateOf(page);
  assert.equal(state.settings.learningRate, 0.2);
  assert.equal(state.settings.speed, 1000);
  const { x, y, label } = state.points;
  assert.equal(x.length, 400 + added.length - 1, 'every point added is there, the removed one is not');
  assert.deepEqual(x.slice(0, 400), start.points.x, 'the data set\'s points stay, in their order');
  assert.deepEqual(y.slice(0, 400), start.points.y);
  assert.deepEqual(label.slice(0, 400), start.points.label);
  const expected = added.filter((_, i) => i !== 2).map(([px, py, l], i) => (i === 1 ? [-3, 3, l] : [px, py, l]));
  // A click lands on a pixel: within two of the plane location.
  const pixel = 20 / (await page.locator('#plot').boundingBox()).width;
  expected.forEach(([px, py, l], i) => {
    const at = 400 + i;
    assert.equal(label[at], l, `point ${at}'s class`);
    assert.ok(Math.abs(x[at] - px) <= pixel && Math.abs(y[at] - py) <= pixel, `point ${at} at (${x[at]}, ${y[at]}), wanted (${px}, ${py})`);
  });
  assert.equal(state.iteration, await iterationOf(page));
  assert.ok(state.iteration > edited + 500);
  assert.ok(Number.isFinite(Number(await page.textContent('#cost'))));
  assert.deepEqual(problems, []);
  await context.close();
});

// Mini-batches of Adam with L2 on a noisy flower, 30 % held out, two layers.
const ADAM = '?dataset=flower&noise=0.3&points=300&train=70&layers=8,6&activation=tanh&init=he&optimizer=adam&batch=32&l2=0.1&lr=0.01';

test('the run trained in the Worker is the one the page trains with the Step button, bit for bit', async () => {
  const trained = await openPlanar(shared.browser, `${shared.server.url}${ADAM}`);
  await waitForMessage(trained.page, /Opened/);
  await trainFast(trained.page, 1500);
  await pause(trained.page);
  const fast = await stateOf(trained.page);

  const stepped = await openPlanar(shared.browser, `${shared.server.url}${ADAM}`);
  await waitForMessage(stepped.page, /Opened/);
  await pause(stepped.page);
  await clickStep(stepped.page, fast.iteration - await iterationOf(stepped.page));
  await stepped.page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) === n, fast.iteration);
  const slow = await stateOf(stepped.page);

  assert.equal(slow.iteration, fast.iteration);
  assert.equal(slow.updates, fast.updates);
  assert.deepEqual(slow.weights, fast.weights, 'the same weights, to the last bit');
  assert.deepEqual(slow.history, fast.history, 'and the same cost history');
  assert.deepEqual(slow.testHistory, fast.testHistory);
  // The readouts and the plot's marks of misclassified points: the Worker's
  // evaluation (adopted by the page) is the page's own, bit for bit.
  const shown = async (page) => {
    await frames(page, 2);
    return page.evaluate(() => ['cost', 'accuracy', 'test-cost', 'test-accuracy']
      .map((id) => document.getElementById(id).textContent));
  };
  assert.deepEqual(await shown(trained.page), await shown(stepped.page));
  assert.deepEqual(await canvasDigest(trained.page, 'plot'), await canvasDigest(stepped.page, 'plot'));
  for (const { problems, context } of [trained, stepped]) {
    assert.deepEqual(problems, []);
    await context.close();
  }
});

/** Serves the training Worker's chunk through `rewrite(text)` for the pages of `context`. */
async function rewriteWorker(context, rewrite) {
  await context.route(WORKER_CHUNK, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: rewrite(await response.text()) });
  });
}

test('a Worker that crashes while training leaves a message, training goes on in the page, and the points survive a reload', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, 'about:blank', { context: { serviceWorkers: 'block' } });
  // The real Worker, which breaks two seconds after it started: an uncaught error.
  await rewriteWorker(context, (text) => `${text}\nsetTimeout(() => { throw new Error('the training worker broke'); }, 2000);\n`);
  await page.goto(shared.server.url);
  await whenReady(page);
  await setRange(page, 'speed', FASTEST);
  await play(page);
  const message = await waitForMessage(page, /training worker stopped/);
  assert.match(message, /the training worker broke/);
  assert.match(message, /Nothing was lost/);
  await dismissMessage(page);

  // Training goes on in the page, and edits land.
  const after = await iterationOf(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 200, after);
  await clickPlot(page, 4.5, 4.5);
  await clickPlot(page, -4.5, -4.5, { shift: true });
  await page.waitForFunction(() => document.querySelector('#points').textContent === '402');
  await pause(page);
  // Saved paused: the reload shows the same iteration, not one trained on.
  await waitForSave(page, { paused: true });
  const saved = await stateOf(page);

  await context.unroute(WORKER_CHUNK);
  await page.reload();
  await whenReady(page);
  await pause(page);
  const restored = await stateOf(page);
  assert.deepEqual(restored.points, saved.points);
  assert.equal(restored.iteration, saved.iteration);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Worker that cannot load leaves a message in the reader\'s language and training goes on in the page', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, 'about:blank', { context: { serviceWorkers: 'block', locale: 'ru-RU' } });
  await rewriteWorker(context, () => 'export const broken = ;\n');
  await page.goto(shared.server.url);
  await whenReady(page);
  const message = await waitForMessage(page, /фоновый поток обучения остановился/);
  assert.match(message, /Ничего не потеряно/);
  await page.click('button[data-language="en"]');
  await setRange(page, 'speed', FASTEST);
  await play(page);
  const start = await iterationOf(page);
  await page.waitForFunction((n) => Number(document.querySelector('#iteration').textContent) > n + 500, start);
  await frames(page);
  assert.deepEqual(problems, []);
  await context.close();
});
