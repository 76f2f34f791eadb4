// Training in a dedicated Worker (train-worker.js), driven from the app's
// frame loop (app.trainer). The app's engine stays the authority: every
// edit, setting, step, undo and import applies to it at once, as without the
// Worker, and every view draws from it. The Worker holds a copy that only
// trains: it is sent what it needs to mirror the app's engine (a 'sync',
// tagged with a generation number, or the same engine call for an edit the
// run goes on after), trains while the page plays, and posts its progress and
// the costs of its iterations; each frame the app takes those of the current
// generation (apply_progress) and drops the rest. Anything else that changes
// the app's engine starts a new generation, so no progress made on an older
// copy ever lands. When no Worker can run (it fails to start or load, or it
// crashes), a message says so and training goes on here: nothing is lost,
// since the app's engine holds everything.
import { EDITS } from './engine-setup.js';
import { LANGUAGES, language, t } from './i18n.js';
import { architectureOf } from './model.js';
import { LIMITS } from './state.js';

/** The Worker's copy of the app's engine: the points, settings and model, and the progress to go on from. */
function mirrorOf(app) {
  // Copies of the views first: progress() may grow wasm memory and detach them.
  const views = app.points();
  const points = {
    x: views.x.slice(), y: views.y.slice(), label: views.label.slice(), test: views.heldOut.slice(),
  };
  const { planar } = app;
  const settings = { ...app.state, weightSeed: planar.seed(), learningRate: planar.learning_rate() };
  const progress = planar.progress();
  return {
    document: { settings, model: architectureOf(app.model), points },
    progress,
    transfer: [points.x.buffer, points.y.buffer, points.label.buffer, points.test.buffer, progress.buffer],
  };
}

const describe = (error) => (error instanceof Error ? error.message : String(error ?? ''));

export class TrainingWorker {
  /** @param {ReturnType<typeof import('./app.js').createApp>} app */
  constructor(app) {
    this.app = app;
    /** 'starting' until the Worker's engine is loaded, then 'ready'; 'dead' once it failed. */
    this.status = 'starting';
    /** Bumped whenever the Worker's copy stops being one the app can take progress from. */
    this.generation = 0;
    /** The app's engine changed in a way the Worker was not told of: a new generation at the next frame. */
    this.dirty = true;
    /** The Worker was sent the current generation's copy. */
    this.synced = false;
    /** The Worker was granted iterations and not stopped since. */
    this.running = false;
    /** The Worker's copy could not take the run (it refused it, or its progress was refused): train here until the next change. */
    this.declined = false;
    /** Progress messages of the current generation, in the order they came. */
    this.inbox = [];
    /** Set while the app's 'trained' comes from training this driver did or took. */
    this.own = false;
    this.worker = null;
    app.on('change', ({ edited }) => {
      if (!edited) this.dirty = true;
    });
    app.on('trained', () => {
      if (!this.own) this.dirty = true;
    });
    app.on('edit', ({ method, args }) => this.forward(method, args));
    app.on('fatal', () => this.worker?.terminate());
    try {
      this.worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
    } catch (error) {
      this.die(error);
      return;
    }
    // The Worker's texts (in its errors) come from the page's tables: its
    // bundle has none (vite.config.js).
    this.worker.postMessage({ type: 'tables', language: language(), tables: LANGUAGES });
    this.worker.addEventListener('message', ({ data }) => this.receive(data));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.die(event.message || t('worker.no-start'));
    });
    this.worker.addEventListener('messageerror', () => this.die(t('worker.no-start')));
  }

  receive(data) {
    if (this.status === 'dead') return;
    if (data.type === 'ready') {
      this.status = 'ready';
      this.dirty = true;
    } else if (data.type === 'progress') {
      if (data.generation === this.generation) this.inbox.push(data);
    } else if (data.type === 'declined') {
      if (data.generation === this.generation) this.declined = true;
    } else if (data.type === 'failed') {
      this.die(data.error);
    }
  }

  /** The Worker stopped for good: says so, and the app trains here from now on. */
  die(error) {
    if (this.status === 'dead') return;
    this.status = 'dead';
    this.inbox = [];
    this.worker?.terminate();
    console.warn('The training worker stopped:', error);
    this.app.notify(t('worker.failed', { error: describe(error) || t('worker.no-start') }), 'error');
  }

  post(message, transfer = []) {
    this.worker.postMessage(message, transfer);
  }

  /** An engine call the app just made ('edit'): the Worker repeats it when its copy is current. */
  forward(method, args) {
    if (this.status === 'ready' && this.synced && !this.dirty && !this.declined && EDITS.includes(method)) {
      this.post({ type: 'edit', method, args });
    } else {
      this.dirty = true;
    }
  }

  /** The frame loop's training: takes the Worker's progress, then keeps it (or this page) training while `playing`. */
  frame(playing) {
    const { app } = this;
    if (this.status === 'dead') {
      if (playing) app.train(app.state.speed);
      return;
    }
    if (this.dirty) {
      this.dirty = false;
      this.declined = false;
      this.newGeneration();
    }
    this.takeProgress();
    if (!playing || this.status !== 'ready' || this.declined) {
      this.stop();
      if (playing) this.trainHere();
      return;
    }
    if (!this.synced) {
      const { document, progress, transfer } = mirrorOf(app);
      this.post({
        type: 'sync', generation: this.generation, document, progress,
      }, transfer);
      this.synced = true;
    }
    const fastest = app.state.speed >= LIMITS.speed[1];
    this.post({ type: 'credit', iterations: fastest ? Infinity : app.state.speed });
    this.running = true;
  }

  /** Whatever the Worker's copy did from here on is dropped; it is sent a new copy before it trains again. */
  newGeneration() {
    this.generation += 1;
    this.inbox = [];
    this.synced = false;
  }

  stop() {
    if (!this.running) return;
    this.running = false;
    this.post({ type: 'stop' });
    this.newGeneration();
  }

  trainHere() {
    this.own = true;
    try {
      this.app.train(this.app.state.speed);
    } finally {
      this.own = false;
    }
  }

  /** Adds the Worker's iterations of the current generation to the app's run, in order. */
  takeProgress() {
    if (this.inbox.length === 0) return;
    const messages = this.inbox;
    this.inbox = [];
    let taken = 0;
    for (const { progress, costs } of messages) {
      let applied;
      try {
        applied = this.app.planar.apply_progress(progress, costs);
      } catch (error) {
        // A panic is the app's engine breaking (fatal, in the frame loop);
        // a refused progress (weights gone infinite) is trained here instead.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        this.declined = true;
        break;
      }
      if (!applied) {
        this.dirty = true;
        break;
      }
      taken += 1;
    }
    if (taken === 0) return;
    // The Worker evaluated every point at the progress it reached: the
    // readouts and the plot take that instead of a pass over every point on
    // this thread each frame (with 100 000 points, most of a frame).
    const { evaluation, classes } = messages[taken - 1];
    if (evaluation && classes) this.app.planar.adopt_evaluation(evaluation, classes);
    this.own = true;
    try {
      this.app.trained();
    } finally {
      this.own = false;
    }
  }
}

/** Starts training in a Worker for `app`; the app trains here while the Worker loads, and for good if it fails. */
export function startTrainingWorker(app) {
  app.trainer = new TrainingWorker(app);
  return app.trainer;
}
