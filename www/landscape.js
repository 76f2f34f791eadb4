// The landscape: the cost over a plane through the current parameters,
// along two random directions normalised per unit or the two main
// directions of the path so far (the engine's LandscapeRun, computed coarse
// to fine a few cells per frame so the page keeps drawing), as a heat map
// with contours, the path projected on it and the current point marked.
// Drawn when asked: the button, or a change of directions. The status line
// is kept as a key and its values, so a change of language rewrites it
// without drawing again.

import { fitToDevicePixels } from './canvas-size.js';
import { onLanguage, t } from './i18n.js';

/** Cells a side: 41 puts the current point on the middle cell. */
export const LANDSCAPE_SIZE = 41;
/** Time a frame may spend on the landscape. */
const FRAME_BUDGET_MS = 4;
const CONTOURS = 10;
/** Low cost dark blue to high cost pale yellow (a few stops of viridis). */
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const PATH_COLOR = '#ffffff';
const CURRENT_COLOR = '#d55e00';
const CONTOUR_COLOR = 'rgba(255, 255, 255, 0.45)';

export function mountLandscape({ root, canvas, directions, button, status }, app) {
  const context = canvas.getContext('2d');
  const cells = document.createElement('canvas');
  const cellContext = cells.getContext('2d');
  let size = { width: 0, height: 0, ratio: 1 };
  /** The landscape in progress or shown: {run, started, computing, chunk, iteration, kind}, or null. */
  let active = null;
  let shown = null;
  let seed = 1;
  /** What the status line says: [key, values]. */
  let said = ['landscape.initial', {}];

  function say(key, values = {}) {
    said = [key, values];
    status.textContent = t(key, values);
  }
  say(...said);
  onLanguage(() => say(...said));

  fitToDevicePixels(canvas, (measured) => {
    size = measured;
    if (shown) draw(shown);
  });

  button.addEventListener('click', () => {
    // Each press of the button shows another pair of random directions.
    if (directions.value === 'random' && shown?.kind === 'random') seed += 1;
    start();
  });
  directions.addEventListener('change', start);
  app.on('model', () => {
    stop();
    forget();
    say('landscape.changed');
  });
  app.on('frame', () => {
    if (active) advance();
    else if (shown) markStale();
  });

  function start() {
    stop();
    if (app.planar.point_count() === 0) {
      say('landscape.no-points');
      return;
    }
    const kind = directions.value;
    let run;
    try {
      run = app.planar.landscape(kind, LANDSCAPE_SIZE, seed);
    } catch (error) {
      // A path too short for two directions (the engine's only refusal of a
      // path with points) is the reader's to fix, not a fault: said in their language.
      if (kind === 'path') say('landscape.short-path');
      else say('landscape.failed', { reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    forget();
    active = {
      run, kind, started: performance.now(), computing: 0, chunk: 1, iteration: app.planar.iteration(),
      extent: run.extent(), path: run.path(), size: run.size(),
    };
    root.setAttribute('aria-busy', 'true');
    say('landscape.computing');
  }

  function stop() {
    if (!active) return;
    active.run.free();
    active = null;
    root.removeAttribute('aria-busy');
  }

  function forget() {
    shown = null;
    delete root.dataset.drawn;
    if (size.width) context.clearRect(0, 0, canvas.width, canvas.height);
  }

  function advance() {
    const { run } = active;
    const began = performance.now();
    let finished = run.finished();
    while (!finished && performance.now() - began < FRAME_BUDGET_MS) {
      const before = performance.now();
      finished = run.advance(active.chunk);
      if (performance.now() - before < FRAME_BUDGET_MS / 4) active.chunk *= 2;
    }
    active.computing += performance.now() - began;
    const picture = { ...active, values: run.values(), done: run.done(), finished };
    delete picture.run;
    draw(picture);
    const cellCount = active.size * active.size;
    if (!finished) {
      say('landscape.progress', { done: picture.done, count: cellCount });
      return;
    }
    const wall = performance.now() - active.started;
    say(active.kind === 'random' ? 'landscape.done-random' : 'landscape.done-path', {
      size: active.size, iteration: String(active.iteration), computing: Math.round(active.computing), wall: Math.round(wall),
    });
    root.dataset.milliseconds = String(Math.round(active.computing));
    root.dataset.drawn = active.kind;
    shown = picture;
    stop();
  }

  function markStale() {
    const stale = app.planar.iteration() !== shown.iteration;
    if (root.classList.contains('stale') !== stale) root.classList.toggle('stale', stale);
  }

  function draw(picture) {
    const { width, height, ratio } = size;
    if (width === 0) return;
    const n = picture.size;
    const { low, high } = range(picture.values);
    // A cost's place on the colour ramp: log scale, the low end stretched.
    const level = (cost) => (high > low ? (Math.log(cost) - Math.log(low)) / (Math.log(high) - Math.log(low)) : 0.5);
    if (cells.width !== n) {
      cells.width = n;
      cells.height = n;
    }
    const image = cellContext.createImageData(n, n);
    for (let j = 0; j < n; j += 1) {
      for (let i = 0; i < n; i += 1) {
        const value = picture.values[j * n + i];
        // Row 0 is b = −extent: the bottom of the picture.
        const k = ((n - 1 - j) * n + i) * 4;
        const [r, g, b] = Number.isFinite(value) ? rampColor(level(value)) : [200, 200, 200];
        image.data.set([r, g, b, 255], k);
      }
    }
    cellContext.putImageData(image, 0, 0);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(cells, 0, 0, width, height);

    // Cell centres: cell i at x = (i / (n − 1)) of the width.
    const toX = (a) => ((a + picture.extent[0]) / (2 * picture.extent[0])) * width;
    const toY = (b) => height - ((b + picture.extent[1]) / (2 * picture.extent[1])) * height;
    if (picture.finished) drawContours(picture.values, n, low, high, width, height);
    drawPath(picture.path, toX, toY);
    context.fillStyle = CURRENT_COLOR;
    context.strokeStyle = '#ffffff';
    context.lineWidth = 2;
    context.beginPath();
    context.arc(toX(0), toY(0), 5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    context.lineWidth = 1;
  }

  /** Contours at log-spaced levels by marching squares, one segment per crossed cell (drawn once the grid is done). */
  function drawContours(values, n, low, high, width, height) {
    if (!(high > low)) return;
    const sx = width / (n - 1);
    const sy = height / (n - 1);
    // The corners of a cell, in order around it, as offsets from its lower left.
    const di = [0, 1, 1, 0];
    const dj = [0, 0, 1, 1];
    const v = [0, 0, 0, 0];
    const crossings = [];
    context.strokeStyle = CONTOUR_COLOR;
    context.beginPath();
    for (let c = 1; c < CONTOURS; c += 1) {
      const threshold = Math.exp(Math.log(low) + (c / CONTOURS) * (Math.log(high) - Math.log(low)));
      for (let j = 0; j + 1 < n; j += 1) {
        for (let i = 0; i + 1 < n; i += 1) {
          let finite = true;
          for (let e = 0; e < 4; e += 1) {
            v[e] = values[(j + dj[e]) * n + i + di[e]];
            finite &&= Number.isFinite(v[e]);
          }
          if (!finite) continue;
          crossings.length = 0;
          for (let e = 0; e < 4; e += 1) {
            const f = (e + 1) % 4;
            if ((v[e] < threshold) === (v[f] < threshold)) continue;
            const t = (threshold - v[e]) / (v[f] - v[e]);
            crossings.push((i + di[e] + t * (di[f] - di[e])) * sx, height - (j + dj[e] + t * (dj[f] - dj[e])) * sy);
          }
          for (let k = 0; k + 3 < crossings.length; k += 4) {
            context.moveTo(crossings[k], crossings[k + 1]);
            context.lineTo(crossings[k + 2], crossings[k + 3]);
          }
        }
      }
    }
    context.stroke();
  }

  function drawPath(path, toX, toY) {
    if (path.length < 4) return;
    context.strokeStyle = PATH_COLOR;
    context.fillStyle = PATH_COLOR;
    context.lineWidth = 1.5;
    context.beginPath();
    for (let k = 0; k < path.length; k += 2) {
      const [x, y] = [toX(path[k]), toY(path[k + 1])];
      if (k === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    }
    context.stroke();
    // The start: a hollow square.
    context.strokeRect(toX(path[0]) - 3, toY(path[1]) - 3, 6, 6);
    context.lineWidth = 1;
  }
}

function range(values) {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!(Number.isFinite(v) && v > 0)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return Number.isFinite(low) ? { low, high } : { low: 1, high: 1 };
}

function rampColor(t) {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const k = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - k;
  return RAMP[k].map((c, i) => Math.round(c + f * (RAMP[k + 1][i] - c)));
}
