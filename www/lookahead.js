// The learning rate's next step: J(θ − η∇J) over η on a log axis (the
// engine's next_step), with the accuracy it would give, the current η
// marked, the rates where the next step would raise the cost shaded, and
// the largest stable step 2/λmax beside it. Clicking, dragging or the arrow
// keys on the chart set the learning rate through the app's action.

import { formatCost, formatRate } from './format.js';
import { fitToDevicePixels } from './canvas-size.js';
import { onLanguage, t } from './i18n.js';
import { LIMITS, roundRate } from './state.js';

const MARGIN = { left: 44, right: 34, top: 10, bottom: 22 };
const SAMPLES = 64;
/** Power iterations per update, each starting where the last one ended. */
const POWER_ITERATIONS = 4;
/** The curve is recomputed at most this often. */
const INTERVAL_MS = 400;
/** Arrow keys move η by this many tenths of a decade; Page keys by a decade. */
const KEY_STEP = 0.05;
const COLORS = Object.freeze({
  curve: '#1f3a5f',
  accuracy: 'rgba(0, 114, 178, 0.55)',
  now: 'rgba(0, 0, 0, 0.35)',
  rising: 'rgba(213, 94, 0, 0.18)',
  marker: '#d55e00',
  stable: 'rgba(120, 60, 150, 0.8)',
  axis: 'rgba(0, 0, 0, 0.55)',
});

export function mountLookahead({ root, canvas, readout, stable, warning }, app) {
  const context = canvas.getContext('2d');
  const [lowRate, highRate] = LIMITS.learningRate;
  const decades = Math.log10(highRate / lowRate);
  let size = { width: 0, height: 0, ratio: 1 };
  /** The last curve read from the engine, as plain arrays. */
  let curve = null;
  let computedRevision = -1;
  let computedAt = -Infinity;
  /** How long the last curve took, ms. */
  let computeMs = 0;
  let dirty = true;
  let dragging = false;

  fitToDevicePixels(canvas, (measured) => {
    size = measured;
    dirty = true;
  });
  // A new language rewrites the texts and the chart from the curve already read.
  onLanguage(() => {
    if (curve) describe();
    dirty = true;
  });

  const plotWidth = () => Math.max(1, size.width - MARGIN.left - MARGIN.right);
  const plotHeight = () => Math.max(1, size.height - MARGIN.top - MARGIN.bottom);
  const toX = (rate) => MARGIN.left + (Math.log10(rate / lowRate) / decades) * plotWidth();
  const rateAt = (x) => lowRate * 10 ** (((x - MARGIN.left) / plotWidth()) * decades);

  // ---- setting the rate ----

  function setRateAt(clientX) {
    const x = clientX - canvas.getBoundingClientRect().left;
    app.setLearningRate(Math.min(highRate, Math.max(lowRate, rateAt(x))));
  }

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    setRateAt(event.clientX);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (dragging) setRateAt(event.clientX);
  });
  const stopDragging = () => {
    dragging = false;
  };
  canvas.addEventListener('pointerup', stopDragging);
  canvas.addEventListener('pointercancel', stopDragging);

  canvas.addEventListener('keydown', (event) => {
    const position = Math.log10(app.state.learningRate);
    const moves = {
      ArrowLeft: -KEY_STEP, ArrowDown: -KEY_STEP, ArrowRight: KEY_STEP, ArrowUp: KEY_STEP, PageDown: -1, PageUp: 1,
    };
    let rate;
    if (event.key in moves) rate = 10 ** (position + moves[event.key]);
    else if (event.key === 'Home') rate = lowRate;
    else if (event.key === 'End') rate = highRate;
    else return;
    event.preventDefault();
    // Rounding to 3 digits must not keep a small step from moving the rate.
    let next = roundRate(Math.min(highRate, Math.max(lowRate, rate)));
    if (next === app.state.learningRate && rate !== app.state.learningRate) {
      next = roundRate(app.state.learningRate * (rate > app.state.learningRate ? 1.01 : 0.99));
    }
    app.setLearningRate(next);
  });

  app.on('frame', () => {
    if (size.width === 0 || root.hidden) return;
    const now = performance.now();
    // A new α only moves the marker: three costs, at once. Anything else
    // (training, edits, settings) redraws the curve, at most every interval.
    if (curve && curve.rate !== app.state.learningRate) {
      moveRate();
      dirty = true;
    }
    // A curve that takes long (a large network on many points) is
    // recomputed less often, and far less often while training, so that
    // few frames carry it. Scrubbed back, the curve is that of the network
    // shown then (each step of the replay is a new revision).
    const spacing = (app.state.playing ? 25 : 10) * computeMs;
    if (computedRevision !== app.revision && now - computedAt >= Math.max(INTERVAL_MS, spacing)) {
      compute();
      computeMs = performance.now() - now;
      computedRevision = app.revision;
      computedAt = now;
      dirty = true;
    }
    if (dirty) draw();
    dirty = false;
  });

  /** The curve's parts, read from the engine's NextStepCurve (which is freed). */
  function read(next) {
    const parts = {
      rates: next.rates(),
      costs: next.costs(),
      accuracies: next.accuracies(),
      cost: next.cost(),
      accuracy: next.accuracy(),
      rate: next.rate(),
      rateCost: next.rate_cost(),
      rateAccuracy: next.rate_accuracy(),
      sharpness: next.sharpness(),
      stableRate: next.stable_rate(),
      iteration: app.shown.iteration(),
    };
    next.free();
    return parts;
  }

  function compute() {
    const planar = app.shown;
    const next = planar.point_count() > 0 ? app.run(() => planar.next_step(SAMPLES, lowRate, highRate, POWER_ITERATIONS)) : undefined;
    curve = next ? read(next) : null;
    if (!curve) return;
    curve.rising = risingRanges(curve);
    describe();
  }

  /** The marker at the new α, the rest of the curve as it was. */
  function moveRate() {
    const next = app.run(() => app.shown.next_step(2, lowRate, highRate, 0));
    if (!next) return;
    const { rate, rateCost, rateAccuracy } = read(next);
    Object.assign(curve, { rate, rateCost, rateAccuracy });
    describe();
  }

  function describe() {
    const c = curve;
    const raises = c.rateCost > c.cost;
    const rate = formatRate(c.rate);
    readout.textContent = `${t(raises ? 'lookahead.readout-raises' : 'lookahead.readout-lowers', {
      rate, cost: formatCost(c.cost), next: formatCost(c.rateCost), accuracy: c.accuracy.toFixed(1), nextAccuracy: c.rateAccuracy.toFixed(1),
    })} ${c.rising.length ? t('lookahead.rising', { rate: formatRate(c.rising[0][0]) }) : t('lookahead.no-rising')}`;
    const sharpness = c.stableRate === undefined ? '' : c.sharpness.toPrecision(3);
    stable.textContent = c.stableRate === undefined
      ? t('lookahead.no-curvature')
      : t('lookahead.stable', { rate: formatRate(c.stableRate), sharpness });
    warning.textContent = c.stableRate === undefined ? ''
      : t(c.rate > c.stableRate ? 'lookahead.why-above' : 'lookahead.why-below', { sharpness, stable: formatRate(c.stableRate), rate });
    root.dataset.rate = String(c.rate);
    root.dataset.iteration = String(c.iteration);
    root.dataset.rising = c.rising.map(([a, b]) => `${a}-${b}`).join(' ');
    root.dataset.stableRate = c.stableRate === undefined ? '' : String(c.stableRate);
    canvas.setAttribute('aria-valuenow', String(c.rate));
    canvas.setAttribute('aria-valuetext', t(raises ? 'lookahead.valuetext-raises' : 'lookahead.valuetext-lowers', { rate }));
  }

  function draw() {
    const { width, height, ratio } = size;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '11px system-ui, sans-serif';
    const top = MARGIN.top;
    const bottom = top + plotHeight();
    if (!curve) {
      context.fillStyle = COLORS.axis;
      context.textAlign = 'center';
      context.fillText(t('lookahead.empty'), width / 2, height / 2);
      return;
    }
    const finite = curve.costs.filter(Number.isFinite);
    // The cost axis: from 0 to a little above the current cost, so a rising step shows clearly.
    const high = Math.max(curve.cost * 1.6, Math.min(Math.max(...finite, curve.cost), curve.cost * 3), 1e-6);
    const toY = (cost) => bottom - Math.min(1, Math.max(0, cost / high)) * plotHeight();
    const toYAccuracy = (percent) => bottom - (percent / 100) * plotHeight();

    context.fillStyle = COLORS.rising;
    for (const [a, b] of curve.rising) context.fillRect(toX(a), top, Math.max(2, toX(b) - toX(a)), plotHeight());

    drawAxes(high, toY, top, bottom);

    context.strokeStyle = COLORS.now;
    context.setLineDash([4, 3]);
    context.beginPath();
    context.moveTo(MARGIN.left, toY(curve.cost));
    context.lineTo(MARGIN.left + plotWidth(), toY(curve.cost));
    context.stroke();
    context.setLineDash([]);

    polyline(curve.rates, curve.accuracies, toYAccuracy, COLORS.accuracy, 1.2);
    polyline(curve.rates, curve.costs, toY, COLORS.curve, 2);

    if (curve.stableRate !== undefined && curve.stableRate >= lowRate && curve.stableRate <= highRate) {
      const x = Math.round(toX(curve.stableRate)) + 0.5;
      context.strokeStyle = COLORS.stable;
      context.setLineDash([2, 3]);
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, bottom);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = COLORS.stable;
      context.textAlign = x > MARGIN.left + plotWidth() - 40 ? 'right' : 'left';
      context.fillText('2/λmax', x + (context.textAlign === 'left' ? 3 : -3), top + 10);
    }

    const x = toX(curve.rate);
    context.strokeStyle = COLORS.marker;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, bottom);
    context.stroke();
    context.fillStyle = COLORS.marker;
    context.beginPath();
    context.arc(x, toY(curve.rateCost), 4, 0, 2 * Math.PI);
    context.fill();
    context.lineWidth = 1;
  }

  function polyline(rates, values, toY, color, width) {
    context.strokeStyle = color;
    context.lineWidth = width;
    context.beginPath();
    let started = false;
    rates.forEach((rate, i) => {
      if (!Number.isFinite(values[i])) {
        started = false;
        return;
      }
      if (started) context.lineTo(toX(rate), toY(values[i]));
      else context.moveTo(toX(rate), toY(values[i]));
      started = true;
    });
    context.stroke();
    context.lineWidth = 1;
  }

  function drawAxes(high, toY, top, bottom) {
    const left = MARGIN.left;
    const right = left + plotWidth();
    context.strokeStyle = 'rgba(0, 0, 0, 0.25)';
    context.beginPath();
    context.moveTo(left + 0.5, top);
    context.lineTo(left + 0.5, bottom + 0.5);
    context.lineTo(right, bottom + 0.5);
    context.stroke();
    context.fillStyle = COLORS.axis;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (let power = Math.log10(lowRate); power <= Math.log10(highRate); power += 1) {
      context.fillText(formatRate(10 ** power), toX(10 ** power), bottom + 5);
    }
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const cost of [0, high / 2, high]) context.fillText(Number(cost.toPrecision(2)).toString(), left - 5, toY(cost));
    context.textAlign = 'left';
    context.fillStyle = COLORS.accuracy;
    for (const percent of [0, 50, 100]) context.fillText(`${percent}%`, right + 4, bottom - (percent / 100) * plotHeight());
    context.textBaseline = 'alphabetic';
  }
}

/** The ranges of η where the step's cost is above the current cost, as [from, to] pairs. */
function risingRanges({ rates, costs, cost }) {
  const ranges = [];
  let from = null;
  rates.forEach((rate, i) => {
    const rising = !(costs[i] <= cost);
    if (rising && from === null) from = i === 0 ? rate : Math.sqrt(rates[i - 1] * rate);
    if (!rising && from !== null) {
      ranges.push([from, Math.sqrt(rates[i - 1] * rate)]);
      from = null;
    }
  });
  if (from !== null) ranges.push([from, rates[rates.length - 1]]);
  return ranges;
}
