// Training speed of the wasm build, in Node or (as a string evaluated in a
// page) in Chromium: ns per point-iteration, median of several runs.
// `planarModule` is the wasm-bindgen module (www/pkg/planar.js), initialized.
// `networks` lists [label, features, layers, activation, init] trained at
// m = 400 after the tutorial's network at every size.
export function measureTraining(planarModule, sizes, { runs = 7, work = 4_000_000, networks = [] } = {}) {
  const results = [];
  const cases = [
    ...sizes.map((m) => ({ m })),
    ...networks.map(([label, ...model]) => ({ m: 400, label, model })),
  ];
  for (const { m, label, model } of cases) {
    const planar = new planarModule.Planar();
    planar.load_preset('flower', m, 1);
    if (model) {
      planar.set_model(...model);
      planar.set_learning_rate(0.01);
    }
    const iterations = Math.max(10, Math.round(work / m));
    // Warm-up: engines first run wasm from a quick baseline compile and
    // switch to optimized code once it is hot, possibly on a busy core.
    const warmUntil = performance.now() + 1000;
    while (performance.now() < warmUntil) planar.step(Math.ceil(iterations / 10));
    const times = [];
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      planar.step(iterations);
      times.push(((performance.now() - start) * 1e6) / (iterations * m));
    }
    planar.free();
    times.sort((a, b) => a - b);
    results.push({ m, label, ns: times[Math.floor(runs / 2)] });
  }
  return results;
}

// The probability field: ms per render of size x size samples, median of runs.
export function measureField(planarModule, sizes, { runs = 15 } = {}) {
  const planar = new planarModule.Planar();
  planar.step(3000);
  const results = [];
  for (const size of sizes) {
    const warmUntil = performance.now() + 500; // warm-up, as above
    while (performance.now() < warmUntil) planar.render_field(size, size);
    const times = [];
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      planar.render_field(size, size);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    results.push({ size, ms: times[Math.floor(runs / 2)] });
  }
  planar.free();
  return results;
}
