// The training Worker (driven by train-driver.js): holds a copy of the page's
// engine and trains it while the page plays, off the page's thread.
//
// From the page, in order:
//   {type: 'tables', language, tables}  the page's language tables (this
//       Worker's bundle has none), first
//   {type: 'sync', generation, document, progress}  a new copy: the points,
//       settings and model (built as App.restore builds a document's), going
//       on from the page's progress(); what it trains is posted under this generation
//   {type: 'edit', method, args}  the same engine call the page just made
//   {type: 'credit', iterations}  may train that many more (Infinity: as fast as it
//       can); two seconds without one stop it (the page draws no frames)
//   {type: 'stop'}  trains no more until the next credit
// To the page:
//   {type: 'ready'}  the engine is loaded
//   {type: 'progress', generation, progress, costs, evaluation, classes}
//       about once a frame while training: the progress() reached, the (cost,
//       test cost) pairs of the iterations since the last one, and what
//       evaluating every point there gives (evaluated(), predicted_classes()),
//       so that the page need not evaluate them again (all transferred)
//   {type: 'declined', generation}  this copy cannot go on (a refused progress
//       or edit); it waits for the next sync
//   {type: 'failed', error}  the engine broke (a panic): the Worker is of no more use
import init, { Planar } from './pkg/planar.js';
import { EDITS, buildEngine } from './engine-setup.js';
import { setLanguage, useTables } from './i18n.js';
import { checkModel } from './model.js';

/** Longest a slice of training runs before messages from the page are read. */
const SLICE_MS = 8;
/** Shortest time between two progress messages: about a frame. */
const POST_MS = 15;
/** Iterations per step() call at most, and point-iterations per call at most. */
const CHUNK = 25;
const CHUNK_WORK = 200_000;
/** Most iterations granted ahead, in credits: a slow copy does not run on long after the page stopped granting. */
const CREDIT_AHEAD = 4;
/**
 * A grant lapses this long after the last: the page draws no frames (a
 * hidden tab), so the copy stops, as training on the page's thread would.
 */
const GRANT_MS = 2000;

/** @type {Planar | null} */
let engine = null;
let generation = -1;
let credits = 0;
let grantedAt = 0;
let lastPost = 0;
let scheduled = false;
let broken = false;

// Slices are tasks of their own, so the page's messages are read between them.
const slices = new MessageChannel();
slices.port1.onmessage = () => {
  scheduled = false;
  guarded(slice);
};

function schedule() {
  if (scheduled || broken || !engine || credits <= 0) return;
  scheduled = true;
  slices.port2.postMessage(null);
}

function fail(error) {
  broken = true;
  credits = 0;
  self.postMessage({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

/** Runs `work`; a panic (RuntimeError) ends the Worker's use, any other error declines the current copy. */
function guarded(work, ...args) {
  if (broken) return;
  try {
    work(...args);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      fail(error);
      return;
    }
    engine?.free();
    engine = null;
    credits = 0;
    self.postMessage({ type: 'declined', generation });
  }
}

function post() {
  const costs = engine.take_costs();
  if (costs.length === 0) return;
  const progress = engine.progress();
  const evaluation = engine.evaluated();
  const classes = engine.predicted_classes();
  self.postMessage({
    type: 'progress', generation, progress, costs, evaluation, classes,
  }, { transfer: [progress.buffer, costs.buffer, evaluation.buffer, classes.buffer] });
  lastPost = performance.now();
}

function slice() {
  if (!engine || credits <= 0) return;
  const started = performance.now();
  if (started - grantedAt > GRANT_MS) {
    credits = 0;
    post();
    return;
  }
  const largest = Math.max(1, Math.min(CHUNK, Math.floor(CHUNK_WORK / Math.max(1, engine.point_count()))));
  while (credits > 0 && performance.now() - started < SLICE_MS) {
    const ran = engine.step(Math.min(credits, largest));
    if (ran === 0) credits = 0;
    credits -= ran;
  }
  if (credits <= 0 || performance.now() - lastPost >= POST_MS) post();
  schedule();
}

function sync({ generation: next, document, progress }) {
  engine?.free();
  engine = null;
  generation = next;
  const checked = checkModel(document.model);
  if (checked.error) throw new Error(checked.error);
  const fresh = buildEngine(Planar, { ...document, model: checked.model });
  try {
    fresh.set_progress(progress);
  } catch (error) {
    fresh.free();
    throw error;
  }
  fresh.record_costs(true);
  engine = fresh;
  lastPost = performance.now();
}

/** @param {{ method: string, args: any[] }} message */
function edit({ method, args }) {
  if (!engine) return;
  if (!EDITS.includes(method)) throw new Error(`${method} is not an edit`);
  engine[method](...args);
}

function handle(message) {
  if (message.type === 'tables') {
    useTables(message.tables);
    setLanguage(message.language);
  } else if (message.type === 'sync') guarded(sync, message);
  else if (message.type === 'edit') guarded(edit, message);
  else if (message.type === 'credit') {
    const { iterations } = message;
    credits = Math.min(credits + iterations, iterations * CREDIT_AHEAD);
    grantedAt = performance.now();
  } else if (message.type === 'stop') credits = 0;
  schedule();
}

const ready = init().then(() => {
  self.postMessage({ type: 'ready' });
}, fail);
self.addEventListener('message', ({ data }) => {
  ready.then(() => handle(data));
});
