// The gradient check: for the current parameters, every entry of every
// dW[l] and db[l] from backpropagation beside its centred finite difference
// (the engine's GradientCheckRun, advanced a few entries per frame so the
// page keeps drawing), each entry coloured by its relative difference, and
// the course's overall figure with its verdict. The planted mistake lives
// only in the check's backpropagation; training never sees it. Its texts are
// kept as what they say (a key and values, the last result), so a change of
// language rewrites them without checking again.

import { formatNumber } from './format.js';
import { onLanguage, t } from './i18n.js';

/** Time a frame may spend on the check. */
const FRAME_BUDGET_MS = 6;
/** Relative differences below the first are right, above the second wrong. */
const ENTRY_LEVELS = [1e-6, 1e-3];
const LEVEL_CLASSES = ['diff-good', 'diff-doubt', 'diff-bad'];

export function mountGradientCheck({ root, button, plant, difference, verdict, timing, table }, app) {
  /** The check in progress: {run, started, computing, iteration, planted}, or null. */
  let active = null;
  /** What the last finished check was of: {iteration, model}. */
  let shown = null;
  /** The last finished check's figures and what it was of, for its texts: or null. */
  let result = null;
  /** What the verdict and the timing line say: [key, values] or null each. */
  const said = { verdict: null, timing: null };

  function say(part, key, values = {}) {
    said[part] = key ? [key, values] : null;
    const node = part === 'verdict' ? verdict : timing;
    node.textContent = key ? t(key, values) : '';
  }

  onLanguage(() => {
    const before = { ...said };
    if (result) {
      describe(result);
      buildTable(result);
    }
    for (const part of ['verdict', 'timing']) if (before[part]) say(part, ...before[part]);
  });

  button.addEventListener('click', start);
  plant.addEventListener('change', () => {
    if (shown || active) start();
  });
  app.on('model', () => {
    cancel();
    shown = null;
    result = null;
    table.replaceChildren();
    difference.textContent = '–';
    say('verdict', null);
    say('timing', 'gradcheck.changed');
  });
  app.on('frame', () => {
    if (active) advance();
    else if (shown) markStale();
  });

  function start() {
    cancel();
    // Scrubbed back, the check is of the network shown then.
    const planar = app.shown;
    if (planar.point_count() === 0) {
      say('verdict', 'gradcheck.no-points');
      return;
    }
    const run = app.run(() => planar.gradient_check(plant.checked));
    if (!run) return;
    active = { run, started: performance.now(), computing: 0, chunk: 1, iteration: planar.iteration(), planted: plant.checked };
    root.setAttribute('aria-busy', 'true');
    result = null;
    difference.textContent = '…';
    say('verdict', null);
    say('timing', 'gradcheck.progress', { done: 0, count: run.len() });
  }

  function cancel() {
    if (!active) return;
    active.run.free();
    active = null;
    root.removeAttribute('aria-busy');
  }

  /** A frame's share of the work: as many entries as fit in the budget. */
  function advance() {
    const { run } = active;
    const began = performance.now();
    let done = run.done();
    while (done < run.len() && performance.now() - began < FRAME_BUDGET_MS) {
      const before = performance.now();
      done = run.advance(active.chunk);
      // Grow the chunk while one takes well under the budget.
      if (performance.now() - before < FRAME_BUDGET_MS / 4) active.chunk *= 2;
    }
    active.computing += performance.now() - began;
    if (!run.finished()) {
      say('timing', 'gradcheck.progress', { done, count: run.len() });
      return;
    }
    finish();
  }

  function finish() {
    const { run, started, computing, iteration, planted } = active;
    const figures = {
      backprop: run.backprop(),
      approx: run.approx(),
      entries: run.entry_differences(),
      overall: run.difference(),
      threshold: run.threshold(),
      vanishing: run.gradient_norm() < run.vanishing(),
      norm: run.gradient_norm(),
      epsilon: run.epsilon(),
      count: run.len(),
      iteration,
      planted,
      computing: Math.round(computing),
      wall: Math.round(performance.now() - started),
      last: `dW${app.model.dims.length - 1}`,
    };
    cancel();
    result = figures;
    said.verdict = null;
    // The overall figure stays a plain number in either language.
    difference.textContent = figures.overall.toExponential(2);
    verdict.dataset.verdict = figures.overall < figures.threshold ? 'correct' : 'wrong';
    describe(figures);
    shown = { iteration, model: app.model, revision: app.revision };
    root.dataset.milliseconds = String(figures.computing);
    buildTable(figures);
  }

  /** The verdict and the timing line of a finished check, in the current language. */
  function describe(figures) {
    const right = figures.overall < figures.threshold;
    const threshold = figures.threshold.toExponential(0);
    let text = right
      ? t(figures.planted ? 'gradcheck.correct-planted' : 'gradcheck.correct', { threshold })
      : t(figures.planted ? 'gradcheck.wrong-planted' : 'gradcheck.wrong', { threshold, name: figures.last });
    if (!right && figures.vanishing) {
      text += ` ${t('gradcheck.vanishing', { norm: figures.norm.toExponential(1), epsilon: String(figures.epsilon) })}`;
    }
    verdict.textContent = text;
    say('timing', 'gradcheck.timing', {
      count: figures.count, iteration: String(figures.iteration), epsilon: String(figures.epsilon), computing: figures.computing, wall: figures.wall,
    });
  }

  /** Once the parameters move on, the figures are of an earlier iteration: say so. */
  function markStale() {
    const stale = app.shown.iteration() !== shown.iteration || app.model !== shown.model;
    if (root.classList.contains('stale') !== stale) root.classList.toggle('stale', stale);
  }

  function buildTable({ backprop, approx, entries }) {
    table.replaceChildren();
    for (const entry of app.model.parameters) {
      const figure = element('figure', { class: 'check-matrix' });
      figure.append(element('figcaption', {}, `d${entry.name} `, element('span', { class: 'shape' }, `${entry.rows}×${entry.cols}`)));
      const grid = element('table');
      const body = element('tbody');
      for (let r = 0; r < entry.rows; r += 1) {
        const row = element('tr');
        for (let c = 0; c < entry.cols; c += 1) {
          const i = entry.offset + r * entry.cols + c;
          const level = levelOf(entries[i]);
          const cell = element('td', {
            class: LEVEL_CLASSES[level],
            title: t('gradcheck.cell', {
              name: `d${entry.name}`, row: r + 1, col: c + 1, backprop: String(backprop[i]), approx: String(approx[i]), relative: entries[i].toExponential(1),
            }),
          });
          cell.append(
            element('span', { class: 'grad' }, formatNumber(backprop[i])),
            element('span', { class: 'approx' }, formatNumber(approx[i])),
            element('span', { class: 'rel' }, entries[i] === 0 ? '0' : entries[i].toExponential(0)),
          );
          row.append(cell);
        }
        body.append(row);
      }
      grid.append(body);
      figure.append(grid);
      table.append(figure);
    }
  }
}

function levelOf(relative) {
  if (!(relative < ENTRY_LEVELS[1])) return 2;
  return relative < ENTRY_LEVELS[0] ? 0 : 1;
}

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
