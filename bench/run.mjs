// `npm run bench`: one run, one table. Training speed per point-iteration in
// native Rust, in wasm under Node and in wasm in headless Chromium, beside the
// numpy reference run in the same command; the probability field's render
// time; the page's frame time while training; the gzipped sizes.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import { serve, launch, DIST } from '../tests/browser/harness.mjs';
import { measureTraining, measureField } from './wasm-train.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const SIZES = [400, 4000, 40000];
const FIELD_SIZES = [256, 512, 1024];
/** numpy's timed runs per size in a round. */
const RUNS = 3;
/** Rounds in which every engine's training speed is timed in turn. */
const ROUNDS = 3;
/**
 * The page's frame-time rows: the flower at these point counts with the
 * tutorial's network, and with the deepest network the page builds.
 */
const FRAME_CASES = [
  { points: 400, network: '2-4-1 tanh (the tutorial\'s)' },
  { points: 10000, network: '2-4-1 tanh (the tutorial\'s)' },
  { points: 100000, network: '2-4-1 tanh (the tutorial\'s)' },
  { points: 400, network: '7-8-8-8-8-8-8-1 ReLU, all seven features', query: '?layers=8,8,8,8,8,8&activation=relu&init=he&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&lr=0.01' },
];
/** Deeper networks, timed at m = 400 (as crate/examples/bench.rs names them). */
const NETWORKS = [
  ['2-8-8-1 tanh', 'x1,x2', '8,8', 'tanh', 'xavier'],
  ['7-8-8-8-1 ReLU, all seven features', 'x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2', '8,8,8', 'relu', 'he'],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

function numpy(m) {
  // The reference's own timer, over its training loop only; median of runs.
  const iters = String(Math.max(50, Math.round(4_000_000 / m)));
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const run = spawnSync('python3', [join(ROOT, 'bench/seed_numpy.py'), '--time', '--points', String(m), '--iters', iters], { encoding: 'utf8' });
    const match = /([\d.]+) ns\/point-iter/.exec(run.stdout ?? '');
    if (run.status !== 0 || !match) return { error: (run.stderr || run.error?.message || 'no output').trim().split('\n').pop() };
    times.push(Number(match[1]));
  }
  return { ns: median(times) };
}

function native() {
  const out = execFileSync(join(ROOT, 'target/release/examples/bench'), SIZES.map(String), { cwd: ROOT, encoding: 'utf8' });
  return out.trim().split('\n').map((line) => JSON.parse(line))
    .map((r) => ({ m: r.m, label: r.network, parameters: r.parameters, ns: r.ns_per_point_iteration }));
}

/**
 * The training speeds of every engine, taking turns: ROUNDS rounds, each
 * timing numpy, native Rust, wasm in Node and wasm in Chromium one after
 * the other, so that a slow spell of this shared machine falls on all of
 * them alike. Each figure is the median of its rounds' medians.
 */
async function trainingSpeeds(inPage) {
  const rounds = { reference: [], native: [], node: [], chromium: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    log(`training speeds, round ${round} of ${ROUNDS}: numpy, native Rust, wasm in Node, wasm in Chromium`);
    rounds.reference.push(SIZES.map((m) => ({ m, ...numpy(m) })));
    rounds.native.push(native());
    rounds.node.push(measureTraining(wasmModule, SIZES, { networks: NETWORKS }));
    rounds.chromium.push(await inPage((helpers, module, args) => helpers.measureTraining(module, args.sizes, { networks: args.networks }), { sizes: SIZES, networks: NETWORKS }));
  }
  // The rounds list their cases in the same order.
  const combine = (results) => results[0].map((row, i) => {
    const values = results.map((r) => r[i].ns).filter((ns) => ns !== undefined);
    return values.length ? { ...row, ns: median(values) } : row;
  });
  return Object.fromEntries(Object.entries(rounds).map(([engine, results]) => [engine, combine(results)]));
}

/**
 * Headless Chromium with a blank page of the repository's server, which
 * imports the same bindings (built with wasm-opt by scripts/build.sh) that
 * dist/ was made from. `inPage(fn, args)` runs `fn(helpers, module, args)`
 * there (helpers: bench/wasm-train.mjs) and returns its result.
 */
async function openChromium() {
  const repo = await serve(ROOT);
  const site = await serve(DIST);
  const browser = await launch();
  const page = await browser.newPage();
  await page.goto(`${repo.url}bench/blank.html`);
  const source = readFileSync(join(ROOT, 'bench/wasm-train.mjs'), 'utf8');
  await page.evaluate(async (text) => {
    window.helpers = await import(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
    window.planarModule = await import('/www/pkg/planar.js');
    await window.planarModule.default();
  }, source);
  const inPage = (fn, args) => page.evaluate(
    ({ body, args: given }) => new Function('helpers', 'module', 'args', `return (${body})(helpers, module, args);`)(window.helpers, window.planarModule, given),
    { body: fn.toString(), args },
  );
  const close = async () => {
    await browser.close();
    await repo.close();
    await site.close();
  };
  return { browser, siteUrl: site.url, inPage, close };
}

/** The built page (opened at `url` + `query`) training `points` flower points at 10 iterations a frame:
 *  the time each animation frame's work takes (median, 95th percentile). */
async function frameTimes(browser, url, { points, query = '' }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Times every requestAnimationFrame callback: the page's whole frame work.
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.__frameWork = [];
    window.requestAnimationFrame = (callback) => raf((t) => {
      const start = performance.now();
      callback(t);
      window.__frameWork.push(performance.now() - start);
    });
  });
  await page.goto(`${url}${query}`);
  await page.waitForSelector('#points');
  if (points !== 400) {
    const csv = ['x,y,label', ...flowerCsvRows(points)].join('\n');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#import')]);
    await chooser.setFiles({ name: 'flower.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction((n) => document.querySelector('#points').textContent.trim() === String(n), points, { timeout: 60000 });
  }
  await setSpeed(page, 10);
  await page.evaluate(() => { window.__frameWork = []; });
  await page.waitForTimeout(4000);
  const work = await page.evaluate(() => window.__frameWork.slice(10));
  await context.close();
  return { frames: work.length, median: median(work), p95: percentile(work, 0.95) };
}

/** The built page at the fastest speed (1000 iterations a frame) on the
 *  flower: the iterations it trains a second and the frames it draws a second. */
async function fastestSpeed(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#points');
  await setSpeed(page, 1000);
  // A warm-up: the engine loaded, the Worker (when one runs) trained a while.
  await page.waitForTimeout(3000);
  const measured = await page.evaluate(() => new Promise((done) => {
    const read = () => Number(document.querySelector('#iteration').textContent);
    let frames = 0;
    const count = () => {
      frames += 1;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(() => {
      const [start, iteration] = [performance.now(), read()];
      requestAnimationFrame(count);
      setTimeout(() => {
        const seconds = (performance.now() - start) / 1000;
        done({ iterationsPerSecond: (read() - iteration) / seconds, framesPerSecond: frames / seconds });
      }, 5000);
    });
  }));
  await context.close();
  return measured;
}

async function setSpeed(page, iterationsPerFrame) {
  await page.evaluate((speed) => {
    const slider = document.querySelector('#speed');
    slider.value = String(Math.log10(speed));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    slider.dispatchEvent(new Event('change', { bubbles: true }));
  }, iterationsPerFrame);
  const shown = await page.textContent('#speed-value');
  if (parseFloat(shown) !== iterationsPerFrame) log(`warning: #speed-value shows "${shown}", wanted ${iterationsPerFrame}`);
}

let flowerModule;
function flowerCsvRows(m) {
  const planar = new flowerModule.Planar();
  planar.load_preset('flower', m, 1);
  const memory = flowerModule.__memory();
  const view = (ptr) => new Float64Array(memory.buffer, ptr, m);
  const [x, y, label] = [view(planar.points_x_ptr()), view(planar.points_y_ptr()), view(planar.points_label_ptr())];
  const rows = Array.from({ length: m }, (_, i) => `${x[i]},${y[i]},${label[i]}`);
  planar.free();
  return rows;
}

function gzippedSizes() {
  const files = [];
  const walk = (dir) => readdirSync(dir).forEach((name) => {
    const path = join(dir, name);
    statSync(path).isDirectory() ? walk(path) : files.push(path);
  });
  walk(DIST);
  const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
  const wasm = files.filter((f) => f.endsWith('.wasm')).reduce((sum, f) => sum + gz(f), 0);
  const page = files.reduce((sum, f) => sum + gz(f), 0);
  return { wasm, page };
}

// ---- run ----
const wasmModule = await import(join(ROOT, 'www/pkg/planar.js'));
const exports = wasmModule.initSync({ module: readFileSync(join(ROOT, 'www/pkg/planar_bg.wasm')) });
flowerModule = { ...wasmModule, __memory: () => exports.memory };
log('headless Chromium');
const chromiumPage = await openChromium();
let speeds;
const chromium = {};
const node = {};
try {
  speeds = await trainingSpeeds(chromiumPage.inPage);
  log('the probability field, in Node and in Chromium');
  node.field = measureField(wasmModule, FIELD_SIZES);
  chromium.field = await chromiumPage.inPage((helpers, module, args) => helpers.measureField(module, args.sizes), { sizes: FIELD_SIZES });
  log('the page');
  chromium.frames = [];
  for (const frameCase of FRAME_CASES) chromium.frames.push({ ...frameCase, ...(await frameTimes(chromiumPage.browser, chromiumPage.siteUrl, frameCase)) });
  chromium.fastest = await fastestSpeed(chromiumPage.browser, chromiumPage.siteUrl);
} finally {
  await chromiumPage.close();
}
const reference = Object.fromEntries(speeds.reference.map((r) => [r.m, r]));
const nativeResults = speeds.native;
node.training = speeds.node;
chromium.training = speeds.chromium;
const sizes = gzippedSizes();

const fmt = (v, digits = 1) => (v === undefined ? '–' : v.toFixed(digits));
const ratio = (ns, m) => (reference[m].ns ? `${(reference[m].ns / ns).toFixed(1)}x` : '–');
const lines = [];
lines.push(`Planar benchmarks, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${process.version}`);
lines.push('');
lines.push(`Training step, ns per point-iteration (the engines timed in turn over ${ROUNDS} rounds, the median of each; speed-up against numpy in brackets)`);
lines.push('');
lines.push('| m | numpy reference | native Rust | wasm in Node | wasm in Chromium |');
lines.push('|---|---|---|---|---|');
for (const m of SIZES) {
  const ref = reference[m].ns ? fmt(reference[m].ns) : `not run: ${reference[m].error}`;
  const tutorial = (results) => results.find((r) => r.m === m && !r.label).ns;
  const [n, w, c] = [nativeResults, node.training, chromium.training].map(tutorial);
  lines.push(`| ${m} | ${ref} | ${fmt(n)} (${ratio(n, m)}) | ${fmt(w)} (${ratio(w, m)}) | ${fmt(c)} (${ratio(c, m)}) |`);
}
lines.push('');
lines.push('Deeper networks at m = 400: ns per point-iteration, and per point-iteration and parameter in brackets');
lines.push('');
lines.push('| network | parameters | native Rust | wasm in Node | wasm in Chromium |');
lines.push('|---|---|---|---|---|');
for (const row of nativeResults.filter((r) => r.label)) {
  const find = (results) => results.find((r) => r.label === row.label)?.ns;
  const cells = [row.ns, find(node.training), find(chromium.training)]
    .map((ns) => (ns === undefined ? '–' : `${fmt(ns)} (${fmt(ns / row.parameters, 2)})`));
  lines.push(`| ${row.label} | ${row.parameters} | ${cells.join(' | ')} |`);
}
lines.push('');
lines.push('Probability field, ms per render (median of runs)');
lines.push('');
lines.push('| samples | wasm in Node | wasm in Chromium |');
lines.push('|---|---|---|');
for (const size of FIELD_SIZES) {
  lines.push(`| ${size}² | ${fmt(node.field.find((r) => r.size === size).ms, 2)} | ${fmt(chromium.field.find((r) => r.size === size).ms, 2)} |`);
}
lines.push('');
lines.push('The page in headless Chromium, 1280×800, training the flower set at 10 iterations a frame: work per animation frame, ms');
lines.push('');
lines.push('| points | network | frames | median | 95th percentile |');
lines.push('|---|---|---|---|---|');
for (const f of chromium.frames) lines.push(`| ${f.points} | ${f.network} | ${f.frames} | ${fmt(f.median, 2)} | ${fmt(f.p95, 2)} |`);
lines.push('');
lines.push('The page in headless Chromium, 1280×800, at the fastest speed (1000 iterations a frame) on the flower set (400 points), over 5 s');
lines.push('');
lines.push('| iterations a second | frames a second |');
lines.push('|---|---|');
lines.push(`| ${fmt(chromium.fastest.iterationsPerSecond, 0)} | ${fmt(chromium.fastest.framesPerSecond, 1)} |`);
lines.push('');
lines.push(`Gzipped size: wasm ${(sizes.wasm / 1024).toFixed(1)} KB, whole page (dist/) ${(sizes.page / 1024).toFixed(1)} KB`);
const table = lines.join('\n');
console.log(table);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.md'), `${table}\n`);
