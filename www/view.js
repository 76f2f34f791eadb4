// The part of the plane the plot shows: a square centred on (cx, cy) with
// half width `halfWidth`. It starts as the engine's plane square, fits the
// data on request, and moves with pan and zoom. Pure functions of plain
// values (no DOM), and a small holder that tells its listeners of a change.
import { MAX_COORD } from './formats.js';

/** The smallest and largest half widths the view may have. */
export const MIN_HALF_WIDTH = 1e-3;
export const MAX_HALF_WIDTH = 2 * MAX_COORD;
/** Room left around the data when the view fits it, as a share of the half width. */
const FIT_MARGIN = 0.08;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/** A view square, with its values kept finite and in range. */
export function makeView(cx, cy, halfWidth) {
  return {
    cx: clamp(Number.isFinite(cx) ? cx : 0, -MAX_COORD, MAX_COORD),
    cy: clamp(Number.isFinite(cy) ? cy : 0, -MAX_COORD, MAX_COORD),
    halfWidth: clamp(Number.isFinite(halfWidth) ? halfWidth : 1, MIN_HALF_WIDTH, MAX_HALF_WIDTH),
  };
}

/**
 * The square that holds every point (x and y lists of numbers) with a small
 * margin, never smaller than `home` around one point; `home` (the
 * plane's square) when there are no points or all of them fit in it.
 */
export function fitView(points, home) {
  const { x, y } = points;
  if (!x.length) return { ...home };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  if (contains(home, minX, minY) && contains(home, maxX, maxY)) return { ...home };
  const half = Math.max(maxX - minX, maxY - minY) / 2;
  const padded = half > 0 ? half * (1 + FIT_MARGIN) : home.halfWidth;
  return makeView((minX + maxX) / 2, (minY + maxY) / 2, padded);
}

/** True when (x, y) lies in the view's square. */
export function contains(view, x, y) {
  return Math.abs(x - view.cx) <= view.halfWidth && Math.abs(y - view.cy) <= view.halfWidth;
}

/** How many of the points lie outside the view. */
export function countOutside(view, points) {
  let count = 0;
  for (let i = 0; i < points.x.length; i++) if (!contains(view, points.x[i], points.y[i])) count += 1;
  return count;
}

/** The view zoomed by `factor` (below 1 zooms in) keeping the plane point (x, y) where it is. */
export function zoomAt(view, x, y, factor) {
  const halfWidth = clamp(view.halfWidth * factor, MIN_HALF_WIDTH, MAX_HALF_WIDTH);
  const scale = halfWidth / view.halfWidth;
  return makeView(x - (x - view.cx) * scale, y - (y - view.cy) * scale, halfWidth);
}

/** The view moved by (dx, dy) plane units. */
export function panBy(view, dx, dy) {
  return makeView(view.cx + dx, view.cy + dy, view.halfWidth);
}

/** Evenly spaced round tick values inside [low, high], about `count` of them. */
export function ticks(low, high, count = 5) {
  const span = high - low;
  if (!(span > 0)) return [];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => span / s <= count + 1) ?? 10 * power;
  const out = [];
  for (let v = Math.ceil(low / step) * step; v <= high; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Holds the view of one plot; `on(fn)` hears every change. */
export function createViewState(home) {
  const listeners = new Set();
  const state = {
    home: makeView(home.cx, home.cy, home.halfWidth),
    current: makeView(home.cx, home.cy, home.halfWidth),
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(view) {
      const next = makeView(view.cx, view.cy, view.halfWidth);
      if (next.cx === state.current.cx && next.cy === state.current.cy && next.halfWidth === state.current.halfWidth) return;
      state.current = next;
      for (const listener of [...listeners]) listener(next);
    },
  };
  return state;
}
