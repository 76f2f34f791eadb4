// Links that say what they open, for teachers:
//   ?dataset=spiral&layers=8,8&activation=tanh&init=xavier&features=x1,x2,sinx1&lr=0.3&seed=3
// opens that network on that data set, with the weights from that seed;
//   ?optimizer=adam&batch=32&l2=0.1&train=70&noise=0.3&points=1000&data-seed=4
// trains it with Adam on mini-batches of 32 and L2, keeping 70 % of 1000
// noisier points (drawn from data seed 4) for training.
// What a link leaves out is the tutorial's. A bad value is named in a
// message and the rest still applies. parseQuery is pure (Node tests it);
// openQuery opens a page's query once, as a new work, then takes it out of
// the address bar so that a reload keeps the work done since. `lang=ru` or
// `lang=en` opens the page in that language (main.js reads it first); a link
// with nothing else opens no work.

import {
  ACTIVATIONS, DEFAULT_MODEL, FEATURES, INITS, MAX_LAYERS, MAX_UNITS, architectureOf, describeModel,
} from './model.js';
import { LANGUAGE_CODES, t } from './i18n.js';
import {
  DATASETS, OPTIMIZERS, SETTINGS, defaultSettings, describeSetting,
} from './state.js';
import { defaultName } from './storage.js';

/** The settings a link may set by a number, each with its setting in state.js's table. */
const NUMBER_PARAMETERS = Object.freeze({
  lr: 'learningRate',
  seed: 'weightSeed',
  batch: 'batch',
  l2: 'l2',
  l1: 'l1',
  train: 'trainShare',
  noise: 'noise',
  points: 'pointCount',
  'data-seed': 'dataSeed',
});

/** The parameters a link may carry, in the order the README lists them. */
export const QUERY_PARAMETERS = Object.freeze([
  'dataset', 'layers', 'activation', 'init', 'features', 'lr', 'seed',
  'optimizer', 'batch', 'l2', 'l1', 'train', 'noise', 'points', 'data-seed', 'lang',
]);

/**
 * The language a query asks for ('en', 'ru'), or null when it asks for none
 * or for one the page does not speak (parseQuery names that problem).
 * @param {string} search
 */
export function queryLanguage(search) {
  try {
    const asked = new URLSearchParams(search).get('lang')?.trim().toLowerCase();
    return asked && LANGUAGE_CODES.includes(asked) ? asked : null;
  } catch {
    return null;
  }
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHOLE = /^\d{1,10}$/;
const quoted = (text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
const list = (text) => (text.trim() === '' ? [] : text.split(',').map((item) => item.trim()));

/**
 * The settings and model a query string (with or without "?") asks for:
 * `{ settings, model, problems, opensWork }`, where settings holds only what
 * the link set, model is complete (the tutorial's where the link is silent),
 * problems names every value that was not used, and opensWork is false when
 * the link names nothing but the language. Null when the query holds nothing
 * at all. Never throws.
 */
export function parseQuery(search) {
  let params;
  try {
    params = new URLSearchParams(typeof search === 'string' ? search : '');
  } catch {
    return null;
  }
  if ([...params.keys()].length === 0) return null;
  const problems = [];
  const value = new Map();
  for (const [key, text] of params) {
    if (!QUERY_PARAMETERS.includes(key)) {
      problems.push(t('query.unknown', { key: quoted(key), keys: QUERY_PARAMETERS.join(', ') }));
    } else if (value.has(key)) {
      problems.push(t('query.twice', { key, first: quoted(value.get(key)) }));
    } else {
      value.set(key, text);
    }
  }

  const opensWork = [...params.keys()].some((key) => key !== 'lang');
  if (value.has('lang') && !LANGUAGE_CODES.includes(value.get('lang').trim().toLowerCase())) {
    problems.push(t('query.lang', { value: quoted(value.get('lang')), languages: LANGUAGE_CODES.join(', ') }));
  }

  const settings = {};
  if (value.has('dataset')) {
    const name = value.get('dataset').trim().toLowerCase();
    if (DATASETS.includes(name)) settings.dataset = name;
    else problems.push(t('query.dataset', { value: quoted(value.get('dataset')), names: DATASETS.join(', ') }));
  }
  for (const [parameter, key] of Object.entries(NUMBER_PARAMETERS)) {
    if (!value.has(parameter)) continue;
    const text = value.get(parameter).trim();
    const number = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (SETTINGS[key].valid(number)) settings[key] = number;
    else problems.push(t('query.number', { parameter, value: quoted(value.get(parameter)), ...describeSetting(key) }));
  }
  if (value.has('optimizer')) {
    const name = value.get('optimizer').trim().toLowerCase();
    if (SETTINGS.optimizer.valid(name)) settings.optimizer = name;
    else problems.push(t('query.optimizer', { value: quoted(value.get('optimizer')), names: OPTIMIZERS.join(', ') }));
  }

  const model = architectureOf(DEFAULT_MODEL);
  if (value.has('features')) {
    const names = list(value.get('features')).map((name) => name.toLowerCase());
    const unknown = names.filter((name) => !FEATURES.includes(name));
    for (const name of unknown) problems.push(t('query.feature', { value: quoted(name), names: FEATURES.join(', ') }));
    const known = FEATURES.filter((name) => names.includes(name));
    if (known.length > 0) model.features = known;
    else problems.push(t('query.no-feature', { value: quoted(value.get('features')) }));
  }
  if (value.has('layers')) {
    const items = list(value.get('layers'));
    const bad = items.find((item) => !WHOLE.test(item) || Number(item) < 1 || Number(item) > MAX_UNITS);
    if (bad !== undefined) {
      problems.push(t('query.units', { value: quoted(bad), max: MAX_UNITS }));
    } else if (items.length > MAX_LAYERS) {
      problems.push(t('query.layers', { value: quoted(value.get('layers')), count: items.length, max: MAX_LAYERS }));
    } else {
      model.layers = items.map((item) => ({ units: Number(item), activation: 'tanh' }));
    }
  }
  if (value.has('activation')) {
    const names = list(value.get('activation')).map((name) => name.toLowerCase());
    const unknown = names.filter((name) => !ACTIVATIONS.includes(name));
    if (unknown.length > 0) {
      problems.push(t('query.activation', { value: unknown.map(quoted).join(', '), count: unknown.length, names: ACTIVATIONS.join(', ') }));
    } else if (names.length === 1) {
      for (const layer of model.layers) layer.activation = names[0];
    } else if (names.length === model.layers.length) {
      model.layers.forEach((layer, i) => {
        layer.activation = names[i];
      });
    } else {
      problems.push(t('query.activations', { value: quoted(value.get('activation')), names: names.length, count: model.layers.length }));
    }
  }
  if (value.has('init')) {
    const name = value.get('init').trim().toLowerCase();
    if (INITS.includes(name)) model.init = name;
    else problems.push(t('query.init', { value: quoted(value.get('init')), names: INITS.join(', ') }));
  }
  return { settings, model, problems, opensWork };
}

/**
 * Opens what the page's query asks for as a new work (what the tab showed
 * stays in Recent), then drops the query from the address bar so that a
 * reload keeps the work done since. Resolves to true when it was applied.
 */
export async function openQuery(app, session) {
  const query = parseQuery(globalThis.location?.search ?? '');
  if (!query) return false;
  const { pathname, hash } = globalThis.location;
  history.replaceState(history.state, '', `${pathname}${hash}`);
  if (!query.opensWork) {
    // Only the language, which main.js has applied: the work stays as it was.
    if (query.problems.length > 0) app.notify(t('query.problems-only', { problems: query.problems.join('; ') }), 'error');
    return false;
  }
  const settings = { ...defaultSettings({ reducedMotion: app.reducedMotion }), ...query.settings };
  const error = await session.openAsNew({ settings, model: query.model }, defaultName(t('work.link', { dataset: t(`short.${settings.dataset}`) })));
  if (error) {
    app.notify(t('link.failed', { error }), 'error');
    return false;
  }
  const params = { model: describeModel(query.model), dataset: t(`short.${settings.dataset}`) };
  if (query.problems.length > 0) {
    app.notify(t('query.opened-problems', { ...params, problems: query.problems.join('; ') }), 'error');
  } else {
    app.notify(t('query.opened', params), 'info');
  }
  return true;
}
