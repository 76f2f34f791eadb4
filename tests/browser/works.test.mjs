// Every tab its own work: two tabs of one browser never overwrite each
// other's work, a link opens as a new work and leaves the earlier one in
// Recent, two tabs showing the same work stay consistent, and the one saved
// state of earlier versions moves into the works intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import {
  clickPlot, openPlanar, pause, play, savedState, savedWorks, stateOf, waitForMessage, waitForSave, whenReady,
} from './persistence-helpers.mjs';

const shared = useBrowser();

const pointsShown = (page) => page.textContent('#points');
const waitForPoints = (page, n) => page.waitForFunction((count) => document.querySelector('#points').textContent === String(count), n);

/** A second tab in the same browser profile, ready. */
async function secondTab(context, url = shared.server.url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  await whenReady(page);
  return { page, problems };
}

/** Waits until the tab's saved work is past iteration `n`; returns it. */
async function savedAfter(page, n) {
  for (;;) {
    const saved = await savedState(page);
    if (saved?.iteration > n) return saved;
    await page.waitForTimeout(200);
  }
}

async function reload(page) {
  await page.reload();
  await whenReady(page);
}

test('two tabs edit different works, and each survives reloads in any order', async () => {
  const a = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(a.page);
  await a.page.click('#clear');
  for (let i = 0; i < 6; i++) await clickPlot(a.page, -4 + i, 1);
  await waitForPoints(a.page, 6);
  const savedA = await waitForSave(a.page);

  const b = await secondTab(a.context);
  assert.equal(await pointsShown(b.page), '400', 'a new tab does not take over the work another tab shows');
  await pause(b.page);
  await b.page.selectOption('#dataset', 'moons');
  await clickPlot(b.page, 4, 4);
  await clickPlot(b.page, -4, -4);
  await waitForPoints(b.page, 402);
  const savedB = await waitForSave(b.page);
  const stateA = await stateOf(a.page);
  const stateB = await stateOf(b.page);

  for (const order of [[a.page, b.page], [b.page, a.page], [a.page, a.page, b.page]]) {
    for (const page of order) await reload(page);
    await waitForPoints(a.page, 6);
    await waitForPoints(b.page, 402);
  }
  assert.deepEqual((await stateOf(a.page)).points, stateA.points);
  assert.deepEqual((await stateOf(b.page)).points, stateB.points);
  assert.equal(savedA.points.count, 6);
  assert.equal(savedB.points.count, 402);
  const works = await savedWorks(a.page);
  assert.deepEqual(works.map((work) => work.points).sort((x, y) => x - y), [6, 402]);
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
});

test('a tab that only trains never overwrites another tab\'s work', async () => {
  const a = await openPlanar(shared.browser, shared.server.url);
  await pause(a.page);
  await a.page.click('#clear');
  for (const [x, y] of [[1, 1], [2, -1], [-3, 2]]) await clickPlot(a.page, x, y);
  await waitForPoints(a.page, 3);
  const before = await waitForSave(a.page);

  const b = await secondTab(a.context);
  await play(b.page);
  // Training saves every 2 s: wait for two such saves of the training tab.
  const first = await savedAfter(b.page, 50);
  const second = await savedAfter(b.page, first.iteration);
  console.log(`the training tab saved at iterations ${first.iteration} and ${second.iteration}`);

  await reload(a.page);
  await waitForPoints(a.page, 3);
  const after = await waitForSave(a.page);
  assert.deepEqual(after.points, before.points);
  assert.equal(after.iteration, before.iteration);
  const works = await savedWorks(a.page);
  assert.deepEqual(works.map((work) => work.points).sort((x, y) => x - y), [3, 400]);
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
});

test('a link opened in a new tab is a new work; the earlier work stays in Recent, intact', async () => {
  // The link comes from elsewhere: another profile's tutorial.
  const sharer = await openPlanar(shared.browser, shared.server.url);
  await pause(sharer.page);
  await sharer.page.click('#share');
  await waitForMessage(sharer.page, /link/);
  const link = sharer.page.url();
  await sharer.context.close();

  const a = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(a.page);
  await a.page.click('#clear');
  for (let i = 0; i < 5; i++) await clickPlot(a.page, i - 2, -i + 2);
  await waitForPoints(a.page, 5);
  await waitForSave(a.page);
  const mine = await stateOf(a.page);
  await a.page.close();

  const b = await secondTab(a.context, link);
  await waitForMessage(b.page, /Opened a shared link as a new work. Your other works are in Recent/);
  await waitForPoints(b.page, 400);
  await waitForSave(b.page);
  const works = await savedWorks(b.page);
  assert.equal(works.length, 2);
  assert.deepEqual(works.map((work) => work.points).sort((x, y) => x - y), [5, 400]);

  // The same link opened again later is the link, not the saved work, and a new work again.
  const c = await secondTab(a.context, link);
  await waitForMessage(c.page, /Opened a shared link as a new work/);
  await waitForPoints(c.page, 400);
  await waitForSave(c.page);
  assert.equal((await savedWorks(c.page)).length, 3);

  await b.page.click('#recent-button');
  await b.page.locator('.recent-item', { hasText: '5 points ·' }).locator('.recent-open').click();
  await waitForPoints(b.page, 5);
  const reopened = await stateOf(b.page);
  for (const key of ['points', 'settings', 'weights', 'iteration']) assert.deepEqual(reopened[key], mine[key], key);
  assert.deepEqual([...b.problems, ...c.problems], []);
  await a.context.close();
});

test('the same work in two tabs stays consistent, and edits made in both are both kept', async () => {
  const a = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(a.page);
  await a.page.click('#clear');
  await clickPlot(a.page, 1, 1);
  await waitForPoints(a.page, 1);
  await waitForSave(a.page);

  // A duplicated tab shows the same work (sessionStorage is copied with it).
  const id = await a.page.evaluate(() => sessionStorage.getItem('planar:work'));
  const b = await secondTab(a.context, 'about:blank');
  await b.page.addInitScript((work) => {
    if (!sessionStorage.getItem('planar:work')) sessionStorage.setItem('planar:work', work);
  }, id);
  await b.page.goto(shared.server.url);
  await whenReady(b.page);
  await waitForPoints(b.page, 1);

  // An edit in one tab shows in the other, both ways.
  await clickPlot(a.page, 2, 2);
  await waitForPoints(b.page, 2);
  await pause(b.page);
  await clickPlot(b.page, -2, -2);
  await waitForPoints(a.page, 3);
  assert.deepEqual((await stateOf(a.page)).points, (await stateOf(b.page)).points);
  assert.equal((await savedWorks(a.page)).length, 1);

  // Training in one tab: the other follows, paused, and neither loses anything.
  await play(a.page);
  await a.page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 30);
  await pause(a.page);
  const trained = await waitForSave(a.page);
  await b.page.waitForFunction((n) => document.querySelector('#iteration').textContent === String(n), trained.iteration);
  assert.equal(await b.page.textContent('#play'), 'Play');

  // Edits in both at once: whichever comes second is kept as a new work.
  await Promise.all([clickPlot(a.page, 3, -3), clickPlot(b.page, -3, 3)]);
  await a.page.waitForTimeout(1500);
  const works = await savedWorks(a.page);
  const pointsA = (await stateOf(a.page)).points;
  const pointsB = (await stateOf(b.page)).points;
  const has = (points, x, y) => points.x.some((px, i) => Math.abs(px - x) < 0.1 && Math.abs(points.y[i] - y) < 0.1);
  assert.ok(has(pointsA, 3, -3) || has(pointsB, 3, -3), 'the edit in the first tab is kept');
  assert.ok(has(pointsA, -3, 3) || has(pointsB, -3, 3), 'the edit in the second tab is kept');
  if (works.length === 2) {
    assert.match(works.map((work) => work.name).join('|'), /\(copy\)/);
  } else {
    assert.equal(works.length, 1);
    assert.deepEqual(pointsA, pointsB);
  }
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
});

test('the state saved by an earlier version moves into the works, intact', async () => {
  // As an earlier Planar saved it: one JSON document in localStorage.
  const earlier = {
    format: 'planar',
    version: 1,
    settings: { dataset: 'empty', learningRate: 0.5, hidden: 2, speed: 7, playing: false, selectedClass: 0 },
    points: { x: [1.5, -2, 3.25], y: [0.5, 4, -1], label: [0, 1, 1] },
    weights: { hidden: 2, values: [0.1, -0.2, 0.3, -0.4, 0.01, 0.02, 0.5, -0.6, 0.03] },
    iteration: 42,
  };
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, {
    context: { acceptDownloads: true },
    init: [[(text) => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('planar:state', text);
      localStorage.setItem('planar:link', 'v=1');
    }, JSON.stringify(earlier)]],
  });
  await waitForPoints(page, 3);
  const state = await stateOf(page);
  for (const key of ['points', 'iteration']) assert.deepEqual(state[key], earlier[key], key);
  // Exported as version 2: the same values, in the tutorial's model with its two units.
  assert.deepEqual(state.weights, { values: earlier.weights.values });
  assert.deepEqual(state.model, { features: ['x1', 'x2'], layers: [{ units: 2, activation: 'tanh' }], init: 'tutorial' });
  assert.equal(state.settings.learningRate, 0.5);
  assert.equal(await page.evaluate(() => localStorage.getItem('planar:state')), null, 'moved, not copied');
  const works = await savedWorks(page);
  assert.equal(works.length, 1);
  assert.equal(works[0].id, 'saved-before-works');
  assert.match(works[0].name, /^Saved work/);
  await reload(page);
  await waitForPoints(page, 3);
  assert.deepEqual((await stateOf(page)).points, earlier.points);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Recent renames and deletes works; a deletion can be undone', async () => {
  const a = await openPlanar(shared.browser, shared.server.url);
  await pause(a.page);
  await a.page.click('#clear');
  await clickPlot(a.page, 1, 1);
  await waitForSave(a.page);
  const b = await secondTab(a.context);
  await pause(b.page);
  await clickPlot(b.page, 2, 2);
  await waitForPoints(b.page, 401);
  await waitForSave(b.page);

  await b.page.click('#recent-button');
  const other = b.page.locator('.recent-item', { hasText: '1 point ·' });
  await other.locator('.recent-rename').click();
  await b.page.fill('.recent-name', '<b>my one point</b>');
  await b.page.keyboard.press('Enter');
  await b.page.locator('.recent-open', { hasText: '<b>my one point</b>' }).waitFor();
  assert.equal((await savedWorks(b.page)).find((work) => work.points === 1).name, '<b>my one point</b>');

  await b.page.locator('.recent-item', { hasText: 'my one point' }).locator('.recent-delete').click();
  await b.page.locator('.recent-deleted', { hasText: 'Deleted “<b>my one point</b>”' }).waitFor();
  assert.equal((await savedWorks(b.page)).length, 1);
  await b.page.locator('.recent-deleted .recent-undo').click();
  await b.page.locator('.recent-open', { hasText: 'my one point' }).waitFor();
  assert.equal((await savedWorks(b.page)).length, 2);
  // The tab that shows it still has it, and a reload there still opens it.
  await reload(a.page);
  await waitForPoints(a.page, 1);
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
});
