// A seeded storm of 2,000 clicks, key presses and control changes, spread
// over two tabs of one browser: each page must end with no error, a finite
// cost, a point count that matches the engine's, and a saved work that a
// reload brings back (neither tab's saves touch the other's work).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { frames, openPlanar, pause, setRange, stateOf, waitForSave, whenReady } from './persistence-helpers.mjs';
import { prng } from '../prng.mjs';

const shared = useBrowser();


const ACTIONS = 2000;
const KEYS = ['0', '1', ' ', 's', 'r', 'n', 'u', 'Control+z', 'Escape', 'Tab'];
const ACTIVATIONS = ['tanh', 'relu', 'leaky_relu', 'sigmoid', 'linear'];
const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];

/** Takes the focus off a select or field, so that key presses reach the shortcuts. */
const blur = (page) => page.evaluate(() => document.activeElement?.blur?.());

/** One change of the network through the editor, as a reader would make it. */
async function editNetwork(page, r, log) {
  const layers = await page.$$eval('#network-editor .layer-item', (items) => items.length);
  const choice = r.int(5);
  if (choice === 0 || layers === 0) {
    const id = r.pick(['#add-layer', '#remove-layer']);
    log.push(`network ${id}`);
    if (!(await page.isDisabled(id))) await page.click(id);
  } else if (choice === 1) {
    const id = `#units-${r.pick(['plus', 'minus'])}-${1 + r.int(layers)}`;
    log.push(`network ${id}`);
    if (!(await page.isDisabled(id))) await page.click(id);
  } else if (choice === 2) {
    const [layer, activation] = [1 + r.int(layers), r.pick(ACTIVATIONS)];
    log.push(`network activation ${layer} ${activation}`);
    await page.selectOption(`#activation-${layer}`, activation);
  } else if (choice === 3) {
    const init = r.pick(['tutorial', 'xavier', 'he']);
    log.push(`network init ${init}`);
    await page.selectOption('#init', init);
  } else {
    const feature = r.pick(FEATURES);
    log.push(`network feature ${feature}`);
    await page.click(`#feature-${feature}`);
  }
  await blur(page);
  // The editor is further down the panel: clicking it scrolled the page, so
  // the plot's clicks would land elsewhere. Back to the top, as a reader would.
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function act(page, r, log, box, datasets) {
  const roll = r.next();
  const plane = () => (r.next() - 0.5) * 9.8;
  // Client coordinates of a plane point, for the plot's box when the action starts.
  const client = (p) => [box.x + ((p.x + 5) / 10) * box.width, box.y + ((5 - p.y) / 10) * box.height];
  if (roll < 0.45) {
    const kind = r.pick(['plain', 'plain', 'plain', 'shift', 'right']);
    const at = { x: plane(), y: plane() };
    log.push(`${kind} click ${at.x.toFixed(2)},${at.y.toFixed(2)}`);
    if (kind === 'shift') await page.keyboard.down('Shift');
    await page.mouse.click(...client(at), { button: kind === 'right' ? 'right' : 'left' });
    if (kind === 'shift') await page.keyboard.up('Shift');
  } else if (roll < 0.70) {
    const key = r.pick(KEYS);
    log.push(`key ${key}`);
    await page.keyboard.press(key);
  } else if (roll < 0.85) {
    const [id, low, high] = r.pick([['lr', -3, 1], ['speed', 0, 3]]);
    const value = low + r.next() * (high - low);
    log.push(`${id} ${value.toFixed(3)}`);
    await setRange(page, id, value);
  } else if (roll < 0.90) {
    await editNetwork(page, r, log);
  } else if (roll < 0.94) {
    const dataset = r.pick(datasets);
    log.push(`dataset ${dataset}`);
    await page.selectOption('#dataset', dataset);
    await blur(page);
  } else if (roll < 0.97) {
    const button = r.pick(['#play', '#step', '#clear', '#undo', '#reset']);
    log.push(`button ${button}`);
    if (!(await page.isDisabled(button))) await page.click(button);
  } else if (roll < 0.99) {
    // A drag from wherever a point may be to somewhere else.
    const from = { x: plane(), y: plane() };
    log.push(`drag ${from.x.toFixed(2)},${from.y.toFixed(2)}`);
    await page.mouse.move(...client(from));
    await page.mouse.down();
    for (let i = 0; i < 3; i++) await page.mouse.move(...client({ x: plane(), y: plane() }), { steps: 2 });
    await page.mouse.up();
  } else {
    const on = r.next() < 0.5;
    log.push(`log scale ${on}`);
    await page.setChecked('#log-scale', on);
    await blur(page);
  }
}

/** Everything a reload must bring back, after the page's last save. */
async function settle(page) {
  await pause(page);
  await frames(page, 3);
  const points = await page.textContent('#points');
  const cost = await page.textContent('#cost');
  if (points === '0') assert.equal(cost, '–');
  else assert.ok(Number.isFinite(Number.parseFloat(cost)), `#cost is ${cost}`);
  const state = await stateOf(page);
  assert.equal(String(state.points.x.length), points, 'the readout matches the engine');
  await waitForSave(page);
  return state;
}

test(`a storm of ${ACTIONS} random actions over two tabs leaves two working, consistent, restorable pages`, async () => {
  const first = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  const second = await first.context.newPage();
  const problems = first.problems;
  second.on('pageerror', (error) => problems.push(`uncaught (second tab): ${error.message}`));
  second.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error (second tab): ${message.text()}`);
  });
  await second.goto(shared.server.url);
  await whenReady(second);
  const tabs = [{ page: first.page }, { page: second }];
  const r = prng(20240601);
  const log = [];
  const datasets = await first.page.$$eval('#dataset option', (options) => options.map((option) => option.value));
  assert.equal(datasets.length, 7);
  for (let i = 0; i < ACTIONS; i++) {
    const which = r.int(2);
    const { page } = tabs[which];
    // Tab may move the focus below the fold and scroll the page: clicks aim at where the plot is now.
    const box = await page.locator('#plot').boundingBox();
    await act(page, r, log, box, datasets);
    log[log.length - 1] = `tab ${which}: ${log.at(-1)}`;
    if (problems.length > 0) assert.fail(`after action ${i} (${log.at(-1)}):\n${problems.join('\n')}\nlast actions:\n${log.slice(-20).join('\n')}`);
    if (i % 250 === 0) {
      assert.equal(await page.isHidden('#error'), true, `fatal error after action ${i} (${log.at(-1)})`);
      assert.deepEqual((await page.locator('#plot').boundingBox()).width, box.width, 'the plot keeps its size');
    }
  }
  const states = [];
  for (const { page } of tabs) states.push(await settle(page));

  // Reload in the opposite order of the last saves: each tab gets its own work back.
  for (const { page } of [...tabs].reverse()) {
    await page.reload();
    await whenReady(page);
  }
  for (const [k, { page }] of tabs.entries()) {
    await page.waitForFunction((n) => document.querySelector('#points').textContent === n, String(states[k].points.x.length));
    const restored = await stateOf(page);
    for (const key of ['settings', 'model', 'points', 'weights', 'iteration']) assert.deepEqual(restored[key], states[k][key], `tab ${k}: ${key}`);
    assert.equal(await page.isHidden('#error'), true);
  }
  assert.deepEqual(problems, []);
  await first.context.close();
});
