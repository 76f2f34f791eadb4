// The page from the keyboard alone: Tab reaches every control in the order
// of the page, each with a visible focus; the plot takes a cursor moved by
// the arrow keys, adds points of either class and removes one, saying each;
// the live readouts are said politely, not every frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { nextFrames, plotPixels } from './page-helpers.mjs';
import { openPlanar, stateOf } from './persistence-helpers.mjs';

const shared = useBrowser();

/** Every control a keyboard should reach: enabled, shown, and (for radios) the checked one of its group. */
function expectedStops(page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('button, input, select, textarea, a[href], summary, [tabindex]')];
    return all.filter((node) => {
      if (node.disabled || node.tabIndex < 0 || node.closest('[hidden]') || node.getClientRects().length === 0) return false;
      // A closed disclosure's content waits for it to open; its summary is a stop.
      const closed = node.closest('details:not([open])');
      if (closed && node !== closed.querySelector('summary')) return false;
      if (node.type === 'radio' && !node.checked) return false;
      return getComputedStyle(node).visibility !== 'hidden';
    }).map((node, index) => {
      node.dataset.stop = String(index);
      return index;
    });
  });
}

/** Presses Tab until the focus comes round again; for each stop, its mark and whether its focus is visible. */
async function tabThrough(page, limit) {
  const stops = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const node = document.activeElement;
      if (!node || node === document.body) return null;
      const style = getComputedStyle(node);
      const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== 'none';
      return {
        stop: node.dataset.stop ?? null,
        name: node.id || `${node.tagName.toLowerCase()}.${node.className}`,
        visible: node.matches(':focus-visible') && (outline || shadow),
      };
    });
    if (stop === null) continue;
    if (stops.length > 0 && stop.stop === stops[0].stop) break;
    stops.push(stop);
  }
  return stops;
}

test('Tab reaches every control in the order of the page, each with a visible focus', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, { viewport, context: { reducedMotion: 'reduce' } });
    const expected = await expectedStops(page);
    assert.ok(expected.length > 30, `only ${expected.length} controls found`);
    const stops = await tabThrough(page, expected.length + 20);
    // The diagram's node maps may be drawn again after the marking: they are stops too, unmarked.
    const reached = stops.filter((s) => s.stop !== null).map((s) => Number(s.stop));
    const missed = expected.filter((index) => !reached.includes(index));
    assert.deepEqual(missed, [], `Tab never reaches: ${missed.join(', ')}`);
    // The order is the page's: each stop comes after the one before it.
    const order = reached;
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `Tab order: ${stops.map((s) => `${s.name}#${s.stop}`).join(" → ")}`);
    const unseen = stops.filter((s) => !s.visible).map((s) => s.name);
    assert.deepEqual(unseen, [], 'every focused control shows a focus ring');
    assert.equal(stops[0].name, await page.$eval('.language-switch button', (b) => b.id || `button.${b.className}`), 'the language switch comes first');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the plot from the keyboard: arrows move a cursor, Enter and Shift+Enter add either class, Delete removes; each is said', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url, {
    context: { reducedMotion: 'reduce', acceptDownloads: true },
  });
  await page.selectOption('#dataset', 'empty');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '0');
  const status = () => page.textContent('#plot-status');
  assert.equal(await page.getAttribute('#plot-status', 'aria-live'), 'polite');

  // From the fit button, Shift+Tab goes back to the plot: keyboard focus.
  await page.focus('#fit-view');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'plot');
  assert.equal(await status(), 'Cursor at (0, 0); no point under it.');
  for (let i = 0; i < 8; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  assert.equal(await status(), 'Cursor at (2, 1.25); no point under it.');
  // The cursor is drawn: a dark crosshair at its place on the empty plane.
  await nextFrames(page);
  const [[centre]] = await plotPixels(page, [[2, 1.25]]);
  assert.ok(centre.every((channel) => channel < 60), `the cursor's centre is drawn as ${centre}`);

  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '1');
  assert.equal(await status(), 'Added a point of class 1 at (2, 1.25).');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+Enter');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '2');
  assert.equal(await status(), 'Added a point of class 0 at (2, -1.25).');
  const added = (await stateOf(page)).points;
  assert.deepEqual({ x: added.x, y: added.y, label: added.label }, { x: [2, 2], y: [1.25, -1.25], label: [1, 0] });

  // Back onto the first point: it is named, and Delete removes it.
  await page.focus('#plot');
  for (let i = 0; i < 2; i += 1) await page.keyboard.press('Shift+ArrowUp');
  assert.equal(await status(), 'Cursor at (2, 1.25); a point of class 1 under it.');
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => document.querySelector('#points').textContent === '1');
  assert.equal(await status(), 'Removed the point of class 1 at (2, 1.25).');
  await page.keyboard.press('Delete');
  assert.equal(await status(), 'No point near the cursor to remove.');
  assert.equal(await page.textContent('#points'), '1');
  assert.deepEqual((await stateOf(page)).points.label, [0]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the readouts are said politely, now and then, not every frame', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, shared.server.url);
  assert.equal(await page.getAttribute('#readout-status', 'aria-live'), 'polite');
  const { said, iterations, elapsed } = await page.evaluate(() => new Promise((done) => {
    const region = document.querySelector('#readout-status');
    const iteration = document.querySelector('#iteration');
    let said = 0;
    let iterations = 0;
    const watch = (node, count) => new MutationObserver(count).observe(node, { childList: true, characterData: true, subtree: true });
    watch(region, () => { said += 1; });
    watch(iteration, () => { iterations += 1; });
    const start = performance.now();
    setTimeout(() => done({ said, iterations, elapsed: performance.now() - start }), 5000);
  }));
  assert.ok(iterations > 20, `the readouts moved ${iterations} times`);
  assert.ok(said >= 1, 'the region was updated');
  assert.ok(said <= 1 + elapsed / 2000, `the region changed ${said} times in ${Math.round(elapsed)} ms`);
  assert.match(await page.textContent('#readout-status'), /^Iteration \d+, cost 0\.\d{6}, accuracy \d+\.\d\d %\.$/);
  assert.deepEqual(problems, []);
  await context.close();
});
