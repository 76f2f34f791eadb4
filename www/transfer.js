// Moving work in and out of the page: Export (JSON document, CSV of points,
// PNG of the plot), Import (a file chosen or dropped anywhere), the share
// link (#share, and opening a link pasted while the page is open) and Undo.
// Every failure is a message naming the problem, and changes nothing.
// User data only ever reaches the DOM as textContent or an input's value.
import { element } from './dom.js';
import { readFile } from './file-reader.js';
import { LANGUAGES, language, onLanguage, t } from './i18n.js';
import {
  LINK_HISTORY_BUCKETS, decodeHash, encodeHash, errorMessage, pointsToCsv, serializeDocument, validateDocument,
} from './formats.js';
import { TAB_LINK_KEY, defaultName, documentOf, forThisReader } from './storage.js';

const URL_LIFETIME_MS = 60_000;

/** Remembers that this tab shows the state of `hash`, so that reloading it keeps the tab's work. */
function rememberLink(hash) {
  try {
    sessionStorage.setItem(TAB_LINK_KEY, hash);
  } catch {
    // Without sessionStorage a reload opens the link again, as a new work.
  }
}

/** `session`: the tab's saved work (storage.js Session). */
export function setupTransfer(app, session) {
  setupExport(app);
  setupImport(app, session);
  setupShare(app);
  setupUndo(app);

  // A link pasted into the address bar of the open page: a new work.
  addEventListener('hashchange', async () => {
    const hash = location.hash;
    if (hash.length <= 1) return;
    const link = decodeHash(hash);
    if (!link.ok) {
      app.notify(t('link.failed', { error: link.error }), 'error');
      return;
    }
    const error = await session.openAsNew(forThisReader(link.document), defaultName(t('work.shared-link')));
    if (error) {
      app.notify(t('link.failed', { error }), 'error');
      return;
    }
    rememberLink(hash.slice(1));
    const extra = link.warnings.length ? ` (${link.warnings.join('; ')})` : '';
    app.notify(t('link.opened', { extra }), link.warnings.length ? 'error' : 'info');
  });

  // Once the reader changes something, the link in the address bar no longer
  // describes the page: drop it, so that a copied URL or a reload cannot
  // bring back the old state instead of the saved one. Opening a link (or
  // following another tab) fires 'change' too, but is not such a change.
  app.on('change', () => {
    if (session.applying || location.hash.length <= 1) return;
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  });
}

// ---------------------------------------------------------------------------
// Export

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
}

function baseName(app) {
  const { dataset } = app.state ?? {};
  const iteration = app.planar?.iteration?.() ?? 0;
  return t('file.name', { dataset: t(`short.${dataset ?? 'empty'}`), iteration: String(iteration) });
}

function setupExport(app) {
  const group = document.getElementById('export');
  group?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-format]') : null;
    if (!(button instanceof HTMLElement)) return;
    try {
      exportAs(app, button.dataset.format);
    } catch (error) {
      app.notify(t('export.failed', { error: errorMessage(error) }), 'error');
    }
  });
}

function exportAs(app, format) {
  if (format === 'json') {
    const checked = validateDocument(documentOf(app));
    if (!checked.ok) {
      app.notify(t('export.failed', { error: checked.error }), 'error');
      return;
    }
    download(new Blob([serializeDocument(checked.document)], { type: 'application/json' }), `${baseName(app)}.json`);
  } else if (format === 'csv') {
    download(new Blob([pointsToCsv(app.snapshot().points)], { type: 'text/csv' }), `${baseName(app)}.csv`);
  } else if (format === 'png') {
    const canvas = element('plot', HTMLCanvasElement);
    const name = `${baseName(app)}.png`;
    canvas.toBlob((blob) => {
      if (blob) download(blob, name);
      else app.notify(t('export.png-failed'), 'error');
    }, 'image/png');
  }
}

// ---------------------------------------------------------------------------
// Import: a chosen or dropped file

function setupImport(app, session) {
  const button = document.getElementById('import');
  const found = document.getElementById('import-file');
  const input = found instanceof HTMLInputElement ? found : createFileInput();
  button?.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const [file] = input.files ?? [];
    // Cleared so that choosing the same file again still fires 'change'.
    input.value = '';
    if (file) importFile(app, session, file);
  });
  setupDrop(app, session);
}

function createFileInput() {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'import-file';
  input.accept = '.json,.csv,.tsv,.txt,application/json,text/csv,text/tab-separated-values,text/plain';
  input.hidden = true;
  document.body.append(input);
  return input;
}

/** Files from this size on are read with a progress notice. */
const PROGRESS_BYTES = 2e6;

/**
 * Reads and checks a file in a Worker (on the page if none can start), with
 * a progress notice for big files: see file-reader.js for the result.
 */
function readInWorker(app, file, name) {
  let worker;
  try {
    worker = new Worker(new URL('./import-worker.js', import.meta.url), { type: 'module' });
  } catch {
    return readFile(file);
  }
  const big = file.size >= PROGRESS_BYTES;
  if (big) app.notify(t('import.reading', { name }), 'info');
  return new Promise((resolve) => {
    const finish = (result) => {
      worker.terminate();
      resolve(result);
    };
    worker.addEventListener('message', ({ data }) => {
      if (data?.type === 'result') finish(data.result);
      else if (data?.type === 'progress' && big) {
        app.notify(data.phase === 'reading'
          ? t('import.reading-part', { name, percent: Math.round(data.fraction * 100) })
          : t('import.checking', { name }), 'info');
      }
    });
    // A Worker that cannot run (no module workers, a blocked script): read here.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      worker.terminate();
      resolve(readFile(file));
    });
    // The worker's messages are in the page's language, from the page's
    // tables (its bundle has none).
    worker.postMessage({ file, language: language(), tables: LANGUAGES });
  });
}

/** An imported file's work is named after the file. */
const workName = (file) => (file.name ? file.name.slice(0, 120) : defaultName(t('work.imported')));

/** How many points lie outside the plotted square [-halfWidth, halfWidth]². */
function outsidePlot(points, halfWidth) {
  let count = 0;
  for (let i = 0; i < points.x.length; i++) {
    if (Math.abs(points.x[i]) > halfWidth || Math.abs(points.y[i]) > halfWidth) count += 1;
  }
  return count;
}

/** Imports a JSON document or a CSV of points; any failure is a message and changes nothing. */
export async function importFile(app, session, file) {
  const name = !file.name ? t('import.the-file') : file.name.length > 80 ? `${file.name.slice(0, 80)}…` : file.name;
  const refuse = (error) => app.notify(t('import.failed', { name, error }), 'error');
  try {
    await importText(app, session, file, name, refuse);
  } catch (error) {
    refuse(errorMessage(error));
  }
}

async function importText(app, session, file, name, refuse) {
  const parsed = await readInWorker(app, file, name);
  if (parsed.error) return refuse(parsed.error);

  if (parsed.kind === 'json') {
    const error = await session.openAsNew(forThisReader(parsed.document), workName(file));
    if (error) return refuse(error);
    const { points, iteration } = parsed.document;
    const extra = parsed.warnings.length ? ` (${parsed.warnings.join('; ')})` : '';
    return app.notify(t('import.document', { name, points: t('points', { count: points.x.length }), iteration: String(iteration), extra }), 'info');
  }

  // The points only: the settings and the network stay, and training starts
  // over on the new data from the seed's initial weights, as when a data set
  // is chosen.
  const current = documentOf(app);
  const error = await session.openAsNew({
    settings: { ...current.settings, dataset: 'empty' },
    model: current.model,
    points: parsed.points,
  }, workName(file));
  if (error) return refuse(error);
  const notes = [...parsed.notes];
  const outside = outsidePlot(parsed.points, app.halfWidth);
  if (outside > 0) notes.push(t('import.outside', { points: t('points', { count: outside }), half: app.halfWidth }));
  const extra = notes.length ? ` (${notes.join('; ')})` : '';
  return app.notify(t('import.csv', { points: t('points', { count: parsed.points.x.length }), name, extra }), 'info');
}

function setupDrop(app, session) {
  const hint = document.createElement('div');
  hint.id = 'drop-hint';
  hint.hidden = true;
  hint.setAttribute('aria-hidden', 'true');
  hint.textContent = t('drop.hint');
  onLanguage(() => {
    hint.textContent = t('drop.hint');
  });
  // Styled here (CSSOM is allowed by the CSP) so that the hint needs nothing
  // from the page's style sheet.
  Object.assign(hint.style, {
    position: 'fixed', inset: '0', zIndex: '1000', display: 'grid', placeItems: 'center',
    background: 'color-mix(in srgb, var(--class-1) 12%, transparent)', border: '4px dashed var(--class-1)', color: 'var(--class-1-ink)',
    font: '600 1.5rem system-ui, sans-serif', pointerEvents: 'none',
  });
  document.body.append(hint);
  const show = (visible) => {
    hint.hidden = !visible;
    hint.style.display = visible ? 'grid' : 'none';
  };
  show(false);

  const carriesFiles = (event) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
  // dragenter/dragleave fire for every child crossed: count them.
  let depth = 0;
  addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    show(true);
  });
  addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) show(false);
  });
  addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    // Without this the browser would open the file in place of the page.
    event.preventDefault();
    depth = 0;
    show(false);
    const files = Array.from(event.dataTransfer.files ?? []);
    if (files.length !== 1) {
      app.notify(t('drop.one', { count: files.length }), 'error');
      return;
    }
    importFile(app, session, files[0]);
  });
}

// ---------------------------------------------------------------------------
// The share link

function setupShare(app) {
  const button = document.getElementById('share');
  if (!button) return;
  const box = document.createElement('div');
  box.id = 'share-box';
  box.hidden = true;
  const label = document.createElement('label');
  label.htmlFor = 'share-link';
  label.textContent = `${t('share.field')} `;
  onLanguage(() => {
    label.textContent = `${t('share.field')} `;
  });
  const field = document.createElement('input');
  field.id = 'share-link';
  field.type = 'text';
  field.readOnly = true;
  field.size = 40;
  box.append(label, field);
  (button.closest('.button-row') ?? button).after(box);

  button.addEventListener('click', async () => {
    let encoded;
    try {
      const checked = validateDocument(documentOf(app, { historyBuckets: LINK_HISTORY_BUCKETS }));
      encoded = checked.ok ? encodeHash(checked.document) : checked;
    } catch (error) {
      encoded = { ok: false, error: errorMessage(error) };
    }
    if (!encoded.ok) {
      box.hidden = true;
      app.notify(t('share.failed', { error: encoded.error }), 'error');
      return;
    }
    // replaceState, not location.hash: a hashchange would reload the state.
    history.replaceState(history.state, '', `${location.pathname}${location.search}#${encoded.hash}`);
    rememberLink(encoded.hash);
    const url = location.href;
    field.value = url;
    try {
      await navigator.clipboard.writeText(url);
      box.hidden = true;
      app.notify(t('share.copied'), 'info');
    } catch {
      box.hidden = false;
      field.focus();
      field.select();
      app.notify(t('share.in-field'), 'info');
    }
  });
}

// ---------------------------------------------------------------------------
// Undo

function setupUndo(app) {
  const button = document.getElementById('undo');
  const refresh = () => {
    if (!(button instanceof HTMLButtonElement)) return;
    const entry = app.undoStack?.at(-1);
    button.disabled = !app.canUndo();
    button.title = entry ? t('undo.title', { what: t(`undo.${entry.label}`) }) : t('undo.nothing');
  };
  const undo = () => {
    if (!app.canUndo()) return;
    try {
      const label = app.undo();
      if (label) app.notify(t('undo.done', { what: t(`undo.${label}`) }), 'info');
    } catch (error) {
      app.notify(t('undo.failed', { error: errorMessage(error) }), 'error');
    }
    refresh();
  };
  button?.addEventListener('click', undo);
  addEventListener('keydown', (event) => {
    // A held key would undo one step per repeat, faster than anyone can follow.
    if (event.defaultPrevented || event.repeat || isTyping(event.target)) return;
    const key = String(event.key ?? '').toLowerCase();
    const ctrlZ = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && key === 'z';
    const u = !event.ctrlKey && !event.metaKey && !event.altKey && key === 'u';
    if (!ctrlZ && !u) return;
    event.preventDefault();
    undo();
  });
  button?.setAttribute('aria-keyshortcuts', 'Control+Z U');
  app.on('destructive', () => queueMicrotask(refresh));
  app.on('change', refresh);
  onLanguage(refresh);
  refresh();
}

function isTyping(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
      || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'file'].includes(target.type)));
}
