// Imports that take the files people have: every CSV variant (or a refusal
// naming the line, with nothing changed), the label mapping reported, data
// far outside the plane brought into view, and a 60 MB file read without
// stopping the page from drawing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS, useBrowser } from './harness.mjs';
import {
  dismissMessage, importFile, openPlanar, pause, stateOf, waitForMessage,
} from './persistence-helpers.mjs';
import { prng } from '../prng.mjs';

const shared = useBrowser();

const POINTS = { x: [1, -2.5, 3], y: [0.5, 4, -1], label: [0, 1, 1] };

const utf16 = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

const VARIANTS = [
  ['plain.csv', 'x,y,label\n1,0.5,0\n-2.5,4,1\n3,-1,1\n', /Imported 3 points from plain\.csv\.$/],
  ['headless.csv', '1,0.5,0\n-2.5,4,1\n3,-1,1\n', /Imported 3 points from headless\.csv\.$/],
  ['reordered.csv', 'label,x,y\n0,1,0.5\n1,-2.5,4\n1,3,-1\n', /Imported 3 points/],
  ['tutorial.csv', 'x1,x2,y\n1,0.5,0\n-2.5,4,1\n3,-1,1\n', /Imported 3 points/],
  ['semicolons.csv', 'x;y;label\n1;0,5;0\n-2,5;4;1\n3;-1;1\n', /Imported 3 points from semicolons\.csv \(semicolon-separated\)/],
  ['tabs.tsv', 'x\ty\tlabel\n1\t0.5\t0\n-2.5\t4\t1\n3\t-1\t1\n', /\(tab-separated\)/],
  ['commented.csv', '# exported by hand\nx,y,label\n1,0.5,0\n# two more\n-2.5,4,1\n3,-1,1\n', /Imported 3 points/],
  ['quoted.csv', '\uFEFF"x","y","label"\n"1","0.5","0"\n"-2.5","4","1"\n3,-1,1\n', /Imported 3 points/],
  ['signs.csv', 'x,y,label\n1,0.5,-1\n-2.5,4,1\n3,-1,1\n', /\(labels -1 became class 0 and 1 class 1\)/],
  ['booleans.csv', 'x,y,label\n1,0.5,False\n-2.5,4,True\n3,-1,True\n', /\(labels false became class 0 and true class 1\)/],
  ['words.csv', 'x,y,species\n1,0.5,cat\n-2.5,4,dog\n3,-1,dog\n', /\(labels “cat” became class 0 and “dog” class 1; column "species" read as the label\)/],
  ['extra.csv', 'id,x,y,label\n7,1,0.5,0\n8,-2.5,4,1\n9,3,-1,1\n', /\(column "id" ignored\)/],
  ['unicode.txt', utf16('x\ty\tlabel\r\n1\t0.5\t0\r\n-2.5\t4\t1\r\n3\t-1\t1\r\n'), /Imported 3 points from unicode\.txt \(tab-separated\)/],
];

test('every CSV variant imports the same three points, saying how it read them', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(page);
  const seen = [];
  for (const [name, contents, pattern] of VARIANTS) {
    await dismissMessage(page);
    await importFile(page, name, contents);
    try {
      seen.push(await waitForMessage(page, pattern));
    } catch (error) {
      throw new Error(`${name}: ${error.message}; the message: ${await page.textContent('#message')}`, { cause: error });
    }
    await page.waitForFunction(() => document.querySelector('#points').textContent === '3');
    assert.deepEqual((await stateOf(page)).points, POINTS, name);
  }
  console.log(seen.join('\n'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('files that cannot be read are refused naming the line, and change nothing', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(page);
  const before = await stateOf(page);
  for (const [name, contents, pattern] of [
    ['header-only.csv', 'x,y,label\n', /Could not import header-only\.csv: the file has no points: line 1 is a header and nothing follows/],
    ['comments.csv', '# nothing here\n', /Could not import comments\.csv: the file has no points/],
    ['three-classes.csv', 'x,y,label\n1,1,cat\n2,2,dog\n3,3,bird\n', /line 4: a third label "bird"/],
    ['ragged.csv', 'x;y;label\n1;1;0\n2;2\n', /line 3: expected 3 values separated by semicolons, found 2/],
    ['nameless.csv', 'a,b,c\n1,2,0\n', /line 1: the header names no x and no y and no label column/],
  ]) {
    await dismissMessage(page);
    await importFile(page, name, contents);
    await waitForMessage(page, pattern);
    assert.deepEqual(await stateOf(page), before, name);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('200 points in 0…100 import and are all visible once the view fits them', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(page);
  const r = prng(100);
  const rows = Array.from({ length: 200 }, (_, i) => `${(r.next() * 100).toFixed(3)},${(r.next() * 100).toFixed(3)},${i % 2}`);
  await importFile(page, 'far.csv', `x,y,label\n${rows.join('\n')}\n`);
  const message = await waitForMessage(page, /Imported 200 points from far\.csv/);
  assert.match(message, /\(\d+ points outside ±5: the view now fits the data\)/);
  await page.waitForFunction(() => /from -?[\d.]+ to [\d.]+ across/.test(document.getElementById('plot').getAttribute('aria-label')) && !document.getElementById('plot').getAttribute('aria-label').includes('from -5 to 5'));
  const seen = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const canvas = document.getElementById('plot');
    const [, x0, x1, y0, y1] = /from (\S+) to (\S+) across and (\S+) to (\S+) up/.exec(canvas.getAttribute('aria-label')).map(Number);
    done({ x0, x1, y0, y1, width: canvas.width });
  }))));
  const state = await stateOf(page);
  const pixels = await page.evaluate(({ points, view }) => {
    const canvas = document.getElementById('plot');
    const context = canvas.getContext('2d');
    const colours = [[0xe6, 0x9f, 0x00], [0x00, 0x72, 0xb2]];
    let inside = 0;
    let coloured = 0;
    for (let i = 0; i < points.x.length; i++) {
      const px = ((points.x[i] - view.x0) / (view.x1 - view.x0)) * canvas.width;
      const py = ((view.y1 - points.y[i]) / (view.y1 - view.y0)) * canvas.height;
      if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
      inside += 1;
      // Visible: some pixel of the mark (radius 4 CSS px) has its class colour; a
      // neighbour's outline may cross its centre.
      const [cr, cg, cb] = colours[points.label[i]];
      const around = context.getImageData(Math.floor(px) - 2, Math.floor(py) - 2, 5, 5).data;
      let seen = false;
      for (let p = 0; p < around.length; p += 4) {
        if (Math.abs(around[p] - cr) + Math.abs(around[p + 1] - cg) + Math.abs(around[p + 2] - cb) < 40) seen = true;
      }
      if (seen) coloured += 1;
    }
    return { inside, coloured };
  }, { points: state.points, view: seen });
  console.log(`view x ${seen.x0}…${seen.x1}, y ${seen.y0}…${seen.y1}; ${pixels.inside} of 200 inside, ${pixels.coloured} drawn in their class colour`);
  assert.equal(pixels.inside, 200);
  assert.equal(pixels.coloured, 200);
  assert.deepEqual(problems, []);
  await context.close();
});

/**
 * Records, in the page, its frames (the longest gap between two) and its
 * main-thread tasks longer than 50 ms (the Long Tasks API), until stopped.
 */
function watchFrames(page) {
  return page.evaluate(() => {
    const watch = { maxGap: 0, frames: 0, longest: 0, tasks: [], progress: [] };
    window.frameWatch = watch;
    let last = performance.now();
    const tick = (now) => {
      watch.maxGap = Math.max(watch.maxGap, now - last);
      watch.frames += 1;
      last = now;
      if (!watch.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    watch.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        watch.longest = Math.max(watch.longest, entry.duration);
        watch.tasks.push(Math.round(entry.duration));
      }
    });
    watch.observer.observe({ type: 'longtask' });
    new MutationObserver(() => {
      const shown = document.getElementById('message').textContent;
      if (/Reading|Checking/.test(shown)) watch.progress.push(shown);
    }).observe(document.getElementById('message'), { childList: true, characterData: true, subtree: true });
  });
}

function stopWatching(page) {
  return page.evaluate(() => {
    const watch = window.frameWatch;
    watch.stop = true;
    watch.observer.disconnect();
    const { observer: _, ...figures } = watch;
    return figures;
  });
}

test('a 60 MB file that is invalid near its end is read off the page\'s thread, with progress', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await pause(page);
  // About 60 MB of numbers, broken a few bytes before the end.
  const numbers = Array.from({ length: 4000 }, (_, i) => (Math.sin(i) * 4).toFixed(12)).join(',');
  const chunk = `${numbers},`;
  const repeats = Math.ceil(60e6 / chunk.length);
  const text = `{"format":"planar","version":1,"points":{"x":[${chunk.repeat(repeats)}0],"y":[1,,2]}}`;
  const size = Buffer.byteLength(text);
  assert.ok(size > 60e6 && size < 64e6, `${size} bytes`);
  // Files this big go to the page by path (an in-memory buffer is capped at 50 MB).
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, 'big.json');
  await writeFile(path, text);

  // The same page idle for 3 s first: what this machine's load alone does to frames.
  await watchFrames(page);
  await page.waitForTimeout(3000);
  const idle = await stopWatching(page);

  await watchFrames(page);
  const started = Date.now();
  await page.setInputFiles('#import-file', path);
  const message = await waitForMessage(page, /Could not import big\.json/);
  const reading = await stopWatching(page);
  console.log(`${(size / 1e6).toFixed(1)} MB in ${Date.now() - started} ms: ${reading.frames} frames; `
    + `longest main-thread task ${reading.longest.toFixed(0)} ms (tasks over 50 ms: ${reading.tasks.join(', ') || 'none'}); `
    + `longest frame gap ${reading.maxGap.toFixed(0)} ms while reading, ${idle.maxGap.toFixed(0)} ms idle `
    + `(${idle.frames} frames in 3 s; idle tasks over 50 ms: ${idle.tasks.join(', ') || 'none'})`);
  console.log(`progress: ${reading.progress.join(' | ')}`);
  console.log(message);
  assert.match(message, /not valid JSON: line 1, column \d+: unexpected ',' where a value should be/);
  assert.ok(reading.progress.some((shown) => /Reading big\.json: \d+ %/.test(shown)), 'a progress notice');
  // The page's own thread never works 100 ms at a stretch: frames are only
  // late when the machine is (the idle figures above say by how much).
  assert.ok(reading.longest < 100, `a task of ${reading.longest} ms on the page's thread`);
  assert.ok(reading.frames > 10);
  assert.deepEqual(problems, []);
  await context.close();
});
