// Which points drive the update: a layer over the plot that rings each
// point by its share of the gradient, |A − y| (the error dZ = A − y that
// backpropagation starts from), and, when the first layer reads the raw
// coordinates x₁, x₂, draws each first-layer unit's line w·x + b = 0 with an
// arrow to where the next gradient step (θ − α∇J) moves it.

import { getClassColors } from './colors.js';
import { onLanguage, t } from './i18n.js';

/** While training, the shares are read again at most this often. */
const TRAINING_INTERVAL_MS = 250;
/** The ring of a point whose |A − y| is 1, in CSS px beyond the point. */
const MAX_RING_PX = 12;
/** Where on its line a unit's arrow stands: this share of the view's half width from the centre, and more for later units. */
const ARROW_ALONG = 0.3;
/** Arrows shorter than this (CSS px) are magnified by a power of ten, and the note says so. */
const MIN_ARROW_PX = 12;
const LINE_COLOR = 'rgba(30, 30, 30, 0.8)';
const ARROW_COLOR = '#d55e00';

export function mountDrivers({ toggle, note }, app) {
  let residuals = null;
  let readAt = -Infinity;
  let readRevision = -1;

  toggle.addEventListener('change', () => {
    readRevision = -1;
    describe();
    app.invalidate();
  });
  app.on('model', describe);
  // The note follows the language; the plot draws itself (and "arrows ×10") again on its own.
  onLanguage(describe);
  describe();

  function describe() {
    note.hidden = !toggle.checked;
    if (!toggle.checked) return;
    note.textContent = rawCoordinates(app.model)
      ? t('drivers.note-lines')
      : t('drivers.note-features', { count: app.model.features.length });
  }

  /** Draws on the plot's context in CSS px; `toCssX`, `toCssY` map the plane, `cssSize` is the square's side. */
  function draw(context, { toCssX, toCssY, cssSize, view }) {
    if (!toggle.checked || app.shown.point_count() === 0) return;
    const now = performance.now();
    const training = app.state.playing && !app.stepThrough;
    if (readRevision !== app.revision && !(training && now - readAt < TRAINING_INTERVAL_MS && residuals)) {
      residuals = app.shown.point_residuals();
      readAt = now;
      readRevision = app.revision;
    }
    drawRings(context, toCssX, toCssY);
    if (rawCoordinates(app.model)) drawLines(context, toCssX, toCssY, cssSize, view);
  }

  function drawRings(context, toCssX, toCssY) {
    const points = app.points();
    const colors = getClassColors();
    context.lineWidth = 1.5;
    const count = Math.min(points.count, residuals.length);
    for (let i = 0; i < count; i += 1) {
      const share = residuals[i];
      if (!(share > 0.02)) continue;
      context.strokeStyle = colors[points.label[i] === 1 ? 1 : 0];
      context.globalAlpha = Math.min(1, 0.25 + share);
      context.beginPath();
      context.arc(toCssX(points.x[i]), toCssY(points.y[i]), 4 + share * MAX_RING_PX, 0, 2 * Math.PI);
      context.stroke();
    }
    context.globalAlpha = 1;
  }

  function drawLines(context, toCssX, toCssY, cssSize, view) {
    const layout = Object.fromEntries(app.model.parameters.map((entry) => [entry.name, entry]));
    const weights = layout.W1;
    const biases = layout.b1;
    const now = app.shown.parameters();
    const next = app.shown.stepped_parameters();
    const pixelsPerUnit = cssSize / (2 * view.halfWidth);
    const lines = [];
    for (let unit = 0; unit < weights.rows; unit += 1) {
      const line = (values) => ({
        w: [values[weights.offset + unit * 2], values[weights.offset + unit * 2 + 1]],
        b: values[biases.offset + unit],
      });
      const [before, after] = [line(now), line(next)];
      const centre = foot(before, [view.cx, view.cy]);
      if (!centre) continue;
      // Arrows stand along their lines, alternately on either side of the centre, so they do not pile up.
      const size = Math.hypot(before.w[0], before.w[1]);
      const along = (unit % 2 === 0 ? 1 : -1) * ARROW_ALONG * view.halfWidth * (1 + unit / weights.rows);
      const from = [centre[0] - (before.w[1] / size) * along, centre[1] + (before.w[0] / size) * along];
      const to = foot(after, from) ?? from;
      lines.push({ before, from, to });
    }
    const longest = Math.max(0, ...lines.map(({ from, to }) => Math.hypot(to[0] - from[0], to[1] - from[1]) * pixelsPerUnit));
    let magnify = 1;
    while (longest > 0 && longest * magnify < MIN_ARROW_PX && magnify < 1e9) magnify *= 10;
    context.lineWidth = 1.5;
    for (const { before, from, to } of lines) {
      drawLine(context, before, toCssX, toCssY, view);
      const tip = [from[0] + (to[0] - from[0]) * magnify, from[1] + (to[1] - from[1]) * magnify];
      drawArrow(context, [toCssX(from[0]), toCssY(from[1])], [toCssX(tip[0]), toCssY(tip[1])]);
    }
    if (magnify > 1) {
      context.font = '12px system-ui, sans-serif';
      context.fillStyle = ARROW_COLOR;
      context.textAlign = 'right';
      context.textBaseline = 'top';
      context.fillText(t('drivers.arrows', { factor: String(magnify) }), cssSize - 8, 8);
    }
    context.lineWidth = 1;
  }

  function drawLine(context, { w, b }, toCssX, toCssY, view) {
    const reach = view.halfWidth * 3;
    const size = Math.hypot(w[0], w[1]);
    if (!(size > 0)) return;
    // The line's point nearest the view's centre, and its direction.
    const centre = foot({ w, b }, [view.cx, view.cy]);
    const direction = [-w[1] / size, w[0] / size];
    context.strokeStyle = LINE_COLOR;
    context.setLineDash([6, 4]);
    context.beginPath();
    context.moveTo(toCssX(centre[0] - direction[0] * reach), toCssY(centre[1] - direction[1] * reach));
    context.lineTo(toCssX(centre[0] + direction[0] * reach), toCssY(centre[1] + direction[1] * reach));
    context.stroke();
    context.setLineDash([]);
  }

  function drawArrow(context, [x0, y0], [x1, y1]) {
    const length = Math.hypot(x1 - x0, y1 - y0);
    if (!(length > 0.5) || !Number.isFinite(length)) return;
    const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
    context.strokeStyle = ARROW_COLOR;
    context.fillStyle = ARROW_COLOR;
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    context.stroke();
    const head = Math.min(8, length);
    context.beginPath();
    context.moveTo(x1, y1);
    context.lineTo(x1 - ux * head - uy * head * 0.5, y1 - uy * head + ux * head * 0.5);
    context.lineTo(x1 - ux * head + uy * head * 0.5, y1 - uy * head - ux * head * 0.5);
    context.closePath();
    context.fill();
  }

  return { draw };
}

/** True when the first layer reads exactly the coordinates x₁ and x₂. */
function rawCoordinates(model) {
  return model.features.length === 2 && model.features[0] === 'x1' && model.features[1] === 'x2';
}

/** The point of the line w·x + b = 0 nearest `p`, or null when w is zero. */
function foot({ w, b }, p) {
  const squared = w[0] * w[0] + w[1] * w[1];
  if (!(squared > 0) || !Number.isFinite(squared)) return null;
  const s = (w[0] * p[0] + w[1] * p[1] + b) / squared;
  return [p[0] - s * w[0], p[1] - s * w[1]];
}
