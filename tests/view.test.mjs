// The plot's view (www/view.js): fitting the data, zooming about a point,
// panning, ticks, and the limits that keep it finite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_HALF_WIDTH, MIN_HALF_WIDTH, contains, countOutside, createViewState, fitView, panBy, ticks, zoomAt,
} from '../www/view.js';
import { prng } from './prng.mjs';

const HOME = { cx: 0, cy: 0, halfWidth: 5 };

test('fitting: data inside the plane keeps the plane; data outside gets a square that holds it all', () => {
  assert.deepEqual(fitView({ x: [], y: [] }, HOME), HOME);
  assert.deepEqual(fitView({ x: [1, -4.9], y: [4.9, 0] }, HOME), HOME);
  const r = prng(3);
  const points = { x: [], y: [] };
  for (let i = 0; i < 200; i++) {
    points.x.push(r.next() * 100);
    points.y.push(r.next() * 100);
  }
  const view = fitView(points, HOME);
  assert.equal(countOutside(view, points), 0);
  assert.equal(countOutside(HOME, points) > 150, true);
  assert.ok(view.halfWidth > 45 && view.halfWidth < 60, `half width ${view.halfWidth}`);
  assert.ok(Math.abs(view.cx - 50) < 3 && Math.abs(view.cy - 50) < 3);
  const one = fitView({ x: [1e5], y: [-1e5] }, HOME);
  assert.deepEqual(one, { cx: 1e5, cy: -1e5, halfWidth: 5 });
  assert.ok(contains(one, 1e5, -1e5));
});

test('zooming keeps the point under the pointer in place; panning moves by plane units', () => {
  const zoomed = zoomAt(HOME, 2, -1, 0.5);
  assert.deepEqual(zoomed, { cx: 1, cy: -0.5, halfWidth: 2.5 });
  // (2, -1) is at the same fraction of the view before and after.
  const fraction = (v, x) => (x - (v.cx - v.halfWidth)) / (2 * v.halfWidth);
  assert.equal(fraction(HOME, 2), fraction(zoomed, 2));
  assert.deepEqual(panBy(HOME, 3, -4), { cx: 3, cy: -4, halfWidth: 5 });
  assert.equal(zoomAt(HOME, 0, 0, 1e-9).halfWidth, MIN_HALF_WIDTH);
  assert.equal(zoomAt(HOME, 0, 0, 1e12).halfWidth, MAX_HALF_WIDTH);
  assert.deepEqual(panBy(HOME, Number.NaN, Infinity), { cx: 0, cy: 0, halfWidth: 5 });
  assert.deepEqual(panBy(HOME, 0, 5e6), { cx: 0, cy: 1e6, halfWidth: 5 });
});

test('ticks are round numbers inside the range', () => {
  assert.deepEqual(ticks(-5, 5), [-4, -2, 0, 2, 4]);
  assert.deepEqual(ticks(0, 100), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(ticks(0.1, 0.35), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  assert.deepEqual(ticks(3, 3), []);
});

test('the view state tells its listeners of a change, once', () => {
  const state = createViewState(HOME);
  const heard = [];
  state.on((view) => heard.push(view.halfWidth));
  state.set({ cx: 0, cy: 0, halfWidth: 5 });
  state.set(zoomAt(state.current, 0, 0, 2));
  assert.deepEqual(heard, [10]);
  assert.deepEqual(state.home, HOME);
});
