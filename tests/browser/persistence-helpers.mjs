// Shared by the persistence, hostile-input, storm and security tests: opening
// the page with scripts that run before it, reading its state the way a
// reader would (readouts, an exported JSON document, the plot's pixels), and
// driving it (clicks on the plane, sliders, files).
import { readFile } from 'node:fs/promises';
import { openPage } from './harness.mjs';

/**
 * Opens the built page like openPage, but runs `init` scripts (functions
 * with an optional argument, see page.addInitScript) before its own scripts.
 */
export async function openPlanar(browser, url, { init = [], ...options } = {}) {
  const opened = await openPage(browser, 'about:blank', options);
  for (const [script, arg] of init) await opened.page.addInitScript(script, arg);
  await opened.page.goto(url);
  await whenReady(opened.page);
  return opened;
}

/**
 * Waits until the app has drawn the work it opened (the page is no longer
 * aria-busy) and a few frames more (the readouts are live). A blank page
 * (opened to set up routes or init scripts before Planar) is ready as it is.
 */
export async function whenReady(page) {
  if (page.url() === 'about:blank') return;
  await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
  await frames(page, 3);
}

/** Waits for `count` animation frames of the page. */
export function frames(page, count = 2) {
  return page.evaluate((n) => new Promise((done) => {
    const next = (left) => (left === 0 ? done() : requestAnimationFrame(() => next(left - 1)));
    next(n);
  }), count);
}

export async function pause(page) {
  if ((await page.textContent('#play')) === 'Pause') await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play').textContent === 'Play');
  await frames(page);
}

export async function play(page) {
  if ((await page.textContent('#play')) === 'Play') await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play').textContent === 'Pause');
}

/** The readouts and the settings controls, as a person sees them. */
export function readouts(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent;
    const value = (id) => document.getElementById(id).value;
    return {
      iteration: text('iteration'),
      cost: text('cost'),
      accuracy: text('accuracy'),
      points: text('points'),
      learningRate: text('lr-value'),
      speed: text('speed-value'),
      network: [...document.querySelectorAll('#network-editor .layer-item')]
        .map((item) => `${item.querySelector('output').textContent} ${item.querySelector('select').value}`).join(', '),
      features: [...document.querySelectorAll('#network-editor .features input:checked')].map((box) => box.value).join(','),
      init: value('init'),
      dataset: value('dataset'),
      logScale: document.getElementById('log-scale').checked,
      class1: document.getElementById('class-1').checked,
    };
  });
}

/** The state as Export → JSON writes it (which reads it from the engine). */
export async function exportDocument(page, format = 'json') {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#export [data-format="${format}"]`),
  ]);
  const path = await download.path();
  const text = await readFile(path, format === 'png' ? null : 'utf8');
  return { text, name: download.suggestedFilename(), path };
}

export async function stateOf(page) {
  return JSON.parse((await exportDocument(page)).text);
}

/**
 * A digest of a canvas's pixels and its size, to compare two renderings;
 * of the plot once its field is not being drawn sharp a band at a time.
 */
export async function canvasDigest(page, id) {
  await page.waitForFunction((canvasId) => document.getElementById(canvasId).dataset.field !== 'refining', id, { timeout: 30_000 });
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    // FNV-1a over the bytes: equal digests mean equal pixels, for a test.
    let hash = 0x811c9dc5;
    for (let i = 0; i < data.length; i++) {
      hash ^= data[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return { width: canvas.width, height: canvas.height, hash };
  }, id);
}

/** Client coordinates of the plane point (x, y) on #plot. */
export async function plotPoint(page, x, y) {
  const box = await page.locator('#plot').boundingBox();
  return { x: box.x + ((x + 5) / 10) * box.width, y: box.y + ((5 - y) / 10) * box.height };
}

/** Clicks the plane at (x, y); `shift` adds the other class, `right` removes. */
export async function clickPlot(page, x, y, { shift = false, right = false } = {}) {
  const at = await plotPoint(page, x, y);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.click(at.x, at.y, { button: right ? 'right' : 'left' });
  if (shift) await page.keyboard.up('Shift');
}

/** Moves a range input as a drag would: sets the value, fires 'input' and 'change'. */
export function setRange(page, id, value) {
  return page.evaluate(([rangeId, v]) => {
    const input = document.getElementById(rangeId);
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, [id, value]);
}

/** Hides #message, so that the next wait sees only a new message. */
export function dismissMessage(page) {
  return page.evaluate(() => {
    const message = document.getElementById('message');
    message.hidden = true;
    message.textContent = '';
  });
}

/** Waits for #message to be shown holding text that matches `pattern`; returns it. */
export async function waitForMessage(page, pattern) {
  const handle = await page.waitForFunction(([source, flags]) => {
    const message = document.getElementById('message');
    return !message.hidden && new RegExp(source, flags).test(message.textContent) && message.textContent;
  }, [pattern.source, pattern.flags]);
  return handle.jsonValue();
}

/** Chooses a file for #import-file as a person would in the file dialog. */
export async function importFile(page, name, contents, mimeType = 'application/octet-stream') {
  const buffer = Buffer.isBuffer(contents) ? contents : Buffer.from(contents, 'utf8');
  await page.setInputFiles('#import-file', { name, mimeType, buffer });
}

/**
 * The document saved for the work this tab shows (IndexedDB), parsed, or
 * null. Read in the page as the page stores it: works-db.js.
 */
export function savedState(page) {
  return page.evaluate(async () => {
    const id = sessionStorage.getItem('planar:work');
    // Opening the database before the page made it would make an empty one.
    if (!id || !(await indexedDB.databases()).some((db) => db.name === 'planar')) return null;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('planar');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const stored = await new Promise((resolve, reject) => {
        const request = db.transaction('documents').objectStore('documents').get(id);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return stored ? JSON.parse(stored.text) : null;
    } finally {
      db.close();
    }
  });
}

/** The saved works (IndexedDB records, newest first), without their documents. */
export function savedWorks(page) {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((db) => db.name === 'planar')) return [];
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('planar');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const works = await new Promise((resolve, reject) => {
        const request = db.transaction('works').objectStore('works').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return works.filter((work) => !work.deleted).sort((a, b) => b.updated - a.updated)
        .map(({ id, name, points, revision }) => ({ id, name, points, revision }));
    } finally {
      db.close();
    }
  });
}

/**
 * Waits until the saved work of this tab matches what the page shows: the
 * iteration and point count of the readouts (the autosave is debounced),
 * and, with `paused`, that it was saved paused.
 */
export async function waitForSave(page, { timeout = 15_000, paused = false } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [saved, shown] = await Promise.all([savedState(page), page.evaluate(() => ({
      iteration: document.getElementById('iteration').textContent,
      points: document.getElementById('points').textContent,
    }))]);
    const matches = saved && String(saved.iteration) === shown.iteration && String(saved.points.count) === shown.points;
    if (matches && (!paused || saved.settings?.playing === false)) return saved;
    if (Date.now() > deadline) throw new Error(`not saved: shown ${JSON.stringify(shown)}, saved ${saved ? `${saved.iteration}/${saved.points.count}` : 'nothing'}`);
    await page.waitForTimeout(100);
  }
}
