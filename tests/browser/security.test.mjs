// Nothing leaves the page's origin, the Content Security Policy is in force,
// and user data never becomes markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, useBrowser } from './harness.mjs';
import {
  clickPlot, exportDocument, importFile, openPlanar, pause, play, setRange, waitForMessage,
} from './persistence-helpers.mjs';

const ROOT = process.env.PLANAR_DIST || DIST;
const shared = useBrowser(ROOT);

test('the built page carries the Content Security Policy', async () => {
  const html = await readFile(join(ROOT, 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  assert.ok(meta, 'a CSP meta tag');
  const directives = Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'self'"]);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.ok(!meta[1].includes('unsafe-inline') && !/'unsafe-eval'/.test(meta[1]));
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script in the page');
});

test('a session of use sends no request outside the page\'s origin', async () => {
  const requests = [];
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  // Every request of the context (pages, workers, downloads), from a fresh load on.
  context.on('request', (request) => requests.push(request.url()));
  await page.reload();
  await play(page);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 20);
  await pause(page);
  await clickPlot(page, 1, 1);
  await clickPlot(page, -1, 1, { shift: true });
  await setRange(page, 'lr', -1);
  await page.selectOption('#dataset', 'moons');
  await page.click('#units-minus-1');
  await page.click('#add-layer');
  await page.check('#feature-sinx1');
  for (const format of ['json', 'csv', 'png']) await exportDocument(page, format);
  await importFile(page, 'points.csv', 'x,y,label\n1,1,0\n2,2,1\n');
  await waitForMessage(page, /Imported 2 points/);
  await page.click('#share');
  await waitForMessage(page, /link/);
  await page.goto(page.url());
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#points').textContent === '2');
  const origin = new URL(shared.server.url).origin;
  const outside = requests.filter((url) => {
    if (url.startsWith('blob:')) return new URL(url.slice(5)).origin !== origin;
    if (url.startsWith('data:')) return false;
    return new URL(url).origin !== origin;
  });
  assert.ok(requests.length > 3, `requests seen: ${requests.length}`);
  assert.deepEqual(outside, [], `requests outside ${origin}:\n${outside.join('\n')}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('an inline script injected into the page does not run', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__ran = 1';
    document.body.append(script);
    const handler = document.createElement('img');
    handler.setAttribute('onerror', 'window.__ran = 2');
    handler.src = 'data:,not-an-image';
    document.body.append(handler);
  });
  await page.waitForFunction(() => document.querySelector('img[onerror]')?.complete);
  assert.equal(await page.evaluate(() => window.__ran), undefined);
  // The blocked script is reported as a CSP violation; nothing else went wrong.
  assert.ok(problems.length > 0 && problems.every((p) => /Content Security Policy/.test(p)), problems.join('\n'));
  await context.close();
});

test('file names and contents are shown as text, never as markup', async () => {
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url);
  const name = '<img src=x onerror="window.__xss=1">.csv';
  await importFile(page, name, 'x,y,label\n<b>1</b>,2,0\n');
  const message = await waitForMessage(page, /Could not import/);
  assert.ok(message.includes(name), message);
  assert.ok(message.includes('"<b>1</b>"'), message);
  assert.equal(await page.locator('#message img, #message b').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  await page.goto(`${shared.server.url}#v=1&d=%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E&i=0&w=&n=0&x=&y=&l=`);
  await waitForMessage(page, /The link could not be opened/);
  assert.equal(await page.locator('#message img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(problems, []);
  await context.close();
});
