// The plot: the part of the plane in view (view.js; at first the plane's
// square [-5, 5]²), P(class 1) as a colour field with its 0.5 contour
// (rendered by the engine straight into wasm memory), the points on top, the
// pointer gestures that edit them, and pan and zoom (wheel, pinch, Ctrl- or
// middle-button drag, "Fit to data"). While a node of the network diagram is
// hovered or focused, the field is that node's map instead.
import { getClassColors } from './colors.js';
import { MAX_COORD } from './formats.js';
import { rowImages, squareImages } from './memory.js';
import { onLanguage, t } from './i18n.js';
import { nodeName } from './network-names.js';
import { countOutside, fitView, panBy, ticks, zoomAt } from './view.js';

const OUTLINE = 'rgba(20, 20, 20, 0.75)';
const MISCLASSIFIED_RING = 'rgba(20, 20, 20, 0.9)';
/** How near (CSS px) the pointer must be to grab or remove a point. */
const PICK_RADIUS_PX = 8;
/** A press that moves less than this (CSS px) is a click, not a drag. */
const CLICK_SLOP_PX = { mouse: 3, pen: 5, touch: 10 };
const LONG_PRESS_MS = 500;
/** Wheel zoom: the view's size changes by exp(deltaY × this) per wheel event. */
const WHEEL_ZOOM = 0.0015;
/** Above this many points, points are drawn as plain squares on a layer of their own (see drawPoints). */
const DENSE_POINTS = 5000;
/** From this size (device pixels) on, the field is drawn at half resolution or coarser while training runs. */
const COARSE_FROM = 256;
/**
 * The field's share of a frame, ms: while training, it is sampled coarsely
 * enough to take no longer (a deep network's field costs many times the
 * tutorial's); once training stops, a field that would take longer is drawn
 * sharp a band of rows a frame, over the coarse one.
 */
const FIELD_BUDGET_MS = 3;
const SHARP_BUDGET_MS = 8;
/** The divisors of the plot's resolution the coarse field may use. */
const COARSE_DIVISORS = [1, 2, 3, 4, 6, 8];

/** A point's radius in CSS px: smaller the more points there are. */
const pointRadius = (count) => (count > 5000 ? 2 : count > 1000 ? 3 : 4);

/** Adds a point's mark at (px, py) of radius r to `target`'s path: a square when dense, else a circle. */
function markOf(target, dense) {
  return dense
    ? (px, py, r) => target.rect(px - r, py - r, 2 * r, 2 * r)
    : (px, py, r) => {
      target.moveTo(px + r, py);
      target.arc(px, py, r, 0, 2 * Math.PI);
    };
}

/**
 * `view`: the view state (view.js createViewState) this plot shows and moves;
 * `fitButton`: the "Fit to data" control; `layers`: views drawn over the
 * points, each `{ draw(context, { toCssX, toCssY, cssSize, view }) }` in CSS px.
 */
export function mountPlot(canvas, app, view, fitButton, layers = []) {
  const context = canvas.getContext('2d', { alpha: false });
  /** The node whose map the plot's label names, or null when it names the prediction. */
  let labelledNode = null;
  let cssSize = 0;
  let pixelSize = 0;
  let drawnRevision = -1;
  // The ImageData wrapping the engine's pixels, reused while the memory,
  // the pointer and the size stay the same.
  const images = squareImages(app.wasm.memory);
  // While training moves the parameters every frame, the field is sampled at
  // half the resolution or less (fieldCost decides) and scaled up; the
  // first frame without training draws it sharp again, at once or a band of
  // rows a frame (`sharp`).
  const coarseImages = squareImages(app.wasm.memory);
  const coarseCanvas = document.createElement('canvas');
  let trainedSinceDrawn = false;
  let drawnCoarse = false;
  app.on('trained', () => {
    trainedSinceDrawn = true;
  });
  /** What a sample of the field costs with this network, ms (measured), or null before the first render. */
  let fieldCost = null;
  app.on('model', () => {
    fieldCost = null;
  });
  /** The sharp field being drawn a band at a time: {key, next (the first row not drawn), canvas, images}, or null. */
  let sharp = null;
  let gesture = null;
  let lastPointerType = 'mouse';
  /** Bumped whenever the points may have changed: the dense points' layer is drawn again. */
  let pointsVersion = 0;
  /** The dense points' layer: {canvas, context, key}, or null. */
  let pointLayer = null;
  for (const type of ['change', 'edit', 'model']) {
    app.on(type, () => {
      pointsVersion += 1;
    });
  }

  function measure(devicePixels) {
    const rect = canvas.getBoundingClientRect();
    cssSize = rect.width;
    const estimate = Math.round(cssSize * (window.devicePixelRatio || 1));
    // The exact device-pixel size when the browser reports one that agrees
    // (emulated pixel ratios report CSS pixels there).
    const wanted = Math.max(1, devicePixels !== undefined && Math.abs(devicePixels - estimate) <= 1 ? devicePixels : estimate);
    if (wanted !== pixelSize) {
      pixelSize = wanted;
      canvas.width = pixelSize;
      canvas.height = pixelSize;
    }
    drawnRevision = -1;
  }

  new ResizeObserver((entries) => {
    const box = entries[0].devicePixelContentBoxSize?.[0];
    measure(box ? Math.min(box.inlineSize, box.blockSize) : undefined);
  }).observe(canvas, { box: 'device-pixel-content-box' });
  measure();

  // ---- coordinates ----

  /** Plane coordinates of a pointer event, from CSS px relative to the canvas. */
  function toPlane(event) {
    const rect = canvas.getBoundingClientRect();
    const { cx, cy, halfWidth } = view.current;
    return {
      x: cx - halfWidth + ((event.clientX - rect.left) / rect.width) * 2 * halfWidth,
      y: cy + halfWidth - ((event.clientY - rect.top) / rect.height) * 2 * halfWidth,
    };
  }

  const toCssX = (x) => ((x - view.current.cx + view.current.halfWidth) / (2 * view.current.halfWidth)) * cssSize;
  const toCssY = (y) => ((view.current.cy + view.current.halfWidth - y) / (2 * view.current.halfWidth)) * cssSize;
  const pickRadius = () => (PICK_RADIUS_PX / cssSize) * 2 * view.current.halfWidth;
  // Points may go anywhere the engine keeps them, in view or not.
  const clampToPlane = (value) => Math.min(MAX_COORD, Math.max(-MAX_COORD, value));

  // ---- drawing ----

  /** The engine's pixels (pixelSize², RGBA) as an ImageData, reused while the memory and size stay. */
  function fieldImage(pointer) {
    return images.at(pointer, pixelSize);
  }

  /** Runs `render` (the engine rendering `samples` samples of the field) and keeps what a sample cost. */
  function timed(samples, render) {
    const started = performance.now();
    const pointer = render();
    const cost = (performance.now() - started) / Math.max(1, samples);
    fieldCost = fieldCost === null ? cost : 0.7 * fieldCost + 0.3 * cost;
    return pointer;
  }

  /** The coarsest the field need be while training: the first divisor of the plot's size that keeps it within its budget. */
  function coarseDivisor() {
    const least = pixelSize >= COARSE_FROM ? 2 : 1;
    if (fieldCost === null) return least;
    const fits = COARSE_DIVISORS.find((d) => d >= least && fieldCost * (pixelSize / d) ** 2 <= FIELD_BUDGET_MS);
    return fits ?? COARSE_DIVISORS[COARSE_DIVISORS.length - 1];
  }

  /** Renders the field into coarseCanvas, sampled at 1/`divisor` of the plot's resolution. */
  function renderCoarseField(divisor) {
    const { cx, cy, halfWidth } = view.current;
    const size = Math.ceil(pixelSize / divisor);
    if (coarseCanvas.width !== size) {
      coarseCanvas.width = size;
      coarseCanvas.height = size;
    }
    const pointer = timed(size * size, () => app.shown.render_field(size, size, cx, cy, halfWidth));
    coarseCanvas.getContext('2d').putImageData(coarseImages.at(pointer, size), 0, 0);
  }

  /** The coarse field scaled up over the whole plot. */
  function drawCoarseField() {
    context.imageSmoothingEnabled = true;
    context.drawImage(coarseCanvas, 0, 0, pixelSize, pixelSize);
  }

  /**
   * The sharp field a band of rows at a time, over the coarse one: the next
   * band each frame, as many rows as fit in SHARP_BUDGET_MS. Returns true
   * once every row is drawn.
   */
  function drawSharpBands() {
    const { cx, cy, halfWidth } = view.current;
    // Scrubbing back, each step of the replay is a new revision.
    const key = `${app.revision} ${cx} ${cy} ${halfWidth} ${pixelSize}`;
    if (sharp?.key !== key) {
      if (sharp?.canvas.width !== pixelSize) {
        const canvas = sharp?.canvas ?? document.createElement('canvas');
        canvas.width = pixelSize;
        canvas.height = pixelSize;
        sharp = { canvas, images: rowImages(app.wasm.memory, pixelSize) };
      }
      sharp.key = key;
      sharp.next = 0;
      // Under the bands until they cover it: the field as it is now, coarse.
      renderCoarseField(coarseDivisor());
    }
    if (sharp.next < pixelSize) {
      const rows = Math.max(1, Math.floor(SHARP_BUDGET_MS / (fieldCost * pixelSize)));
      const first = sharp.next;
      const count = Math.min(rows, pixelSize - first);
      const pointer = timed(count * pixelSize, () => app.shown.render_field_rows(pixelSize, pixelSize, first, count, cx, cy, halfWidth));
      sharp.canvas.getContext('2d').putImageData(sharp.images.at(pointer, count), 0, first);
      sharp.next = first + count;
      drawCoarseField();
    }
    // Drawn again (a hover, say) once whole: the sharp field as it is.
    context.drawImage(sharp.canvas, 0, 0, pixelSize, sharp.next, 0, 0, pixelSize, sharp.next);
    return sharp.next >= pixelSize;
  }

  /**
   * The field (or a node's map) as the whole plot: coarse while training,
   * else sharp, at once when that fits the frame and a band a frame when
   * not. Returns what it drew: 'coarse', 'refining' or 'sharp'.
   */
  function drawField(coarse) {
    const planar = app.shown;
    const node = app.focusNode;
    const { cx, cy, halfWidth } = view.current;
    context.setTransform(1, 0, 0, 1, 0, 0);
    if (coarse) {
      // Training moves the field: a sharp one starts again when it stops.
      if (sharp) sharp.key = null;
      renderCoarseField(coarseDivisor());
      drawCoarseField();
      return 'coarse';
    }
    if (!node && fieldCost !== null && fieldCost * pixelSize ** 2 > SHARP_BUDGET_MS) {
      return drawSharpBands() ? 'sharp' : 'refining';
    }
    // The engine renders the view in sight: its pixels are the whole plot.
    const pointer = node
      ? planar.render_node(node.layer, node.unit, pixelSize, cx, cy, halfWidth)
      : timed(pixelSize ** 2, () => planar.render_field(pixelSize, pixelSize, cx, cy, halfWidth));
    context.putImageData(fieldImage(pointer), 0, 0);
    return 'sharp';
  }

  /** Draws the plot; returns what its field is: 'coarse', 'refining' or 'sharp'. */
  function draw(coarse = false) {
    const node = app.focusNode;
    const field = drawField(coarse && !node);
    context.setTransform(pixelSize / cssSize, 0, 0, pixelSize / cssSize, 0, 0);
    drawAxes();
    drawPoints();
    for (const layer of layers) layer.draw(context, { toCssX, toCssY, cssSize, view: view.current });
    if (app.keyboardCursor) drawCursor(app.keyboardCursor);
    if (node) drawNodeCaption(node);
    if (node !== labelledNode) {
      labelledNode = node;
      if (node) canvas.setAttribute('aria-label', t('plot.node-label', { node: nodeName(app.model, node.layer, node.unit) }));
      else describeView();
    }
    return field;
  }

  /** The keyboard's cursor (plot-keys.js): a crosshair, while the keyboard moves it. */
  function drawCursor({ x, y }) {
    const px = toCssX(x);
    const py = toCssY(y);
    context.lineWidth = 3;
    context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    context.beginPath();
    context.moveTo(px - 12, py);
    context.lineTo(px + 12, py);
    context.moveTo(px, py - 12);
    context.lineTo(px, py + 12);
    context.stroke();
    context.lineWidth = 1.5;
    context.strokeStyle = '#1c1e21';
    context.stroke();
  }

  /** Says whose map the plot shows while a node is focused. */
  function drawNodeCaption(node) {
    const text = t('plot.showing', { node: nodeName(app.model, node.layer, node.unit) });
    context.font = '600 13px system-ui, sans-serif';
    const width = context.measureText(text).width + 16;
    const x = (cssSize - width) / 2;
    context.fillStyle = 'rgba(255, 255, 255, 0.9)';
    context.fillRect(x, 8, width, 24);
    context.strokeStyle = 'rgba(0, 0, 0, 0.35)';
    context.lineWidth = 1;
    context.strokeRect(x + 0.5, 8.5, width - 1, 23);
    context.fillStyle = '#1c1e21';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(text, cssSize / 2, 20);
  }

  function drawAxes() {
    const { cx, cy, halfWidth } = view.current;
    const xTicks = ticks(cx - halfWidth, cx + halfWidth);
    const yTicks = ticks(cy - halfWidth, cy + halfWidth);
    const label = (v) => String(Number(v.toPrecision(6)));
    context.lineWidth = 1;
    context.strokeStyle = 'rgba(0, 0, 0, 0.10)';
    context.beginPath();
    context.moveTo(toCssX(0), 0);
    context.lineTo(toCssX(0), cssSize);
    context.moveTo(0, toCssY(0));
    context.lineTo(cssSize, toCssY(0));
    context.stroke();

    context.strokeStyle = 'rgba(0, 0, 0, 0.35)';
    context.beginPath();
    for (const tick of xTicks) {
      context.moveTo(toCssX(tick), cssSize);
      context.lineTo(toCssX(tick), cssSize - 5);
    }
    for (const tick of yTicks) {
      context.moveTo(0, toCssY(tick));
      context.lineTo(5, toCssY(tick));
    }
    context.stroke();

    context.font = '11px system-ui, sans-serif';
    context.fillStyle = 'rgba(0, 0, 0, 0.5)';
    context.textAlign = 'center';
    context.textBaseline = 'bottom';
    for (const tick of xTicks) if (tick !== 0) context.fillText(label(tick), toCssX(tick), cssSize - 6);
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    for (const tick of yTicks) if (tick !== 0) context.fillText(label(tick), 8, toCssY(tick));
    context.textBaseline = 'bottom';
    context.fillText('x₁ →', cssSize - 34, cssSize - 18);
    context.textBaseline = 'top';
    context.fillText('↑ x₂', 8, 6);
  }

  /** The points of each class (filled, or hollow when held out) on `target`, in CSS px. */
  function markPoints(target, { count, x, y, label, heldOut }, showTest) {
    const radius = pointRadius(count);
    const dense = count > DENSE_POINTS;
    const mark = markOf(target, dense);
    // One path per class: two fills instead of one per point. Test points
    // (held out) are hollow: a path per class, stroked in its colour.
    for (const cls of [0, 1]) {
      target.beginPath();
      for (let i = 0; i < count; i += 1) {
        if (label[i] === cls && heldOut[i] === 0) mark(toCssX(x[i]), toCssY(y[i]), radius);
      }
      target.fillStyle = getClassColors()[cls];
      target.fill();
      if (!dense) {
        target.lineWidth = 1;
        target.strokeStyle = OUTLINE;
        target.stroke();
      }
      if (!showTest) continue;
      target.beginPath();
      for (let i = 0; i < count; i += 1) {
        if (label[i] === cls && heldOut[i] === 1) mark(toCssX(x[i]), toCssY(y[i]), radius - 0.5);
      }
      target.lineWidth = dense ? 1 : 2;
      target.strokeStyle = getClassColors()[cls];
      target.stroke();
    }
  }

  /**
   * Many points drawn once onto a layer of their own and copied each frame:
   * they only move when an edit, an import or the view moves them, while
   * training redraws the plot every frame.
   */
  function drawDensePoints(points, showTest) {
    const { cx, cy, halfWidth } = view.current;
    const key = [pointsVersion, cx, cy, halfWidth, pixelSize, cssSize, showTest, ...getClassColors()].join();
    if (!pointLayer || pointLayer.canvas.width !== pixelSize) {
      const layer = new OffscreenCanvas(pixelSize, pixelSize).getContext('2d');
      pointLayer = { canvas: layer.canvas, context: layer, key: '' };
    }
    if (pointLayer.key !== key) {
      const target = pointLayer.context;
      target.setTransform(1, 0, 0, 1, 0, 0);
      target.clearRect(0, 0, pixelSize, pixelSize);
      target.setTransform(pixelSize / cssSize, 0, 0, pixelSize / cssSize, 0, 0);
      markPoints(target, points, showTest);
      pointLayer.key = key;
    }
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(pointLayer.canvas, 0, 0);
    context.restore();
  }

  function drawPoints() {
    // Predicting may grow wasm memory, which detaches older views: take the
    // point views after it.
    const predicted = app.predictions();
    const points = app.points();
    const { count, x, y, label, heldOut } = points;
    if (count === 0) return;
    const showTest = app.state.showTest;
    const radius = pointRadius(count);
    // Tens of thousands of antialiased circles take seconds to rasterize:
    // past DENSE_POINTS, points are squares without outlines, which are cheap.
    const dense = count > DENSE_POINTS;
    const mark = markOf(context, dense);
    if (dense) drawDensePoints(points, showTest);
    else markPoints(context, points, showTest);
    // A ring around each point the network gets wrong.
    const ring = radius + (dense ? 1 : 2.5);
    context.beginPath();
    for (let i = 0; i < count; i += 1) {
      if (predicted[i] !== label[i] && (showTest || heldOut[i] === 0)) mark(toCssX(x[i]), toCssY(y[i]), ring);
    }
    context.lineWidth = dense ? 1 : 1.5;
    context.strokeStyle = MISCLASSIFIED_RING;
    context.stroke();

    const hovered = hoveredPoint();
    if (hovered >= 0) {
      context.beginPath();
      context.arc(toCssX(x[hovered]), toCssY(y[hovered]), radius + 5, 0, 2 * Math.PI);
      context.lineWidth = 2;
      context.strokeStyle = '#111';
      context.stroke();
    }
  }

  function hoveredPoint() {
    if (gesture?.dragging) return gesture.index;
    if (!app.hover) return -1;
    return app.nearestPoint(app.hover.x, app.hover.y, pickRadius());
  }

  let drawnHover = null;
  app.on('frame', () => {
    const coarse = trainedSinceDrawn && app.state.playing;
    trainedSinceDrawn = false;
    const sharpen = (drawnCoarse && !coarse) || canvas.dataset.field === 'refining';
    if ((drawnRevision === app.revision && drawnHover === app.hover && !sharpen) || cssSize === 0) return;
    const field = draw(coarse);
    if (canvas.dataset.field !== field) canvas.dataset.field = field;
    drawnCoarse = field !== 'sharp';
    drawnRevision = app.revision;
    drawnHover = app.hover;
  });

  // ---- gestures ----
  // Mouse: click adds (shift: the other class), alt-click or right-click
  // removes, dragging a point moves it. Touch: tap adds, long press removes,
  // dragging a point moves it.

  const classFor = (event) => (event.shiftKey ? 1 - app.state.selectedClass : app.state.selectedClass);

  canvas.addEventListener('pointerdown', (event) => {
    lastPointerType = event.pointerType;
    if (app.failed) return;
    if (startPan(event)) return;
    if (event.button !== 0) return;
    const at = toPlane(event);
    if (event.altKey) {
      app.removeNearest(at.x, at.y, pickRadius());
      return;
    }
    canvas.setPointerCapture(event.pointerId);
    // A finger cannot hover: the inspector follows where it last touched.
    if (event.pointerType === 'touch') app.setHover(at);
    gesture = {
      id: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      slop: CLICK_SLOP_PX[event.pointerType] ?? CLICK_SLOP_PX.mouse,
      index: app.nearestPoint(at.x, at.y, pickRadius()),
      label: classFor(event),
      dragging: false,
      done: false,
      timer: 0,
    };
    if (event.pointerType === 'touch') {
      gesture.timer = setTimeout(() => {
        if (!gesture || gesture.dragging) return;
        gesture.done = true;
        app.removeNearest(at.x, at.y, pickRadius());
      }, LONG_PRESS_MS);
    }
    updateCursor();
  });

  canvas.addEventListener('pointermove', (event) => {
    if (movePan(event)) return;
    const at = toPlane(event);
    if (event.pointerType !== 'touch' || gesture?.id === event.pointerId) app.setHover(at);
    if (!gesture || gesture.id !== event.pointerId || gesture.done) return;
    const moved = Math.hypot(event.clientX - gesture.startX, event.clientY - gesture.startY);
    if (!gesture.dragging && moved > gesture.slop) {
      clearTimeout(gesture.timer);
      gesture.dragging = gesture.index >= 0;
      // A press on empty space that wanders off is neither a click nor a drag.
      if (!gesture.dragging) gesture.done = true;
    }
    if (gesture.dragging) app.movePoint(gesture.index, clampToPlane(at.x), clampToPlane(at.y));
    updateCursor();
  });

  canvas.addEventListener('pointerup', (event) => {
    if (endPan(event)) return;
    if (!gesture || gesture.id !== event.pointerId) return;
    clearTimeout(gesture.timer);
    const at = toPlane(event);
    if (gesture.dragging) app.finishMove();
    else if (!gesture.done && gesture.index < 0) app.addPoint(at.x, at.y, gesture.label);
    gesture = null;
    updateCursor();
  });

  canvas.addEventListener('pointercancel', (event) => {
    endPan(event);
    if (gesture?.dragging) app.finishMove();
    clearTimeout(gesture?.timer);
    gesture = null;
  });

  canvas.addEventListener('pointerleave', (event) => {
    if (event.pointerType !== 'touch' && !gesture) app.setHover(null);
  });

  canvas.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    // On touch screens a long press also opens the context menu; the long
    // press timer already handles it.
    if (lastPointerType === 'touch') return;
    const at = toPlane(event);
    app.removeNearest(at.x, at.y, pickRadius());
  });

  // ---- pan and zoom ----
  // Wheel zooms at the pointer; Ctrl- (or ⌘-) drag and middle-button drag
  // pan; two fingers pan and pinch-zoom. The view never changes the points.

  /** Pointers taking part in a pan or pinch: id -> {x, y} client position. */
  const panPointers = new Map();
  let pan = null;

  /** The plane point under client position (x, y) for the view `from`. */
  function planeAt(from, x, y) {
    const rect = canvas.getBoundingClientRect();
    return {
      x: from.cx - from.halfWidth + ((x - rect.left) / rect.width) * 2 * from.halfWidth,
      y: from.cy + from.halfWidth - ((y - rect.top) / rect.height) * 2 * from.halfWidth,
    };
  }

  function beginPanFrom() {
    const positions = [...panPointers.values()];
    const x = positions.reduce((sum, p) => sum + p.x, 0) / positions.length;
    const y = positions.reduce((sum, p) => sum + p.y, 0) / positions.length;
    const spread = positions.length > 1 ? Math.hypot(positions[0].x - positions[1].x, positions[0].y - positions[1].y) : 0;
    pan = { view: view.current, anchor: planeAt(view.current, x, y), spread };
  }

  function startPan(event) {
    const touch = event.pointerType === 'touch';
    const wantsPan = (!touch && (event.button === 1 || (event.button === 0 && (event.ctrlKey || event.metaKey))))
      || (touch && (panPointers.size > 0 || (gesture && gesture.id !== event.pointerId && !gesture.dragging)));
    if (!wantsPan) return false;
    event.preventDefault();
    if (touch && gesture) {
      // A second finger: the first one's tap or long press becomes a pinch.
      clearTimeout(gesture.timer);
      panPointers.set(gesture.id, { x: gesture.startX, y: gesture.startY });
      gesture = null;
    }
    canvas.setPointerCapture(event.pointerId);
    panPointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    beginPanFrom();
    updateCursor();
    return true;
  }

  function movePan(event) {
    if (!panPointers.has(event.pointerId)) return false;
    panPointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const positions = [...panPointers.values()];
    const x = positions.reduce((sum, p) => sum + p.x, 0) / positions.length;
    const y = positions.reduce((sum, p) => sum + p.y, 0) / positions.length;
    let from = pan.view;
    if (positions.length > 1 && pan.spread > 0) {
      const spread = Math.hypot(positions[0].x - positions[1].x, positions[0].y - positions[1].y);
      from = zoomAt(from, pan.anchor.x, pan.anchor.y, pan.spread / Math.max(1, spread));
    }
    // Keep the plane point that was under the pointers under them.
    const now = planeAt(from, x, y);
    view.set(panBy(from, pan.anchor.x - now.x, pan.anchor.y - now.y));
    return true;
  }

  function endPan(event) {
    if (!panPointers.delete(event.pointerId)) return false;
    if (panPointers.size > 0) beginPanFrom();
    else pan = null;
    updateCursor();
    return true;
  }

  canvas.addEventListener('wheel', (event) => {
    event.preventDefault();
    const at = toPlane(event);
    // Pixel, line or page deltas: all zoom by a comparable step.
    const delta = event.deltaY * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    view.set(zoomAt(view.current, at.x, at.y, Math.exp(Math.max(-200, Math.min(200, delta)) * WHEEL_ZOOM)));
  }, { passive: false });

  // A middle-button press would start the browser's auto-scroll.
  canvas.addEventListener('mousedown', (event) => {
    if (event.button === 1) event.preventDefault();
  });

  const home = { ...view.home };
  const describeView = () => {
    const { cx, cy, halfWidth } = view.current;
    const low = (c) => Number((c - halfWidth).toPrecision(4));
    const high = (c) => Number((c + halfWidth).toPrecision(4));
    canvas.setAttribute('aria-label', t('plot.label', { x0: low(cx), x1: high(cx), y0: low(cy), y1: high(cy) }));
  };
  onLanguage(() => {
    labelledNode = undefined;
    drawnRevision = -1;
  });

  view.on(() => {
    drawnRevision = -1;
    describeView();
  });
  describeView();

  /** Fits the view to the points; returns how many were out of view before. */
  function fitToData() {
    const points = app.points();
    const outside = countOutside(view.current, points);
    view.set(fitView(points, home));
    return outside;
  }
  fitButton?.addEventListener('click', () => {
    fitToData();
  });
  // Opened work (a file, a link, a saved work, Undo) with points out of
  // view brings the view to them.
  app.on('change', ({ what }) => {
    if (what === 'all' && countOutside(view.current, app.points()) > 0) fitToData();
  });

  function updateCursor() {
    let cursor = 'crosshair';
    if (pan) cursor = 'move';
    else if (gesture?.dragging) cursor = 'grabbing';
    else if (app.hover && app.nearestPoint(app.hover.x, app.hover.y, pickRadius()) >= 0) cursor = 'grab';
    if (canvas.style.cursor !== cursor) canvas.style.cursor = cursor;
  }
}
