// The page's serializable settings: one table gives each its default, its
// check, its name in messages and its key in a share link; the defaults,
// the validation of every untrusted copy (a save, a link, a file), saving
// and the link all read it. The network's architecture is not a setting:
// the engine holds it (model.js checks untrusted copies of it).

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
const SEED_EXPECTED = `a whole number from ${LIMITS.seed[0]} to ${LIMITS.seed[1]}`;

/**
 * Every setting: `initial` (the tutorial's run), `name` (in messages),
 * `valid` and `expected` (its check and how a message states it), `link`
 * (its key in a share link) and `type` (how a link writes it: 'text',
 * 'number' or 'boolean').
 * @type {Readonly<Record<keyof import('./types').Settings, import('./types').SettingRule>>}
 */
export const SETTINGS = Object.freeze({
  dataset: {
    initial: 'flower', name: 'the data set', link: 'd', type: 'text',
    valid: (v) => typeof v === 'string' && DATASETS.includes(v), expected: `one of ${DATASETS.join(', ')}`,
  },
  dataSeed: {
    initial: 1, name: 'the data seed', link: 'ds', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.seed), expected: SEED_EXPECTED,
  },
  weightSeed: {
    initial: 2, name: 'the weight seed', link: 'ws', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.seed), expected: SEED_EXPECTED,
  },
  learningRate: {
    initial: 1.2, name: 'the learning rate', link: 'lr', type: 'number',
    valid: (v) => isNumberIn(v, LIMITS.learningRate), expected: `a number from ${LIMITS.learningRate[0]} to ${LIMITS.learningRate[1]}`,
  },
  speed: {
    initial: 10, name: 'the speed', link: 'sp', type: 'number',
    valid: (v) => isWholeIn(v, LIMITS.speed), expected: `a whole number of iterations per frame from ${LIMITS.speed[0]} to ${LIMITS.speed[1]}`,
  },
  playing: { initial: true, name: 'playing', link: 'pl', type: 'boolean', valid: isBoolean, expected: 'true or false' },
  selectedClass: {
    initial: 1, name: 'the selected class', link: 'c', type: 'number', valid: (v) => v === 0 || v === 1, expected: '0 or 1',
  },
  logScale: { initial: false, name: 'the log scale', link: 'lg', type: 'boolean', valid: isBoolean, expected: 'true or false' },
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
 * "the learning rate (settings.learningRate) must be a number from 0.001 to 10, not 50".
 * @param {string} key
 * @param {unknown} value
 * @param {Record<string, import('./types').SettingRule>} [rules]
 */
export function settingProblem(key, value, rules = SETTINGS) {
  const rule = rules[key];
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    : typeof value === 'number' || typeof value === 'boolean' || value === null ? String(value)
      : Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  return `${rule.name} (settings.${key}) must be ${rule.expected}, not ${shown}`;
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
