// The plot from the keyboard. Once the plot has the focus (Tab), a cursor
// stands on the plane: the arrow keys move it (Shift: larger steps), Enter
// adds a point of the selected class there, Shift+Enter one of the other
// class, Delete or Backspace removes the point nearest to it. The cursor is
// the app's hover location, so the plot rings the point under it and the
// inspector follows it, as for a mouse. Every move and edit is said in a
// polite live region.

import { onLanguage, t } from './i18n.js';

/** A step of the cursor, as a fraction of the view's width; Shift takes larger ones. */
const STEP = 1 / 40;
const LARGE_STEP = 1 / 8;
/** How near the cursor (a fraction of the view's width) a point must be to be named or removed. */
const NEAR = 1 / 40;

const MOVES = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1],
};

/**
 * @param {HTMLCanvasElement} canvas  the plot
 * @param {any} app
 * @param {{ current: { cx: number, cy: number, halfWidth: number } }} view  the part of the plane in view
 * @param {HTMLElement} status  a live region (aria-live="polite") for what happened
 */
export function mountPlotKeys(canvas, app, view, status) {
  let cursor = null;

  const width = () => 2 * view.current.halfWidth;
  /** A coordinate as it is said: two decimals, in the page's language. */
  const said = (value) => Number(value.toFixed(2)) || 0;
  const say = (text) => {
    status.textContent = text;
  };

  /** Shows the cursor where it is (the hover location follows it), or hides it. */
  function show(visible) {
    app.keyboardCursor = visible ? cursor : null;
    if (visible) app.setHover(cursor);
  }

  /** The index of the point within reach of the cursor, or -1. */
  const nearest = () => app.nearestPoint(cursor.x, cursor.y, NEAR * width());

  function describe() {
    const index = nearest();
    const near = index >= 0
      ? t('plot.near-point', { label: app.points().label[index] })
      : t('plot.near-none');
    say(t('plot.cursor', { x: said(cursor.x), y: said(cursor.y), near }));
  }

  /** Puts the cursor in view (the middle when it has none or left the view). */
  function placeCursor() {
    const { cx, cy, halfWidth } = view.current;
    const inView = cursor && Math.abs(cursor.x - cx) <= halfWidth && Math.abs(cursor.y - cy) <= halfWidth;
    if (!inView) cursor = { x: cx, y: cy };
  }

  canvas.addEventListener('focus', () => {
    // A click focuses the plot too: the pointer, not a cursor, is then at work.
    if (!canvas.matches(':focus-visible')) return;
    placeCursor();
    show(true);
    describe();
  });
  canvas.addEventListener('blur', () => {
    if (app.keyboardCursor) app.setHover(null);
    show(false);
  });
  // The pointer takes over from the keyboard (its own moves set the hover location).
  for (const type of ['pointermove', 'pointerdown']) {
    canvas.addEventListener(type, () => {
      if (app.keyboardCursor) show(false);
    });
  }

  canvas.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || app.failed) return;
    const move = MOVES[event.key];
    if (move) {
      event.preventDefault();
      placeCursor();
      const { cx, cy, halfWidth } = view.current;
      const step = (event.shiftKey ? LARGE_STEP : STEP) * width();
      const clamp = (value, centre) => Math.min(centre + halfWidth, Math.max(centre - halfWidth, value));
      cursor = { x: clamp(cursor.x + move[0] * step, cx), y: clamp(cursor.y + move[1] * step, cy) };
      show(true);
      describe();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      placeCursor();
      show(true);
      const label = event.shiftKey ? 1 - app.state.selectedClass : app.state.selectedClass;
      if (app.addPoint(cursor.x, cursor.y, label)) {
        say(t('plot.added', { label, x: said(cursor.x), y: said(cursor.y) }));
      }
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      placeCursor();
      show(true);
      const index = nearest();
      if (index < 0) {
        say(t('plot.nothing-near'));
        return;
      }
      const points = app.points();
      const removed = { label: points.label[index], x: said(points.x[index]), y: said(points.y[index]) };
      if (app.removeNearest(cursor.x, cursor.y, NEAR * width())) say(t('plot.removed', removed));
    }
  });

  onLanguage(() => {
    if (document.activeElement === canvas && cursor) describe();
  });
}
