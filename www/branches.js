// The runs kept beside the current one: when the reader goes back in the
// run's history and trains on from there differently, the run left behind
// is kept (app.branches: plain documents like app.snapshot()'s, with the
// engine's progress so a restored run goes on exactly, saved with the
// document). Up to MAX_RUNS runs in all, the current one included; keeping
// one more drops the oldest unpinned one, with a notice. Each run is named
// by what differs between them ("α 0.5", "Adam", "8 units"); the list under
// the cost chart (#branches) is also the chart's legend, with each kept
// run's buttons: restore it (the current run is kept in its place), pin it,
// remove it (undoable).

import { getRunColors, getCurveColors } from './colors.js';
import { formatRate } from './format.js';
import { MAX_RUNS } from './formats.js';
import { onLanguage, t } from './i18n.js';

/** What names the current run: its settings and model. */
const currentRun = (app) => ({ settings: app.state, model: app.model });

/** The current run as a kept run: its document (without the kept runs) and its progress. */
export function recordOf(app) {
  const { branches, ...document } = app.snapshot();
  return { ...document, progress: Array.from(app.planar.progress()), pinned: false };
}

/**
 * Keeps the current run (about to change) among the kept runs; drops the
 * oldest unpinned one beyond MAX_RUNS, with a notice.
 */
export function keepCurrent(app) {
  const kept = [...app.branches, recordOf(app)];
  if (kept.length > MAX_RUNS - 1) {
    // All pinned: the run just left is the one not kept.
    const unpinned = kept.findIndex((run) => !run.pinned);
    const index = unpinned < 0 ? kept.length - 1 : unpinned;
    const label = runLabels([currentRun(app), ...kept])[index + 1];
    kept.splice(index, 1);
    app.notify(t(unpinned < 0 ? 'runs.all-pinned' : 'runs.dropped', { label, count: MAX_RUNS }));
  }
  app.branches = kept;
}

/** Makes kept run `index` the current one; the current run is kept in its place. */
export function restoreRun(app, index) {
  const run = app.branches[index];
  if (!run) return;
  const others = app.branches.map((kept, i) => (i === index ? recordOf(app) : kept));
  try {
    app.restore({ ...run, branches: others });
  } catch (error) {
    app.notify(t('runs.restore-failed', { error: error instanceof Error ? error.message : String(error) }), 'error');
    return;
  }
  // Kept in this page: the whole progress (the optimizer's moments too), so the run goes on exactly.
  if (run.progress) {
    app.run(() => app.planar.set_progress(Float64Array.from(run.progress)));
    app.changed('weights');
  }
}

/** Pins kept run `index` (or unpins it): a pinned run is never dropped for a new one. */
export function pinRun(app, index) {
  const run = app.branches[index];
  if (!run) return;
  app.branches = app.branches.map((kept, i) => (i === index ? { ...kept, pinned: !kept.pinned } : kept));
  app.changed('branches');
}

/** Removes kept run `index`, undoably. */
export function removeRun(app, index) {
  if (!app.branches[index]) return;
  app.beforeDestructive('remove-run');
  app.branches = app.branches.filter((_, i) => i !== index);
  app.changed('branches');
}

/**
 * The settings that name a run, each with how it reads.
 * @type {[string, (value: any) => string][]}
 */
const NAMED = [
  ['learningRate', (v) => `α ${formatRate(v)}`],
  ['optimizer', (v) => t(`optimizer.${v}`)],
  ['beta', (v) => `β ${v}`],
  ['beta1', (v) => `β1 ${v}`],
  ['beta2', (v) => `β2 ${v}`],
  ['l2', (v) => `λ ${v}`],
  ['l1', (v) => `L1 ${v}`],
  ['batch', (v) => (v > 0 ? t('runs.batch', { size: v }) : t('runs.full-batch'))],
];

const unitsOf = (run) => run.model.layers.map((layer) => layer.units).join('–');

/**
 * A name for each of `runs` (documents): what differs between them (the
 * learning rate, the optimizer, regularisation, batches, the hidden units),
 * or their number when nothing does.
 */
export function runLabels(runs) {
  const differs = (read) => new Set(runs.map((run) => JSON.stringify(read(run)))).size > 1;
  const parts = runs.map(() => []);
  for (const [key, show] of NAMED) {
    if (!differs((run) => run.settings[key])) continue;
    runs.forEach((run, i) => parts[i].push(show(run.settings[key])));
  }
  if (differs(unitsOf)) runs.forEach((run, i) => parts[i].push(t('runs.units', { units: unitsOf(run) })));
  return parts.map((list, i) => (list.length > 0 ? list.join(', ') : t('runs.numbered', { number: i + 1 })));
}

/** The colour of each run the chart draws: the current one's, then each kept run's. */
export function runColors(count) {
  return [getCurveColors().training, ...getRunColors().slice(0, count)];
}

/** The list of runs under the cost chart: the legend of its curves and each kept run's buttons. */
export function mountBranches(list, app) {
  let shown = null;
  let shownIteration = -1;

  let drawnLabels = null;
  const draw = ({ force = false } = {}) => {
    const labels = runLabels([currentRun(app), ...app.branches]);
    const key = labels.join('\n');
    if (!force && shown === app.branches && key === drawnLabels) return;
    // A button that had the focus keeps it across the redraw (or the one now in its place).
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const place = focused instanceof HTMLElement ? { run: focused.dataset.run, action: focused.dataset.action } : null;
    shown = app.branches;
    drawnLabels = key;
    shownIteration = app.planar.iteration();
    list.replaceChildren();
    list.hidden = app.branches.length === 0;
    if (list.hidden) return;
    const colors = runColors(app.branches.length);
    list.append(item(colors[0], labels[0], t('runs.current', { iteration: shownIteration })));
    app.branches.forEach((run, index) => {
      const entry = item(colors[index + 1], labels[index + 1], t('runs.kept', { iteration: run.iteration }));
      const buttons = document.createElement('span');
      buttons.className = 'run-buttons';
      const label = labels[index + 1];
      buttons.append(
        button(index, 'restore', t('runs.restore'), t('runs.restore-label', { label }), () => restoreRun(app, index)),
        button(index, 'pin', t('runs.pin'), t('runs.pin-label', { label }), () => pinRun(app, index), run.pinned),
        button(index, 'remove', t('runs.remove'), t('runs.remove-label', { label }), () => removeRun(app, index)),
      );
      entry.append(buttons);
      list.append(entry);
    });
    if (place) {
      const buttons = [...list.querySelectorAll('button')];
      const again = buttons.find((node) => node.dataset.run === place.run && node.dataset.action === place.action)
        ?? buttons.find((node) => node.dataset.action === place.action) ?? buttons[0];
      again?.focus();
    }
  };

  app.on('change', () => draw());
  onLanguage(() => draw({ force: true }));
  // The current run's iteration moves while it trains: its line follows, a few times a second.
  let lastDrawn = 0;
  app.on('frame', () => {
    if (shown !== app.branches) draw();
    else if (!list.hidden && shownIteration !== app.planar.iteration() && performance.now() - lastDrawn > 500) {
      lastDrawn = performance.now();
      shownIteration = app.planar.iteration();
      list.querySelector('.run-state').textContent = t('runs.current', { iteration: shownIteration });
    }
  });
  draw();
}

function item(color, label, state) {
  const entry = document.createElement('li');
  entry.className = 'run';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = color;
  swatch.setAttribute('aria-hidden', 'true');
  const name = document.createElement('span');
  name.className = 'run-label';
  name.textContent = label;
  const detail = document.createElement('span');
  detail.className = 'run-state';
  detail.textContent = state;
  entry.append(swatch, name, detail);
  return entry;
}

function button(run, name, text, label, action, pressed = null) {
  const node = document.createElement('button');
  node.type = 'button';
  node.dataset.run = String(run);
  node.dataset.action = name;
  node.textContent = text;
  node.setAttribute('aria-label', label);
  if (pressed !== null) node.setAttribute('aria-pressed', String(pressed));
  node.addEventListener('click', action);
  return node;
}
