// The controls (buttons, sliders, the class choice), the keyboard
// shortcuts, and the read-outs under the plot.

import { element } from './dom.js';
import { formatCost, formatRate } from './format.js';
import { extremeWeight } from './formats.js';
import { onLanguage, t } from './i18n.js';
import {
  DATASETS, LIMITS, parseSeed, rateFromSlider, speedFromSlider,
} from './state.js';

export function mountControls(app) {
  const $ = (id) => element(id);
  const input = (id) => element(id, HTMLInputElement);
  const play = $('play');
  const lr = input('lr');
  const lrValue = $('lr-value');
  const speed = input('speed');
  const speedValue = $('speed-value');
  const seed = input('seed');
  const seedInUse = $('seed-in-use');
  const dataset = element('dataset', HTMLSelectElement);
  for (const name of DATASETS) {
    const option = document.createElement('option');
    option.value = name;
    dataset.append(option);
  }
  const nameDatasets = () => {
    for (const option of dataset.options) option.textContent = t(`dataset.${option.value}`);
  };
  nameDatasets();
  const classRadios = [input('class-0'), input('class-1')];
  const readouts = {
    iteration: $('iteration'),
    cost: $('cost'),
    accuracy: $('accuracy'),
    accuracyUnit: $('accuracy-unit'),
    points: $('points'),
    epoch: $('epoch'),
    updates: $('updates'),
    testCost: $('test-cost'),
    testAccuracy: $('test-accuracy'),
    testPoints: $('test-points'),
  };
  const readoutStatus = $('readout-status');
  const miniBatchReadouts = [$('epoch-readout')];
  const testReadouts = [$('test-cost-readout'), $('test-accuracy-readout'), $('test-points-readout')];
  const lrWarning = $('lr-warning');
  const weightsWarning = $('weights-warning');

  // ---- actions ----

  function resetFromSeedField() {
    const value = parseSeed(seed.value);
    if (Number.isNaN(value)) {
      app.notify(t('seed.invalid', { low: LIMITS.seed[0], high: LIMITS.seed[1] }), 'error');
      seed.focus();
      return;
    }
    app.reset(value);
  }

  play.addEventListener('click', () => app.togglePlay());
  $('step').addEventListener('click', () => app.stepOnce());
  $('reset').addEventListener('click', resetFromSeedField);
  $('clear').addEventListener('click', () => app.clear());
  $('new').addEventListener('click', () => {
    app.startOver();
    seed.value = String(app.state.weightSeed);
  });
  seed.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') resetFromSeedField();
  });

  lr.addEventListener('input', () => {
    app.setLearningRate(rateFromSlider(Number(lr.value)));
    lrValue.textContent = formatRate(app.state.learningRate);
  });
  speed.addEventListener('input', () => {
    app.setSpeed(speedFromSlider(Number(speed.value)));
    speedValue.textContent = String(app.state.speed);
  });
  dataset.addEventListener('change', () => app.loadDataset(dataset.value));
  classRadios.forEach((radio, label) => radio.addEventListener('change', () => {
    if (radio.checked) app.selectClass(label);
  }));

  // ---- keyboard shortcuts ----

  const TYPING = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password']);
  // The control the pointer (not the keyboard) focused last: after clicking
  // Step with the mouse, Space should still play rather than step again.
  let pointerFocused = null;
  document.addEventListener('pointerdown', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    pointerFocused = target?.closest('button, input, summary') ?? target?.closest('label')?.control ?? null;
  }, true);
  document.addEventListener('focusin', (event) => {
    if (event.target !== pointerFocused) pointerFocused = null;
  });

  /** True when a key press belongs to what has focus, not to the shortcuts. */
  function belongsToFocus(event) {
    const target = event.target;
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
    if (target instanceof HTMLInputElement && TYPING.has(target.type)) return true;
    // Space presses a button, checkbox or radio the keyboard moved to.
    const pressable = target.tagName === 'BUTTON' || target.tagName === 'INPUT' || target.tagName === 'SUMMARY';
    return event.key === ' ' && pressable && target !== pointerFocused;
  }

  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    // Holding S keeps stepping; the other keys act once per press.
    if (event.repeat && event.key.toLowerCase() !== 's') return;
    if (belongsToFocus(event)) return;
    const action = {
      ' ': () => app.togglePlay(),
      s: () => app.stepOnce(),
      r: resetFromSeedField,
      n: () => app.nextStage(),
      0: () => app.selectClass(0),
      1: () => app.selectClass(1),
    }[event.key.length === 1 ? event.key.toLowerCase() : ''];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // ---- reflecting the state ----

  /** Puts every control in line with the app's settings (after a restore, a reset, ...). */
  function sync() {
    const state = app.state;
    showPlaying();
    if (document.activeElement !== lr) lr.value = String(Math.log10(state.learningRate));
    lrValue.textContent = formatRate(state.learningRate);
    if (document.activeElement !== speed) speed.value = String(Math.log10(state.speed));
    speedValue.textContent = String(state.speed);
    dataset.value = state.dataset;
    classRadios[state.selectedClass].checked = true;
    seedInUse.textContent = String(app.planar.seed());
  }
  // Step-through pauses without a 'change' of settings, so the frame checks too.
  let shownPlaying = null;
  function showPlaying() {
    const playing = app.state.playing && !app.stepThrough;
    if (playing === shownPlaying) return;
    shownPlaying = playing;
    play.textContent = playing ? t('play.pause') : t('play.play');
  }

  app.on('change', sync);
  sync();
  onLanguage(() => {
    nameDatasets();
    shownPlaying = null;
    showPlaying();
  });

  app.on('frame', () => {
    showPlaying();
    const planar = app.shown;
    const count = planar.point_count();
    const cost = count > 0 ? planar.cost() : undefined;
    const accuracy = count > 0 ? planar.accuracy() : undefined;
    setText(readouts.iteration, String(planar.iteration()));
    setText(readouts.cost, formatCost(cost));
    setText(readouts.accuracy, Number.isFinite(accuracy) ? accuracy.toFixed(2) : '–');
    readouts.accuracyUnit.hidden = !Number.isFinite(accuracy);
    setText(readouts.points, String(count));
    // With mini-batches an iteration is an epoch of several updates.
    setText(readouts.epoch, String(planar.iteration()));
    setText(readouts.updates, String(planar.updates()));
    showAll(miniBatchReadouts, app.state.batch > 0);
    const held = planar.test_count();
    const testAccuracy = held > 0 ? planar.test_accuracy() : undefined;
    setText(readouts.testCost, formatCost(held > 0 ? planar.test_cost() : undefined));
    setText(readouts.testAccuracy, Number.isFinite(testAccuracy) ? testAccuracy.toFixed(2) : '–');
    setText(readouts.testPoints, String(held));
    showAll(testReadouts, held > 0);
    announceReadoutsTo(readoutStatus, planar.iteration(), count, cost, accuracy);
    // Extreme weights (from a link or a file) saturate the network whatever
    // the learning rate: they get their own warning, not the rate's.
    const extreme = count > 0 && extremeWeight(planar.parameters()) !== null;
    const diverging = count > 0 && !extreme && planar.diverging();
    if (lrWarning.hidden === diverging) lrWarning.hidden = !diverging;
    if (weightsWarning.hidden === extreme) weightsWarning.hidden = !extreme;
  });
}

function showAll(elements, shown) {
  for (const element of elements) if (element.hidden === shown) element.hidden = !shown;
}

/** The readouts said to screen readers at most this often: every frame would be noise. */
const ANNOUNCE_MS = 2000;
let announcedAt = -Infinity;

/** Puts the iteration, cost and accuracy in the polite live region, now and then. */
function announceReadoutsTo(region, iteration, count, cost, accuracy) {
  const now = performance.now();
  if (now - announcedAt < ANNOUNCE_MS) return;
  const text = count === 0 ? t('readout.status-empty') : t('readout.status', {
    iteration: String(iteration), cost: formatCost(cost), accuracy: Number.isFinite(accuracy) ? accuracy.toFixed(2) : '–',
  });
  if (region.textContent === text) return;
  announcedAt = now;
  region.textContent = text;
}

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
