// Bad files, strange links and broken storage: each gets a message in
// #message that names the problem, and the reader's points and settings stay
// exactly as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import {
  clickPlot, dismissMessage, importFile, openPlanar, pause, savedState, setRange, stateOf, waitForMessage, waitForSave,
  whenReady,
} from './persistence-helpers.mjs';

const shared = useBrowser();

/** A page with work of the reader's own on it: an added point and another learning rate. */
async function pageWithWork(options) {
  const opened = await openPlanar(shared.browser, shared.server.url, options);
  await pause(opened.page);
  await clickPlot(opened.page, 4, 4);
  await setRange(opened.page, 'lr', Math.log10(0.7));
  await opened.page.waitForFunction(() => document.querySelector('#points').textContent === '401');
  return opened;
}

/**
 * Provokes each refusal in turn on one page with work on it, and checks its
 * message and that nothing changed. `cases` are [provoke(page), pattern].
 */
async function refused(...cases) {
  const { page, problems, context } = await pageWithWork();
  const before = await stateOf(page);
  for (const [provoke, pattern] of cases) {
    await dismissMessage(page);
    await provoke(page);
    await waitForMessage(page, pattern);
    assert.equal(await page.getAttribute('#message', 'data-kind'), 'error');
    assert.deepEqual(await stateOf(page), before, String(pattern));
  }
  assert.deepEqual(problems, []);
  await context.close();
}

const validDocument = (change = () => {}) => {
  const doc = {
    format: 'planar',
    version: 1,
    settings: { hidden: 1 },
    points: { x: [1, 2, 3], y: [0, 0, 0], label: [0, 1, 1] },
    weights: { hidden: 1, values: [0.1, 0.2, 0.3, 0.4, 0.5] },
    iteration: 0,
  };
  change(doc);
  return JSON.stringify(doc);
};

test('malformed JSON: the line and column are named', async () => {
  await refused([
    (page) => importFile(page, 'broken.json', '{"format": "planar",\n  "version": 1,\n  "points": [1, 2,,]\n}'),
    /Could not import broken\.json: not valid JSON: line 3, column 19: unexpected ',' where a value should be/,
  ]);
});

test('malformed CSV: the line is named', async () => {
  await refused(
    [(page) => importFile(page, 'broken.csv', 'x,y,label\n1,2,0\n3;4;1\n'),
      /Could not import broken\.csv: line 3: expected 3 values separated by commas, found 1/],
    [(page) => importFile(page, 'nameless.csv', 'a,b,c\n1,2,0\n'), /line 1: the header names no x and no y and no label column/],
    [(page) => importFile(page, 'header-only.csv', 'x,y,label\n'), /header-only\.csv: the file has no points/],
  );
});

test('a document from a newer Planar: its version is named', async () => {
  await refused([
    (page) => importFile(page, 'future.json', validDocument((d) => { d.version = 7; })),
    /made by a newer Planar: version 7/,
  ]);
});

test('NaN, Infinity and out-of-range coordinates are refused', async () => {
  await refused(
    [(page) => importFile(page, 'nan.csv', 'x,y,label\n1,2,0\n1,NaN,0\n'), /line 3: y is not a finite number: NaN/],
    [(page) => importFile(page, 'inf.csv', 'x,y,label\nInfinity,2,0\n'), /line 2: x is not a finite number: Infinity/],
    [(page) => importFile(page, 'far.csv', 'x,y,label\n1,2,0\n1,-2e6,1\n'), /line 3: y = -2e6 is outside ±1000000/],
    [(page) => importFile(page, 'far.json', validDocument((d) => { d.points.x[2] = 2e6; })),
      /point 2: x = 2000000 is outside ±1000000/],
    [(page) => importFile(page, 'inf.json', validDocument().replace('"x":[1,', '"x":[1e999,')),
      /point 0: x is not a finite number \(Infinity\)/],
  );
});

test('labels other than 0 and 1 are refused', async () => {
  await refused(
    [(page) => importFile(page, 'labels.csv', 'x,y,label\n1,2,0\n1,2,2\n'), /line 3: the label must be 0 or 1 \(or -1 and 1\), not 2/],
    [(page) => importFile(page, 'labels.json', validDocument((d) => { d.points.label[1] = 0.5; })),
      /point 1: the label must be 0 or 1, not 0\.5/],
  );
});

test('more than the maximum number of points is refused, naming the maximum', async () => {
  await refused(
    [(page) => importFile(page, 'huge.csv', `x,y,label\n${'0.5,0.5,1\n'.repeat(100_001)}`),
      /too many points: 100001; Planar holds at most 100000/],
    [(page) => importFile(page, 'huge.json', validDocument((d) => {
      d.points = { x: Array(100_001).fill(1), y: Array(100_001).fill(1), label: Array(100_001).fill(1) };
    })), /too many points: 100001; Planar holds at most 100000/],
  );
});

test('an empty file is refused', async () => {
  await refused(
    [(page) => importFile(page, 'empty.csv', ''), /Could not import empty\.csv: the file is empty/],
    [(page) => importFile(page, 'blank.json', '  \n\n'), /Could not import blank\.json: the file is empty/],
  );
});

test('a binary file is refused', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, 0x80]);
  await refused(
    [(page) => importFile(page, 'picture.csv', png), /picture\.csv: this is not a text file/],
    [(page) => importFile(page, 'nul.json', Buffer.from('{"format": "planar"\u0000}')), /nul\.json: this is not a text file/],
  );
});

test('a garbage link pasted into the open page is refused', async () => {
  await refused(
    [(page) => page.goto(`${shared.server.url}#v=1&x=%%%&garbage`), /The link could not be opened: the link is damaged/],
    [(page) => page.goto(`${shared.server.url}#\u202Ejunk<script>`), /The link could not be opened/],
  );
});

test('a truncated link is refused', async () => {
  const { page, context } = await openPlanar(shared.browser, shared.server.url);
  await page.click('#share');
  await waitForMessage(page, /link/);
  const link = page.url();
  await context.close();
  const cut = link.slice(0, link.indexOf('&x=') + 200);
  await refused([(p) => p.goto(cut), /The link could not be opened: (the|this) link is damaged/]);
});

test('a garbage link on a fresh load keeps the saved work', async () => {
  const { page, problems, context } = await pageWithWork();
  await waitForSave(page);
  const saved = await stateOf(page);
  // A new tab takes the latest work when no other tab shows it.
  await page.close();
  const other = await context.newPage();
  await other.goto(`${shared.server.url}#v=1&n=5&x=AAAA&y=&l=&w=&i=0`);
  await whenReady(other);
  await waitForMessage(other, /The link could not be opened: .*Your saved work was restored instead/);
  assert.deepEqual(await stateOf(other), saved);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a full storage gets one notice and a badge that stays until a save succeeds', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, {
    init: [[() => {
      window.storageFull = true;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function putUnlessFull(...args) {
        if (window.storageFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    }]],
  });
  await pause(page);
  await clickPlot(page, 2, 2);
  await waitForMessage(page, /Could not save: the storage is full. Export → JSON keeps a copy/);
  await page.waitForSelector('#save-badge', { state: 'visible' });
  assert.match(await page.textContent('#save-badge'), /Not saved: the storage is full. Export → JSON keeps a copy/);
  // Count the notices from here on: every edit tries to save again.
  await page.evaluate(() => {
    window.fullNotices = 0;
    new MutationObserver(() => {
      if (/storage is full/.test(document.getElementById('message').textContent)) window.fullNotices += 1;
    }).observe(document.getElementById('message'), { childList: true, characterData: true, subtree: true });
  });
  await clickPlot(page, -2, 2);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '402');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 0);
  // The notice fades after 10 s; the badge must outlast it while saves fail.
  await page.waitForTimeout(10_500);
  assert.equal(await page.isHidden('#message'), true, 'the notice has faded');
  assert.equal(await page.isVisible('#save-badge'), true, 'the badge stays');
  assert.equal(await page.evaluate(() => window.fullNotices), 0);
  assert.equal(await savedState(page), null, 'nothing was saved');

  // Space again: the next save succeeds and the badge goes.
  await page.evaluate(() => { window.storageFull = false; });
  await clickPlot(page, 0, -2);
  await page.waitForSelector('#save-badge', { state: 'hidden' });
  const saved = await waitForSave(page);
  assert.equal(saved.points.count, 403);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser without IndexedDB gets a notice and a badge, and the page keeps working', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, {
    init: [[() => {
      Object.defineProperty(window, 'indexedDB', {
        configurable: true,
        get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
      });
    }]],
  });
  await waitForMessage(page, /will not be kept across reloads/);
  await pause(page);
  await clickPlot(page, 2, 2);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '401');
  await page.waitForSelector('#save-badge', { state: 'visible' });
  const state = await stateOf(page);
  assert.equal(state.points.x.length, 401);
  await page.click('#share');
  await waitForMessage(page, /link/);
  assert.match(page.url(), /#v=3&/);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [what, saved, pattern] of [
  ['cut-off JSON', '{"format":"planar","version":1,"points":{"x":[1', /not valid JSON: it ends too early/],
  ['a newer version', validDocument((d) => { d.version = 5; }), /made by a newer Planar: version 5/],
  ['an impossible label', validDocument((d) => { d.points.label[0] = 5; }), /point 0: the label must be 0 or 1, not 5/],
  ['something else entirely', '\u0000\u0001binary', /not a text file/],
]) {
  test(`corrupt saved data (${what}) is set aside, not deleted, and the page starts fresh`, async () => {
    const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, {
      init: [[(text) => {
        // Once per tab: a reload must see what the page saved, not this again.
        if (sessionStorage.getItem('seeded')) return;
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('planar:state', text);
      }, saved]],
    });
    const message = await waitForMessage(page, /The saved state could not be read/);
    assert.match(message, pattern);
    assert.match(message, /starting fresh/);
    assert.equal(await page.textContent('#points'), '400');
    assert.equal(await page.evaluate(() => localStorage.getItem('planar:state:unreadable')), saved);
    // The fresh state is saved over it, and a reload restores that.
    await pause(page);
    await clickPlot(page, 1, 1);
    await waitForSave(page);
    await page.reload();
    await whenReady(page);
    assert.equal(await page.textContent('#points'), '401');
    assert.deepEqual(problems, []);
    await context.close();
  });
}
