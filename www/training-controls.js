// How the network trains beyond the learning rate (the optimizer and its βs,
// the batch size, L2 and L1), the data (noise, number of points, data seed,
// Regenerate), the test set (the share kept for training, where clicks add
// points, whether test points show) and the discretised output.

import { element } from './dom.js';
import { onLanguage, t } from './i18n.js';
import {
  OPTIMIZERS, lambdaFromSlider, parseSeed, sliderFromLambda,
} from './state.js';

export function mountTrainingControls(app) {
  const $ = (id) => element(id, HTMLInputElement);
  const optimizer = element('optimizer', HTMLSelectElement);
  for (const name of OPTIMIZERS) optimizer.append(new Option(t(`optimizer.${name}`), name));
  onLanguage(() => {
    for (const option of optimizer.options) option.textContent = t(`optimizer.${option.value}`);
  });
  const betas = { beta: $('beta'), beta1: $('beta1'), beta2: $('beta2') };
  const batch = $('batch');
  const lambdas = { l2: $('l2'), l1: $('l1') };
  const noise = $('noise');
  const pointCount = $('point-count');
  const dataSeed = $('data-seed');
  const trainShare = $('train-share');
  const toggles = { clickTest: $('click-test'), showTest: $('show-test') };
  const discrete = $('discrete');

  /** Applies a training setting, or says why not and shows the setting as it stays. */
  function setTraining(key, value) {
    const problem = app.setTraining(key, value);
    if (problem) {
      app.notify(t('training.not-changed', { problem }), 'error');
      sync();
    }
  }

  optimizer.addEventListener('change', () => setTraining('optimizer', optimizer.value));
  for (const [key, input] of Object.entries(betas)) {
    input.addEventListener('change', () => setTraining(key, input.value === '' ? Number.NaN : Number(input.value)));
  }
  batch.addEventListener('change', () => setTraining('batch', batch.value.trim() === '' ? 0 : Number(batch.value)));
  for (const [key, slider] of Object.entries(lambdas)) {
    slider.addEventListener('input', () => {
      setTraining(key, lambdaFromSlider(Number(slider.value)));
      element(`${key}-value`).textContent = String(app.state[key]);
    });
  }

  /** New points from the data controls; a bad value is named and nothing changes. */
  function regenerate(changes) {
    const problem = app.regenerate(changes);
    if (problem) {
      app.notify(t('training.data-not-changed', { problem }), 'error');
      sync();
    }
  }
  function seedFromField() {
    const seed = parseSeed(dataSeed.value);
    return seed === null ? app.randomSeed() : seed;
  }
  noise.addEventListener('input', () => {
    element('noise-value').textContent = Number(noise.value).toFixed(2);
  });
  noise.addEventListener('change', () => regenerate({ noise: Number(noise.value) }));
  pointCount.addEventListener('change', () => regenerate({ pointCount: Number(pointCount.value) }));
  dataSeed.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') regenerate({ dataSeed: seedFromField() });
  });
  element('regenerate').addEventListener('click', () => regenerate({
    dataSeed: seedFromField(), pointCount: Number(pointCount.value),
  }));

  trainShare.addEventListener('input', () => {
    const problem = app.setTrainShare(Number(trainShare.value));
    if (problem) app.notify(t('training.not-changed', { problem }), 'error');
    element('train-share-value').textContent = `${app.state.trainShare} %`;
  });
  for (const [key, box] of Object.entries(toggles)) {
    box.addEventListener('change', () => app.setSetting(key, box.checked));
  }
  discrete.addEventListener('change', () => app.setDiscrete(discrete.checked));

  /** Puts every control in line with the app's settings. */
  function sync() {
    const state = app.state;
    optimizer.value = state.optimizer;
    for (const field of document.querySelectorAll('[data-optimizer]')) {
      if (field instanceof HTMLElement) field.hidden = field.dataset.optimizer !== state.optimizer;
    }
    for (const [key, input] of Object.entries(betas)) {
      if (document.activeElement !== input) input.value = String(state[key]);
    }
    if (document.activeElement !== batch) batch.value = String(state.batch);
    batch.max = String(Math.max(1, app.planar.point_count()));
    for (const [key, slider] of Object.entries(lambdas)) {
      if (document.activeElement !== slider) slider.value = String(sliderFromLambda(state[key]));
      element(`${key}-value`).textContent = String(state[key]);
    }
    const shownNoise = state.noise ?? app.presetNoise(state.dataset);
    if (document.activeElement !== noise) noise.value = String(shownNoise);
    element('noise-value').textContent = shownNoise.toFixed(2);
    noise.disabled = state.dataset === 'empty';
    if (document.activeElement !== pointCount) pointCount.value = String(state.pointCount);
    if (document.activeElement !== dataSeed) dataSeed.value = String(state.dataSeed);
    if (document.activeElement !== trainShare) trainShare.value = String(state.trainShare);
    element('train-share-value').textContent = `${state.trainShare} %`;
    for (const [key, box] of Object.entries(toggles)) box.checked = state[key];
    discrete.checked = state.discrete;
  }
  app.on('change', sync);
  sync();
  return { sync };
}
