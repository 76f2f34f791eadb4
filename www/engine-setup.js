// Setting up an engine from the page's settings and a document's parts: what
// the app does when it restores a document, and what the training worker does
// to mirror the app's engine. One code path, so both engines hold the same run.
import { modelArguments } from './model.js';
import { TRAINING_KEYS } from './state.js';

/**
 * The engine calls after which a run goes on (App.edit's): a copy of the
 * engine given the same call stays the same run (the training Worker's does).
 */
export const EDITS = Object.freeze(['add_point', 'remove_nearest', 'move_point', 'set_learning_rate']);

/** Tells `planar` how to train: the optimizer, regularisation and batches of `settings`. */
export function applyTraining(planar, settings) {
  planar.set_training(...TRAINING_KEYS.map((key) => settings[key]));
}

/** Divides `planar`'s points into training and test sets as `settings` ask (the split's seed is the data seed). */
export function applySplit(planar, settings) {
  planar.set_split(settings.trainShare / 100, settings.dataSeed);
}

/** Replaces `planar`'s points with the data set `settings` name, at their count, seed and noise. */
export function loadPreset(planar, settings) {
  planar.load_preset(settings.dataset, settings.pointCount, settings.dataSeed, settings.noise ?? undefined);
}

/** A list of numbers as documents (arrays) and the worker's messages (typed arrays) carry them. */
const isList = (value) => Array.isArray(value) || ArrayBuffer.isView(value);

/**
 * The optimizer's state of `planar` as documents keep it (`moments`: t and
 * the moments v, s in the layout of the weights), or undefined while the
 * moments are all zero (plain gradient descent keeps none).
 * @param {import('./pkg/planar.js').Planar} planar
 */
export function momentsOf(planar) {
  const [v, s] = [planar.optimizer_v(), planar.optimizer_s()];
  if (v.every((x) => x === 0) && s.every((x) => x === 0)) return undefined;
  return { t: planar.optimizer_t(), v: Array.from(v), s: Array.from(s) };
}

/**
 * A new engine holding `settings` (checked), the checked `model` and the
 * document's `points`, `weights`, `iteration`, `updates`, `moments`,
 * `history` and `testHistory`, each of which may be missing (see App.restore). Throws an
 * Error with a message, leaving nothing behind, when a part does not apply.
 * @param {typeof import('./pkg/planar.js').Planar} Planar  the engine class
 * @param {{ settings: import('./types').Settings, model: import('./types').Architecture, points?: any,
 *   weights?: any, iteration?: any, updates?: any, moments?: any, history?: any, testHistory?: any }} parts
 * @returns {import('./pkg/planar.js').Planar}
 */
export function buildEngine(Planar, {
  settings, model, points, weights, iteration, updates, moments, history, testHistory,
}) {
  const fresh = new Planar();
  try {
    applySplit(fresh, settings);
    if (points !== undefined) {
      if (!points || !isList(points.x) || !isList(points.y) || !isList(points.label)) {
        throw new Error('points must have x, y and label lists');
      }
      fresh.set_points(Float64Array.from(points.x), Float64Array.from(points.y), Float64Array.from(points.label));
      // A document marks its test points; without marks every point trains
      // (not the split's choice: these may be points the reader added).
      fresh.set_held_out(points.test ? Uint8Array.from(points.test) : new Uint8Array(points.x.length));
    } else if (settings.dataset === 'empty') {
      fresh.clear_points();
    } else {
      loadPreset(fresh, settings);
    }
    fresh.set_learning_rate(settings.learningRate);
    applyTraining(fresh, settings);
    fresh.set_discrete(settings.discrete);
    fresh.reset(settings.weightSeed);
    fresh.set_model(...modelArguments(model));
    if (weights !== undefined) {
      if (!weights || !isList(weights.values)) throw new Error('weights must have a list of values');
      const reached = iteration ?? 0;
      if (typeof reached !== 'number') throw new Error('the iteration must be a number');
      fresh.set_parameters(Float64Array.from(weights.values), reached, updates ?? undefined);
      // Without them the optimizer starts again from zero moments.
      if (moments) {
        if (!isList(moments.v) || !isList(moments.s)) throw new Error('moments must have v and s lists');
        fresh.set_optimizer_state(moments.t, Float64Array.from(moments.v), Float64Array.from(moments.s));
      }
      if (Array.isArray(history)) fresh.restore_history(Float64Array.from(history));
      if (Array.isArray(testHistory)) fresh.restore_test_history(Float64Array.from(testHistory));
    }
  } catch (error) {
    fresh.free();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return fresh;
}
