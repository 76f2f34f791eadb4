// Keeps the reader's work: every tab works on a work of its own, saved in
// IndexedDB (works-db.js) as it changes and restored on reload. The tab
// remembers which work it shows in sessionStorage; a link or an import opens
// as a new work and never overwrites another. Two tabs showing the same work
// hear of each other's saves (BroadcastChannel): a tab without unsaved edits
// follows the other, one with edits keeps them as a new work. No save ever
// replaces a newer save made elsewhere (each save checks the revision it was
// based on). Saves from before works (one slot in localStorage) move over on
// first load. Storage may be missing, blocked or full: the page keeps
// working and a badge says the work is not saved until a save succeeds.
import { Emitter } from './emitter.js';
import {
  FORMAT, VERSION, decodeHash, packPoints, parseDocument, serializeDocument, validateDocument,
} from './formats.js';
import { language, t } from './i18n.js';
import { DATASETS } from './state.js';
import { newWorkId, openWorks } from './works-db.js';

/** The one saved state of earlier versions (localStorage), moved into the works on load. */
export const STATE_KEY = 'planar:state';
/** Where a saved state that could not be read is kept, rather than deleted. */
export const UNREADABLE_KEY = 'planar:state:unreadable';
/** The share link earlier versions remembered (localStorage); removed with the state. */
const OLD_LINK_KEY = 'planar:link';
/** The id a migrated state gets: two tabs migrating at once add it once. */
export const MIGRATED_ID = 'saved-before-works';
/** This tab's work and the link it was opened from (sessionStorage). */
export const TAB_WORK_KEY = 'planar:work';
export const TAB_LINK_KEY = 'planar:link';
const CHANNEL = 'planar:works';
const LOCK_PREFIX = 'planar:work:';

const SAVE_DELAY_MS = 300;
const TRAINING_SAVE_INTERVAL_MS = 2000;
const NO_POINTS = Object.freeze({ x: [], y: [], label: [] });
/** A new work's first name: its data set's, in the page's language (the tables' `work.<dataset>`). */
const datasetWorkName = (dataset) => (DATASETS.includes(dataset) ? t(`work.${dataset}`) : t('work.other'));

function reason(error) {
  return error?.message || error?.name || String(error);
}

/** True when two sets of points hold exactly the same numbers. */
function samePoints(a, b) {
  if (!b || a.x.length !== b.x.length) return false;
  for (let i = 0; i < a.x.length; i++) {
    if (!Object.is(a.x[i], b.x[i]) || !Object.is(a.y[i], b.y[i]) || a.label[i] !== b.label[i]) return false;
  }
  return true;
}

/** A Web Storage area, or null when the browser blocks it (the getter itself may throw). */
function storageArea(name) {
  try {
    return globalThis[name] ?? null;
  } catch {
    return null;
  }
}

function readKey(area, key) {
  try {
    return storageArea(area)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeKey(area, key, value) {
  try {
    const storage = storageArea(area);
    if (!storage) return false;
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
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

/** "Flower, 1 Dec 21:30": a work's first name. */
export function defaultName(first, when = new Date()) {
  const stamp = when.toLocaleString(language(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${first}, ${stamp}`;
}

/**
 * The tab's connection to the saved works. Created by restoreSaved; autosave
 * starts its saving. Events through `on(type, fn)`:
 *   'works'  the list of works may have changed (a save, rename, delete here or elsewhere)
 *   'status' {saved: boolean, reason}  whether the work shown is saved
 */
export class Session extends Emitter {
  constructor(app, store, problem) {
    super();
    this.app = app;
    this.store = store;
    /** Why nothing can be saved (no store), or null. */
    this.problem = problem;
    /** The work shown; null until a fresh tab's first save creates it. */
    this.workId = null;
    this.workName = null;
    /** The stored revision this tab's state is based on (0: not stored yet). */
    this.revision = 0;
    /** Edits since the last save (training alone is not an edit). */
    this.edited = false;
    /** True while this module applies a document, so that its 'change' is not an edit. */
    this.applying = false;
    this.lastText = null;
    this.packed = { points: null, text: null };
    this.savedIteration = null;
    this.saving = null;
    this.saveAgain = false;
    this.status = { saved: !problem, reason: problem };
    this.releaseLock = null;
    this.thumbnail = () => '';
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    this.channel?.addEventListener('message', (event) => this.heard(event.data));
  }

  tell(message) {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel: the other tabs learn on their next save instead.
    }
  }

  setStatus(saved, why = null) {
    if (this.status.saved === saved && this.status.reason === why) return;
    // One notice when saving starts failing; the badge stays while it fails.
    if (!saved && this.status.saved) this.app.notify(t('save.failed', { reason: why }), 'error');
    this.status = { saved, reason: why };
    this.emit('status', this.status);
  }

  /** Makes `id` the work this tab shows (remembered across reloads of the tab). */
  adopt(id, name, revision) {
    if (id !== this.workId) {
      this.releaseLock?.();
      this.releaseLock = holdLock(id);
    }
    this.workId = id;
    this.workName = name;
    this.revision = revision;
    writeKey('sessionStorage', TAB_WORK_KEY, id);
  }

  /** Applies a document as this module's doing (not an edit of the reader's). */
  apply(document) {
    this.applying = true;
    try {
      return applyDocument(this.app, document);
    } finally {
      this.applying = false;
    }
  }

  /**
   * Applies the document of another work: the undo steps of the one shown
   * go with it (they would bring its state into the other work).
   */
  applyNewWork(document) {
    const undo = this.app.undoStack.splice(0);
    const error = this.apply(document);
    if (error) this.app.undoStack.push(...undo);
    return error;
  }

  /** Loads a stored work into the app: null, or an error message (nothing changed then). */
  async openStored(id) {
    if (!this.store) return this.problem;
    const loaded = await this.store.load(id);
    if (loaded.missing) return t('save.missing');
    if (loaded.error || loaded.full) return loaded.error ?? 'the storage could not be read';
    const parsed = parseDocument(loaded.text);
    if (!parsed.ok) return parsed.error;
    const error = this.applyNewWork(parsed.document);
    if (error) return error;
    this.adopt(id, loaded.work.name, loaded.work.revision);
    this.edited = false;
    this.lastText = null;
    this.savedIteration = this.iteration();
    writeKey('sessionStorage', TAB_LINK_KEY, null);
    return null;
  }

  /**
   * Saves what this tab shows, then opens `id` in its place. Returns null or
   * an error message; on error the tab keeps its work.
   */
  async switchTo(id) {
    if (id === this.workId) return null;
    if (this.workId || this.edited || this.iteration() > 0) await this.saveNow();
    const error = await this.openStored(id);
    if (!error) this.emit('works');
    return error;
  }

  /**
   * Opens a document from elsewhere (a link, a file) as a new work, after
   * saving the one shown. Returns null or the app's error message (then
   * nothing changed).
   */
  async openAsNew(document, name) {
    // A new tab's untouched tutorial is not worth a work of its own.
    if (this.workId || this.edited || this.iteration() > 0) await this.saveNow();
    const error = this.applyNewWork(document);
    if (error) return error;
    this.adopt(newWorkId(), name, 0);
    this.edited = true;
    this.lastText = null;
    writeKey('sessionStorage', TAB_LINK_KEY, null);
    this.saveSoon();
    return null;
  }

  /** The engine's iteration count, or null. */
  iteration() {
    try {
      return this.app.planar?.iteration?.() ?? null;
    } catch {
      return null;
    }
  }

  /** The document to save as text, or `{ error }`; reuses the packed points while only training goes on. */
  serialize() {
    try {
      const snapshot = documentOf(this.app);
      const same = samePoints(snapshot.points, this.packed.points);
      const checked = validateDocument(same ? { ...snapshot, points: NO_POINTS } : snapshot);
      if (!checked.ok) return { error: t('save.kept', { error: checked.error }) };
      if (!same) this.packed = { points: snapshot.points, text: packPoints(checked.document.points) };
      return {
        text: serializeDocument(checked.document, { compact: true, packedPoints: this.packed.text, points: snapshot.points }),
        points: snapshot.points.x.length,
        dataset: snapshot.settings.dataset,
      };
    } catch (error) {
      return { error: reason(error) };
    }
  }

  /** Saves now; resolves to true when what the tab shows is saved. Saves run one at a time. */
  saveNow() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.saving) {
      this.saveAgain = true;
      return this.saving;
    }
    this.saving = this.saveOnce().finally(() => {
      this.saving = null;
    }).then((saved) => {
      if (!this.saveAgain) return saved;
      this.saveAgain = false;
      return this.saveNow();
    });
    return this.saving;
  }

  saveSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  async saveOnce() {
    if (!this.store) {
      this.setStatus(false, this.problem);
      return false;
    }
    const edited = this.edited;
    const iteration = this.iteration();
    const serialized = this.serialize();
    if (serialized.error) {
      this.setStatus(false, serialized.error);
      return false;
    }
    if (serialized.text === this.lastText && this.workId) {
      this.edited = false;
      return true;
    }
    const id = this.workId ?? newWorkId();
    const name = this.workName ?? defaultName(datasetWorkName(serialized.dataset));
    let thumbnail;
    try {
      thumbnail = this.thumbnail();
    } catch {
      thumbnail = undefined;
    }
    const result = await this.store.save(this.workId ? this.revision : 0, {
      id, name, text: serialized.text, points: serialized.points, thumbnail,
    });
    if (result.conflict) {
      await this.conflict(result.conflict, edited);
      return false;
    }
    if (result.full || result.error) {
      this.setStatus(false, result.full ? 'the storage is full' : result.error);
      return false;
    }
    if (this.workId !== id) this.adopt(id, name, result.work.revision);
    else this.revision = result.work.revision;
    this.lastText = serialized.text;
    this.savedIteration = iteration;
    // Edits made while this save ran are saved by the next one.
    if (edited) this.edited = this.changedDuringSave ?? false;
    this.changedDuringSave = false;
    this.setStatus(true);
    this.tell({ type: 'saved', id, revision: result.work.revision });
    this.emit('works');
    return true;
  }

  /**
   * The stored work is newer than the state this tab's is based on: another
   * tab saved it. Edits of this tab become a new work; without edits, this
   * tab follows the stored version.
   */
  async conflict(stored, edited) {
    if (edited || this.edited) {
      const name = `${this.workName ?? stored.name} (copy)`;
      const oldName = this.workName ?? stored.name;
      this.releaseLock?.();
      this.releaseLock = null;
      this.workId = null;
      this.workName = name;
      this.revision = 0;
      this.edited = true;
      this.lastText = null;
      const saved = await this.saveOnce();
      this.app.notify(t(saved ? 'save.conflict' : 'save.conflict-unsaved', { old: oldName, name }), 'info');
      return;
    }
    await this.follow(stored.id);
  }

  /** Shows the stored version of this tab's work (saved by another tab), paused. */
  async follow(id) {
    if (!this.store) return;
    const loaded = await this.store.load(id);
    if (loaded.missing || loaded.error || loaded.full || id !== this.workId) return;
    if (loaded.work.revision <= this.revision) return;
    const parsed = parseDocument(loaded.text);
    if (!parsed.ok) return;
    const document = { ...parsed.document, settings: { ...parsed.document.settings, playing: false } };
    const error = this.apply(document);
    if (error) return;
    this.revision = loaded.work.revision;
    this.workName = loaded.work.name;
    this.lastText = null;
    this.edited = false;
    this.savedIteration = this.iteration();
    this.app.notify(t('save.followed'), 'info');
    this.emit('works');
  }

  /** A message from another tab. */
  heard(message) {
    if (!message || typeof message !== 'object') return;
    if (message.type === 'saved' && message.id === this.workId && message.revision > this.revision) {
      if (this.edited) this.saveNow();
      else this.follow(message.id);
    }
    this.emit('works');
  }

  /** Renames a work (here or in another tab); null or an error message. */
  async rename(id, name) {
    const trimmed = String(name).trim().slice(0, 120);
    if (!trimmed) return t('save.empty-name');
    const result = await this.store?.rename(id, trimmed);
    if (!result || result.error || result.full || result.missing) return result?.error ?? 'it is no longer saved';
    if (id === this.workId) this.workName = trimmed;
    this.tell({ type: 'renamed', id });
    this.emit('works');
    return null;
  }

  async remove(id) {
    const result = await this.store?.remove(id);
    if (!result || result.error || result.full || result.missing) return result?.error ?? 'it is no longer saved';
    this.tell({ type: 'deleted', id });
    this.emit('works');
    return null;
  }

  async undelete(id) {
    const result = await this.store?.undelete(id);
    if (!result || result.error || result.full || result.missing) return result?.error ?? 'it is no longer saved';
    this.tell({ type: 'restored', id });
    this.emit('works');
    return null;
  }

  async list() {
    if (!this.store) return { works: [], error: this.problem };
    return this.store.list();
  }
}

/**
 * Holds a shared lock named after the work while the tab shows it, so that
 * a new tab can tell which works are open elsewhere. Returns the release.
 */
function holdLock(id) {
  const locks = globalThis.navigator?.locks;
  if (!locks || !id) return null;
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  locks.request(`${LOCK_PREFIX}${id}`, { mode: 'shared' }, () => held).catch(() => {});
  return release;
}

/** The ids of the works some tab shows, or null when the browser cannot tell. */
async function openElsewhere() {
  const locks = globalThis.navigator?.locks;
  if (!locks?.query) return null;
  try {
    const { held = [] } = await locks.query();
    return new Set(held.filter((lock) => lock.name?.startsWith(LOCK_PREFIX)).map((lock) => lock.name.slice(LOCK_PREFIX.length)));
  } catch {
    return null;
  }
}

/**
 * Moves the state saved by earlier versions (one slot in localStorage) into
 * the works, once; an unreadable one is set aside under UNREADABLE_KEY.
 */
async function migrate(app, store) {
  const text = readKey('localStorage', STATE_KEY);
  if (text === null) return;
  const parsed = parseDocument(text);
  if (!parsed.ok) {
    // Keep the unreadable value: a newer Planar, or a person, may still read it.
    const keptAside = writeKey('localStorage', UNREADABLE_KEY, text);
    if (keptAside) writeKey('localStorage', STATE_KEY, null);
    app.notify(t(keptAside ? 'save.unreadable-kept' : 'save.unreadable', { error: parsed.error, key: UNREADABLE_KEY }), 'error');
    return;
  }
  const name = defaultName(datasetWorkName(parsed.document.settings.dataset), new Date());
  const added = await store.addIfAbsent({ id: MIGRATED_ID, name: t('work.migrated', { name }), text, points: parsed.document.points.x.length });
  // Removed only once the works hold it.
  if (!added.error && !added.full) {
    writeKey('localStorage', STATE_KEY, null);
    writeKey('localStorage', OLD_LINK_KEY, null);
  }
}

/**
 * Opens the works and restores what this tab should show: a share link in
 * the address bar as a new work (unless this tab opened that very link
 * before, then the work it became), else the tab's own work, else for a new
 * tab the most recent work no other tab shows, else the tutorial. Returns the
 * Session.
 */
export async function restoreSaved(app) {
  const opened = await openWorks();
  const session = new Session(app, opened.store ?? null, opened.error ?? null);
  if (opened.error) app.notify(t('save.unavailable', { error: opened.error }), 'error');
  const store = session.store;
  if (store) {
    await migrate(app, store);
    store.purge();
  }

  const hash = globalThis.location?.hash ?? '';
  const tabWork = readKey('sessionStorage', TAB_WORK_KEY);
  const link = hash.length > 1 ? hash.slice(1) : null;

  if (link && link === readKey('sessionStorage', TAB_LINK_KEY) && tabWork && !(await session.openStored(tabWork))) {
    writeKey('sessionStorage', TAB_LINK_KEY, link);
    return session;
  }
  const decoded = link ? decodeHash(link) : null;
  let restored = false;
  if (tabWork && store) restored = !(await session.openStored(tabWork));
  // A new tab opened on a link shows the link; on anything else, the latest work.
  if (!restored && store && !decoded?.ok) restored = await openMostRecent(session);

  if (decoded) {
    if (!decoded.ok) {
      app.notify(t(restored ? 'link.failed-restored' : 'link.failed', { error: decoded.error }), 'error');
      return session;
    }
    const others = store ? (await store.list()).works?.length ?? 0 : 0;
    const error = await session.openAsNew(forThisReader(decoded.document), defaultName(t('work.shared-link')));
    if (error) {
      app.notify(t('link.failed', { error }), 'error');
      return session;
    }
    writeKey('sessionStorage', TAB_LINK_KEY, link);
    const extra = decoded.warnings.length ? ` (${decoded.warnings.join('; ')})` : '';
    app.notify(t(others ? 'link.opened-others' : 'link.opened-first', { extra }), decoded.warnings.length ? 'error' : 'info');
  }
  return session;
}

/** Opens the most recently changed work that no other tab shows; true when it did. */
async function openMostRecent(session) {
  const listed = await session.store.list();
  if (!listed.works?.length) return false;
  const busy = await openElsewhere();
  for (const work of listed.works) {
    if (busy?.has(work.id)) continue;
    if (!(await session.openStored(work.id))) return true;
  }
  return false;
}

/**
 * Saves on every change (debounced), every few seconds while the iteration
 * count moves, and when the page is hidden or left. Returns `{ saveNow, stop }`.
 */
export function autosave(app, session) {
  session.savedIteration = session.iteration();
  const interval = setInterval(() => {
    const now = session.iteration();
    if (now === session.savedIteration) return;
    session.saveNow();
  }, TRAINING_SAVE_INTERVAL_MS);

  const onChange = () => {
    if (session.applying) return;
    session.edited = true;
    if (session.saving) session.changedDuringSave = true;
    session.saveSoon();
  };
  const onHide = () => {
    if (document.visibilityState === 'hidden') session.saveNow();
  };
  const onLeave = () => session.saveNow();
  const unsubscribe = app.on('change', onChange);
  // What was opened from a link before this listened is saved too; a fresh
  // tab's tutorial only once something happens to it.
  if (session.edited) session.saveSoon();
  addEventListener('pagehide', onLeave);
  document.addEventListener('visibilitychange', onHide);

  return {
    saveNow: () => session.saveNow(),
    stop() {
      unsubscribe?.();
      clearTimeout(session.timer);
      clearInterval(interval);
      removeEventListener('pagehide', onLeave);
      document.removeEventListener('visibilitychange', onHide);
    },
  };
}
