// The page's serializable settings: one table gives each its default, its
// check, its name in messages and its key in a share link; the defaults,
// the validation of every untrusted copy (a save, a link, a file), saving
// and the link all read it. The network's architecture is not a setting:
// the engine holds it (model.js checks untrusted copies of it).


import { t } from './i18n.js';
import { MAX_UNITS } from './model.js';
/**
 * The data sets, in the order the page lists them: the engine's
 * preset_names() and "empty" (a test holds them together). Their names on
 * the page are the language tables' `dataset.<name>`.
 */
export const DATASETS = Object.freeze(['flower', 'circles', 'xor', 'gaussians', 'spiral', 'moons', 'empty']);

/** The optimizers (the engine's optimizer_names()) and their names on the page. */
export const OPTIMIZERS = Object.freeze(['gd', 'momentum', 'adam']);

/** The most points a data set holds (the engine's max_points()). */
export const MAX_POINTS = 100_000;

export const LIMITS = Object.freeze({
  learningRate: [0.001, 10],
  speed: [1, 1000],
  seed: [0, 2 ** 32 - 1],
  beta: [0, 0.9999],
  batch: [0, MAX_POINTS],
  lambda: [0, 100],
  trainShare: [10, 100],
  noise: [0, 2],
  pointCount: [2, MAX_POINTS],
});

/** λ's slider: 10^position from LAMBDA_SLIDER[0] + 1; its leftmost position is λ = 0. */
export const LAMBDA_SLIDER = Object.freeze([-5, 2]);

/** @type {(value: any, range: readonly number[]) => boolean} */
const isWholeIn = (value, [low, high]) => Number.isInteger(value) && value >= low && value <= high;
/** @type {(value: any, range: readonly number[]) => boolean} */
const isNumberIn = (value, [low, high]) => typeof value === 'number' && value >= low && value <= high;
const isBoolean = (value) => typeof value === 'boolean';
/** @type {(initial: number, link: string) => import('./types').SettingRule} */
const beta = (initial, link) => ({
  initial, link, type: 'number', valid: (v) => isNumberIn(v, LIMITS.beta),
});
/** @type {(link: string) => import('./types').SettingRule} */
const lambda = (link) => ({
  initial: 0, link, type: 'number', valid: (v) => isNumberIn(v, LIMITS.lambda),
});

/**
 * Every setting: `initial` (the tutorial's run), `valid` (its check), `link`
 * (its key in a share link) and `type` (how a link writes it: 'text',
 * 'number' or 'boolean'). Its name and what it must be, in messages, are the
 * language tables' (describeSetting).
 * @type {Readonly<Record<keyof import('./types').Settings, import('./types').SettingRule>>}
 */
export const SETTINGS = Object.freeze({
  dataset: {
    initial: 'flower', link: 'd', type: 'text',
    valid: (v) => typeof v === 'string' && DATASETS.includes(v),
  },
  dataSeed: {
    initial: 1, link: 'ds', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.seed),
  },
  weightSeed: {
    initial: 2, link: 'ws', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.seed),
  },
  learningRate: {
    initial: 1.2, link: 'lr', type: 'number',
    valid: (v) => isNumberIn(v, LIMITS.learningRate),
  },
  speed: {
    initial: 10, link: 'sp', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.speed),
  },
  playing: { initial: true, link: 'pl', type: 'boolean', valid: isBoolean },
  selectedClass: {
    initial: 1, link: 'c', type: 'number', valid: (v) => v === 0 || v === 1,
  },
  logScale: { initial: false, link: 'lg', type: 'boolean', valid: isBoolean },
  optimizer: {
    initial: 'gd', link: 'op', type: 'text',
    valid: (v) => typeof v === 'string' && OPTIMIZERS.includes(v),
  },
  beta: beta(0.9, 'be'),
  beta1: beta(0.9, 'b1'),
  beta2: beta(0.999, 'b2'),
  batch: {
    initial: 0, link: 'bs', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.batch),
  },
  l2: lambda('l2'),
  l1: lambda('l1'),
  trainShare: {
    initial: 100, link: 'tr', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.trainShare),
  },
  /** null: the data set's own noise (the engine's preset_noise()). */
  noise: {
    initial: null, link: 'nz', type: 'number',
    valid: (v) => v === null || isNumberIn(v, LIMITS.noise),
  },
  pointCount: {
    initial: 400, link: 'pn', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.pointCount),
  },
  clickTest: { initial: false, link: 'ct', type: 'boolean', valid: isBoolean },
  showTest: { initial: true, link: 'st', type: 'boolean', valid: isBoolean },
  discrete: { initial: false, link: 'dc', type: 'boolean', valid: isBoolean },
});

/** The settings the engine's set_training() takes, in its order. */
export const TRAINING_KEYS = Object.freeze(['optimizer', 'beta', 'beta1', 'beta2', 'l2', 'l1', 'batch']);

/** Points a data set loads unless the reader asks for another number. */
export const PRESET_POINTS = SETTINGS.pointCount.initial;

/**
 * The tutorial's run; paused when the reader asked for less motion.
 * @returns {import('./types').Settings}
 */
export function defaultSettings({ reducedMotion = false } = {}) {
  const settings = /** @type {any} */ ({});
  for (const [key, rule] of Object.entries(SETTINGS)) settings[key] = rule.initial;
  settings.playing = !reducedMotion;
  return settings;
}

/**
 * A setting's name and what it must be, in the page's language (the tables'
 * `setting.<key>` and `expected.<key>`; `hidden` is a version-1 document's).
 * @param {string} key
 */
export function describeSetting(key) {
  /** @type {Record<string, string>} each limit as {<name>Low} and {<name>High} */
  const params = { names: DATASETS.join(', '), optimizers: OPTIMIZERS.join(', '), maxUnits: String(MAX_UNITS) };
  for (const [name, [low, high]] of Object.entries(LIMITS)) {
    params[`${name}Low`] = String(low);
    params[`${name}High`] = String(high);
  }
  return { name: t(`setting.${key}`), expected: t(`expected.${key}`, params) };
}

/**
 * "the learning rate (settings.learningRate) must be a number from 0.001 to 10, not 50".
 * @param {string} key
 * @param {unknown} value
 * @param {Record<string, import('./types').SettingRule>} [rules]
 */
export function settingProblem(key, value, rules = SETTINGS) {
  if (!rules[key]) throw new Error(`no setting "${key}"`);
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    : typeof value === 'number' || typeof value === 'boolean' || value === null ? String(value)
      : Array.isArray(value) ? t('value.list') : value === undefined ? t('value.nothing')
        : typeof value === 'object' ? t('value.object') : t('value.other', { type: typeof value });
  const { name, expected } = describeSetting(key);
  return t('settings.problem', { name, key, expected, value: shown });
}

/**
 * A complete, trusted copy of `value` as `{ settings }`: missing fields take
 * their defaults, unknown fields are dropped; or `{ error }` naming the
 * first invalid field. `rules` may add settings to the table (a version-1
 * document's hidden width).
 * @param {any} value  anything: it is checked here
 * @param {Record<string, any>} [defaults]
 * @param {Record<string, import('./types').SettingRule>} [rules]
 * @returns {{ settings: import('./types').Settings & Record<string, any>, error?: undefined } | { error: string, settings?: undefined }}
 */
export function checkSettings(value, defaults = defaultSettings(), rules = SETTINGS) {
  if (value === undefined) value = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'the settings must be an object' };
  }
  const settings = /** @type {any} */ ({});
  for (const [key, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) {
      settings[key] = defaults[key];
      continue;
    }
    if (!rule.valid(value[key])) return { error: settingProblem(key, value[key], rules) };
    settings[key] = value[key];
  }
  return { settings };
}

/**
 * As checkSettings, but throws an Error naming the invalid field.
 * @param {any} value
 * @param {import('./types').Settings} [defaults]
 * @returns {import('./types').Settings}
 */
export function validateSettings(value, defaults = defaultSettings()) {
  const checked = checkSettings(value, defaults);
  if (checked.error) throw new Error(checked.error);
  return checked.settings;
}

/** A learning rate rounded to the 3 significant digits the slider shows. */
export function roundRate(rate) {
  return Number(rate.toPrecision(3));
}

/** The learning rate a position of the log-scale slider stands for. */
export function rateFromSlider(position) {
  const [low, high] = LIMITS.learningRate;
  return Math.min(high, Math.max(low, roundRate(10 ** position)));
}

/** λ for a position of its slider: 0 at the leftmost, else 10^position, to 2 significant digits. */
export function lambdaFromSlider(position) {
  if (!(position > LAMBDA_SLIDER[0])) return 0;
  return Math.min(LIMITS.lambda[1], Number((10 ** Math.min(position, LAMBDA_SLIDER[1])).toPrecision(2)));
}

/** The slider position that shows λ. */
export function sliderFromLambda(value) {
  return value > 0 ? Math.max(LAMBDA_SLIDER[0] + 0.01, Math.log10(value)) : LAMBDA_SLIDER[0];
}

/** Iterations per frame for a position of the log-scale speed slider. */
export function speedFromSlider(position) {
  const [low, high] = LIMITS.speed;
  return Math.min(high, Math.max(low, Math.round(10 ** position)));
}

/** A seed typed by the reader: a whole number, null when blank, NaN when invalid. */
export function parseSeed(text) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,10}$/.test(trimmed)) return Number.NaN;
  const seed = Number(trimmed);
  return seed <= LIMITS.seed[1] ? seed : Number.NaN;
}
