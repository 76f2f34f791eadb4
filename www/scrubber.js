// The history scrubber under the cost chart (#scrubber, a range over the
// iterations since the timeline's start): dragging it back pauses training
// and shows the network as it was at that iteration. The run itself stays
// as it is: the past is a second engine (app.copyEngine()) taken to the
// nearest snapshot of the timeline (timeline.js) and replayed from there,
// exactly, a frame's budget at a time (app.past: the views draw
// app.shown). Going back to the end shows the run again.
//
// From the past the reader can branch: play, a step, a setting of training
// or the network, or a weight edit (the app's 'act', or 'destructive' for
// the network and weights) takes the run back to the shown iteration first,
// with the settings of training it had then (set_progress, cut_history);
// the run left behind is kept (branches.js). Anything else (points, a
// reset, a document opened) shows the run again and starts the timeline
// from there.

import { applyTraining } from './engine-setup.js';
import { keepCurrent } from './branches.js';
import { onLanguage, t } from './i18n.js';
import { TRAINING_KEYS } from './state.js';
import { Timeline } from './timeline.js';

/** Longest a frame spends replaying toward the shown iteration. */
const REPLAY_BUDGET_MS = 12;
/** Point-iterations between clock checks at most while replaying. */
const CHUNK_WORK = 200_000;
/** The settings a replay trains under: a snapshot's. */
const REPLAYED_KEYS = ['learningRate', ...TRAINING_KEYS];
/** Destructive actions that branch from a shown past rather than leave it. */
const BRANCHING = new Set(['network-change', 'weight-edit']);

/** The settings of training in `state`, as a frozen object. */
const trainingOf = (state) => Object.freeze(Object.fromEntries(REPLAYED_KEYS.map((key) => [key, state[key]])));
const same = (a, b) => REPLAYED_KEYS.every((key) => a[key] === b[key]);

export function mountScrubber(elements, app) {
  return new Scrubber(elements, app);
}

class Scrubber {
  constructor({ input, status, now }, app) {
    this.app = app;
    this.input = input;
    this.status = status;
    this.now = now;
    this.timeline = new Timeline();
    /** The run's settings of training; a new object (and a mark in the timeline) when they change. */
    this.training = trainingOf(app.state);
    this.timeline.restart(app.planar, this.training);
    /** The iteration the reader scrubbed to while it is shown, else null. */
    this.target = null;
    /** The settings the past engine trains under. */
    this.pastTraining = null;
    /** True while a branch applies its settings: their 'change' is no change of the timeline. */
    this.branching = false;
    /** What show() last wrote, so that a frame writes only what changed. */
    this.shownText = null;
    this.shownMax = -1;

    input.addEventListener('input', () => this.scrubTo(Number(input.value)));
    now.addEventListener('click', () => {
      this.leave();
      input.focus();
    });
    app.on('trained', () => {
      this.timeline.record(app.planar, this.training);
      // The range reaches the new iteration at once, not only at the next frame.
      this.show();
    });
    app.on('act', () => this.branch());
    app.on('destructive', ({ label }) => {
      if (BRANCHING.has(label)) this.branch();
      else this.leave();
    });
    app.on('change', ({ what }) => this.changed(what));
    app.on('frame', () => {
      if (this.target !== null) this.replay();
      this.show();
    });
    onLanguage(() => {
      this.shownText = null;
      this.show();
    });
    this.show();
  }

  /** After a change of the run: a new stretch of settings, or (points, weights, a document) a new timeline. */
  changed(what) {
    if (what === 'branches' || this.branching) return;
    const { app } = this;
    const settings = trainingOf(app.state);
    if (what === 'settings') {
      // The display's own settings reach the shown past too.
      app.past?.set_discrete(app.state.discrete);
      if (same(settings, this.training)) return;
      this.training = settings;
      this.leave();
      this.timeline.mark(app.planar, settings);
      return;
    }
    this.training = settings;
    this.leave();
    this.timeline.restart(app.planar, settings);
  }

  /** Shows iteration `iteration` of the run (the run itself at its last one). */
  scrubTo(iteration) {
    const { app, timeline } = this;
    const end = app.planar.iteration();
    const wanted = Math.max(timeline.start, Math.min(end, Math.round(iteration)));
    if (!Number.isFinite(wanted) || wanted >= end) {
      this.leave();
      return;
    }
    app.pause();
    if (app.stepThrough) app.setStepThrough(false);
    if (!app.past) {
      app.past = app.run(() => app.copyEngine()) ?? null;
      this.pastTraining = this.training;
    }
    const past = app.past;
    if (!past) return;
    // From before the iteration when there is one: a step to it leaves the gradients a fresh run has there.
    const from = timeline.nearest(wanted > timeline.start ? wanted - 1 : wanted);
    const at = past.iteration();
    // Replays on from where the past is when that is on the way, else from the snapshot.
    if (!(at <= wanted && at >= from.iteration && this.pastTraining === from.settings)) {
      app.run(() => {
        if (this.pastTraining !== from.settings) {
          past.set_learning_rate(from.settings.learningRate);
          applyTraining(past, from.settings);
          this.pastTraining = from.settings;
        }
        past.set_progress(from.progress);
      });
    }
    this.target = wanted;
    this.replay();
  }

  /** Steps the past toward the target within the frame's budget. */
  replay() {
    const { app, target } = this;
    const past = app.past;
    if (!past || target === null) return;
    const started = performance.now();
    const largest = Math.max(1, Math.min(64, Math.floor(CHUNK_WORK / Math.max(1, past.point_count()))));
    app.run(() => {
      while (past.iteration() < target && performance.now() - started < REPLAY_BUDGET_MS) {
        if (past.step(Math.min(largest, target - past.iteration())) === 0) break;
      }
    });
    app.invalidate();
  }

  /** Shows the run again, dropping the past. */
  leave() {
    const { app } = this;
    const past = app.past;
    if (!past) return;
    app.past = null;
    this.target = null;
    past.free();
    app.invalidate();
    this.show();
  }

  /**
   * The run goes on from the shown past: it is taken back there, with the
   * settings of training it had then (the run left behind is kept among the
   * runs), and the action that asked goes on.
   */
  branch() {
    const { app } = this;
    const past = app.past;
    const at = this.target;
    if (!past || at === null) return;
    const settings = this.pastTraining;
    const progress = app.run(() => {
      while (past.iteration() < at && past.step(Math.min(1000, at - past.iteration())) > 0);
      return past.progress();
    });
    if (!progress) return;
    keepCurrent(app);
    this.leave();
    this.branching = true;
    try {
      // The settings first: a different optimizer starts from fresh moments, which the progress then replaces.
      if (settings.learningRate !== app.state.learningRate) app.setLearningRate(settings.learningRate);
      for (const key of TRAINING_KEYS) {
        if (settings[key] !== app.state[key]) app.setTraining(key, settings[key]);
      }
      app.run(() => {
        app.planar.set_progress(progress);
        app.planar.cut_history();
      });
    } finally {
      this.branching = false;
    }
    this.training = trainingOf(app.state);
    this.timeline.mark(app.planar, this.training);
    app.restartStages();
    app.changed('branches');
  }

  /** The range, its value's words, Back to now and the status line, as the run and the past are. */
  show() {
    const {
      app, input, now, status, target,
    } = this;
    const end = app.planar.iteration();
    const start = this.timeline.start;
    const value = target ?? end;
    if (this.shownMax !== end || Number(input.min) !== start) {
      input.min = String(start);
      input.max = String(end);
      this.shownMax = end;
    }
    if (Number(input.value) !== value) input.value = String(value);
    input.disabled = end <= start;
    const valueText = t('scrub.value', { iteration: value, end });
    if (input.getAttribute('aria-valuetext') !== valueText) input.setAttribute('aria-valuetext', valueText);
    if (now.hidden !== (target === null)) now.hidden = target === null;
    const replaying = app.past !== null && app.past.iteration() !== target;
    const text = target === null ? t('scrub.hint')
      : replaying ? t('scrub.replaying', { iteration: target })
        : t('scrub.showing', { iteration: target, end });
    if (text !== this.shownText) {
      status.textContent = text;
      this.shownText = text;
    }
    status.dataset.ready = String(!replaying);
  }
}
