// Keeps the reader's work across reloads: the whole state (points, settings,
// weights, iteration, cost history) in localStorage, restored on load.
// Storage may be missing, blocked, full or hold anything at all: each case
// gets one notice and the page keeps working.
import {
  FORMAT, VERSION, decodeHash, packPoints, parseDocument, serializeDocument, validateDocument,
} from './formats.js';

export const STATE_KEY = 'planar:state';
/** Where a saved state that could not be read is kept, rather than deleted. */
export const UNREADABLE_KEY = 'planar:state:unreadable';
/** The share link this browser last opened or made (see restoreSaved). */
export const LINK_KEY = 'planar:link';

const SAVE_DELAY_MS = 300;
const NO_POINTS = Object.freeze({ x: [], y: [], label: [] });
const TRAINING_SAVE_INTERVAL_MS = 2000;

/** True when two sets of points hold exactly the same numbers. */
function samePoints(a, b) {
  if (!b || a.x.length !== b.x.length) return false;
  for (let i = 0; i < a.x.length; i++) {
    if (!Object.is(a.x[i], b.x[i]) || !Object.is(a.y[i], b.y[i]) || a.label[i] !== b.label[i]) return false;
  }
  return true;
}

/** localStorage, or null when the browser blocks it (the getter itself may throw). */
function getStorage() {
  try {
    const storage = globalThis.localStorage;
    return storage ?? null;
  } catch {
    return null;
  }
}

function reason(error) {
  return error?.message || error?.name || String(error);
}

/** Reads a key; `{ value }` (null when absent) or `{ error }`. */
function read(key) {
  const storage = getStorage();
  if (!storage) return { error: 'this browser does not allow this page to store data' };
  try {
    return { value: storage.getItem(key) };
  } catch (error) {
    return { error: reason(error) };
  }
}

function isQuotaError(error) {
  return error?.name === 'QuotaExceededError' || error?.name === 'NS_ERROR_DOM_QUOTA_REACHED' || error?.code === 22;
}

/** Writes a key; null on success, else `{ full }` or `{ error }`. */
function write(key, value) {
  const storage = getStorage();
  if (!storage) return { error: 'this browser does not allow this page to store data' };
  try {
    storage.setItem(key, value);
    return null;
  } catch (error) {
    return isQuotaError(error) ? { full: true } : { error: reason(error) };
  }
}

/** The share link remembered by `rememberLink`, or ''. */
export function rememberedLink() {
  return read(LINK_KEY).value ?? '';
}

/** Remembers `hash` as the link this state came from (best effort). */
export function rememberLink(hash) {
  write(LINK_KEY, hash);
}

/** The app's snapshot as a document of the file format (`options` go to app.snapshot). */
export function documentOf(app, options) {
  return { format: FORMAT, version: VERSION, ...app.snapshot(options) };
}

/**
 * A state from elsewhere (a link, a file) starts paused for a reader who
 * asked for less motion, whatever it was doing where it was made.
 */
export function forThisReader(document) {
  const reduced = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)')?.matches;
  return reduced ? { ...document, settings: { ...document.settings, playing: false } } : document;
}

/**
 * Restores a validated document into the app, all or nothing. Returns null,
 * or the error message when the app refused it (nothing changed then).
 */
export function applyDocument(app, document) {
  try {
    app.restore(document);
    return null;
  } catch (error) {
    return reason(error);
  }
}

/**
 * The state to start with. A share link in the address bar wins unless it is
 * the very link this browser last opened or made, so that reloading a page
 * opened from a link keeps the work done since; otherwise the saved state.
 * When a link replaces saved work, that work stays one Undo away.
 * Returns 'link', 'saved' or 'fresh'.
 */
export function restoreSaved(app) {
  const hash = globalThis.location?.hash ?? '';
  const link = hash.length > 1 ? decodeHash(hash) : null;
  const isReload = link?.ok && hash.slice(1) === rememberedLink();
  const restoredSaved = restoreSavedState(app, { quiet: Boolean(link?.ok && !isReload) });
  if (!link || (isReload && restoredSaved)) return restoredSaved ? 'saved' : 'fresh';
  if (!link.ok) {
    app.notify(`The link could not be opened: ${link.error}. ${restoredSaved ? 'Your saved work was restored instead.' : ''}`.trim(), 'error');
    return restoredSaved ? 'saved' : 'fresh';
  }
  if (restoredSaved) app.beforeDestructive('open link');
  const error = applyDocument(app, forThisReader(link.document));
  if (error) {
    app.notify(`The link could not be opened: ${error}`, 'error');
    return restoredSaved ? 'saved' : 'fresh';
  }
  rememberLink(hash.slice(1));
  const extra = link.warnings.length ? ` (${link.warnings.join('; ')})` : '';
  app.notify(`Opened a shared link${extra}.${restoredSaved ? ' Undo brings back what you had before.' : ''}`, 'info');
  return 'link';
}

/** Restores the saved state, if any; true when it did. */
function restoreSavedState(app, { quiet = false } = {}) {
  const saved = read(STATE_KEY);
  if (saved.error) {
    app.notify(`Your work will not be kept across reloads: ${saved.error}.`, 'error');
    return false;
  }
  if (saved.value === null) return false;
  const parsed = parseDocument(saved.value);
  const error = parsed.ok ? applyDocument(app, parsed.document) : parsed.error;
  if (error) {
    // Keep the unreadable value: a newer Planar, or a person, may still read it.
    const keptAside = write(UNREADABLE_KEY, saved.value) === null;
    const where = keptAside ? ` (kept as "${UNREADABLE_KEY}" in this site's storage)` : '';
    app.notify(`The saved state could not be read: ${error}; starting fresh${where}.`, 'error');
    return false;
  }
  if (parsed.warnings.length && !quiet) app.notify(`Restored your work, but ${parsed.warnings.join('; ')}.`, 'info');
  return true;
}

/**
 * Saves the state on every change (debounced), every few seconds while the
 * iteration count moves, and when the page is hidden or left. A full or
 * blocked storage gets one notice, not one per save. Returns `{ saveNow, stop }`.
 */
export function autosave(app) {
  let timer = 0;
  let lastSaved = null;
  let noticeShown = false;

  const noticeOnce = (text) => {
    if (noticeShown) return;
    noticeShown = true;
    app.notify(text, 'error');
  };

  // The iteration count of the last save: training moves it without a 'change'.
  const iteration = () => {
    try {
      return app.planar?.iteration?.() ?? null;
    } catch {
      return null;
    }
  };
  let savedIteration = iteration();

  // The points of the last save, validated and packed: while only training
  // goes on they stay the same, and packing 100 000 of them every few
  // seconds would make the page stutter.
  let packed = { points: null, text: null };

  const saveNow = () => {
    clearTimeout(timer);
    timer = 0;
    let text;
    try {
      const snapshot = documentOf(app);
      const same = samePoints(snapshot.points, packed.points);
      const checked = validateDocument(same ? { ...snapshot, points: NO_POINTS } : snapshot);
      if (!checked.ok) {
        // E.g. weights that overflowed: keep the last good save instead.
        noticeOnce(`Could not save: ${checked.error}. The last saved state is kept.`);
        return false;
      }
      if (!same) packed = { points: snapshot.points, text: packPoints(checked.document.points) };
      text = serializeDocument(checked.document, { compact: true, packedPoints: packed.text });
    } catch (error) {
      noticeOnce(`Could not save: ${reason(error)}.`);
      return false;
    }
    if (text === lastSaved) return true;
    const failure = write(STATE_KEY, text);
    if (failure) {
      noticeOnce(failure.full
        ? 'Could not save: storage is full. Export → JSON keeps a copy of your work.'
        : `Could not save: ${failure.error}.`);
      return false;
    }
    lastSaved = text;
    savedIteration = iteration();
    noticeShown = false;
    return true;
  };

  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(saveNow, SAVE_DELAY_MS);
  };

  const interval = setInterval(() => {
    const now = iteration();
    if (now === savedIteration) return;
    savedIteration = now;
    saveNow();
  }, TRAINING_SAVE_INTERVAL_MS);

  const onHide = () => {
    if (document.visibilityState === 'hidden') saveNow();
  };
  const unsubscribe = app.on('change', saveSoon);
  // What was restored (or opened from a link) before this listened is saved too.
  saveSoon();
  addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', onHide);

  return {
    saveNow,
    stop() {
      unsubscribe?.();
      clearTimeout(timer);
      clearInterval(interval);
      removeEventListener('pagehide', saveNow);
      document.removeEventListener('visibilitychange', onHide);
    },
  };
}
