// The file formats of Planar, as pure functions (no DOM, importable from
// Node): the versioned JSON document, a CSV of points and the share link's
// hash. Every parser takes untrusted text and returns either
// `{ ok: true, ... }` with fully validated, freshly built values or
// `{ ok: false, error }` with a message for a person; none of them throws.
//
// Version 2 (written now) carries the whole architecture: `model` is
// `{ features, layers: [{ units, activation }], init }` and `weights.values`
// the parameters in the engine's order (W1, b1, W2, b2, ...). Version 1 (the
// tutorial's shape only) is still read: its `weights.hidden` = n means
// features x1, x2, one layer of n tanh units, the tutorial's initialisation,
// with the values in the same order (upgradeDocument).
//
// Version 3 adds how training goes (the optimizer, batches, regularisation,
// the test set's share, the data's noise and count: all settings), which
// points are held out for testing (`points.test`, 0 or 1 per point, absent
// when none is), the update count `updates` and the test cost's history
// `testHistory` (null where no point was held out). A version-2 document is
// a version-3 one without them.
//
// Version 4 adds the runs kept beside the current one (`branches`: up to
// MAX_RUNS - 1 of them, each a document body of its own: settings, model,
// weights, iteration, updates, histories, `pinned`, and `points` only where
// they differ from the document's). A kept run that does not check out is
// left out with a warning; the rest of the document still opens. A
// version-3 document is a version-4 one without kept runs.

import { t } from './i18n.js';
import {
  DATASETS, SETTINGS, checkSettings, defaultSettings, describeSetting,
} from './state.js';
import {
  DEFAULT_MODEL, MAX_UNITS, checkModel, parameterCount,
} from './model.js';

export { DATASETS };
export const FORMAT = 'planar';
export const VERSION = 4;
/** Runs the page keeps at most: the current one and MAX_RUNS - 1 kept ones (branches.js). */
export const MAX_RUNS = 4;

// The core's limits (crate/src/data.rs), checked here too so that a bad
// file is refused with a clear message before it reaches the wasm; the
// settings' ranges are the page's (state.js).
export const MAX_POINTS = 100_000;
export const MAX_COORD = 1e6;
// No trained network comes near this; it keeps hostile weights from
// overflowing to Infinity in the first training step.
export const MAX_WEIGHT = 1e100;
// The cost history keeps at most this many buckets (crate/src/history.rs).
export const MAX_HISTORY_BUCKETS = 1 << 17;
// Longer URLs are unwieldy to paste and some services cut them.
export const MAX_LINK_LENGTH = 32_000;
// History buckets a share link carries (the engine's history_snapshot(64)):
// enough for the chart's shape. A longer history is left out of a link.
export const LINK_HISTORY_BUCKETS = 64;
/** The version links are written in: what version 4 adds (kept runs) is not in a link. */
const LINK_VERSION = 3;

export const DEFAULT_SETTINGS = Object.freeze(defaultSettings());

// ---------------------------------------------------------------------------
// Small helpers

/**
 * @template T
 * @param {T} fields
 * @returns {{ ok: true, error?: undefined } & T}
 */
const ok = (fields) => ({ ok: true, ...fields });
/**
 * @param {string} error
 * @returns {{ ok: false, error: string, [field: string]: undefined | boolean | string }}
 */
const fail = (error) => ({ ok: false, error });

/** What a caught error says: its message, or the value itself. */
export function errorMessage(error) {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

/** A short, safe rendering of an untrusted value for an error message. */
export function describe(value) {
  if (value === undefined) return t('value.nothing');
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return t('value.list');
  return typeof value === 'object' ? t('value.object') : t('value.other', { type: typeof value });
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isInteger = (v) => typeof v === 'number' && Number.isInteger(v);

/** NUL bytes or U+FFFD (what decoding invalid UTF-8 leaves) mean binary. */
export function looksBinary(text) {
  return text.includes('\0') || text.includes('\uFFFD');
}

// Strict decimal numbers only: Number() would also take "", "0x1f", " 1 ".
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_WORDS = /^[+-]?(?:nan|inf|infinity)$/i;

/** Parses a decimal number; `{ value }` or `{ problem }` (a phrase). */
export function parseDecimal(text) {
  if (DECIMAL.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { value };
    return { problem: t('value.not-finite', { text }) };
  }
  if (NON_FINITE_WORDS.test(text)) return { problem: t('value.not-finite', { text }) };
  if (text === '') return { problem: t('value.empty') };
  return { problem: t('value.not-number', { text: describe(text) }) };
}

// ---------------------------------------------------------------------------
// Settings (the table is state.js's)

/** Version 1 also kept the hidden width among the settings. */
const VERSION_1_SETTINGS = {
  ...SETTINGS,
  hidden: {
    initial: DEFAULT_MODEL.layers[0].units, link: 'h', type: 'number',
    valid: (v) => isInteger(v) && v >= 1 && v <= MAX_UNITS,
  },
};
/** The settings version 3 added: how training goes, the test set and the data. */
const NEW_IN_3 = new Set([
  'optimizer', 'beta', 'beta1', 'beta2', 'batch', 'l2', 'l1', 'trainShare', 'noise', 'pointCount', 'clickTest', 'showTest', 'discrete',
]);
const before3 = (rules) => Object.fromEntries(Object.entries(rules).filter(([key]) => !NEW_IN_3.has(key)));
const VERSION_2_SETTINGS = before3(SETTINGS);
const VERSION_1_ONLY = before3(VERSION_1_SETTINGS);
const rulesFor = (version) => (version === 1 ? VERSION_1_ONLY : version === 2 ? VERSION_2_SETTINGS : SETTINGS);

export const SETTING_KEYS = Object.freeze(Object.keys(SETTINGS));

/**
 * Validates settings from outside; a missing setting takes its default
 * (in version 1, `hidden` defaults to `fallbackHidden`, the weights' width).
 * Unknown keys are ignored.
 */
function validateSettings(value, version, fallbackHidden) {
  if (value !== undefined && !isPlainObject(value)) return fail(t('doc.settings-object', { value: describe(value) }));
  const defaults = version === 1 ? { ...DEFAULT_SETTINGS, hidden: fallbackHidden } : DEFAULT_SETTINGS;
  const checked = checkSettings(value, defaults, rulesFor(version));
  return checked.error ? fail(checked.error) : ok({ settings: checked.settings });
}

// ---------------------------------------------------------------------------
// Points

function checkCoordinate(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return t('value.not-finite-value', { value: describe(v) });
  if (Math.abs(v) > MAX_COORD) return t('value.outside', { value: String(v), max: String(MAX_COORD) });
  return null;
}

/**
 * Validates points given as three arrays (or the packed form that
 * `serializeDocument(doc, { compact: true })` writes) and returns fresh
 * plain arrays.
 */
export function validatePoints(value) {
  if (!isPlainObject(value)) {
    return fail(t('doc.points-object', { value: describe(value) }));
  }
  if (typeof value.x === 'string' || typeof value.y === 'string' || typeof value.label === 'string') {
    const unpacked = unpackPoints(value);
    if (!unpacked.ok) return unpacked;
    value = unpacked.points;
  }
  const { x, y, label, test } = value;
  for (const [key, list] of [['x', x], ['y', y], ['label', label]]) {
    if (!Array.isArray(list) && !(list instanceof Float64Array)) {
      return fail(t('doc.points-list', { key, value: describe(list) }));
    }
  }
  if (x.length !== y.length || x.length !== label.length) {
    return fail(t('doc.points-length', { x: String(x.length), y: String(y.length), label: String(label.length) }));
  }
  if (x.length > MAX_POINTS) {
    return fail(t('err.too-many', { count: String(x.length), max: String(MAX_POINTS) }));
  }
  if (test !== undefined && test !== null) {
    if (!Array.isArray(test) || test.length !== x.length) {
      return fail(t('doc.test-list', {
        count: String(x.length), value: Array.isArray(test) ? t('doc.list-of', { length: String(test.length) }) : describe(test),
      }));
    }
    const bad = test.findIndex((t) => t !== 0 && t !== 1);
    if (bad >= 0) return fail(t('doc.test-mark', { index: String(bad), value: describe(test[bad]) }));
  }
  const points = { x: new Array(x.length), y: new Array(x.length), label: new Array(x.length) };
  if (test?.includes(1)) points.test = Array.from(test);
  for (let i = 0; i < x.length; i++) {
    const problem = checkCoordinate(x[i]);
    if (problem) return fail(t('doc.point', { index: String(i), name: 'x', problem }));
    const problemY = checkCoordinate(y[i]);
    if (problemY) return fail(t('doc.point', { index: String(i), name: 'y', problem: problemY }));
    if (label[i] !== 0 && label[i] !== 1) return fail(t('doc.point-label', { index: String(i), value: describe(label[i]) }));
    points.x[i] = x[i];
    points.y[i] = y[i];
    points.label[i] = label[i];
  }
  return ok({ points });
}

// ---------------------------------------------------------------------------
// Weights, iteration, cost history

function checkValues(values, expected, what) {
  if (!Array.isArray(values) && !(values instanceof Float64Array)) {
    return fail(t('doc.weights-list', { count: String(expected), value: describe(values) }));
  }
  if (values.length !== expected) return fail(t('doc.weights-count', { what, count: String(expected), found: String(values.length) }));
  const checked = new Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(t('doc.weight-not-finite', { index: String(i), value: describe(v) }));
    if (Math.abs(v) > MAX_WEIGHT) return fail(t('doc.weight-large', { index: String(i), value: String(v), max: String(MAX_WEIGHT) }));
    checked[i] = v;
  }
  return ok({ values: checked });
}

/** Version 1's weights: `{ hidden, values }`, 4·hidden + 1 of them. */
function validateVersion1Weights(value) {
  if (!isPlainObject(value)) return fail(t('doc.weights-v1-object', { value: describe(value) }));
  const { hidden } = value;
  if (!VERSION_1_SETTINGS.hidden.valid(hidden)) {
    return fail(t('doc.hidden', { expected: describeSetting('hidden').expected, value: describe(hidden) }));
  }
  const values = checkValues(value.values, 4 * hidden + 1, `a network with ${hidden} hidden units`);
  return values.ok ? ok({ weights: { hidden, values: values.values } }) : values;
}

/** Version 2's weights: `{ values }`, as many as `model` has parameters. */
function validateWeights(value, model) {
  if (!isPlainObject(value)) return fail(t('doc.weights-object', { value: describe(value) }));
  const layers = model.layers.map((layer) => layer.units).join('-');
  const shape = `a network ${model.features.length}-${layers ? `${layers}-` : ''}1`;
  const values = checkValues(value.values, parameterCount(model), shape);
  return values.ok ? ok({ weights: { values: values.values } }) : values;
}

function validateIteration(value) {
  if (value === undefined) return ok({ iteration: 0 });
  if (!isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    return fail(t('doc.iteration', { value: describe(value) }));
  }
  return ok({ iteration: value });
}

const isPowerOfTwo = (v) => isInteger(v) && v >= 1 && 2 ** Math.round(Math.log2(v)) === v;

/**
 * Checks a `history_snapshot` array (`[width, len, low..., high...]`) the way
 * the core's `restore_history` will, for a run at `iteration`. Returns an
 * error phrase or null.
 */
export function historyProblem(history, iteration, { gaps = false } = {}) {
  if (!Array.isArray(history) && !(history instanceof Float64Array)) return t('history.not-list', { value: describe(history) });
  if (history.length < 2 || history.length % 2 !== 0) return t('history.count', { count: String(history.length) });
  for (let i = 0; i < history.length; i++) {
    const gap = gaps && i >= 2 && (history[i] === null || Number.isNaN(history[i]));
    if (!gap && (typeof history[i] !== 'number' || !Number.isFinite(history[i]))) return t('history.entry', { index: String(i) });
  }
  const [width, len] = history;
  const buckets = (history.length - 2) / 2;
  if (!isPowerOfTwo(width) || width > 2 ** 52) return t('history.width', { width: String(width) });
  if (len !== iteration) return t('history.covers', { len: String(len), iteration: String(iteration) });
  if (buckets > MAX_HISTORY_BUCKETS || Math.ceil(len / width) !== buckets) return t('history.buckets', { buckets: String(buckets), len: String(len) });
  for (let i = 0; i < buckets; i++) {
    const [low, high] = [history[2 + i], history[2 + buckets + i]];
    const gap = gaps && (low === null || Number.isNaN(low)) && (high === null || Number.isNaN(high));
    if (!gap && !(low <= high)) return t('history.bucket-order', { index: String(i) });
  }
  return null;
}

/** A count of updates: a whole number from 0 (the iteration count when absent). */
function validateUpdates(value, iteration) {
  if (value === undefined) return ok({ updates: iteration });
  if (!isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    return fail(t('doc.updates', { value: describe(value) }));
  }
  return ok({ updates: value });
}

/**
 * The optimizer's state a version-4 document may keep (`moments`: the
 * updates t it counted, first moments v and Adam's second moments s, one of
 * each per weight and bias of `model`), for a run of `updates` updates.
 * Returns `{ moments }` or `{ problem }`.
 */
function checkMoments(value, model, updates) {
  if (!isPlainObject(value)) return { problem: t('moments.object', { value: describe(value) }) };
  const { t: count, v, s } = value;
  if (!isInteger(count) || count < 0 || count > updates) {
    return { problem: t('moments.t', { updates: String(updates), value: describe(count) }) };
  }
  const expected = parameterCount(model);
  const moments = { t: count, v: [], s: [] };
  for (const [name, list] of [['v', v], ['s', s]]) {
    if (!Array.isArray(list)) return { problem: t('moments.list', { name, value: describe(list) }) };
    if (list.length !== expected) return { problem: t('moments.count', { name, count: String(expected), found: String(list.length) }) };
    for (let i = 0; i < expected; i++) {
      const x = list[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) return { problem: t('moments.entry', { name, index: String(i), value: describe(x) }) };
      if (name === 's' && x < 0) return { problem: t('moments.negative', { index: String(i), value: String(x) }) };
      moments[name].push(x);
    }
  }
  return { moments };
}

// ---------------------------------------------------------------------------
// The document

/**
 * Validates a document object (already parsed from JSON, or built by
 * `app.snapshot()`). Returns `{ ok: true, document, warnings }` with a fresh,
 * normalized document of the same version, or `{ ok: false, error }`. A cost
 * history that does not fit is dropped with a warning rather than refusing
 * the user's points.
 * @param {any} value  anything: it is checked here, field by field
 * @returns {import('./types').DocumentChecked}
 */
export function validateDocument(value) {
  if (!isPlainObject(value)) return fail(t('doc.not-object', { value: describe(value) }));
  if (value.format !== FORMAT) {
    return fail(has(value, 'format')
      ? `this is not a Planar document: its format is ${describe(value.format)}, not "planar"`
      : 'this is not a Planar document: it has no "format": "planar"');
  }
  const version = value.version;
  if (isInteger(version) && version > VERSION) {
    return fail(t('doc.newer', { version: String(version), latest: VERSION }));
  }
  if (!isInteger(version) || version < 1) return fail(t('doc.unknown-version', { version: describe(version), latest: VERSION }));

  if (!has(value, 'points')) return fail(t('doc.no-points'));
  const points = validatePoints(value.points);
  if (!points.ok) return fail(points.error);

  let model;
  let weights;
  let settings;
  if (version === 1) {
    if (!has(value, 'weights')) return fail(t('doc.no-weights'));
    weights = validateVersion1Weights(value.weights);
    if (!weights.ok) return fail(weights.error);
    settings = validateSettings(value.settings, 1, weights.weights.hidden);
    if (!settings.ok) return fail(settings.error);
    if (settings.settings.hidden !== weights.weights.hidden) {
      return fail(t('doc.hidden-mismatch', { hidden: String(settings.settings.hidden), weights: String(weights.weights.hidden) }));
    }
  } else {
    if (!has(value, 'model')) return fail(t('doc.no-model'));
    const checked = checkModel(value.model);
    if (checked.error) return fail(checked.error);
    model = checked.model;
    if (!has(value, 'weights')) return fail(t('doc.no-weights'));
    weights = validateWeights(value.weights, model);
    if (!weights.ok) return fail(weights.error);
    settings = validateSettings(value.settings, version);
    if (!settings.ok) return fail(settings.error);
  }

  const iteration = validateIteration(value.iteration);
  if (!iteration.ok) return fail(iteration.error);

  const updates = validateUpdates(version >= 3 ? value.updates : undefined, iteration.iteration);
  if (!updates.ok) return fail(updates.error);
  if (version < 3 && points.points.test) delete points.points.test;

  /** @type {any} a version-1 or version-2 document, built field by field in the format's order */
  const document = { format: FORMAT, version, settings: settings.settings };
  if (model) document.model = model;
  Object.assign(document, { points: points.points, weights: weights.weights, iteration: iteration.iteration });
  if (version >= 3) document.updates = updates.updates;
  const warnings = [];
  if (version >= 4 && value.moments !== undefined && value.moments !== null) {
    const { moments, problem } = checkMoments(value.moments, model, document.updates);
    if (problem) warnings.push(t('doc.moments-left-out', { problem }));
    else document.moments = moments;
  }
  if (value.history !== undefined && value.history !== null) {
    const problem = historyProblem(value.history, document.iteration);
    if (problem) warnings.push(t('doc.history-left-out', { problem }));
    else document.history = Array.from(value.history);
  }
  if (version >= 3 && value.testHistory !== undefined && value.testHistory !== null) {
    const problem = historyProblem(value.testHistory, document.iteration, { gaps: true });
    if (problem) warnings.push(`the test cost's history was left out: ${problem}`);
    else document.testHistory = Array.from(value.testHistory, (v) => (v === null ? Number.NaN : v));
  }
  if (version >= 4) document.branches = validateBranches(value.branches, document.points, warnings);
  return ok({ document, warnings });
}

/**
 * The kept runs of a version-4 document: each checked as a document of its
 * own (with the document's points where it has none). One that does not
 * check out is left out, with a warning in `warnings`.
 */
function validateBranches(value, points, warnings) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    warnings.push(t('doc.branches-list', { value: describe(value) }));
    return [];
  }
  const kept = [];
  value.forEach((branch, i) => {
    if (kept.length === MAX_RUNS - 1) return;
    if (!isPlainObject(branch)) {
      warnings.push(t('doc.branch-left-out', { index: String(i + 1), problem: t('doc.not-object', { value: describe(branch) }) }));
      return;
    }
    const checked = validateDocument({
      ...branch, format: FORMAT, version: VERSION, points: has(branch, 'points') ? branch.points : points, branches: undefined,
    });
    if (!checked.ok) {
      warnings.push(t('doc.branch-left-out', { index: String(i + 1), problem: checked.error }));
      return;
    }
    for (const warning of checked.warnings) warnings.push(t('doc.branch-warning', { index: String(i + 1), problem: warning }));
    /** @type {any} a version-4 document's body */
    const { format, version, branches, ...run } = checked.document;
    kept.push({ ...run, pinned: branch.pinned === true });
  });
  if (value.length > MAX_RUNS - 1) warnings.push(t('doc.branches-extra', { count: String(MAX_RUNS - 1) }));
  return kept;
}

/** True when two point sets are the same, point for point. */
function samePoints(a, b) {
  const lists = (p) => [p.x, p.y, p.label, p.test ?? []];
  const [one, other] = [lists(a), lists(b)];
  return one.every((list, k) => list.length === other[k].length && Array.prototype.every.call(list, (v, i) => Object.is(v, other[k][i])));
}

/**
 * A validated document as the current version says it: a version-1
 * document's `hidden` = n becomes the model x1, x2 / [n tanh] / tutorial,
 * with its values unchanged (the engine's order is the same). Documents of
 * the current version (and the app's own snapshots) are returned as they are.
 * @param {any} doc  a validated document of any version
 * @returns {import('./types').PlanarDocument}
 */
export function upgradeDocument(doc) {
  if (doc?.version === 2 || doc?.version === 3) return { ...doc, version: VERSION };
  if (doc?.version !== 1) return doc;
  const { hidden, ...settings } = doc.settings ?? {};
  const units = doc.weights?.hidden ?? hidden ?? DEFAULT_MODEL.layers[0].units;
  const upgraded = {
    ...doc,
    version: VERSION,
    settings,
    model: { features: [...DEFAULT_MODEL.features], layers: [{ units, activation: 'tanh' }], init: 'tutorial' },
  };
  if (doc.weights) upgraded.weights = { values: doc.weights.values };
  return upgraded;
}

const describeChar = (c) => (c >= ' ' && c <= '~' ? `'${c}'` : `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Finds the first syntax error of text that JSON.parse refused, as
 * `{ position, what }`, or null. Engines word (and place) their errors
 * differently, and some give no position at all; this names the place the
 * same way everywhere. Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonError(text) {
  const n = text.length;
  const stack = [];
  let i = 0;
  let state = 'value';
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const at = (what) => ({ position: i, what: i >= n ? 'it ends too early (is the file cut off?)' : what });
  const string = () => {
    i++;
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        JSON_ESCAPE.lastIndex = i;
        if (!JSON_ESCAPE.test(text)) return at('a backslash in a string starts no valid escape');
        i = JSON_ESCAPE.lastIndex;
      } else if (c < ' ') {
        return at(`${describeChar(c)} (a control character) inside a string`);
      } else {
        i++;
      }
    }
    return at('');
  };
  for (;;) {
    skipSpace();
    if (state === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          state = 'after';
        } else {
          stack.push(c);
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        const error = string();
        if (error) return error;
        state = 'after';
      } else if (text.startsWith('true', i) || text.startsWith('null', i) || text.startsWith('false', i)) {
        i += text[i] === 'f' ? 5 : 4;
        state = 'after';
      } else {
        JSON_NUMBER.lastIndex = i;
        if (i >= n || !JSON_NUMBER.test(text)) return at(`unexpected ${describeChar(c ?? ' ')} where a value should be`);
        i = JSON_NUMBER.lastIndex;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text[i] !== '"') return at(`expected a property name in double quotes, found ${describeChar(text[i] ?? ' ')}`);
      const error = string();
      if (error) return error;
      skipSpace();
      if (text[i] !== ':') return at(`expected ':' after a property name, found ${describeChar(text[i] ?? ' ')}`);
      i++;
      state = 'value';
    } else {
      const open = stack.at(-1);
      if (open === undefined) return i < n ? at(`unexpected ${describeChar(text[i])} after the end of the document`) : null;
      const close = open === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = open === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        return at(`expected ',' or '${close}', found ${describeChar(text[i] ?? ' ')}`);
      }
    }
  }
}

/** "not valid JSON: line L, column C: what", for text JSON.parse refused. */
function jsonErrorMessage(error, text) {
  const found = findJsonError(text);
  if (!found) return t('json.invalid', { what: errorMessage(error) });
  if (found.position >= text.length) return t('json.invalid', { what: found.what });
  const before = text.slice(0, found.position);
  const line = before.split(/\r\n|\n|\r/).length;
  const column = found.position - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return t('json.invalid-at', { line: String(line), column: String(column), what: found.what });
}

/** Parses and validates a document's JSON text. Never throws. */
export function parseDocument(text) {
  try {
    if (typeof text !== 'string') return fail(t('err.expected-text', { value: describe(text) }));
    if (looksBinary(text)) return fail(t('err.not-text'));
    if (text.trim() === '') return fail(t('err.empty'));
    let value;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      return fail(jsonErrorMessage(error, text.replace(/^\uFEFF/, '')));
    }
    return validateDocument(value);
  } catch (error) {
    // Validation is written not to throw; this is the last line of defence.
    return fail(t('doc.failed', { error: errorMessage(error) }));
  }
}

/** JSON for a person: indented objects, number lists wrapped 10 to a line. */
function prettyJson(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number')) {
      const lines = [];
      for (let i = 0; i < value.length; i += 10) {
        lines.push(inner + value.slice(i, i + 10).map((v) => JSON.stringify(v)).join(', '));
      }
      return value.length <= 10 ? `[${lines[0].trim()}]` : `[\n${lines.join(',\n')}\n${indent}]`;
    }
    if (value.every((v) => typeof v === 'string')) return JSON.stringify(value).replace(/","/g, '", "');
    // Small records in a list (the model's layers) take a line each.
    const line = (v) => (isPlainObject(v) && Object.values(v).every((x) => x === null || typeof x !== 'object')
      ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')}}`
      : prettyJson(v, inner));
    return `[\n${value.map((v) => inner + line(v)).join(',\n')}\n${indent}]`;
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const serializeMoments = ({ t: count, v, s }) => ({ t: count, v: Array.from(v), s: Array.from(s) });

/** A kept run as a version-4 document writes it: its points only where they differ from the document's. */
function serializeRun(run, points, compact) {
  const out = { settings: run.settings, model: run.model };
  if (!samePoints(run.points, points)) {
    out.points = compact ? packPoints(run.points) : {
      x: Array.from(run.points.x), y: Array.from(run.points.y), label: Array.from(run.points.label), test: run.points.test ? Array.from(run.points.test) : undefined,
    };
  }
  out.weights = { values: Array.from(run.weights.values) };
  out.iteration = run.iteration;
  if (run.updates !== undefined) out.updates = run.updates;
  if (run.moments) out.moments = serializeMoments(run.moments);
  if (run.history) out.history = Array.from(run.history);
  if (run.testHistory) out.testHistory = Array.from(run.testHistory, (v) => (Number.isNaN(v) ? null : v));
  if (run.pinned) out.pinned = true;
  return out;
}

/**
 * The document as JSON text. Pretty by default (for Export); `compact: true`
 * packs the points as base64 Float64 (exact and about half the size, for
 * localStorage; `packedPoints`, from packPoints(doc.points), saves packing
 * them again; `points`, the points they pack, when doc.points stands in
 * for them). Floats round-trip exactly either way (-0 becomes 0 in JSON).
 */
export function serializeDocument(doc, { compact = false, packedPoints = null, points = doc.points } = {}) {
  const version = doc.version ?? VERSION;
  const out = { format: FORMAT, version, settings: doc.settings };
  if (version !== 1) out.model = doc.model;
  out.points = compact ? packedPoints ?? packPoints(doc.points) : {
    x: Array.from(doc.points.x),
    y: Array.from(doc.points.y),
    label: Array.from(doc.points.label),
    test: doc.points.test ? Array.from(doc.points.test) : undefined,
  };
  out.weights = version === 1
    ? { hidden: doc.weights.hidden, values: Array.from(doc.weights.values) }
    : { values: Array.from(doc.weights.values) };
  out.iteration = doc.iteration;
  if (version >= 3 && doc.updates !== undefined) out.updates = doc.updates;
  if (version >= 4 && doc.moments) out.moments = serializeMoments(doc.moments);
  if (doc.history) out.history = Array.from(doc.history);
  if (version >= 3 && doc.testHistory) out.testHistory = Array.from(doc.testHistory, (v) => (Number.isNaN(v) ? null : v));
  if (version >= 4 && doc.branches?.length) out.branches = doc.branches.map((run) => serializeRun(run, points, compact));
  return compact ? JSON.stringify(out) : `${prettyJson(out)}\n`;
}

// ---------------------------------------------------------------------------
// CSV of points

/** The points as CSV with the header `x,y,label`. */
export function pointsToCsv(points) {
  const rows = ['x,y,label'];
  for (let i = 0; i < points.x.length; i++) rows.push(`${points.x[i]},${points.y[i]},${points.label[i]}`);
  return `${rows.join('\n')}\n`;
}

const unquote = (field) => {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
};

/**
 * Parses a CSV of points (header `x,y,label`, then one point a line). Blank
 * lines, CRLF, a byte-order mark, spaces and quotes around fields are fine.
 * Every error names its line. Never throws.
 */
export function parseCsv(text) {
  try {
    if (typeof text !== 'string') return fail(t('err.expected-text', { value: describe(text) }));
    if (looksBinary(text)) return fail(t('err.not-text'));
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    let header = 0;
    while (header < lines.length && lines[header].trim() === '') header++;
    if (header === lines.length) return fail(t('err.empty'));
    const names = lines[header].split(',').map((f) => unquote(f).toLowerCase());
    if (names.length !== 3 || names[0] !== 'x' || names[1] !== 'y' || names[2] !== 'label') {
      return fail(t('strict-csv.header', { line: String(header + 1), found: describe(lines[header].trim()) }));
    }
    let rows = 0;
    for (let i = header + 1; i < lines.length; i++) if (lines[i].trim() !== '') rows++;
    if (rows > MAX_POINTS) return fail(t('err.too-many', { count: String(rows), max: String(MAX_POINTS) }));

    const points = { x: [], y: [], label: [] };
    for (let i = header + 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const line = i + 1;
      const fields = lines[i].split(',').map(unquote);
      if (fields.length !== 3) return fail(t('strict-csv.values', { line: String(line), count: String(fields.length) }));
      const values = [];
      for (const [k, name] of ['x', 'y'].entries()) {
        const parsed = parseDecimal(fields[k]);
        if (parsed.problem) return fail(t('strict-csv.value', { line: String(line), name, problem: parsed.problem }));
        if (Math.abs(parsed.value) > MAX_COORD) return fail(t('strict-csv.outside', { line: String(line), name, value: fields[k], max: String(MAX_COORD) }));
        values.push(parsed.value);
      }
      const label = parseDecimal(fields[2]);
      if (label.problem || (label.value !== 0 && label.value !== 1)) {
        const shown = label.problem ? describe(fields[2]) : fields[2];
        return fail(t('strict-csv.label', { line: String(line), value: shown }));
      }
      points.x.push(values[0]);
      points.y.push(values[1]);
      points.label.push(label.value);
    }
    return ok({ points });
  } catch (error) {
    return fail(t('strict-csv.failed', { error: errorMessage(error) }));
  }
}

// ---------------------------------------------------------------------------
// base64url and packed numbers

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const ASCII = new TextDecoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes as base64url without padding. */
export function bytesToBase64url(bytes) {
  // Characters go into a byte array decoded once: 100 000 points take
  // milliseconds, where string concatenation takes a second.
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    out[o++] = ALPHABET_CODES[(n >> 6) & 63];
    out[o++] = ALPHABET_CODES[n & 63];
  }
  if (whole < bytes.length) {
    const n = (bytes[whole] << 16) | ((whole + 1 < bytes.length ? bytes[whole + 1] : 0) << 8);
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    if (whole + 1 < bytes.length) out[o] = ALPHABET_CODES[(n >> 6) & 63];
  }
  return ASCII.decode(out);
}

/** base64url (no padding) to bytes, strictly; null if it is not valid. */
export function base64urlToBytes(text) {
  if (typeof text !== 'string' || text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  const value = (i) => {
    const code = text.charCodeAt(i);
    return code < 128 ? DECODE[code] : -1;
  };
  const whole = text.length - (text.length % 4);
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = value(i);
    const b = value(i + 1);
    const c = value(i + 2);
    const d = value(i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = n >> 16;
    bytes[o++] = (n >> 8) & 255;
    bytes[o++] = n & 255;
  }
  const rest = text.length - whole;
  if (rest > 0) {
    const a = value(whole);
    const b = value(whole + 1);
    const c = rest === 3 ? value(whole + 2) : 0;
    if ((a | b | c) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    bytes[o++] = n >> 16;
    if (rest === 3) bytes[o] = (n >> 8) & 255;
    // Leftover bits must be zero, or the text was not made by an encoder.
    if ((rest === 2 ? n & 0xffff : n & 0xff) !== 0) return null;
  }
  return bytes;
}

function float64sToBase64url(values) {
  if (LITTLE_ENDIAN) return bytesToBase64url(new Uint8Array(Float64Array.from(values).buffer));
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return bytesToBase64url(new Uint8Array(view.buffer));
}

/** `count` little-endian Float64 values from base64url, or an error phrase. */
function base64urlToFloat64s(text, count) {
  const bytes = base64urlToBytes(text);
  if (!bytes) return { problem: 'is not valid base64url' };
  if (bytes.length !== count * 8) return { problem: t('packed.bytes', { bytes: String(bytes.length), expected: String(count * 8), count: String(count) }) };
  if (LITTLE_ENDIAN) return { values: Array.from(new Float64Array(bytes.buffer, 0, count)) };
  const view = new DataView(bytes.buffer);
  const values = new Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat64(i * 8, true);
  return { values };
}

function labelsToBase64url(labels) {
  const bytes = new Uint8Array(Math.ceil(labels.length / 8));
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) bytes[i >> 3] |= 1 << (i & 7);
  return bytesToBase64url(bytes);
}

function base64urlToLabels(text, count) {
  const bytes = base64urlToBytes(text);
  if (!bytes) return { problem: 'is not valid base64url' };
  if (bytes.length !== Math.ceil(count / 8)) return { problem: t('packed.label-bytes', { bytes: String(bytes.length), expected: String(Math.ceil(count / 8)), count: String(count) }) };
  if (count % 8 !== 0 && bytes.length > 0 && bytes[bytes.length - 1] >> (count % 8) !== 0) {
    return { problem: 'has bits set past the last label' };
  }
  const values = new Array(count);
  for (let i = 0; i < count; i++) values[i] = (bytes[i >> 3] >> (i & 7)) & 1;
  return { values };
}

/** Points packed for storage: base64url Float64 coordinates, bit-packed labels and test marks. */
export function packPoints(points) {
  const packed = {
    count: points.x.length,
    x: float64sToBase64url(points.x),
    y: float64sToBase64url(points.y),
    label: labelsToBase64url(points.label),
  };
  if (points.test) packed.test = labelsToBase64url(points.test);
  return packed;
}

function unpackPoints(packed) {
  const count = packed.count;
  if (!isInteger(count) || count < 0) return fail(t('doc.points-count', { value: describe(count) }));
  if (count > MAX_POINTS) return fail(t('err.too-many', { count: String(count), max: String(MAX_POINTS) }));
  const x = base64urlToFloat64s(packed.x, count);
  if (x.problem) return fail(t('doc.points-part', { key: 'x', problem: x.problem }));
  const y = base64urlToFloat64s(packed.y, count);
  if (y.problem) return fail(t('doc.points-part', { key: 'y', problem: y.problem }));
  const label = base64urlToLabels(packed.label, count);
  if (label.problem) return fail(t('doc.points-part', { key: 'label', problem: label.problem }));
  const points = { x: x.values, y: y.values, label: label.values };
  if (packed.test !== undefined) {
    const test = base64urlToLabels(packed.test, count);
    if (test.problem) return fail(t('doc.points-part', { key: 'test', problem: test.problem }));
    points.test = test.values;
  }
  return ok({ points });
}

// ---------------------------------------------------------------------------
// The share link

// A link's keys: each setting's `link` key (state.js's table); version 1's
// hidden width `h`; version 2's model: features `f`, hidden widths `ly`,
// their activations `a`, the initialisation `in`. Then the iteration `i`,
// the weights `w`, the point count `n`, the points `x`, `y`, `l`, and the
// cost history `hc`.
const MODEL_KEYS = { features: 'f', layers: 'ly', activations: 'a', init: 'in' };

const bucketsOf = (history) => (history.length - 2) / 2;

// A link is its required fields, then `k=` the CRC-32 of all of them, then
// the optional cost history `hc=` with its own CRC-32 `hk=`. A link failing
// `k` is refused as damaged; a damaged or cut history is left out with a
// warning; anything after the last checksum is ignored with a warning.
// Links made before checksums (no `k`) still open.
const CHECKSUM_KEY = 'k';
const HISTORY_CHECKSUM_KEY = 'hk';
export const DAMAGED_LINK = 'this link is damaged (copied incompletely?)';
const OLD_LINK_KEYS = new Set(['v', ...Object.values(VERSION_1_SETTINGS).map((rule) => rule.link), 'i', 'w', 'n', 'x', 'y', 'l', 'hc']);
// Weights beyond this are finite but far from anything training makes:
// such a network's output is saturated and it cannot learn.
export const EXTREME_WEIGHT = 1e6;

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}

/** CRC-32 (as in zip and PNG) of a string's UTF-16 code units below 256, as 8 hex digits. */
export function checksum(text) {
  let crc = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Code units above 255 never appear in a link made here; fold them in whole.
    crc = CRC_TABLE[(crc ^ code) & 0xff] ^ (crc >>> 8);
    if (code > 255) crc = CRC_TABLE[(crc ^ (code >>> 8)) & 0xff] ^ (crc >>> 8);
  }
  return ((crc ^ -1) >>> 0).toString(16).padStart(8, '0');
}

/**
 * Splits a link's text by its checksums: `{ required, optional, warnings }`
 * (`optional` the history's base64url text or null), or `{ error }`.
 */
function checkLink(text) {
  const at = text.indexOf(`&${CHECKSUM_KEY}=`);
  if (at < 0) {
    // Made before checksums (or cut before its checksum): such a link has
    // no empty part and only that version's keys.
    const parts = text.split('&');
    const keys = parts.map((part) => part.slice(0, part.indexOf('=')));
    if (keys.includes('v') && parts.some((part, i) => part === '' || (part.includes('=') && !OLD_LINK_KEYS.has(keys[i])))) {
      return { error: DAMAGED_LINK };
    }
    return { required: text, optional: null, warnings: [] };
  }
  const required = text.slice(0, at);
  const afterKey = at + CHECKSUM_KEY.length + 2;
  if (text.slice(afterKey, afterKey + 8) !== checksum(required)) return { error: DAMAGED_LINK };
  const rest = text.slice(afterKey + 8);
  const warnings = [];
  let optional = null;
  let trailing = rest;
  const history = /^&hc=([A-Za-z0-9_-]*)&hk=([0-9a-f]{8})/.exec(rest);
  if (history && checksum(history[1]) === history[2]) {
    optional = history[1];
    trailing = rest.slice(history[0].length);
  } else if (rest.startsWith('&')) {
    warnings.push(t('doc.history-left-out', { problem: t('link.cut') }));
    trailing = '';
  }
  if (trailing !== '') warnings.push(t('link.trailing', { text: describe(trailing) }));
  return { required, optional, warnings };
}

/**
 * A warning phrase when some weight is finite but extreme (beyond
 * EXTREME_WEIGHT in size), naming the largest; else null.
 */
export function extremeWeight(values) {
  let largest = -1;
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > EXTREME_WEIGHT && (largest < 0 || Math.abs(values[i]) > Math.abs(values[largest]))) largest = i;
  }
  if (largest < 0) return null;
  return t('doc.extreme', { index: String(largest), value: String(values[largest]) });
}

/**
 * The document as a URL hash (without the "#"): settings under short keys,
 * the model, points and weights as base64url Float64 (exact), labels
 * bit-packed, the iteration, and the cost history when it has at most
 * LINK_HISTORY_BUCKETS buckets (the app takes history_snapshot(64) for a
 * link) and fits. Returns `{ ok: true, hash }`, or `{ ok: false, error }`
 * when it would make a link longer than MAX_LINK_LENGTH characters.
 */
export function encodeHash(doc, { maxLength = MAX_LINK_LENGTH } = {}) {
  try {
    const checked = validateDocument(doc);
    if (!checked.ok) return checked;
    /** @type {any} any version, read field by field below */
    const document = checked.document;
    const { version, settings, model, points, weights, iteration, updates, history } = document;
    // A link carries no kept runs: it says version 3, which older pages open too.
    const fields = [['v', String(Math.min(version, LINK_VERSION))]];
    for (const [key, rule] of Object.entries(rulesFor(version))) {
      const value = settings[key];
      // A setting at null (the noise: the data set's own) is left out.
      if (value === null) continue;
      fields.push([rule.link, rule.type === 'boolean' ? (value ? '1' : '0') : String(value)]);
    }
    if (model) {
      fields.push([MODEL_KEYS.features, model.features.join(',')]);
      fields.push([MODEL_KEYS.layers, model.layers.map((layer) => layer.units).join(',')]);
      fields.push([MODEL_KEYS.activations, model.layers.map((layer) => layer.activation).join(',')]);
      fields.push([MODEL_KEYS.init, model.init]);
    }
    fields.push(['i', String(iteration)]);
    fields.push(['w', float64sToBase64url(weights.values)]);
    fields.push(['n', String(points.x.length)]);
    fields.push(['x', float64sToBase64url(points.x)]);
    fields.push(['y', float64sToBase64url(points.y)]);
    fields.push(['l', labelsToBase64url(points.label)]);
    if (points.test) fields.push(['t', labelsToBase64url(points.test)]);
    if (version >= 3) fields.push(['u', String(updates)]);
    const join = (list) => list.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const required = join(fields);
    const withoutHistory = `${required}&${CHECKSUM_KEY}=${checksum(required)}`;
    if (withoutHistory.length + 1 > maxLength) {
      return fail(t('link.too-large', { count: String(points.x.length) }));
    }
    if (history && bucketsOf(history) <= LINK_HISTORY_BUCKETS) {
      const packed = float64sToBase64url(history);
      const withHistory = `${withoutHistory}&hc=${packed}&${HISTORY_CHECKSUM_KEY}=${checksum(packed)}`;
      if (withHistory.length + 1 <= maxLength) return ok({ hash: withHistory });
    }
    return ok({ hash: withoutHistory });
  } catch (error) {
    return fail(t('link.unmade', { error: errorMessage(error) }));
  }
}

/** A comma list of a link ('' is none). */
const listOf = (text) => (text === '' ? [] : text.split(','));

/**
 * The model of a version-2 link, `{ model }` or `{ problem }`.
 * @returns {{ model: import('./types').Architecture, problem?: undefined } | { problem: string, model?: undefined }}
 */
function linkModel(fields) {
  const units = [];
  for (const item of listOf(fields.get(MODEL_KEYS.layers))) {
    const parsed = parseDecimal(item);
    if (parsed.problem) return { problem: t('link.widths', { value: describe(item) }) };
    units.push(parsed.value);
  }
  const activations = listOf(fields.get(MODEL_KEYS.activations));
  if (activations.length !== units.length) {
    return { problem: t('link.layers-activations', { layers: String(units.length), activations: String(activations.length) }) };
  }
  const checked = checkModel({
    features: listOf(fields.get(MODEL_KEYS.features)),
    layers: units.map((n, i) => ({ units: n, activation: activations[i] })),
    init: fields.get(MODEL_KEYS.init),
  }, 'the link\'s model');
  return checked.error ? { problem: checked.error } : { model: checked.model };
}

/**
 * A document from a URL hash made by `encodeHash` (with or without the "#"),
 * of the version the link was made with. Returns `{ ok: true, document,
 * warnings }` or `{ ok: false, error }`; never throws, whatever the hash holds.
 */
export function decodeHash(hash) {
  try {
    if (typeof hash !== 'string') return fail(t('link.no-state'));
    const whole = hash.startsWith('#') ? hash.slice(1) : hash;
    if (whole === '') return fail(t('link.no-state'));
    if (whole.length > 4 * MAX_LINK_LENGTH) return fail(t('link.too-long', { count: String(whole.length) }));
    const checked = checkLink(whole);
    if (checked.error) return fail(checked.error);
    const text = checked.required;
    const fields = new Map();
    for (const part of text.split('&')) {
      if (part === '') continue;
      const equals = part.indexOf('=');
      if (equals < 0) return fail(t('link.damaged', { problem: t('link.no-value', { part: describe(part) }) }));
      let key;
      let value;
      try {
        key = decodeURIComponent(part.slice(0, equals));
        value = decodeURIComponent(part.slice(equals + 1));
      } catch {
        return fail(t('link.escaped', { part: describe(part) }));
      }
      if (fields.has(key)) return fail(t('link.repeats', { key: describe(key) }));
      fields.set(key, value);
    }
    if (!fields.has('v')) return fail(t('link.no-version'));
    const parsedVersion = parseDecimal(fields.get('v'));
    if (parsedVersion.problem || !Number.isInteger(parsedVersion.value) || parsedVersion.value < 1) {
      return fail(t('link.version', { value: describe(fields.get('v')) }));
    }
    const version = parsedVersion.value;
    if (version > VERSION) {
      return fail(t('link.newer', { version: String(version), latest: VERSION }));
    }
    const required = ['i', 'w', 'n', 'x', 'y', 'l', ...(version === 1 ? [] : Object.values(MODEL_KEYS))];
    for (const key of required) {
      if (!fields.has(key)) return fail(t('link.damaged', { problem: t('link.missing', { key: describe(key) }) }));
    }

    const number = (key, name) => {
      const parsed = parseDecimal(fields.get(key));
      return parsed.problem ? { problem: t('link.field', { name, problem: parsed.problem }) } : parsed;
    };
    const rules = rulesFor(version);
    const settings = {};
    for (const [key, rule] of Object.entries(rules)) {
      if (!fields.has(rule.link)) continue;
      const raw = fields.get(rule.link);
      if (rule.type === 'text') {
        settings[key] = raw;
      } else if (rule.type === 'boolean') {
        if (raw !== '0' && raw !== '1') return fail(t('link.boolean', { name: describeSetting(key).name, link: rule.link, value: describe(raw) }));
        settings[key] = raw === '1';
      } else {
        const parsed = number(rule.link, `${describeSetting(key).name} (${rule.link})`);
        if (parsed.problem) return fail(parsed.problem);
        settings[key] = parsed.value;
      }
    }
    const iteration = number('i', 'iteration (i)');
    if (iteration.problem) return fail(iteration.problem);
    const count = number('n', 'point count (n)');
    if (count.problem) return fail(count.problem);
    if (!Number.isInteger(count.value) || count.value < 0) return fail(t('link.count', { value: describe(fields.get('n')) }));
    if (count.value > MAX_POINTS) return fail(t('err.too-many', { count: String(count.value), max: String(MAX_POINTS) }));

    let model;
    let weightCount;
    let hidden;
    if (version === 1) {
      hidden = settings.hidden ?? VERSION_1_SETTINGS.hidden.initial;
      if (!VERSION_1_SETTINGS.hidden.valid(hidden)) {
        return fail(t('link.hidden', { expected: describeSetting('hidden').expected, value: describe(hidden) }));
      }
      weightCount = 4 * hidden + 1;
    } else {
      const read = linkModel(fields);
      if (read.problem) return fail(read.problem);
      model = read.model;
      weightCount = parameterCount(model);
    }
    const weights = base64urlToFloat64s(fields.get('w'), weightCount);
    if (weights.problem) return fail(t('link.damaged', { problem: t('link.weights', { problem: weights.problem }) }));
    const unpacked = unpackPoints({
      count: count.value, x: fields.get('x'), y: fields.get('y'), label: fields.get('l'), test: fields.get('t'),
    });
    if (!unpacked.ok) return fail(t('link.damaged', { problem: unpacked.error }));

    let history;
    const packedHistory = checked.optional ?? fields.get('hc');
    if (packedHistory !== undefined && packedHistory !== null) {
      const bytes = base64urlToBytes(packedHistory);
      if (!bytes || bytes.length % 8 !== 0) return fail('the link is damaged: its cost history (hc) is not valid base64url Float64');
      history = base64urlToFloat64s(packedHistory, bytes.length / 8).values;
    }
    const result = validateDocument({
      format: FORMAT,
      version,
      settings,
      model,
      points: unpacked.points,
      weights: version === 1 ? { hidden, values: weights.values } : { values: weights.values },
      iteration: iteration.value,
      updates: version >= 3 && fields.has('u') ? number('u', 'update count (u)').value : undefined,
      history,
    });
    if (!result.ok) return fail(t('link.damaged', { problem: result.error }));
    const extreme = extremeWeight(result.document.weights.values);
    if (extreme) result.warnings.push(extreme);
    result.warnings.unshift(...checked.warnings);
    return result;
  } catch (error) {
    return fail(t('link.unreadable', { error: errorMessage(error) }));
  }
}
