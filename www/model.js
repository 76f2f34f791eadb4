// The network's architecture as the page speaks of it: the names the engine
// takes (the course's: feature_names(), activation_names(), init_names(),
// max_layers(), max_units(); a test holds these lists to the engine's), how
// each reads on the page, and the check every untrusted architecture (a
// file, a link, a URL's query) goes through before it reaches the engine.
// Shapes and offsets are never computed here: the engine's model() has them.

import { t } from './i18n.js';

/** @type {readonly import('./types').FeatureName[]} */
export const FEATURES = Object.freeze(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
/** @type {readonly import('./types').ActivationName[]} */
export const ACTIVATIONS = Object.freeze(['tanh', 'relu', 'leaky_relu', 'sigmoid', 'linear']);
/** @type {readonly import('./types').InitName[]} */
export const INITS = Object.freeze(['tutorial', 'xavier', 'he']);
export const MAX_LAYERS = 6;
export const MAX_UNITS = 8;

/** The tutorial's network: x1, x2; one layer of 4 tanh units; randn × 0.01. */
export const DEFAULT_MODEL = Object.freeze({
  features: Object.freeze(['x1', 'x2']),
  layers: Object.freeze([Object.freeze({ units: 4, activation: 'tanh' })]),
  init: 'tutorial',
});

/** Each feature as a formula of the point (x₁, x₂). */
export const FEATURE_LABELS = Object.freeze({
  x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁·x₂', sinx1: 'sin x₁', sinx2: 'sin x₂',
});

/**
 * Each activation: g(Z) and g'(Z) as text (with A = g(Z) where that reads
 * better), as the course writes them. Its name on the page is `label()`, in
 * the page's language (the tables' `activation.<name>`).
 */
export const ACTIVATION_INFO = Object.freeze({
  tanh: { label: () => t('activation.tanh'), of: (z) => `tanh(${z})`, slope: (z, a) => `(1 − ${a}²)` },
  relu: { label: () => t('activation.relu'), of: (z) => `max(0, ${z})`, slope: (z) => `[${z} > 0]` },
  leaky_relu: { label: () => t('activation.leaky_relu'), of: (z) => `max(0.01·${z}, ${z})`, slope: (z) => `(${z} > 0 ? 1 : 0.01)` },
  sigmoid: { label: () => t('activation.sigmoid'), of: (z) => `σ(${z})`, slope: (z, a) => `${a}·(1 − ${a})` },
  linear: { label: () => t('activation.linear'), of: (z) => z, slope: () => '1' },
});

/** An initialisation's name on the page, with its formula. */
export const initLabel = (name) => t(`init.${name}`);

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v) => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return t('value.list');
  if (v === undefined) return t('value.nothing');
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return typeof v === 'object' ? t('value.object') : t('value.other', { type: typeof v });
};

const featuresExpected = () => t('model.features-expected', { names: FEATURES.join(', ') });
const unitsExpected = () => t('model.units-expected', { max: String(MAX_UNITS) });
const oneOf = (names) => t('model.one-of', { names: names.join(', ') });

/**
 * A fresh, trusted copy of an architecture `{ features, layers: [{ units,
 * activation }], init }` (features put in the engine's order), as
 * `{ model }`, or `{ error }` naming the first problem (`where` prefixes the
 * field names, e.g. "model").
 * @param {any} value  anything: it is checked here
 * @returns {{ model: import('./types').Architecture, error?: undefined } | { error: string, model?: undefined }}
 */
export function checkModel(value, where = 'model') {
  if (!isPlainObject(value)) return { error: t('model.object', { where, value: shown(value) }) };
  const { features, layers, init } = value;
  if (!Array.isArray(features) || features.length === 0) {
    return { error: t('model.must', { field: `${where}.features`, expected: featuresExpected(), value: Array.isArray(features) ? t('value.empty-list') : shown(features) }) };
  }
  for (const name of features) {
    if (!FEATURES.includes(name)) return { error: t('model.not-feature', { where, value: shown(name), names: FEATURES.join(', ') }) };
  }
  if (new Set(features).size !== features.length) return { error: t('model.feature-twice', { where }) };
  if (!Array.isArray(layers)) return { error: t('model.layers-list', { where, value: shown(layers) }) };
  if (layers.length > MAX_LAYERS) return { error: t('model.too-many-layers', { where, count: String(layers.length), max: String(MAX_LAYERS) }) };
  const checked = [];
  for (const [i, layer] of layers.entries()) {
    if (!isPlainObject(layer)) return { error: t('model.layer-object', { field: `${where}.layers[${i}]`, value: shown(layer) }) };
    if (!Number.isInteger(layer.units) || layer.units < 1 || layer.units > MAX_UNITS) {
      return { error: t('model.must', { field: `${where}.layers[${i}].units`, expected: unitsExpected(), value: shown(layer.units) }) };
    }
    if (!ACTIVATIONS.includes(layer.activation)) {
      return { error: t('model.must', { field: `${where}.layers[${i}].activation`, expected: oneOf(ACTIVATIONS), value: shown(layer.activation) }) };
    }
    checked.push({ units: layer.units, activation: layer.activation });
  }
  if (!INITS.includes(init)) return { error: t('model.must', { field: `${where}.init`, expected: oneOf(INITS), value: shown(init) }) };
  return { model: { features: FEATURES.filter((f) => features.includes(f)), layers: checked, init } };
}

/** The architecture part of the engine's model() (or any model), copied. */
export function architectureOf(model) {
  return {
    features: [...model.features],
    layers: model.layers.map(({ units, activation }) => ({ units, activation })),
    init: model.init,
  };
}

/**
 * The arguments of the engine's set_model(features, layers, activations, init).
 * @param {import('./types').Architecture} model
 * @returns {[string, string, string, string]}
 */
export function modelArguments(model) {
  return [
    model.features.join(','),
    model.layers.map((layer) => layer.units).join(','),
    model.layers.map((layer) => layer.activation).join(','),
    model.init,
  ];
}

export function sameArchitecture(a, b) {
  return JSON.stringify(architectureOf(a)) === JSON.stringify(architectureOf(b));
}

/**
 * How many numbers a document's weights hold for `model`: W[l] and b[l] for
 * every layer, n[l]·(n[l−1] + 1). A count only, to refuse a file before it
 * reaches the engine; where each number lives is the engine's model() layout.
 */
export function parameterCount(model) {
  let count = 0;
  let previous = model.features.length;
  for (const units of [...model.layers.map((layer) => layer.units), 1]) {
    count += units * (previous + 1);
    previous = units;
  }
  return count;
}

/** "x₁, x₂ → 4 tanh → σ": the architecture in a line. */
export function describeModel(model) {
  const features = model.features.map((f) => FEATURE_LABELS[f]).join(', ');
  const layers = model.layers.map((layer) => `${layer.units} ${ACTIVATION_INFO[layer.activation].label()}`);
  return [features, ...layers, 'σ'].join(' → ');
}
