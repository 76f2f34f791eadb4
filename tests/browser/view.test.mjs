// Data outside the plot: the wheel zooms about the pointer, Ctrl-drag pans,
// a point dragged past the edge goes there (no clamp to ±5), and Fit to data
// brings every point into view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { clickPlot, frames, openPlanar, pause, plotPoint, stateOf } from './persistence-helpers.mjs';

const shared = useBrowser();

/** The plane range the plot shows, from its accessible description. */
async function shownRange(page) {
  const label = await page.getAttribute('#plot', 'aria-label');
  const [, x0, x1, y0, y1] = /from (\S+) to (\S+) across and (\S+) to (\S+) up/.exec(label).map(Number);
  return { x0, x1, y0, y1 };
}

test('wheel zoom, Ctrl-drag pan, a drag past the edge and Fit to data', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(page);
  assert.deepEqual(await shownRange(page), { x0: -5, x1: 5, y0: -5, y1: 5 });
  const box = await page.locator('#plot').boundingBox();

  // Zoom in about the plane point (2.5, 2.5): it stays under the pointer.
  const at = await plotPoint(page, 2.5, 2.5);
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(() => !document.getElementById('plot').getAttribute('aria-label').includes('from -5 to 5'));
  const zoomed = await shownRange(page);
  const width = zoomed.x1 - zoomed.x0;
  assert.ok(width < 10 && width > 1, `zoomed to ${width}`);
  const fraction = (2.5 - zoomed.x0) / width;
  // The description rounds to 4 digits, the pointer to whole pixels.
  assert.ok(Math.abs(fraction - 0.75) < 2e-3, `2.5 is at ${fraction} of the width`);

  // Ctrl-drag 100 px to the right: the view moves left by 100 px worth of plane.
  await page.keyboard.down('Control');
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 400, box.y + 300, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Control');
  const panned = await shownRange(page);
  const moved = zoomed.x0 - panned.x0;
  assert.ok(Math.abs(moved - (100 / box.width) * width) < width * 0.01, `moved ${moved}`);
  assert.equal(await page.textContent('#points'), '400', 'panning adds no point');

  // Back to the plane's square; a point dragged past the right edge lands at x ≈ 7.
  await page.click('#clear');
  await clickPlot(page, 0, 0);
  await page.click('#fit-view');
  await page.waitForFunction(() => document.getElementById('plot').getAttribute('aria-label').includes('from -5 to 5'));
  await clickPlot(page, 4, 4);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '2');
  const from = await plotPoint(page, 4, 4);
  const to = await plotPoint(page, 7, 4);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  const state = await stateOf(page);
  const dragged = state.points.x[1];
  console.log(`zoomed to width ${width.toFixed(3)}, panned by ${moved.toFixed(3)}, dragged to x = ${dragged.toFixed(3)}`);
  assert.ok(Math.abs(dragged - 7) < 0.1, `dragged to ${dragged}`);

  await page.click('#fit-view');
  await page.waitForFunction(() => !document.getElementById('plot').getAttribute('aria-label').includes('from -5 to 5'));
  const fitted = await shownRange(page);
  assert.ok(fitted.x0 <= 0 && fitted.x1 >= 7 && fitted.y0 <= 0 && fitted.y1 >= 4, JSON.stringify(fitted));
  await frames(page, 2);
  assert.deepEqual(problems, []);
  await context.close();
});
