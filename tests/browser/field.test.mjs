// The plot's field keeps within its share of a frame for every network: a
// deep network's is sampled coarsely while it trains and drawn sharp a band
// of rows a frame once it stops, ending with the same pixels as a field
// drawn at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import {
  canvasDigest, frames, openPlanar, pause, waitForSave,
} from './persistence-helpers.mjs';

const shared = useBrowser();
const DEEP = '?layers=8,8,8,8,8,8&activation=relu&init=he&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&lr=0.01';

/** Pauses, and returns what the plot's field was in each frame until it was sharp. */
async function pauseAndWatch(page) {
  await page.evaluate(() => {
    window.fieldStates = [];
    const watch = () => {
      window.fieldStates.push(document.getElementById('plot').dataset.field);
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await pause(page);
  await page.waitForFunction(() => document.getElementById('plot').dataset.field === 'sharp', null, { timeout: 30_000 });
  await frames(page, 2);
  return page.evaluate(() => window.fieldStates);
}

test('a deep network\'s field is coarse while it trains, then sharp a band at a time: the pixels of a field drawn at once', async () => {
  const { page, context, problems } = await openPlanar(shared.browser, `${shared.server.url}${DEEP}`);
  await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) > 30
    && document.getElementById('plot').dataset.field === 'coarse', null, { timeout: 30_000 });
  const states = await pauseAndWatch(page);
  assert.ok(states.includes('refining'), `drawn a band at a time: ${states.join(' ')}`);
  const banded = await canvasDigest(page, 'plot');
  // Drawn again once whole (the pointer passing over it): the same field.
  const box = await page.locator('#plot').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await frames(page, 3);
  await page.mouse.move(1, 1);
  await frames(page, 3);
  assert.deepEqual(await canvasDigest(page, 'plot'), banded, 'drawn again, the same');
  const saved = await waitForSave(page, { paused: true });

  // The same state opened afresh: its first field is drawn at once.
  await page.reload();
  await page.waitForFunction((n) => document.getElementById('iteration').textContent === String(n), saved.iteration);
  await page.waitForFunction(() => document.getElementById('plot').dataset.field === 'sharp');
  await frames(page, 2);
  assert.deepEqual(await canvasDigest(page, 'plot'), banded, 'the same pixels');
  assert.deepEqual(problems, []);
  await context.close();
});
