import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useBrowser } from './harness.mjs';

const shared = useBrowser();

test('the built page loads the wasm, trains, and reports no problem', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 20);
  assert.equal(await page.textContent('#points'), '400');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the harness notices a console error, an exception and a failed request', async () => {
  const { page, problems, context } = await openPage(shared.browser, shared.server.url);
  await page.evaluate(() => {
    console.error('provoked');
    setTimeout(() => { throw new Error('provoked throw'); });
    fetch('./missing-file.js').catch(() => {});
  });
  // The three reports arrive asynchronously: wait until each is in (or time out).
  const expected = ['console error: provoked', 'uncaught: provoked throw', '404'];
  const deadline = Date.now() + 10_000;
  while (!expected.every((e) => problems.some((p) => p.includes(e))) && Date.now() < deadline) {
    await page.waitForTimeout(50);
  }
  for (const e of expected) assert.ok(problems.some((p) => p.includes(e)), `${e} missing from:\n${problems.join('\n')}`);
  await context.close();
});
