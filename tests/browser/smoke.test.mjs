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
  await page.waitForTimeout(300);
  assert.ok(problems.some((p) => p.includes('console error: provoked')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('uncaught: provoked throw')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('404')), problems.join('\n'));
  await context.close();
});
