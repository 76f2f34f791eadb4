// The saved works, in IndexedDB: a list of works, each with its own id, name,
// times, a revision counter and a small thumbnail ("works"), and the saved
// document itself, kept apart so that listing the works stays cheap
// ("documents"). Every call resolves; failures come back as `{ error }` or
// `{ full: true }`, never as a rejection.

import { t } from './i18n.js';

const DB_NAME = 'planar';
const DB_VERSION = 1;
const WORKS = 'works';
const DOCUMENTS = 'documents';
/** A deleted work can be brought back this long; after it, it is purged. */
export const DELETED_KEPT_MS = 24 * 60 * 60 * 1000;

function reason(error) {
  return error?.message || error?.name || String(error);
}

export function isQuotaError(error) {
  return error?.name === 'QuotaExceededError' || error?.name === 'NS_ERROR_DOM_QUOTA_REACHED' || error?.code === 22;
}

const failure = (error) => (isQuotaError(error) ? { full: true } : { error: reason(error) });

/** A fresh, unguessable id for a work. */
export function newWorkId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The result of a request, as a promise. */
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction commits, rejects when it fails or aborts. */
function done(tx) {
  const committed = new Promise(/** @param {(value?: undefined) => void} resolve */ (resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('The save was aborted.', 'AbortError'));
  });
  // A call that failed before awaiting it must not leave an unhandled rejection.
  committed.catch(() => {});
  return committed;
}

/**
 * Opens the store: `{ store }` or `{ error }` (no IndexedDB, blocked by the
 * browser's settings, or an upgrade that failed).
 */
export async function openWorks() {
  try {
    // The getter itself throws where the browser blocks storage.
    const factory = globalThis.indexedDB;
    if (!factory) return { error: t('err.no-storage') };
    const req = factory.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(WORKS)) db.createObjectStore(WORKS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(DOCUMENTS)) db.createObjectStore(DOCUMENTS, { keyPath: 'id' });
    };
    const db = await request(req);
    // Another tab with a newer Planar wants to upgrade: let it.
    db.onversionchange = () => db.close();
    return { store: new WorkStore(db) };
  } catch (error) {
    return { error: reason(error) };
  }
}

class WorkStore {
  constructor(db) {
    this.db = db;
  }

  /** The works not deleted, most recently changed first; `{ works }` or `{ error }`. */
  async list() {
    try {
      const tx = this.db.transaction(WORKS, 'readonly');
      const all = await request(tx.objectStore(WORKS).getAll());
      const works = all.filter((work) => !work.deleted).sort((a, b) => b.updated - a.updated);
      return { works };
    } catch (error) {
      return failure(error);
    }
  }

  /** One work and its document text: `{ work, text }`, `{ missing: true }` or `{ error }`. */
  async load(id) {
    try {
      const tx = this.db.transaction([WORKS, DOCUMENTS], 'readonly');
      const [work, document] = await Promise.all([
        request(tx.objectStore(WORKS).get(id)),
        request(tx.objectStore(DOCUMENTS).get(id)),
      ]);
      if (!work || !document || work.deleted) return { missing: true };
      return { work, text: document.text };
    } catch (error) {
      return failure(error);
    }
  }

  /**
   * Saves a work's document when the stored revision is still `base` (0 for
   * a work not stored yet), as revision base + 1; otherwise changes nothing
   * and returns `{ conflict: work }` with the stored, newer work. Returns
   * `{ work }` on success, or `{ full }` / `{ error }`.
   * `fields`: { id, name, text, points, thumbnail }.
   */
  async save(base, fields) {
    try {
      const tx = this.db.transaction([WORKS, DOCUMENTS], 'readwrite');
      const works = tx.objectStore(WORKS);
      const committed = done(tx);
      const stored = await request(works.get(fields.id));
      const storedRevision = stored && !stored.deleted ? stored.revision : 0;
      if (stored && !stored.deleted && storedRevision !== base) {
        tx.abort();
        await committed.catch(() => {});
        return { conflict: stored };
      }
      const now = Date.now();
      const work = {
        id: fields.id,
        name: fields.name ?? stored?.name ?? 'Untitled',
        created: stored && !stored.deleted ? stored.created : now,
        updated: now,
        revision: Math.max(base, storedRevision, stored?.revision ?? 0) + 1,
        points: fields.points,
        thumbnail: fields.thumbnail ?? stored?.thumbnail ?? '',
      };
      works.put(work);
      tx.objectStore(DOCUMENTS).put({ id: fields.id, text: fields.text });
      await committed;
      return { work };
    } catch (error) {
      return failure(error);
    }
  }

  /** Adds a work only when no work has its id (a migration run by two tabs at once adds it once). */
  async addIfAbsent(fields) {
    try {
      const tx = this.db.transaction([WORKS, DOCUMENTS], 'readwrite');
      const committed = done(tx);
      const stored = await request(tx.objectStore(WORKS).get(fields.id));
      if (stored) {
        await committed;
        return { added: false };
      }
      const now = Date.now();
      tx.objectStore(WORKS).put({
        id: fields.id, name: fields.name, created: now, updated: now, revision: 1, points: fields.points, thumbnail: '',
      });
      tx.objectStore(DOCUMENTS).put({ id: fields.id, text: fields.text });
      await committed;
      return { added: true };
    } catch (error) {
      return failure(error);
    }
  }

  /** Changes one work's record (not its document or revision): `{ work }`, `{ missing }` or `{ error }`. */
  async update(id, change) {
    try {
      const tx = this.db.transaction(WORKS, 'readwrite');
      const committed = done(tx);
      const works = tx.objectStore(WORKS);
      const stored = await request(works.get(id));
      if (!stored) {
        await committed;
        return { missing: true };
      }
      const work = change({ ...stored });
      works.put(work);
      await committed;
      return { work };
    } catch (error) {
      return failure(error);
    }
  }

  rename(id, name) {
    return this.update(id, (work) => ({ ...work, name }));
  }

  /** Deletes a work so that `undelete` can still bring it back (see purge). */
  remove(id) {
    return this.update(id, (work) => ({ ...work, deleted: Date.now() }));
  }

  undelete(id) {
    return this.update(id, (work) => {
      const { deleted: _, ...kept } = work;
      return kept;
    });
  }

  /** Really deletes the works deleted more than `age` ms ago. */
  async purge(age = DELETED_KEPT_MS) {
    try {
      const tx = this.db.transaction([WORKS, DOCUMENTS], 'readwrite');
      const committed = done(tx);
      const all = await request(tx.objectStore(WORKS).getAll());
      const cutoff = Date.now() - age;
      for (const work of all) {
        if (work.deleted && work.deleted < cutoff) {
          tx.objectStore(WORKS).delete(work.id);
          tx.objectStore(DOCUMENTS).delete(work.id);
        }
      }
      await committed;
      return {};
    } catch (error) {
      return failure(error);
    }
  }
}
