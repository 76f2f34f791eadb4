// The page's serializable settings: their defaults, their ranges, and the
// validation every untrusted copy (a save, a share link, a file) goes through.

export const DATASETS = ['flower', 'circles', 'xor', 'gaussians', 'spiral', 'moons', 'empty'];

/** Points a data set preset loads. */
export const PRESET_POINTS = 400;

export const LIMITS = Object.freeze({
  learningRate: [0.001, 10],
  hidden: [1, 8],
  speed: [1, 1000],
  seed: [0, 2 ** 32 - 1],
});

/** The tutorial's run; paused when the reader asked for less motion. */
export function defaultSettings({ reducedMotion = false } = {}) {
  return {
    dataset: 'flower',
    dataSeed: 1,
    weightSeed: 2,
    learningRate: 1.2,
    hidden: 4,
    speed: 10,
    playing: !reducedMotion,
    selectedClass: 1,
    logScale: false,
  };
}

const isWholeIn = (value, [low, high]) => Number.isInteger(value) && value >= low && value <= high;
const isNumberIn = (value, [low, high]) => typeof value === 'number' && value >= low && value <= high;

const CHECKS = {
  dataset: [(v) => DATASETS.includes(v), `one of ${DATASETS.join(', ')}`],
  dataSeed: [(v) => isWholeIn(v, LIMITS.seed), `a whole number from 0 to ${LIMITS.seed[1]}`],
  weightSeed: [(v) => isWholeIn(v, LIMITS.seed), `a whole number from 0 to ${LIMITS.seed[1]}`],
  learningRate: [(v) => isNumberIn(v, LIMITS.learningRate), 'a number from 0.001 to 10'],
  hidden: [(v) => isWholeIn(v, LIMITS.hidden), 'a whole number from 1 to 8'],
  speed: [(v) => isWholeIn(v, LIMITS.speed), 'a whole number from 1 to 1000'],
  playing: [(v) => typeof v === 'boolean', 'true or false'],
  selectedClass: [(v) => v === 0 || v === 1, '0 or 1'],
  logScale: [(v) => typeof v === 'boolean', 'true or false'],
};

/**
 * A complete, trusted copy of `value`: missing fields take their defaults,
 * unknown fields are dropped, and a present but invalid field throws an
 * Error naming it.
 */
export function validateSettings(value, defaults = defaultSettings()) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the settings must be an object');
  }
  const settings = { ...defaults };
  for (const [key, [isValid, expected]] of Object.entries(CHECKS)) {
    if (!Object.hasOwn(value, key)) continue;
    if (!isValid(value[key])) throw new Error(`setting "${key}" must be ${expected}`);
    settings[key] = value[key];
  }
  return settings;
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
