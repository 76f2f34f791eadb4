// The cost curve: the lowest and highest cost in each device-pixel column
// (from the engine's envelope), so no iteration is ever dropped; a log
// scale; the iteration and cost under the pointer; a dashed mark wherever
// the learning rate changed. With points held out, the test cost's curve
// too, in its own colour (the legend under the chart names both). With
// mini-batches an iteration is an epoch. The runs kept beside the current
// one (branches.js) are drawn under it, each in its colour (the list under
// the chart is their legend), and a line marks the iteration the history
// scrubber shows.

import { fitToDevicePixels } from './canvas-size.js';
import { getCurveColors } from './colors.js';
import { onLanguage, t } from './i18n.js';
import { formatCost, formatRate } from './format.js';
import { runColors } from './branches.js';
import { history_envelope, history_length } from './pkg/planar.js';

const MARGIN = { left: 48, right: 12, top: 12, bottom: 24 };
const GRID = 'rgba(0, 0, 0, 0.08)';
const AXIS_TEXT = 'rgba(0, 0, 0, 0.55)';
const RATE_MARK = 'rgba(120, 60, 150, 0.75)';
const SCRUB_MARK = 'rgba(0, 0, 0, 0.7)';
/** Costs at or below this are drawn at it on the log scale. */
const LOG_FLOOR = 1e-8;

export function mountCostChart({ canvas, logScale, tooltip, title, legend }, app) {
  const context = canvas.getContext('2d');
  let cssWidth = 0;
  let cssHeight = 0;
  let ratio = 1;
  let dirty = true;
  let drawnLength = -1;
  let drawnBranches = null;
  let drawnMark = -1;
  /** Each kept run's history as the engine reads it, and its length: computed once per run. */
  const keptHistories = new WeakMap();
  /** Pointer x in CSS px over the canvas, or null. */
  let pointerX = null;
  // What the last drawing mapped, for the hover read-out.
  let layout = null;

  fitToDevicePixels(canvas, (size) => {
    ({ width: cssWidth, height: cssHeight, ratio } = size);
    dirty = true;
  });

  logScale.addEventListener('change', () => app.setLogScale(logScale.checked));
  app.on('change', () => {
    logScale.checked = app.state.logScale;
    title.textContent = app.state.batch > 0 ? t('cost.title-epoch') : t('cost.title');
    dirty = true;
  });
  onLanguage(() => {
    dirty = true;
  });

  canvas.addEventListener('pointermove', (event) => {
    pointerX = event.clientX - canvas.getBoundingClientRect().left;
    dirty = true;
  });
  canvas.addEventListener('pointerleave', () => {
    pointerX = null;
    dirty = true;
  });

  app.on('frame', () => {
    if (cssWidth === 0) return;
    const length = app.planar.history_len();
    const mark = app.past ? app.past.iteration() : -1;
    if (!dirty && length === drawnLength && drawnBranches === app.branches && mark === drawnMark) return;
    draw(length, mark);
    drawnLength = length;
    drawnBranches = app.branches;
    drawnMark = mark;
    dirty = false;
  });

  /** A kept run's history as a Float64Array and the iterations it covers (0 without one). */
  function keptHistory(run) {
    let kept = keptHistories.get(run);
    if (!kept) {
      const values = Float64Array.from(Array.isArray(run.history) ? run.history : []);
      kept = { values, length: Math.max(0, history_length(values)) };
      keptHistories.set(run, kept);
    }
    return kept;
  }

  function draw(ownLength, mark) {
    const kept = app.branches.map(keptHistory);
    const length = Math.max(ownLength, ...kept.map((run) => run.length));
    const planar = app.planar;
    const log = app.state.logScale;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, cssWidth, cssHeight);
    const left = MARGIN.left;
    const top = MARGIN.top;
    const width = Math.max(1, cssWidth - MARGIN.left - MARGIN.right);
    const height = Math.max(1, cssHeight - MARGIN.top - MARGIN.bottom);
    context.font = '11px system-ui, sans-serif';

    if (length === 0) {
      layout = null;
      drawFrame(left, top, width, height);
      context.fillStyle = AXIS_TEXT;
      context.textAlign = 'center';
      context.textBaseline = 'middle';
      const empty = planar.point_count() === 0 ? t('chart.no-points') : t('chart.not-started');
      context.fillText(empty, left + width / 2, top + height / 2);
      showTooltip(null);
      return;
    }

    // One column per device pixel, or per iteration while there are fewer.
    const columns = Math.max(1, Math.min(Math.floor(width * ratio), length));
    // The current run's own columns: its share of the axis.
    const ownColumns = Math.max(1, Math.round((columns * ownLength) / length));
    const ownWidth = (width * ownLength) / length;
    const envelope = ownLength > 0 ? planar.cost_envelope(ownColumns) : new Float64Array(0);
    const testEnvelope = ownLength > 0 ? planar.test_cost_envelope(ownColumns) : new Float64Array(0);
    const keptEnvelopes = kept.map((run) => {
      const runColumns = Math.max(1, Math.round((columns * run.length) / length));
      return run.length > 0
        ? { envelope: history_envelope(run.values, runColumns), columns: runColumns, width: (width * run.length) / length }
        : null;
    });
    const hasTest = testEnvelope.some(Number.isFinite);
    if (legend.hidden === hasTest) legend.hidden = !hasTest;
    let lowest = Infinity;
    let highest = 0;
    const curves = [envelope, ...keptEnvelopes.filter(Boolean).map((run) => run.envelope)];
    if (hasTest) curves.push(testEnvelope);
    for (const values of curves) {
      for (let i = 0; i < values.length; i += 1) {
        const cost = values[i];
        if (!Number.isFinite(cost)) continue;
        lowest = Math.min(lowest, cost);
        highest = Math.max(highest, cost);
      }
    }
    if (!Number.isFinite(lowest)) lowest = highest = 1;
    const scale = log ? logAxis(lowest, highest) : linearAxis(highest);
    const toY = (cost) => {
      const t = scale.position(cost);
      return top + height - Math.min(1, Math.max(0, t)) * height;
    };
    const toX = (iteration) => left + (iteration / length) * width;

    drawFrame(left, top, width, height);
    drawYTicks(scale, toY, left, width);
    drawXTicks(length, toX, top + height);
    drawRateChanges(planar.rate_changes(), toX, top, height, length);

    const colors = getCurveColors();
    const keptColors = runColors(kept.length).slice(1);
    keptEnvelopes.forEach((run, i) => {
      if (run) drawEnvelope(run.envelope, keptColors[i], { left, width: run.width, columns: run.columns, toY });
    });
    if (hasTest) drawEnvelope(testEnvelope, colors.test, { left, width: ownWidth, columns: ownColumns, toY });
    drawEnvelope(envelope, colors.training, { left, width: ownWidth, columns: ownColumns, toY });
    if (mark >= 0) drawMark(toX(mark), top, height);

    layout = {
      left, width: ownWidth, top, height, columns: ownColumns, length: ownLength, toY,
    };
    drawHover();
  }

  /** A bar from each column's lowest to highest cost, at least a pixel tall; columns without a cost are skipped. */
  function drawEnvelope(envelope, color, { left, width, columns, toY }) {
    const columnWidth = width / columns;
    const minimumHeight = 1.5 / ratio;
    context.fillStyle = color;
    context.beginPath();
    for (let c = 0; c < columns; c += 1) {
      if (Number.isNaN(envelope[2 * c])) continue;
      const yHigh = toY(envelope[2 * c + 1]);
      const yLow = toY(envelope[2 * c]);
      const barHeight = Math.max(minimumHeight, yLow - yHigh);
      context.rect(left + c * columnWidth, yHigh - (barHeight - (yLow - yHigh)) / 2, Math.max(columnWidth, 1 / ratio), barHeight);
    }
    context.fill();
  }

  /** The iteration the history scrubber shows. */
  function drawMark(x, top, height) {
    context.save();
    context.strokeStyle = SCRUB_MARK;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(Math.round(x), top);
    context.lineTo(Math.round(x), top + height);
    context.stroke();
    context.restore();
  }

  function drawFrame(left, top, width, height) {
    context.strokeStyle = 'rgba(0, 0, 0, 0.25)';
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(left + 0.5, top);
    context.lineTo(left + 0.5, top + height + 0.5);
    context.lineTo(left + width, top + height + 0.5);
    context.stroke();
  }

  function drawYTicks(scale, toY, left, width) {
    context.fillStyle = AXIS_TEXT;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    context.strokeStyle = GRID;
    context.beginPath();
    for (const tick of scale.ticks) {
      const y = Math.round(toY(tick)) + 0.5;
      context.moveTo(left, y);
      context.lineTo(left + width, y);
      context.fillText(formatTick(tick), left - 6, y);
    }
    context.stroke();
  }

  function drawXTicks(length, toX, bottom) {
    const step = niceStep(length / 4);
    context.fillStyle = AXIS_TEXT;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (let iteration = 0; iteration <= length; iteration += step) {
      const label = formatCount(iteration);
      // Kept inside the canvas: the last label may sit at the right edge.
      const half = context.measureText(label).width / 2;
      context.fillText(label, Math.min(toX(iteration), cssWidth - half - 1), bottom + 5);
    }
  }

  function drawRateChanges(changes, toX, top, height, length) {
    context.save();
    context.strokeStyle = RATE_MARK;
    context.fillStyle = RATE_MARK;
    context.setLineDash([3, 3]);
    context.textAlign = 'left';
    context.textBaseline = 'top';
    let lastLabelX = -Infinity;
    // The first entry is the run's start, not a change.
    for (let i = 2; i + 1 < changes.length; i += 2) {
      if (changes[i] > length) continue;
      const x = Math.round(toX(changes[i])) + 0.5;
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, top + height);
      context.stroke();
      if (x - lastLabelX > 56) {
        context.fillText(`α ${formatRate(changes[i + 1])}`, x + 3, top);
        lastLabelX = x;
      }
    }
    context.restore();
  }

  function drawHover() {
    if (pointerX === null || !layout || pointerX < layout.left || pointerX > layout.left + layout.width) {
      showTooltip(null);
      return;
    }
    const { left, width, top, height, columns, length, toY } = layout;
    const column = Math.min(columns - 1, Math.floor(((pointerX - left) / width) * columns));
    const start = Math.floor((column * length) / columns);
    const end = Math.max(start + 1, Math.floor(((column + 1) * length) / columns));
    const span = app.planar.cost_span(start, end);
    if (span.length < 2) {
      showTooltip(null);
      return;
    }
    const [low, high] = span;
    context.strokeStyle = 'rgba(0, 0, 0, 0.45)';
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(Math.round(pointerX) + 0.5, top);
    context.lineTo(Math.round(pointerX) + 0.5, top + height);
    context.stroke();
    context.fillStyle = '#111';
    context.beginPath();
    context.arc(pointerX, toY(high), 3, 0, 2 * Math.PI);
    context.fill();
    const unit = app.state.batch > 0 ? 'epoch' : 'iteration';
    let text = end - start === 1
      ? t(`chart.one-${unit}`, { iteration: start, cost: formatCost(low) })
      : t(`chart.span-${unit}`, { first: start, last: end - 1, low: formatCost(low), high: formatCost(high) });
    const test = legend.hidden ? [] : app.planar.test_cost_span(start, end);
    if (test.length === 2 && Number.isFinite(test[0])) {
      text += end - start === 1 ? t('chart.test-one', { cost: formatCost(test[0]) }) : t('chart.test-span', { low: formatCost(test[0]), high: formatCost(test[1]) });
    }
    showTooltip(text, pointerX);
  }

  function showTooltip(text, x = 0) {
    if (text === null) {
      tooltip.hidden = true;
      return;
    }
    tooltip.textContent = text;
    tooltip.hidden = false;
    const maxLeft = cssWidth - tooltip.offsetWidth - 4;
    tooltip.style.left = `${Math.max(4, Math.min(maxLeft, x + 10))}px`;
  }
}

function linearAxis(highest) {
  const step = niceStep(Math.max(highest, 1e-9) / 4);
  const top = Math.max(step, Math.ceil(highest / step) * step);
  const ticks = [];
  for (let tick = 0; tick <= top + step / 2; tick += step) ticks.push(tick);
  return { ticks, position: (cost) => cost / top };
}

function logAxis(lowest, highest) {
  const low = Math.floor(Math.log10(Math.max(LOG_FLOOR, lowest)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(LOG_FLOOR, highest))));
  const ticks = [];
  const every = Math.ceil((high - low) / 5);
  for (let power = low; power <= high; power += every) ticks.push(10 ** power);
  return {
    ticks,
    position: (cost) => (Math.log10(Math.max(LOG_FLOOR, cost)) - low) / (high - low),
  };
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough) {
  if (!(rough > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Math.max(1e-12, nice * power);
}

function formatTick(value) {
  if (value === 0) return '0';
  if (value >= 0.001 && value < 1e4) return String(Number(value.toPrecision(3)));
  return value.toExponential(0);
}

function formatCount(n) {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e4) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(n);
}
