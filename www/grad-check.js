// The gradient check: for the current parameters, every entry of every
// dW[l] and db[l] from backpropagation beside its centred finite difference
// (the engine's GradientCheckRun, advanced a few entries per frame so the
// page keeps drawing), each entry coloured by its relative difference, and
// the course's overall figure with its verdict. The planted mistake lives
// only in the check's backpropagation; training never sees it.

import { formatNumber } from './format.js';

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

  button.addEventListener('click', start);
  plant.addEventListener('change', () => {
    if (shown || active) start();
  });
  app.on('model', () => {
    cancel();
    shown = null;
    table.replaceChildren();
    difference.textContent = '–';
    verdict.textContent = '';
    timing.textContent = 'The network changed: check it again.';
  });
  app.on('frame', () => {
    if (active) advance();
    else if (shown) markStale();
  });

  function start() {
    cancel();
    if (app.planar.point_count() === 0) {
      verdict.textContent = 'There are no points, so there is no cost to check. Add points first.';
      return;
    }
    const run = app.run(() => app.planar.gradient_check(plant.checked));
    if (!run) return;
    active = { run, started: performance.now(), computing: 0, chunk: 1, iteration: app.planar.iteration(), planted: plant.checked };
    root.setAttribute('aria-busy', 'true');
    difference.textContent = '…';
    verdict.textContent = '';
    timing.textContent = `Checking 0 of ${run.len()} entries…`;
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
      timing.textContent = `Checking ${done} of ${run.len()} entries…`;
      return;
    }
    finish();
  }

  function finish() {
    const { run, started, computing, iteration, planted } = active;
    const result = {
      backprop: run.backprop(),
      approx: run.approx(),
      entries: run.entry_differences(),
      overall: run.difference(),
      threshold: run.threshold(),
      vanishing: run.gradient_norm() < run.vanishing(),
      norm: run.gradient_norm(),
      epsilon: run.epsilon(),
    };
    const count = run.len();
    const wall = performance.now() - started;
    cancel();
    difference.textContent = result.overall.toExponential(2);
    const right = result.overall < result.threshold;
    verdict.textContent = right
      ? `below ${result.threshold.toExponential(0)}: backpropagation is correct${planted ? ' (yet a mistake was planted?)' : ''}.`
      : `above ${result.threshold.toExponential(0)}: backpropagation is wrong${planted ? ' — the planted mistake, dW' + (app.model.dims.length - 1) + ' twice too large, is caught' : ''}.`;
    if (!right && result.vanishing) {
      verdict.textContent += ` But the gradients here are vanishingly small (‖grad‖ = ${result.norm.toExponential(1)}): rounding in J(θ ± ε) is as large as what ε = ${result.epsilon} measures. Train a little, or try Xavier or He initialisation.`;
    }
    verdict.dataset.verdict = right ? 'correct' : 'wrong';
    timing.textContent = `${count} entries at iteration ${iteration}, ε = ${result.epsilon}: ${Math.round(computing)} ms of computing over ${Math.round(wall)} ms.`;
    shown = { iteration, model: app.model, revision: app.revision };
    root.dataset.milliseconds = String(Math.round(computing));
    buildTable(result);
  }

  /** Once the parameters move on, the figures are of an earlier iteration: say so. */
  function markStale() {
    const stale = app.planar.iteration() !== shown.iteration || app.model !== shown.model;
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
            title: `d${entry.name}[${r + 1},${c + 1}]: backpropagation ${backprop[i]}, centred difference ${approx[i]}, relative difference ${entries[i].toExponential(1)}`,
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
