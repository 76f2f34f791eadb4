// The app: owns the Planar engine and the settings, runs the frame loop, and
// offers the actions every view and the persistence modules go through.
// Views read from it and call its actions; they never reach into each other.
//
// Events (app.on(type, fn) returns an unsubscribe function):
//   'change' {what, edited}  after a user-visible change of points, weights or
//                    settings ('points' | 'weights' | 'settings' | 'all'); for
//                    saving. edited: the engine changed only by the calls 'edit' told of
//   'edit' {method, args}  the engine's method was called with args: a point
//                    edit or a learning rate that the run goes on with (a copy
//                    of the engine given the same call stays the same run)
//   'frame'          after each animation frame's training, for drawing
//   'trained'        after iterations were added to the run (trained(): the
//                    frame loop, a step, step-through's update)
//   'act'            just before play, a step or a training setting changes
//                    the run (act()): a past shown by the scrubber becomes the
//                    run first (scrubber.js)
//   'notice' {text, kind}  a message for the reader ('info' | 'error')
//   'destructive' {label}  just before clear/reset/new/data set/network change
//   'fatal' {error}  the engine or a view broke; the loop has stopped
//   'model'          after the network's architecture changed (app.model is new)
import { Emitter } from './emitter.js';
import {
  applySplit, applyTraining, buildEngine, loadPreset, momentsOf,
} from './engine-setup.js';
import { EXTREME_WEIGHT, upgradeDocument } from './formats.js';
import { t } from './i18n.js';
import { bytes, float64s } from './memory.js';
import {
  DEFAULT_MODEL, architectureOf, checkModel, modelArguments, sameArchitecture,
} from './model.js';
import {
  DATASETS, LIMITS, SETTINGS, TRAINING_KEYS, defaultSettings, roundRate, settingProblem, validateSettings,
} from './state.js';

/** The stages step-through walks, one iteration of the tutorial's loop. */
export const STAGES = ['forward', 'cost', 'backward', 'update'];

const UNDO_DEPTH = 20;
/** Longest a frame spends training: beyond it, the iterations wait for the next frame. */
const TRAINING_BUDGET_MS = 10;
/** Iterations between clock checks while training within the budget (fewer with many points). */
const TRAINING_CHUNK = 25;
/** Point-iterations between clock checks at most. */
const CHUNK_WORK = 200_000;
const HISTORY_BUCKETS = 2048;

export function createApp(options) {
  return new App(options);
}

class App extends Emitter {
  /**
   * @param {object} options
   * @param {import('./pkg/planar.js').InitOutput} options.wasm  what init() resolved to (for memory)
   * @param {typeof import('./pkg/planar.js').Planar} options.Planar  the engine class
   * @param {() => number} options.randomSeed
   * @param {(name: string) => number} options.presetNoise  a data set's own noise
   * @param {number} options.maxPoints
   * @param {number} options.halfWidth  the plot shows the plane's square [-halfWidth, halfWidth]²
   * @param {boolean} [options.reducedMotion]
   */
  constructor({
    wasm, Planar, randomSeed, presetNoise, maxPoints, halfWidth, reducedMotion = false,
  }) {
    super();
    this.wasm = wasm;
    this.Planar = Planar;
    this.randomSeed = randomSeed;
    this.presetNoise = presetNoise;
    this.maxPoints = maxPoints;
    this.halfWidth = halfWidth;
    this.reducedMotion = reducedMotion;
    this.planar = new Planar();
    /**
     * The engine's model(), parsed: the architecture and every layout that crosses the boundary.
     * @type {import('./types').ModelJson}
     */
    this.model = null;
    this.refreshModel();
    this.state = defaultSettings({ reducedMotion });
    /** Bumped by anything that changes what the views show; views redraw when it moves. */
    this.revision = 0;
    /** The plane location under the pointer on the plot, or null. */
    this.hover = null;
    /** The keyboard's cursor on the plot ({x, y}, plot-keys.js), or null while the pointer is at work. */
    this.keyboardCursor = null;
    this.stepThrough = false;
    /** Index into STAGES of the stage step-through just showed; -1 before the first. */
    this.stage = -1;
    /** The gradients the backward stage computed (next_gradients()), or null. */
    this.stageGradients = null;
    this.failed = false;
    /**
     * What trains while playing (train-driver.js: a Worker, or this page
     * when none runs), or null: then train() runs here.
     * @type {{ frame(playing: boolean): void } | null}
     */
    this.trainer = null;
    this.undoStack = [];
    this.frameHandle = 0;
    /** The node whose map the plot shows instead of the prediction ({layer, unit}), or null. */
    this.focusNode = null;
    const memory = wasm.memory;
    this.pointViews = {
      x: float64s(memory), y: float64s(memory), label: float64s(memory), heldOut: bytes(memory),
    };
    this.predictionView = bytes(memory);
    this.predictionRevision = -1;
    /** An engine showing an earlier iteration of the run while the reader scrubs back (scrubber.js), or null. */
    this.past = null;
    /** The runs kept beside the current one (branches.js): plain documents, saved with it. */
    this.branches = [];
  }

  /** The engine the views draw the network from: the past the reader scrubbed to, or the run. */
  get shown() {
    return this.past ?? this.planar;
  }

  /** Reads the engine's model() again: after anything that may have changed the architecture. */
  refreshModel() {
    const text = this.planar.model();
    if (this.model && this.modelText === text) return;
    this.modelText = text;
    this.model = JSON.parse(text);
    this.focusNode = null;
    this.emit('model');
  }

  // ---- events ----

  changed(what, edited = false) {
    if (this.failed) return;
    this.revision += 1;
    this.emit('change', { what, edited });
  }

  /**
   * Calls the engine's `method`, one that the run goes on after (EDITS), and tells of it ('edit').
   * @param {string} method
   * @param {...any} args
   */
  edit(method, ...args) {
    return this.run(() => {
      const result = this.planar[method](...args);
      this.emit('edit', { method, args });
      return result;
    });
  }

  notify(text, kind = 'info') {
    this.emit('notice', { text: String(text), kind: kind === 'error' ? 'error' : 'info' });
  }

  /**
   * Stops everything and reports `error`: after a Rust panic the engine's
   * memory can no longer be trusted, and a silent freeze is worse than a message.
   */
  fail(error) {
    if (this.failed) return;
    this.failed = true;
    cancelAnimationFrame(this.frameHandle);
    console.error(error);
    this.emit('fatal', { error });
  }

  /** Runs an action; any exception in it is a bug or a panic, so it is fatal. */
  run(action) {
    if (this.failed) return undefined;
    try {
      return action();
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  // ---- the frame loop ----

  start() {
    // The first frame only draws, so the run's starting point (iteration 0,
    // the tutorial's cost 0.693048) is what the reader sees first.
    let first = true;
    const frame = () => {
      if (this.failed) return;
      try {
        const playing = this.state.playing && !this.stepThrough && !first;
        if (this.trainer) this.trainer.frame(playing);
        else if (playing) this.train(this.state.speed);
        first = false;
        this.emit('frame');
      } catch (error) {
        this.fail(error);
        return;
      }
      this.frameHandle = requestAnimationFrame(frame);
    };
    this.frameHandle = requestAnimationFrame(frame);
  }

  /** Up to `iterations` iterations, stopping early when the frame's time is used up. */
  train(iterations) {
    if (this.planar.point_count() === 0) return;
    const started = performance.now();
    const largest = Math.max(1, Math.min(TRAINING_CHUNK, Math.floor(CHUNK_WORK / this.planar.point_count())));
    let remaining = iterations;
    while (remaining > 0) {
      const chunk = Math.min(remaining, largest);
      this.planar.step(chunk);
      remaining -= chunk;
      if (performance.now() - started > TRAINING_BUDGET_MS) break;
    }
    this.trained();
  }

  /** The reader is about to change the run: a shown past becomes the run first. */
  act() {
    this.emit('act');
  }

  /** Iterations were added to the run: every view draws again. */
  trained() {
    this.revision += 1;
    this.emit('trained');
  }

  // ---- reading ----

  /**
   * The points as views of wasm memory: {count, x, y, label, heldOut} (heldOut
   * 1 where a point is held out for testing); valid until the next edit.
   */
  points() {
    const planar = this.shown;
    const count = planar.point_count();
    const { x, y, label, heldOut } = this.pointViews;
    return {
      count,
      x: x.at(planar.points_x_ptr(), count),
      y: y.at(planar.points_y_ptr(), count),
      label: label.at(planar.points_label_ptr(), count),
      heldOut: heldOut.at(planar.held_out_ptr(), count),
    };
  }

  /** Each point's predicted class (a view of wasm memory), computed once per revision. */
  predictions() {
    const view = this.predictionView;
    if (this.predictionRevision !== this.revision || view.buffer !== this.wasm.memory.buffer) {
      view.at(this.shown.predict_points(), this.shown.point_count());
      this.predictionRevision = this.revision;
    }
    return view.view;
  }

  /** The index of the point nearest (x, y) within `radius` plane units, or -1. */
  nearestPoint(x, y, radius) {
    return this.run(() => this.planar.nearest(x, y, radius)) ?? -1;
  }

  // ---- actions ----

  play() {
    this.act();
    this.stepThrough = false;
    this.stage = -1;
    this.setSetting('playing', true);
  }

  pause() {
    this.setSetting('playing', false);
  }

  togglePlay() {
    if (this.state.playing && !this.stepThrough) this.pause();
    else this.play();
  }

  /** Exactly one iteration; pauses first. */
  stepOnce() {
    this.act();
    this.run(() => {
      this.pause();
      this.stage = -1;
      this.stageGradients = null;
      this.planar.step(1);
      this.trained();
    });
  }

  setLearningRate(rate) {
    const [low, high] = LIMITS.learningRate;
    const learningRate = Math.min(high, Math.max(low, roundRate(rate)));
    if (learningRate !== this.state.learningRate) this.act();
    this.edit('set_learning_rate', learningRate);
    this.setSetting('learningRate', learningRate, true);
  }

  /**
   * One of the training settings (TRAINING_KEYS: the optimizer, its βs,
   * L2, L1, the batch size), from the next update on. Returns null, or a
   * message saying why the value was refused (nothing changes then).
   */
  setTraining(key, value) {
    if (!TRAINING_KEYS.includes(key)) return `${key} is not a training setting`;
    if (!SETTINGS[key].valid(value)) return settingProblem(key, value);
    if (this.state[key] === value) return null;
    this.act();
    this.run(() => applyTraining(this.planar, { ...this.state, [key]: value }));
    this.setSetting(key, value);
    return null;
  }

  /** Keeps `percent` of the points for training (10 to 100) and holds out the rest, split by the data seed. */
  setTrainShare(percent) {
    if (!SETTINGS.trainShare.valid(percent)) return settingProblem('trainShare', percent);
    if (this.state.trainShare === percent) return null;
    this.run(() => applySplit(this.planar, { ...this.state, trainShare: percent }));
    this.state.trainShare = percent;
    this.restartStages();
    this.changed('points');
    return null;
  }

  /** Shows the predicted class instead of the probability. */
  setDiscrete(on) {
    this.run(() => this.planar.set_discrete(Boolean(on)));
    this.setSetting('discrete', Boolean(on));
  }

  /**
   * New points for the data set: any of `{ dataset, pointCount, noise,
   * dataSeed }` changed (the same values give the same points, bit for
   * bit). Training restarts from the same initial weights; undoable.
   * Returns null, or a message naming the first bad value (nothing changes then).
   */
  regenerate(changes = {}) {
    for (const [key, value] of Object.entries(changes)) {
      if (!['dataset', 'pointCount', 'noise', 'dataSeed'].includes(key)) return `${key} is not a data setting`;
      if (!SETTINGS[key].valid(value)) return settingProblem(key, value);
    }
    if (changes.dataset === 'empty') {
      this.clear();
      return null;
    }
    const settings = { ...this.state, ...changes };
    if (settings.dataset === 'empty') settings.dataset = 'flower';
    this.beforeDestructive('dataset');
    this.run(() => {
      applySplit(this.planar, settings);
      loadPreset(this.planar, settings);
      this.planar.reset(this.planar.seed());
    });
    Object.assign(this.state, changes, { dataset: settings.dataset });
    this.restartStages();
    this.changed('all');
    return null;
  }

  setSpeed(speed) {
    const [low, high] = LIMITS.speed;
    this.setSetting('speed', Math.min(high, Math.max(low, Math.round(speed))), true);
  }

  /**
   * A new architecture `{ features, layers: [{units, activation}], init }`:
   * the weights start again from the seed (undoable). Returns null, or a
   * message naming what is wrong with it (nothing changes then).
   */
  setModel(architecture) {
    const checked = checkModel(architecture);
    if (checked.error) return checked.error;
    if (sameArchitecture(checked.model, this.model)) return null;
    this.beforeDestructive('network-change');
    this.run(() => this.planar.set_model(...modelArguments(checked.model)));
    this.refreshModel();
    this.restartStages();
    this.changed('weights');
    return null;
  }

  /**
   * Sets one weight or bias (its index in the model's parameters layout) to
   * `value`, at once and undoably; training goes on from there. Returns
   * null, or a message saying why the value was refused (nothing changes then).
   */
  setParameter(index, value) {
    if (!Number.isInteger(index) || index < 0 || index >= this.model.parameter_count) return t('parameter.none');
    if (typeof value !== 'number' || !Number.isFinite(value)) return t('parameter.not-finite');
    // Beyond this a network's output is saturated and cannot learn (files and links only get a warning).
    if (Math.abs(value) > EXTREME_WEIGHT) return t('parameter.extreme', { max: String(EXTREME_WEIGHT) });
    this.beforeDestructive('weight-edit');
    this.run(() => this.planar.set_parameter(index, value));
    this.restartStages();
    this.changed('weights');
    return null;
  }

  /** Shows the map of one node on the plot ({layer, unit}), or the prediction again (null). */
  setFocusNode(node) {
    const same = node && this.focusNode && node.layer === this.focusNode.layer && node.unit === this.focusNode.unit;
    if (same || (!node && !this.focusNode)) return;
    this.focusNode = node ? { layer: node.layer, unit: node.unit } : null;
    this.revision += 1;
  }

  /** Every view draws again: a view's own display option changed. */
  invalidate() {
    this.revision += 1;
  }

  /** New initial weights from `seed`, or from a random seed when it is null. */
  reset(seed = null) {
    this.beforeDestructive('reset');
    this.run(() => {
      const weightSeed = seed ?? this.randomSeed();
      this.planar.reset(weightSeed);
      this.state.weightSeed = weightSeed;
    });
    this.restartStages();
    this.changed('weights');
  }

  /** Loads a preset at its own noise; training restarts from the same initial weights. */
  loadDataset(name) {
    if (!DATASETS.includes(name)) return;
    this.regenerate({ dataset: name, noise: null });
  }

  /** Removes every point; the run restarts so your own data trains from scratch. */
  clear() {
    this.beforeDestructive('clear');
    this.run(() => {
      this.planar.clear_points();
      this.planar.reset(this.planar.seed());
    });
    this.state.dataset = 'empty';
    this.restartStages();
    this.changed('all');
  }

  /** Back to the tutorial's run and the default settings. */
  startOver() {
    this.beforeDestructive('start-over');
    this.run(() => {
      const fresh = new this.Planar();
      this.planar.free();
      this.planar = fresh;
      this.refreshModel();
    });
    this.state = defaultSettings({ reducedMotion: this.reducedMotion });
    this.branches = [];
    this.stepThrough = false;
    this.restartStages();
    this.changed('all');
  }

  addPoint(x, y, label) {
    if (this.planar.point_count() >= this.maxPoints) {
      this.notify(t('points.full', { count: this.maxPoints }), 'error');
      return false;
    }
    this.edit('add_point', x, y, label, this.state.clickTest);
    this.restartStages();
    this.changed('points', true);
    return true;
  }

  /** Removes the point nearest (x, y) within `radius`; true if there was one. */
  removeNearest(x, y, radius) {
    const removed = this.edit('remove_nearest', x, y, radius) ?? -1;
    if (removed < 0) return false;
    this.restartStages();
    this.changed('points', true);
    return true;
  }

  /**
   * Moves a point while it is dragged; call finishMove() when the drag ends,
   * so that 'change' fires once per drag rather than at every pointer move.
   */
  movePoint(index, x, y) {
    // The point may be gone (cleared, undone) while it was being dragged.
    if (index >= this.planar.point_count()) return;
    this.edit('move_point', index, x, y);
    this.restartStages();
    this.revision += 1;
  }

  finishMove() {
    this.changed('points', true);
  }

  selectClass(label) {
    if (label === 0 || label === 1) this.setSetting('selectedClass', label);
  }

  setLogScale(on) {
    this.setSetting('logScale', Boolean(on));
  }

  /** Where the pointer is on the plane (or null); a new object each move, so views compare identity. */
  setHover(location) {
    const same = location && this.hover && location.x === this.hover.x && location.y === this.hover.y;
    if (same || (!location && !this.hover)) return;
    this.hover = location ? { x: location.x, y: location.y } : null;
  }

  setSetting(key, value, edited = false) {
    if (this.state[key] === value) return;
    this.state[key] = value;
    this.changed('settings', edited);
  }

  // ---- step-through: one iteration, stage by stage ----

  setStepThrough(on) {
    if (on === this.stepThrough) return;
    this.stepThrough = on;
    this.restartStages();
    if (on) this.pause();
    this.revision += 1;
  }

  /** Shows the next stage; the update stage runs the iteration. Turns step-through on. */
  nextStage() {
    this.act();
    if (!this.stepThrough) this.setStepThrough(true);
    this.run(() => {
      this.stage = (this.stage + 1) % STAGES.length;
      const stage = STAGES[this.stage];
      if (stage === 'forward') this.stageGradients = null;
      if (stage === 'backward') this.stageGradients = this.planar.next_gradients();
      if (stage === 'update') {
        this.planar.step(1);
        this.trained();
      }
    });
    this.revision += 1;
  }

  restartStages() {
    this.stage = -1;
    this.stageGradients = null;
  }

  // ---- what persistence relies on ----

  /**
   * Everything the reader made, as a plain JSON-able document (the current
   * version's body). `historyBuckets` bounds the cost history it carries.
   */
  snapshot({ historyBuckets = HISTORY_BUCKETS } = {}) {
    // Copied at once: the calls below may grow wasm memory and detach the views.
    const views = this.points();
    const points = { x: Array.from(views.x), y: Array.from(views.y), label: Array.from(views.label) };
    const held = this.planar.test_count() > 0;
    if (held) points.test = Array.from(views.heldOut);
    return {
      settings: { ...this.state },
      model: architectureOf(this.model),
      points,
      weights: { values: Array.from(this.planar.parameters()) },
      iteration: this.planar.iteration(),
      updates: this.planar.updates(),
      moments: momentsOf(this.planar),
      history: Array.from(this.planar.history_snapshot(historyBuckets)),
      testHistory: held ? Array.from(this.planar.test_history_snapshot(historyBuckets)) : undefined,
      branches: this.branches,
    };
  }

  /**
   * Applies a document like snapshot()'s (or a version-1 document), all or
   * nothing: it is built on a fresh engine that replaces the current one
   * only when every part applied. Throws an Error with a message, changing
   * nothing, otherwise. Settings, model, points and weights may each be
   * missing: settings and model take the tutorial's, points the data set
   * the settings name, weights start from the weight seed.
   */
  restore(given) {
    if (this.failed) throw new Error('the page has stopped');
    if (given === null || typeof given !== 'object') throw new Error('the document must be an object');
    const document = upgradeDocument(given);
    const settings = validateSettings(document.settings ?? {}, defaultSettings({ reducedMotion: this.reducedMotion }));
    const checked = checkModel(document.model ?? DEFAULT_MODEL);
    if (checked.error) throw new Error(checked.error);
    const fresh = buildEngine(this.Planar, { ...document, settings, model: checked.model });
    this.planar.free();
    this.planar = fresh;
    this.refreshModel();
    this.state = settings;
    this.branches = Array.isArray(document.branches) ? document.branches : [];
    this.stepThrough = false;
    this.restartStages();
    this.changed('all');
  }

  /** A second engine holding the run as it is now (its cost history bounded): for showing its past. */
  copyEngine() {
    return buildEngine(this.Planar, this.snapshot({ historyBuckets: 1 }));
  }

  /**
   * Keeps an undo snapshot of the current state, labelled for the undo button
   * ('clear', 'reset', 'start-over', 'dataset', 'network-change',
   * 'weight-edit': the language tables' `undo.<label>` names it).
   */
  beforeDestructive(label) {
    if (this.failed) return;
    this.undoStack.push({ label, document: this.snapshot() });
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    this.emit('destructive', { label });
  }

  canUndo() {
    return this.undoStack.length > 0;
  }

  /** Restores the last undo snapshot; returns its label, or null when there is none. */
  undo() {
    const entry = this.undoStack.pop();
    if (!entry) return null;
    this.restore(entry.document);
    return entry.label;
  }
}
