// Writes the README's screenshots, docs/screenshot.png (English) and
// docs/screenshot-ru.png (Russian): the built page (dist/, from
// `npm run build`) at 1280×800 after exactly 3000 iterations of the
// tutorial's run, taken through the Step button from a paused start.
// The tests never write to docs/; this is run by hand when the page's look
// changes: `npm run screenshot`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, openPage, serve } from '../tests/browser/harness.mjs';

const DOCS = join(import.meta.dirname, '../docs');
const SHOTS = [
  { file: 'screenshot.png', query: '?lang=en' },
  { file: 'screenshot-ru.png', query: '?lang=ru' },
];

const server = await serve();
const browser = await launch();
try {
  await mkdir(DOCS, { recursive: true });
  for (const { file, query } of SHOTS) {
    const { page, context, problems } = await openPage(browser, `${server.url}${query}`, { context: { reducedMotion: 'reduce' } });
    await page.waitForFunction(() => document.querySelector('#points').textContent === '400');
    await page.$eval('#step', (button) => {
      for (let i = 0; i < 3000; i += 1) button.click();
    });
    await page.waitForFunction(() => document.querySelector('#iteration').textContent === '3000');
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
    await page.screenshot({ path: join(DOCS, file) });
    console.log(`wrote ${join(DOCS, file)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
