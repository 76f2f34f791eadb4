// Links that say when they are damaged: a bit flipped anywhere in the
// required part is refused as damaged; a trailing "." or a cut cost history
// opens what is intact and says what was left out; extreme weights get their
// own notice, not the learning rate's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { checksum } from '../../www/formats.js';
import {
  clickPlot, dismissMessage, openPlanar, pause, play, stateOf, waitForMessage,
} from './persistence-helpers.mjs';
import { prng } from '../prng.mjs';

const shared = useBrowser();

/** A link made by the page after some training (so that it has a cost history) and the state it holds. */
async function makeLink() {
  const { page, context } = await openPlanar(shared.browser, shared.server.url, {
    context: { acceptDownloads: true, permissions: ['clipboard-read', 'clipboard-write'] },
  });
  await play(page);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 20);
  await pause(page);
  await clickPlot(page, 3, 3);
  await page.waitForFunction(() => document.querySelector('#points').textContent === '401');
  await page.click('#share');
  await waitForMessage(page, /Copied a link/);
  const url = page.url();
  const state = await stateOf(page);
  await context.close();
  assert.match(url, /&k=[0-9a-f]{8}&hc=[A-Za-z0-9_-]+&hk=[0-9a-f]{8}$/);
  return { url, state };
}

test('a link with a trailing "." opens everything and says what was ignored; a cut history is left out, saying so', async () => {
  const { url, state } = await makeLink();
  const dotted = await openPlanar(shared.browser, `${url}.`, { context: { acceptDownloads: true } });
  const message = await waitForMessage(dotted.page, /Opened a shared link/);
  console.log(message);
  assert.match(message, /"\." at the end of the link was ignored/);
  const opened = await stateOf(dotted.page);
  for (const key of ['points', 'weights', 'iteration']) assert.deepEqual(opened[key], state[key], key);
  assert.ok(opened.history.length > 2, 'the cost history came too');
  assert.deepEqual(dotted.problems, []);
  await dotted.context.close();

  const cut = url.slice(0, url.indexOf('&hc=') + 12);
  const partial = await openPlanar(shared.browser, cut, { context: { acceptDownloads: true } });
  const cutMessage = await waitForMessage(partial.page, /Opened a shared link/);
  console.log(cutMessage);
  assert.match(cutMessage, /the cost history was left out: the end of the link is cut or damaged/);
  const kept = await stateOf(partial.page);
  for (const key of ['points', 'weights', 'iteration']) assert.deepEqual(kept[key], state[key], key);
  assert.deepEqual(partial.problems, []);
  await partial.context.close();
});

test('20 random bit flips in a link: each is refused as damaged and changes nothing', async () => {
  const { url } = await makeLink();
  const hash = url.slice(url.indexOf('#') + 1);
  const end = hash.indexOf('&hc=');
  const { page, problems, context } = await openPlanar(shared.browser, shared.server.url, { context: { acceptDownloads: true } });
  await pause(page);
  const before = await stateOf(page);
  const r = prng(77);
  const refusals = [];
  for (let k = 0; k < 20; k++) {
    const at = r.int(end);
    // Flips that keep a character a URL carries as it is (letters, digits, - _ = &).
    let flipped;
    do {
      flipped = String.fromCharCode(hash.charCodeAt(at) ^ (1 << r.int(7)));
    } while (!/[A-Za-z0-9_=&.-]/.test(flipped));
    const damaged = `${hash.slice(0, at)}${flipped}${hash.slice(at + 1)}`;
    await dismissMessage(page);
    await page.goto(`${shared.server.url}#${damaged}`);
    refusals.push(await waitForMessage(page, /The link could not be opened: .*damaged/));
    assert.deepEqual(await stateOf(page), before, `flip at ${at}`);
  }
  const plain = refusals.filter((text) => text.startsWith('The link could not be opened: this link is damaged (copied incompletely?)')).length;
  console.log(`20 of 20 refused; ${plain} with "this link is damaged (copied incompletely?)"`);
  assert.equal(refusals.length, 20);
  assert.ok(plain >= 18, `${plain} of 20 say "this link is damaged"`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link with a weight of 9e99 opens with its own notice, not the learning-rate warning', async () => {
  const { url } = await makeLink();
  const hash = url.slice(url.indexOf('#') + 1, url.indexOf('&k='));
  // The first weight, W1[0][0], set to 9e99 (little-endian Float64) and the link signed again.
  const weights = Buffer.from(/(?:^|&)w=([^&]*)/.exec(hash)[1], 'base64url');
  weights.writeDoubleLE(9e99, 0);
  const tampered = hash.replace(/(^|&)w=[^&]*/, `$1w=${weights.toString('base64url')}`);
  const { page, problems, context } = await openPlanar(shared.browser, `${shared.server.url}#${tampered}&k=${checksum(tampered)}`);
  const message = await waitForMessage(page, /Opened a shared link/);
  console.log(message);
  assert.match(message, /its weights are extreme \(weight 0 = 9e\+99\)/);
  await play(page);
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 40);
  await page.waitForSelector('#weights-warning', { state: 'visible' });
  assert.equal(await page.isHidden('#lr-warning'), true);
  assert.deepEqual(problems, []);
  await context.close();
});
