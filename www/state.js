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

/** Points a data set preset loads. */
export const PRESET_POINTS = 400;

export const LIMITS = Object.freeze({
  learningRate: [0.001, 10],
  speed: [1, 1000],
  seed: [0, 2 ** 32 - 1],
});

/** @type {(value: any, range: readonly number[]) => boolean} */
const isWholeIn = (value, [low, high]) => Number.isInteger(value) && value >= low && value <= high;
/** @type {(value: any, range: readonly number[]) => boolean} */
const isNumberIn = (value, [low, high]) => typeof value === 'number' && value >= low && value <= high;
const isBoolean = (value) => typeof value === 'boolean';

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
});

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
  const [seedLow, seedHigh] = LIMITS.seed.map(String);
  const [lrLow, lrHigh] = LIMITS.learningRate.map(String);
  const [speedLow, speedHigh] = LIMITS.speed.map(String);
  return {
    name: t(`setting.${key}`),
    expected: t(`expected.${key}`, {
      names: DATASETS.join(', '), seedLow, seedHigh, lrLow, lrHigh, speedLow, speedHigh, maxUnits: String(MAX_UNITS),
    }),
  };
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
