// How long the insight panels' computations take in wasm under Node, for
// the tutorial's network (400 points) and the largest the page builds
// (7 features, 6 hidden layers of 8 tanh units, 2000 points): a whole
// gradient check, a whole 41 × 41 landscape, one next-step curve (64 rates,
// 4 power iterations). Medians of runs, in ms.
//   node bench/wasm-insight.mjs   (after scripts/build-wasm.sh --opt)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const planarModule = await import(join(ROOT, 'www/pkg/planar.js'));
await planarModule.default({ module_or_path: await readFile(join(ROOT, 'www/pkg/planar_bg.wasm')) });

const NETWORKS = [
  ['tutorial, 400 points', null, 400],
  ['7 features, 6 × 8 tanh, 2000 points', ['x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2', '8,8,8,8,8,8', 'tanh', 'xavier'], 2000],
];
const SIZE = 41;
const RUNS = 5;

function median(f) {
  const times = [];
  for (let r = 0; r < RUNS; r += 1) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)];
}

const rows = [];
for (const [label, model, m] of NETWORKS) {
  const planar = new planarModule.Planar();
  planar.load_preset('flower', m, 1);
  if (model) planar.set_model(...model);
  planar.set_learning_rate(0.3);
  planar.step(300);
  const check = median(() => {
    const run = planar.gradient_check(false);
    while (!run.finished()) run.advance(16);
    run.free();
  });
  const landscape = median(() => {
    const run = planar.landscape('random', SIZE, 1);
    while (!run.advance(64));
    run.free();
  });
  const next = median(() => planar.next_step(64, 0.001, 10, 4).free());
  const parameters = JSON.parse(planar.model()).parameter_count;
  rows.push({ label, parameters, check, landscape, next });
  planar.free();
}

console.log('| network | parameters | gradient check, ms | landscape 41 × 41, ms | next step, ms |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.parameters} | ${r.check.toFixed(0)} | ${r.landscape.toFixed(0)} | ${r.next.toFixed(1)} |`);
}
