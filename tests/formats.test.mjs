// The file formats, in Node: exact round trips, the message of every
// refusal, and seeded fuzzing of every parser (JSON document of versions 1
// and 2, CSV, share hash, a teacher's query): whatever the input, a parser
// returns either a fully valid result or a non-empty error, never throws,
// and refuses inputs known to be invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DATASETS, DEFAULT_SETTINGS, LINK_HISTORY_BUCKETS, MAX_COORD, MAX_LINK_LENGTH, MAX_POINTS, MAX_WEIGHT, VERSION,
  base64urlToBytes, bytesToBase64url,
  DAMAGED_LINK, checksum, decodeHash, findJsonError, encodeHash, historyProblem, packPoints, parseCsv, parseDocument,
  pointsToCsv, serializeDocument, upgradeDocument, validateDocument,
} from '../www/formats.js';
import {
  ACTIVATIONS, DEFAULT_MODEL, FEATURES, INITS, MAX_LAYERS, MAX_UNITS, checkModel, parameterCount,
} from '../www/model.js';
import { QUERY_PARAMETERS, parseQuery } from '../www/query.js';
import { setLanguage } from '../www/i18n.js';
import { SETTINGS, defaultSettings } from '../www/state.js';
import { prng } from './prng.mjs';

/** Awkward but valid doubles: integers, tiny, huge-but-allowed, subnormal, long mantissas. */
function randomCoordinate(r, { allowNegativeZero = false } = {}) {
  switch (r.int(7)) {
    case 0: return r.int(21) - 10;
    case 1: return (r.next() - 0.5) * 10;
    case 2: return (r.next() - 0.5) * 2 * MAX_COORD;
    case 3: return r.pick([MAX_COORD, -MAX_COORD, 5e-324, -5e-324, 2.2250738585072014e-308, 0.1, 1 / 3]);
    case 4: return allowNegativeZero ? -0 : 0;
    case 5: {
      // Any bit pattern whose value is finite and in range.
      const view = new DataView(new ArrayBuffer(8));
      view.setUint32(0, r.int(2 ** 32));
      view.setUint32(4, r.int(2 ** 32));
      const v = view.getFloat64(0);
      return Number.isFinite(v) && Math.abs(v) <= MAX_COORD ? v : 0.5;
    }
    default: return (r.next() - 0.5) * 1e-3;
  }
}

function randomDocument(r, { count = r.int(40), allowNegativeZero = false, history = true } = {}) {
  const hidden = 1 + r.int(8);
  const points = { x: [], y: [], label: [] };
  for (let i = 0; i < count; i++) {
    points.x.push(randomCoordinate(r, { allowNegativeZero }));
    points.y.push(randomCoordinate(r, { allowNegativeZero }));
    points.label.push(r.int(2));
  }
  const values = Array.from({ length: 4 * hidden + 1 }, () => randomCoordinate(r, { allowNegativeZero }));
  const iteration = r.pick([0, 1, 7, 1000, r.int(100000), 2 ** 40]);
  const doc = {
    format: 'planar',
    version: 1,
    settings: {
      dataset: r.pick(DATASETS),
      dataSeed: r.int(2 ** 32),
      weightSeed: r.pick([0, 2, 4294967295, r.int(2 ** 32)]),
      learningRate: r.pick([0.001, 10, 1.2, 0.001 + r.next() * 9.999]),
      hidden,
      speed: 1 + r.int(1000),
      playing: r.next() < 0.5,
      selectedClass: r.int(2),
      logScale: r.next() < 0.5,
    },
    points,
    weights: { hidden, values },
    iteration,
  };
  if (history && iteration > 0 && iteration < 5000) doc.history = randomHistory(r, iteration);
  return doc;
}

/** A random architecture: a non-empty feature subset, 0..6 layers of 1..8 units, any activations and init. */
function randomModel(r) {
  let features = FEATURES.filter(() => r.next() < 0.5);
  if (features.length === 0) features = [r.pick(FEATURES)];
  const layers = Array.from({ length: r.int(MAX_LAYERS + 1) }, () => ({ units: 1 + r.int(MAX_UNITS), activation: r.pick(ACTIVATIONS) }));
  return { features, layers, init: r.pick(INITS) };
}

/** A version-2 document: the whole architecture, and as many weights as it has parameters. */
function randomDocument2(r, { count = r.int(40), allowNegativeZero = false, history = true } = {}) {
  const v1 = randomDocument(r, { count, allowNegativeZero, history });
  const { hidden, ...settings } = v1.settings;
  const model = randomModel(r);
  const values = Array.from({ length: parameterCount(model) }, () => randomCoordinate(r, { allowNegativeZero }));
  const doc = {
    format: 'planar', version: 2, settings, model, points: v1.points, weights: { values }, iteration: v1.iteration,
  };
  if (v1.history) doc.history = v1.history;
  return doc;
}

/**
 * A version-3 document: a version-2 one with random training settings, a
 * test set (sometimes), an update count and the test cost's history (with
 * gaps where no point was held out).
 */
function randomDocument3(r, { count = r.int(40), allowNegativeZero = false, history = true } = {}) {
  const doc = randomDocument2(r, { count, allowNegativeZero, history });
  doc.version = 3;
  doc.settings = {
    ...doc.settings,
    optimizer: r.pick(['gd', 'momentum', 'adam']),
    beta: r.pick([0, 0.9, 0.9999, r.next() * 0.9999]),
    beta1: r.pick([0.9, r.next() * 0.9999]),
    beta2: r.pick([0.999, 0]),
    batch: r.pick([0, 1, 32, MAX_POINTS]),
    l2: r.pick([0, 0.01, 100, r.next() * 100]),
    l1: r.pick([0, 1e-5]),
    trainShare: r.pick([100, 10, 70, 10 + r.int(91)]),
    noise: r.pick([null, 0, 0.2, 2, r.next() * 2]),
    pointCount: r.pick([400, 2, MAX_POINTS, 2 + r.int(5000)]),
    clickTest: r.next() < 0.5,
    showTest: r.next() < 0.5,
    discrete: r.next() < 0.5,
  };
  if (count > 0 && r.next() < 0.6) {
    doc.points.test = doc.points.x.map(() => r.int(2));
    doc.points.test[r.int(count)] = 1;
  }
  doc.updates = r.pick([doc.iteration, 0, r.int(2 ** 40)]);
  if (history && r.next() < 0.7) {
    const testHistory = randomHistory(r, doc.iteration);
    const buckets = (testHistory.length - 2) / 2;
    for (let i = 0; i < buckets; i++) {
      if (r.next() < 0.3) testHistory[2 + i] = testHistory[2 + buckets + i] = Number.NaN;
    }
    doc.testHistory = testHistory;
  }
  return doc;
}

/** A snapshot as the core's `history_snapshot` makes one. */
function randomHistory(r, iteration) {
  let width = 1;
  while (Math.ceil(iteration / width) > 64) width *= 2;
  const buckets = Math.ceil(iteration / width);
  const low = Array.from({ length: buckets }, () => r.next());
  const high = low.map((v) => v + r.next());
  return [width, iteration, ...low, ...high];
}

// An independent statement of what a valid document is, so that the fuzzer
// does not trust the validator under test.
function assertValidDocument(doc, context) {
  const where = `${context}\n${JSON.stringify(doc).slice(0, 300)}`;
  assert.equal(doc.format, 'planar', where);
  assert.ok(doc.version >= 1 && doc.version <= 3, where);
  const s = doc.settings;
  assert.ok(DATASETS.includes(s.dataset), where);
  for (const seed of [s.dataSeed, s.weightSeed]) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, where);
  assert.ok(s.learningRate >= 0.001 && s.learningRate <= 10, where);
  if (doc.version === 1) assert.ok(Number.isInteger(s.hidden) && s.hidden >= 1 && s.hidden <= 8, where);
  else assert.equal(s.hidden, undefined, where);
  assert.ok(Number.isInteger(s.speed) && s.speed >= 1 && s.speed <= 1000, where);
  assert.equal(typeof s.playing, 'boolean', where);
  assert.equal(typeof s.logScale, 'boolean', where);
  assert.ok(s.selectedClass === 0 || s.selectedClass === 1, where);
  const { x, y, label } = doc.points;
  assert.ok(Array.isArray(x) && Array.isArray(y) && Array.isArray(label), where);
  assert.ok(x.length === y.length && y.length === label.length && x.length <= MAX_POINTS, where);
  for (let i = 0; i < x.length; i++) {
    assert.ok(Number.isFinite(x[i]) && Math.abs(x[i]) <= MAX_COORD, where);
    assert.ok(Number.isFinite(y[i]) && Math.abs(y[i]) <= MAX_COORD, where);
    assert.ok(label[i] === 0 || label[i] === 1, where);
  }
  if (doc.version === 1) {
    assert.equal(doc.weights.hidden, s.hidden, where);
    assert.equal(doc.weights.values.length, 4 * s.hidden + 1, where);
  } else {
    const { features, layers, init } = doc.model;
    assert.ok(features.length >= 1 && features.every((f) => FEATURES.includes(f)), where);
    assert.deepEqual(features, FEATURES.filter((f) => features.includes(f)), where);
    assert.ok(layers.length <= MAX_LAYERS, where);
    for (const layer of layers) {
      assert.ok(Number.isInteger(layer.units) && layer.units >= 1 && layer.units <= MAX_UNITS, where);
      assert.ok(ACTIVATIONS.includes(layer.activation), where);
    }
    assert.ok(INITS.includes(init), where);
    // n[l]·(n[l−1] + 1) summed over the layers, written out independently.
    const dims = [features.length, ...layers.map((layer) => layer.units), 1];
    let count = 0;
    for (let l = 1; l < dims.length; l++) count += dims[l] * dims[l - 1] + dims[l];
    assert.equal(doc.weights.values.length, count, where);
    assert.equal(doc.weights.hidden, undefined, where);
  }
  for (const w of doc.weights.values) assert.ok(Number.isFinite(w) && Math.abs(w) <= MAX_WEIGHT, where);
  if (doc.version >= 3) {
    assert.ok(['gd', 'momentum', 'adam'].includes(s.optimizer), where);
    for (const b of [s.beta, s.beta1, s.beta2]) assert.ok(b >= 0 && b < 1, where);
    assert.ok(Number.isInteger(s.batch) && s.batch >= 0 && s.batch <= MAX_POINTS, where);
    for (const lambda of [s.l2, s.l1]) assert.ok(lambda >= 0 && lambda <= 100, where);
    assert.ok(Number.isInteger(s.trainShare) && s.trainShare >= 10 && s.trainShare <= 100, where);
    assert.ok(s.noise === null || (s.noise >= 0 && s.noise <= 2), where);
    assert.ok(Number.isInteger(s.pointCount) && s.pointCount >= 2 && s.pointCount <= MAX_POINTS, where);
    assert.ok(Number.isInteger(doc.updates) && doc.updates >= 0, where);
    if (doc.points.test) {
      assert.equal(doc.points.test.length, x.length, where);
      assert.ok(doc.points.test.every((t) => t === 0 || t === 1) && doc.points.test.includes(1), where);
    }
  } else {
    for (const key of ['optimizer', 'batch', 'l2', 'trainShare', 'noise']) assert.equal(s[key], undefined, where);
    assert.equal(doc.points.test, undefined, where);
  }
  assert.ok(Number.isSafeInteger(doc.iteration) && doc.iteration >= 0, where);
  if (doc.history !== undefined) {
    const h = doc.history;
    assert.ok(h.every(Number.isFinite), where);
    assert.equal(h[1], doc.iteration, where);
    assert.equal(Math.ceil(h[1] / h[0]), (h.length - 2) / 2, where);
  }
}

function assertValidPoints(points, context) {
  assertValidDocument({
    ...randomDocument(prng(1), { count: 0 }), points, history: undefined,
  }, context);
}

function assertResult(result, validate, context) {
  assert.equal(typeof result, 'object', context);
  if (result.ok === true) {
    validate(result, context);
  } else {
    assert.equal(result.ok, false, context);
    assert.equal(typeof result.error, 'string', context);
    assert.ok(result.error.length > 0, context);
  }
}

// ---------------------------------------------------------------------------
// Round trips

/**
 * Writes `doc` pretty and compact and reads each text back: it must come
 * back exactly, without warnings. Returns the two texts.
 */
function assertRoundTrip(doc) {
  return [false, true].map((compact) => {
    const text = serializeDocument(doc, { compact });
    const result = parseDocument(text);
    assert.ok(result.ok, result.error);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(result.document, doc);
    return text;
  });
}

test('document → JSON → document is exact, pretty and compact', () => {
  const r = prng(1);
  for (let k = 0; k < 300; k++) {
    const doc = randomDocument(r, { count: r.pick([0, 1, 3, 50, 333]) });
    assertRoundTrip(doc);
  }
});

test('pretty JSON is readable: indented, one setting a line, ends with a newline', () => {
  const text = serializeDocument(randomDocument(prng(2), { count: 25 }));
  assert.match(text, /^\{\n {2}"format": "planar",\n {2}"version": 1,\n {2}"settings": \{\n {4}"dataset": /);
  assert.ok(text.endsWith('}\n'));
});

test('compact JSON packs the points exactly, -0 included', () => {
  const doc = randomDocument(prng(3), { count: 100, allowNegativeZero: true });
  doc.points.x[0] = -0;
  const result = parseDocument(serializeDocument(doc, { compact: true }));
  assert.ok(result.ok, result.error);
  assert.ok(Object.is(result.document.points.x[0], -0));
  assert.deepEqual(result.document.points, doc.points);
});

test('points → CSV → points is exact', () => {
  const r = prng(4);
  for (let k = 0; k < 300; k++) {
    const { points } = randomDocument(r, { count: r.int(60) });
    const result = parseCsv(pointsToCsv(points));
    assert.ok(result.ok, result.error);
    assert.deepEqual(result.points, points);
  }
});

test('CSV accepts CRLF, blank lines, spaces, quotes, a BOM, and no trailing newline', () => {
  const result = parseCsv('\uFEFF X , Y ,"label"\r\n 1.5 , -2 , 1 \r\n\r\n"3","4e-1",0.0');
  assert.ok(result.ok, result.error);
  assert.deepEqual(result.points, { x: [1.5, 3], y: [-2, 0.4], label: [1, 0] });
  assert.deepEqual(parseCsv('x,y,label\n').points, { x: [], y: [], label: [] });
});

test('document → hash → document is exact, -0 included; the history is compacted', () => {
  const r = prng(5);
  for (let k = 0; k < 300; k++) {
    const doc = randomDocument(r, { count: r.int(200), allowNegativeZero: true });
    const encoded = encodeHash(doc);
    assert.ok(encoded.ok, encoded.error);
    assert.ok(encoded.hash.length < MAX_LINK_LENGTH);
    assert.match(encoded.hash, /^[A-Za-z0-9_\-=&.%]+$/);
    const decoded = decodeHash(`#${encoded.hash}`);
    assert.ok(decoded.ok, decoded.error);
    assert.deepEqual(decoded.document, doc);
  }
});

test('version 2: document → JSON → document and → hash → document are exact, for any architecture', () => {
  const r = prng(31);
  for (let k = 0; k < 300; k++) {
    const doc = randomDocument2(r, { count: r.pick([0, 1, 3, 50, 150]), allowNegativeZero: true });
    for (const compact of [false, true]) {
      const result = parseDocument(serializeDocument(doc, { compact }));
      assert.ok(result.ok, result.error);
      assert.deepEqual(result.warnings, []);
      // JSON has no -0; everything else comes back exactly.
      assert.deepEqual(JSON.stringify(result.document), JSON.stringify(doc));
    }
    const encoded = encodeHash(doc);
    assert.ok(encoded.ok, encoded.error);
    assert.match(encoded.hash, /^v=2&/);
    const decoded = decodeHash(encoded.hash);
    assert.ok(decoded.ok, decoded.error);
    assert.deepEqual(decoded.document, doc);
  }
});

test('version 3: training settings, test marks, updates and the test history come back exactly', () => {
  const r = prng(35);
  let withTest = 0;
  for (let k = 0; k < 300; k++) {
    const doc = randomDocument3(r, { count: r.pick([0, 1, 3, 50, 150]) });
    if (doc.points.test) withTest += 1;
    for (const text of assertRoundTrip(doc)) {
      // JSON has no NaN: the test history's gaps are written as null.
      if (doc.testHistory?.some(Number.isNaN)) assert.match(text, /null/);
    }
    const encoded = encodeHash(doc);
    assert.ok(encoded.ok, encoded.error);
    assert.match(encoded.hash, /^v=3&/);
    const decoded = decodeHash(encoded.hash);
    assert.ok(decoded.ok, decoded.error);
    // A link leaves the test history out; everything else comes back.
    const { testHistory, ...rest } = doc;
    assert.deepEqual(decoded.document, rest);
  }
  assert.ok(withTest > 50);
});

/** An optimizer's state for `values.length` parameters after `updates` updates. */
function randomMoments(r, values, updates) {
  const v = values.map(() => r.pick([0, (r.next() - 0.5) * 1e-3, r.next() * 10]));
  const s = values.map(() => r.pick([0, r.next() * 1e-6, r.next()]));
  return { t: r.pick([updates, 0, r.int(updates + 1)]), v, s };
}

/** A version-4 document: a version-3 one, with the optimizer's moments or not, and `count` kept runs of the same network (some on other points). */
function randomDocument4(r, { count = 1 + r.int(3) } = {}) {
  const doc = { ...randomDocument3(r, { count: 1 + r.int(30) }), version: VERSION };
  if (r.next() < 0.5) doc.moments = randomMoments(r, doc.weights.values, doc.updates);
  doc.branches = Array.from({ length: count }, () => {
    const other = randomDocument3(r, { count: 1 + r.int(30) });
    const run = {
      settings: other.settings,
      model: doc.model,
      points: r.next() < 0.5 ? doc.points : other.points,
      weights: { values: doc.weights.values.map((v) => (v / 2 === 0 ? 1 : v / 2)) },
      iteration: other.iteration,
      updates: other.updates,
    };
    if (r.next() < 0.5) run.moments = randomMoments(r, run.weights.values, run.updates);
    if (other.history) run.history = other.history;
    if (other.testHistory && run.points === other.points) run.testHistory = other.testHistory;
    run.pinned = r.next() < 0.5;
    return run;
  });
  return doc;
}

test('version 4: the kept runs come back exactly; the same points are written once', () => {
  const r = prng(41);
  let shared = 0;
  for (let k = 0; k < 200; k++) {
    const doc = randomDocument4(r);
    for (const text of assertRoundTrip(doc)) {
      const written = JSON.parse(text).branches;
      doc.branches.forEach((run, i) => {
        assert.equal(written[i].points === undefined, run.points === doc.points, 'points only where they differ');
        if (run.points === doc.points) shared += 1;
      });
    }
    // A link carries the current run only.
    const decoded = decodeHash(encodeHash(doc).hash);
    assert.ok(decoded.ok, decoded.error);
    assert.deepEqual(decoded.document.branches ?? [], []);
    assert.doesNotMatch(encodeHash(doc).hash, /branches/);
  }
  assert.ok(shared > 50);
  // A version-3 document's "branches" is not read.
  const three = randomDocument3(prng(42));
  const read = validateDocument({ ...three, branches: randomDocument4(prng(43)).branches });
  assert.ok(read.ok, read.error);
  assert.equal(read.document.branches, undefined);
});

test('version 4: the optimizer\'s moments come back exactly; bad ones are left out, naming why, and the rest opens', () => {
  const r = prng(45);
  let kept = 0;
  for (let k = 0; k < 100; k++) {
    const doc = randomDocument4(r, { count: 1 });
    if (doc.moments) kept += 1;
    for (const text of assertRoundTrip(doc)) assert.equal(JSON.parse(text).moments === undefined, doc.moments === undefined);
  }
  assert.ok(kept > 20);
  const base = () => {
    const doc = randomDocument4(prng(46), { count: 1 });
    doc.updates = 50;
    doc.moments = { t: 50, v: doc.weights.values.map(() => 0.5), s: doc.weights.values.map(() => 0.25) };
    return doc;
  };
  const leftOut = (change, pattern) => {
    const doc = JSON.parse(serializeDocument(base()));
    change(doc.moments, doc);
    const result = parseDocument(JSON.stringify(doc));
    assert.ok(result.ok, result.error);
    assert.equal(result.document.moments, undefined);
    assert.deepEqual(result.document.weights, doc.weights, 'the rest opens');
    assert.equal(result.document.branches.length, 1);
    assert.ok(result.warnings.some((w) => pattern.test(w)), `${pattern} in ${JSON.stringify(result.warnings)}`);
  };
  leftOut((m) => { m.t = 51; }, /^the optimizer's moments were left out, so it starts them again from zero: its update count t must be a whole number from 0 to the run's 50 updates, not 51$/);
  leftOut((m) => { m.t = 1.5; }, /update count t/);
  leftOut((m) => { m.v.pop(); }, /v must have \d+ numbers, one per weight and bias/);
  leftOut((m) => { m.s[2] = -0.1; }, /s\[2\] is a mean of squares and cannot be negative: -0.1/);
  leftOut((m) => { m.v[0] = 'x'; }, /v\[0\] must be a finite number, not "x"/);
  leftOut((m, doc) => { doc.moments = [1, 2]; }, /"moments" must be an object/);
  leftOut((m) => { delete m.s; }, /s must be a list of numbers/);
  // Russian, too.
  setLanguage('ru');
  try {
    const doc = JSON.parse(serializeDocument(base()));
    doc.moments.t = 99;
    assert.match(parseDocument(JSON.stringify(doc)).warnings.join(' '), /моменты оптимизатора не загружены/);
  } finally {
    setLanguage('en');
  }
  // A version-3 document's "moments" is not read.
  const three = randomDocument3(prng(47));
  const read = validateDocument({ ...three, moments: base().moments });
  assert.ok(read.ok, read.error);
  assert.equal(read.document.moments, undefined);
});

test('version 4: a kept run that does not check out is left out, naming why; the rest opens', () => {
  const base = () => randomDocument4(prng(44), { count: 2 });
  const opens = (change, pattern, kept) => {
    const doc = base();
    change(doc);
    const result = parseDocument(serializeDocument(doc));
    assert.ok(result.ok, result.error);
    assert.equal(result.document.weights.values.length, doc.weights.values.length);
    assert.equal(result.document.branches.length, kept);
    assert.ok(result.warnings.some((warning) => pattern.test(warning)), `${pattern} in ${JSON.stringify(result.warnings)}`);
  };
  opens((d) => { d.branches[0].weights.values.push(1); }, /^kept run 1 was left out: .*weights/, 1);
  opens((d) => { d.branches[1].settings.learningRate = -1; }, /^kept run 2 was left out: .*learningRate/, 1);
  opens((d) => { d.branches[1].model = { features: [], layers: [], init: 'he' }; }, /^kept run 2 was left out/, 1);
  opens((d) => { d.branches[0].points = { x: [1], y: [2], label: [3] }; }, /^kept run 1 was left out: .*label/, 1);
  opens((d) => { d.branches[0].iteration = -3; }, /^kept run 1 was left out: .*iteration/, 1);
  opens((d) => { d.branches[0].history = [1, 2, 3]; }, /^kept run 1: the cost history was left out/, 2);
  opens((d) => { d.branches.push(...base().branches, ...base().branches); }, /^only the first 3 kept runs were opened/, 3);
  const notList = parseDocument(serializeDocument(base()).replace(/"branches": \[/, '"branches": "x", "ignored": ['));
  assert.ok(notList.ok, notList.error);
  assert.deepEqual(notList.document.branches, []);
  assert.match(notList.warnings[0], /the kept runs were left out: "branches" must be a list, not "x"/);
  const notObject = validateDocument({ ...base(), branches: [7] });
  assert.ok(notObject.ok);
  assert.match(notObject.warnings[0], /^kept run 1 was left out: /);
});

test('version 3 refuses bad training settings and test marks, naming them', () => {
  const base3 = () => randomDocument3(prng(36), { count: 4, history: false });
  const refuses = (change, pattern) => {
    const doc = base3();
    change(doc);
    const result = parseDocument(JSON.stringify(doc));
    assert.equal(result.ok, false, JSON.stringify(doc.settings));
    assert.match(result.error, pattern);
  };
  refuses((d) => { d.settings.optimizer = 'rmsprop'; }, /the optimizer \(settings.optimizer\) must be one of gd, momentum, adam, not "rmsprop"/);
  refuses((d) => { d.settings.beta2 = 1; }, /Adam's β2 \(settings.beta2\) must be a number from 0 to 0.9999, not 1/);
  refuses((d) => { d.settings.batch = 2.5; }, /the batch size \(settings.batch\) must be a whole number/);
  refuses((d) => { d.settings.l2 = -0.1; }, /the L2 rate λ \(settings.l2\)/);
  refuses((d) => { d.settings.trainShare = 5; }, /the training share \(settings.trainShare\) must be a whole number from 10 to 100/);
  refuses((d) => { d.settings.noise = 'loud'; }, /the noise \(settings.noise\) must be a number from 0 to 2, or null/);
  refuses((d) => { d.points.test = [1, 0, 1]; }, /points.test must be a list of 4 marks .* of 3/);
  refuses((d) => { d.points.test = [1, 0, 2, 0]; }, /point 2: its test mark must be 0 or 1, not 2/);
  refuses((d) => { d.updates = -1; }, /the update count must be a whole number from 0, not -1/);
  // A test history that does not fit is left out with a warning, like the cost history.
  const doc = base3();
  doc.testHistory = [1, doc.iteration + 1, 0.5, 0.6];
  const result = parseDocument(JSON.stringify(doc));
  assert.ok(result.ok, result.error);
  assert.equal(result.document.testHistory, undefined);
  assert.match(result.warnings[0], /the test cost's history was left out/);
});

test('a version-2 document opens as a current one with the tutorial\'s training', () => {
  const doc = randomDocument2(prng(37), { count: 5 });
  const checked = validateDocument(doc);
  assert.ok(checked.ok, checked.error);
  // Read as it was written: version 2, its settings only.
  assert.equal(checked.document.version, 2);
  assert.equal(checked.document.settings.optimizer, undefined);
  const upgraded = upgradeDocument(checked.document);
  assert.equal(upgraded.version, VERSION);
  assert.deepEqual(validateDocument(upgraded).document.settings, { ...DEFAULT_SETTINGS, ...doc.settings });
  // Version-3 keys in a version-2 document are not read.
  const mixed = randomDocument2(prng(38), { count: 2 });
  mixed.settings.optimizer = 'adam';
  mixed.points.test = [1, 1];
  const read = validateDocument(mixed);
  assert.ok(read.ok, read.error);
  assert.equal(read.document.settings.optimizer, undefined);
  assert.equal(read.document.points.test, undefined);
});

test('version 2 writes the model and the weights alone; features come back in the engine\'s order', () => {
  const doc = randomDocument2(prng(32), { count: 3, history: false });
  doc.model = { features: ['sinx1', 'x1'], layers: [{ units: 8, activation: 'relu' }, { units: 2, activation: 'linear' }], init: 'he' };
  doc.weights.values = new Array(8 * 3 + 2 * 9 + 3).fill(0.5);
  const text = serializeDocument(doc);
  assert.match(text, /"version": 2,\n {2}"settings": \{/);
  assert.match(text, /"model": \{\n {4}"features": \["sinx1", "x1"\],/);
  assert.match(text, /"weights": \{\n {4}"values": \[/);
  const result = parseDocument(text);
  assert.ok(result.ok, result.error);
  assert.deepEqual(result.document.model.features, ['x1', 'sinx1']);
  const { hash } = encodeHash(result.document);
  assert.match(hash, /&f=x1%2Csinx1&ly=8%2C2&a=relu%2Clinear&in=he&/);
  // No hidden layer: logistic regression on the features.
  doc.model = { features: ['x1', 'x2', 'x1x2'], layers: [], init: 'tutorial' };
  doc.weights.values = [0.1, 0.2, 0.3, 0.4];
  const flat = decodeHash(encodeHash(doc).hash);
  assert.ok(flat.ok, flat.error);
  assert.deepEqual(flat.document.model, doc.model);
  assert.match(encodeHash(doc).hash, /&ly=&a=&/);
});

test('a version-1 document means x1, x2 / n tanh units / tutorial, with its values in the same order', () => {
  const doc = randomDocument(prng(33), { count: 5 });
  const checked = validateDocument(doc);
  assert.ok(checked.ok, checked.error);
  const upgraded = upgradeDocument(checked.document);
  const n = doc.weights.hidden;
  assert.equal(upgraded.version, VERSION);
  assert.deepEqual(upgraded.model, { features: ['x1', 'x2'], layers: [{ units: n, activation: 'tanh' }], init: 'tutorial' });
  assert.deepEqual(upgraded.weights, { values: doc.weights.values });
  assert.equal(upgraded.settings.hidden, undefined);
  assert.deepEqual(upgraded.points, doc.points);
  assert.equal(upgraded.iteration, doc.iteration);
  // The upgraded document is a valid current document with the same weights.
  const again = validateDocument(upgraded);
  assert.ok(again.ok, again.error);
  assert.equal(again.document.weights.values.length, 4 * n + 1);
  // A current document is left as it is; a version-3 one is a current one without kept runs.
  const current = { ...randomDocument3(prng(34)), version: VERSION, branches: [] };
  assert.equal(upgradeDocument(current), current);
  const three = randomDocument3(prng(34));
  assert.deepEqual(upgradeDocument(three), { ...three, version: VERSION });
});

test('a link carries the engine\'s 64-bucket history; a longer one is left out of the link', () => {
  const doc = randomDocument2(prng(35), { count: 10, history: false });
  doc.iteration = 1000;
  doc.history = randomHistory(prng(36), 1000);
  assert.ok((doc.history.length - 2) / 2 <= LINK_HISTORY_BUCKETS);
  assert.deepEqual(decodeHash(encodeHash(doc).hash).document.history, doc.history);
  doc.history = [1, 1000, ...new Array(1000).fill(0.5), ...new Array(1000).fill(0.6)];
  assert.equal(historyProblem(doc.history, 1000), null);
  const decoded = decodeHash(encodeHash(doc).hash);
  assert.ok(decoded.ok, decoded.error);
  assert.equal(decoded.document.history, undefined);
});

test('base64url agrees with Node\'s and refuses what no encoder makes', () => {
  const r = prng(18);
  for (let k = 0; k < 2000; k++) {
    const bytes = Uint8Array.from({ length: r.int(40) }, () => r.int(256));
    const text = bytesToBase64url(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(base64urlToBytes(text), bytes);
  }
  for (const bad of ['A', 'AAAAA', 'AB', 'AAB', 'AA==', 'A+/A', 'AA A', 'AAé', '\u0000AAA']) {
    assert.equal(base64urlToBytes(bad), null, bad);
  }
  assert.deepEqual(base64urlToBytes(''), new Uint8Array(0));
});

// ---------------------------------------------------------------------------
// Refusals, each with a message for a person

function base() {
  return randomDocument(prng(7), { count: 20, history: false });
}
const refuse = (text, pattern) => {
  const result = parseDocument(text);
  assert.equal(result.ok, false, `accepted: ${text.slice(0, 200)}`);
  assert.match(result.error, pattern);
};
const tweak = (change) => {
  const doc = base();
  change(doc);
  return JSON.stringify(doc);
};

test('the document parser names each problem', () => {
  refuse('', /empty/);
  refuse('  \n', /empty/);
  refuse('{"format": "planar",\n  "version": 1,\n  oops}', /not valid JSON: line 3, column 3/);
  refuse('{"format": "planar"', /^not valid JSON: it ends too early \(is the file cut off\?\)$/);
  refuse('{"points": [1, 2,,]}', /^not valid JSON: line 1, column 18: unexpected ',' where a value should be$/);
  refuse('{\r\n"a": 1\r\n"b": 2}', /^not valid JSON: line 3, column 1: expected ',' or '}', found '"'$/);
  refuse('['.repeat(100000), /it ends too early/);
  refuse('[1, 2, 3]', /not a Planar document/);
  refuse('{"version": 1}', /no "format": "planar"/);
  refuse('{"format": "tfplayground", "version": 1}', /format is "tfplayground"/);
  refuse(tweak((d) => { d.version = 5; }), /made by a newer Planar: version 5; this page reads versions 1 to 4/);
  refuse(tweak((d) => { d.version = '1'; }), /unknown document version "1"/);
  refuse(tweak((d) => { delete d.points; }), /no points/);
  refuse(tweak((d) => { d.points.x.pop(); }), /same length/);
  refuse(tweak((d) => { d.points.x[17] = null; }), /^point 17: x is not a finite number/);
  refuse(tweak((d) => { d.points.y[3] = '1'; }), /^point 3: y is not a finite number/);
  refuse(tweak((d) => { d.points.x[5] = 1e7; }), /^point 5: x = 10000000 is outside ±1000000/);
  // JSON.stringify writes no 1e400 (it would be null): the text is changed instead.
  refuse(tweak((d) => { d.points.x[5] = 123456.5; }).replace('123456.5', '1e400'), /point 5|not valid JSON/);
  refuse(tweak((d) => { d.points.label[2] = 2; }), /^point 2: the label must be 0 or 1, not 2/);
  refuse(tweak((d) => { d.points.label[2] = true; }), /^point 2: the label must be 0 or 1, not true/);
  refuse(tweak((d) => { d.weights.values.pop(); }), /has \d+ weights, but weights.values has/);
  refuse(tweak((d) => { d.weights.values[0] = null; }), /weight 0 is not a finite number/);
  refuse(tweak((d) => { d.weights.values[0] = 1e200; }), /weight 0 = 1e\+200 is too large/);
  refuse(tweak((d) => { d.settings.hidden = d.weights.hidden === 8 ? 7 : d.weights.hidden + 1; }), /settings ask for \d hidden units but the weights are for/);
  refuse(tweak((d) => { d.settings.learningRate = 50; }), /learning rate \(settings.learningRate\) must be a number from 0.001 to 10, not 50/);
  refuse(tweak((d) => { d.settings.learningRate = '1.2'; }), /learning rate/);
  refuse(tweak((d) => { d.settings.speed = 0; }), /speed/);
  refuse(tweak((d) => { d.settings.speed = 2.5; }), /speed/);
  refuse(tweak((d) => { d.settings.dataSeed = -1; }), /data seed/);
  refuse(tweak((d) => { d.settings.weightSeed = 2 ** 32; }), /weight seed/);
  refuse(tweak((d) => { d.settings.dataset = 'mnist'; }), /data set .* must be one of flower, /);
  refuse(tweak((d) => { d.settings.playing = 'yes'; }), /playing/);
  refuse(tweak((d) => { d.settings.selectedClass = 2; }), /selected class/);
  refuse(tweak((d) => { d.iteration = -1; }), /iteration must be a whole number/);
  refuse(tweak((d) => { d.iteration = 1.5; }), /iteration/);
  refuse('\u0000\u0001PK\u0003\u0004', /not a text file/);
  refuse('{"format": "planar", "version": 1, "x": "\uFFFD"}', /not a text file/);
});

test('version 2: the parser names each problem of the model and its weights', () => {
  const base2 = () => randomDocument2(prng(40), { count: 6, history: false });
  const tweak2 = (change) => {
    const doc = base2();
    change(doc);
    return JSON.stringify(doc);
  };
  refuse(tweak2((d) => { delete d.model; }), /^the document has no model/);
  refuse(tweak2((d) => { d.model = 'deep'; }), /^model must be an object with features, layers and init, not "deep"/);
  refuse(tweak2((d) => { d.model.features = []; }), /^model.features must be a list of distinct names .* not an empty list/);
  refuse(tweak2((d) => { d.model.features = ['x1', 'cosx1']; }), /^model.features: "cosx1" is not a feature; the features are x1, x2, x1sq/);
  refuse(tweak2((d) => { d.model.features = ['x1', 'x1']; }), /^model.features names a feature twice/);
  refuse(tweak2((d) => { d.model.layers = new Array(7).fill({ units: 2, activation: 'tanh' }); }), /^model.layers has 7 hidden layers; at most 6/);
  refuse(tweak2((d) => { d.model.layers = [{ units: 9, activation: 'tanh' }]; }), /^model.layers\[0\].units must be a whole number from 1 to 8, not 9/);
  refuse(tweak2((d) => { d.model.layers = [{ units: 2, activation: 'tanh' }, { units: 2, activation: 'softmax' }]; }),
    /^model.layers\[1\].activation must be one of tanh, relu, leaky_relu, sigmoid, linear, not "softmax"/);
  refuse(tweak2((d) => { d.model.init = 'glorot'; }), /^model.init must be one of tutorial, xavier, he, not "glorot"/);
  refuse(tweak2((d) => { d.weights.values.pop(); }), /^a network \d+(-\d+)*-1 has \d+ weights, but weights.values has \d+/);
  refuse(tweak2((d) => { d.weights.values[0] = 1e200; }), /^weight 0 = 1e\+200 is too large/);
  refuse(tweak2((d) => { d.settings.learningRate = 50; }), /learning rate \(settings.learningRate\) must be a number from 0.001 to 10, not 50/);
  // A version-2 document with version 1's fields is read by version 2's rules: weights.hidden means nothing.
  const stale = base2();
  stale.settings.hidden = 3;
  stale.weights.hidden = 3;
  const read = parseDocument(JSON.stringify(stale));
  assert.ok(read.ok, read.error);
  assert.equal(read.document.settings.hidden, undefined);
  assert.equal(read.document.weights.hidden, undefined);
});

test('version 2: the hash decoder names each problem of the model', () => {
  const doc = randomDocument2(prng(41), { count: 4, history: false });
  doc.model = { features: ['x1', 'x2'], layers: [{ units: 3, activation: 'relu' }], init: 'xavier' };
  doc.weights.values = new Array(3 * 3 + 4).fill(0.25);
  const { hash } = encodeHash(doc);
  // Each change is signed again, as a link made that way would be: the problem named is the model's, not the checksum's.
  const set = (key, value) => resign(hash, (text) => text.replace(new RegExp(`(^|&)${key}=[^&]*`), `$1${key}=${value}`));
  assert.ok(decodeHash(hash).ok);
  refuseHash(resign(hash, (text) => text.replace(/&ly=[^&]*/, '')), /damaged: it has no "ly"/);
  refuseHash(hash.replace(/&ly=3/, '&ly=2'), /^this link is damaged \(copied incompletely\?\)$/);
  refuseHash(set('ly', '3%2C2'), /2 hidden layers \(ly\) but 1 activations \(a\)/);
  refuseHash(set('ly', 'x'), /hidden layer widths \(ly\) must be whole numbers, not "x"/);
  refuseHash(set('ly', '9'), /the link's model.layers\[0\].units must be a whole number from 1 to 8, not 9/);
  refuseHash(set('a', 'gelu'), /activation must be one of tanh/);
  refuseHash(set('f', 'x1%2Cx9'), /"x9" is not a feature/);
  refuseHash(set('f', ''), /features must be a list of distinct names/);
  refuseHash(set('in', 'lecun'), /init must be one of tutorial, xavier, he, not "lecun"/);
  refuseHash(set('ly', '4'), /damaged: its weights \(w\) holds 104 bytes, not 136 for 17 numbers/);
});

test('too many points are refused with the maximum named', () => {
  const doc = base();
  const n = MAX_POINTS + 1;
  doc.points = { x: new Array(n).fill(0), y: new Array(n).fill(0), label: new Array(n).fill(0) };
  refuse(JSON.stringify(doc), /too many points: 100001; Planar holds at most 100000/);
  refuse(serializeDocument(doc, { compact: true }), /too many points: 100001; Planar holds at most 100000/);
  doc.points = { x: doc.points.x.slice(1), y: doc.points.y.slice(1), label: doc.points.label.slice(1) };
  assert.ok(parseDocument(serializeDocument(doc, { compact: true })).ok);
});

test('missing settings take their defaults; a bad history is left out with a warning', () => {
  const doc = base();
  delete doc.settings;
  const result = parseDocument(JSON.stringify(doc));
  assert.ok(result.ok, result.error);
  const version1Keys = ['dataset', 'dataSeed', 'weightSeed', 'learningRate', 'speed', 'playing', 'selectedClass', 'logScale'];
  const version1Defaults = Object.fromEntries(version1Keys.map((key) => [key, DEFAULT_SETTINGS[key]]));
  assert.deepEqual(result.document.settings, { ...version1Defaults, hidden: doc.weights.hidden });

  const withHistory = base();
  withHistory.iteration = 3;
  withHistory.history = [1, 4, 1, 1, 1, 1, 1, 1, 1, 1];
  const dropped = parseDocument(JSON.stringify(withHistory));
  assert.ok(dropped.ok);
  assert.equal(dropped.document.history, undefined);
  assert.match(dropped.warnings[0], /cost history was left out: it covers 4 iterations, not 3/);
});

const refuseCsv = (text, pattern) => {
  const result = parseCsv(text);
  assert.equal(result.ok, false, `accepted: ${text.slice(0, 200)}`);
  assert.match(result.error, pattern);
};

test('the CSV parser names the line of each problem', () => {
  refuseCsv('', /empty/);
  refuseCsv('\n\r\n  \n', /empty/);
  refuseCsv('1,2,0\n3,4,1\n', /^line 1: expected the header x,y,label, found "1,2,0"/);
  refuseCsv('x;y;label\n1;2;0\n', /^line 1: expected the header x,y,label/);
  refuseCsv('x,y\n1,2\n', /^line 1: expected the header/);
  refuseCsv('x,y,label\n1,2,0\n1,2\n', /^line 3: expected 3 values \(x,y,label\), found 2/);
  refuseCsv('x,y,label\n1,2,0,4\n', /^line 2: expected 3 values/);
  refuseCsv('x,y,label\n1,2,0\n3,4,1\n5,6,1\n7,8,2\n', /^line 5: the label must be 0 or 1, not 2$/);
  refuseCsv('x,y,label\n1,2,0\r\n1,NaN,0\r\n', /^line 3: y is not a finite number: NaN/);
  refuseCsv('x,y,label\nInfinity,2,0\n', /^line 2: x is not a finite number: Infinity/);
  refuseCsv('x,y,label\n1e400,2,0\n', /^line 2: x is not a finite number: 1e400/);
  refuseCsv('x,y,label\n1,2000000,0\n', /^line 2: y = 2000000 is outside ±1000000/);
  refuseCsv('x,y,label\n0x10,2,0\n', /^line 2: x is not a number: "0x10"/);
  refuseCsv('x,y,label\n,2,0\n', /^line 2: x is empty/);
  refuseCsv('x,y,label\n1,2,one\n', /^line 2: the label must be 0 or 1, not "one"/);
  refuseCsv('x,y,label\n1,2,0\u0000\n', /not a text file/);
  refuseCsv('x,y,label\n1,2,\uFFFD\n', /not a text file/);
  const tooMany = `x,y,label\n${'0,0,1\n'.repeat(MAX_POINTS + 1)}`;
  refuseCsv(tooMany, /too many points: 100001; Planar holds at most 100000/);
  const result = parseCsv(`x,y,label\n${'0.5,-0.5,1\n'.repeat(MAX_POINTS)}`);
  assert.ok(result.ok);
  assert.equal(result.points.x.length, MAX_POINTS);
});

const refuseHash = (hash, pattern) => {
  const result = decodeHash(hash);
  assert.equal(result.ok, false, `accepted: ${hash.slice(0, 200)}`);
  assert.match(result.error, pattern);
};

/** A link's required part (before its checksum), signed again after a change, as a link made so would be. */
const resign = (link, change) => {
  const required = change(link.slice(0, link.indexOf('&k=')));
  return `${required}&k=${checksum(required)}`;
};

test('the hash decoder names each problem', () => {
  const { hash } = encodeHash(base());
  const set = (key, value) => resign(hash, (text) => text.replace(new RegExp(`(^|&)${key}=[^&]*`), `$1${key}=${value}`));
  refuseHash('', /no Planar state/);
  refuseHash('#plot', /has no value/);
  refuseHash('#a=1', /no Planar state/);
  refuseHash(set('v', '5'), /newer Planar: version 5/);
  refuseHash(set('v', 'x'), /unknown version/);
  refuseHash(resign(hash, (text) => text.replace(/&l=[^&]*/, '')), /damaged: it has no "l"/);
  refuseHash(resign(hash, (text) => `${text}&x=AAAA`), /repeats "x"/);
  refuseHash(set('lr', '50'), /learning rate \(settings.learningRate\) must be/);
  refuseHash(set('lr', 'NaN'), /learning rate \(lr\) is not a finite number/);
  refuseHash(set('h', '9'), /hidden units \(h\) must be/);
  refuseHash(set('d', '%3Cscript%3E'), /data set/);
  refuseHash(set('d', '%E0%A4%A'), /not properly escaped/);
  refuseHash(set('pl', 'yes'), /playing \(pl\) must be 0 or 1/);
  refuseHash(set('n', '21'), /damaged: points.x holds 160 bytes, not 168/);
  refuseHash(set('n', '1e9'), /too many points/);
  refuseHash(set('x', 'AAAA!AAA'), /points.x is not valid base64url/);
  refuseHash(set('x', hash.match(/&x=([^&]*)/)[1].slice(0, -5)), /points.x/);
  refuseHash(set('w', 'AAAA'), /weights \(w\) holds 3 bytes/);
  refuseHash(set('l', '____'), /points.label/);
  const nan = resign(hash, (text) => text.replace(/&x=[A-Za-z0-9_-]{11}/, '&x=AAAAAAAA-H8')); // 0x7FF8… is NaN
  refuseHash(nan, /point 0: x is not a finite number \(NaN\)/);
  const far = resign(hash, (text) => text.replace(/&x=[A-Za-z0-9_-]{11}/, '&x=AAAAAAAA8H8')); // 0x7FF0… is Infinity
  refuseHash(far, /point 0: x is not a finite number \(Infinity\)/);
});

/** A link with a cost history, for the damage tests. */
function linkWithHistory() {
  // The first seeded document that has a cost history.
  let seed = 21;
  let doc = randomDocument(prng(seed), { count: 12 });
  while (!doc.history) doc = randomDocument(prng(++seed), { count: 12 });
  const { hash } = encodeHash(doc);
  assert.match(hash, /&k=[0-9a-f]{8}&hc=[A-Za-z0-9_-]+&hk=[0-9a-f]{8}$/);
  return { doc, hash, required: hash.indexOf('&hc=') };
}

test('a link with a bit flipped anywhere before its cost history is refused as damaged', () => {
  const { hash, required } = linkWithHistory();
  let refused = 0;
  for (let i = 0; i < required; i++) {
    for (let bit = 0; bit < 7; bit++) {
      const flipped = hash.slice(0, i) + String.fromCharCode(hash.charCodeAt(i) ^ (1 << bit)) + hash.slice(i + 1);
      const result = decodeHash(flipped);
      assert.equal(result.ok, false, `flip of bit ${bit} at ${i} (${hash[i]}) opened`);
      refused += 1;
    }
  }
  assert.equal(refused, required * 7);
  // Most are caught by the checksum itself, and say so.
  const flipped = hash.replace(/&w=(.)/, (_, c) => `&w=${c === 'A' ? 'B' : 'A'}`);
  assert.deepEqual(decodeHash(flipped), { ok: false, error: DAMAGED_LINK });
});

test('a link damaged only in its cost history opens without it, saying so', () => {
  const { doc, hash, required } = linkWithHistory();
  const intact = decodeHash(hash);
  assert.ok(intact.ok && intact.document.history);
  assert.deepEqual(intact.warnings, []);
  for (let i = required + 1; i < hash.length; i++) {
    const flipped = hash.slice(0, i) + String.fromCharCode(hash.charCodeAt(i) ^ 4) + hash.slice(i + 1);
    const result = decodeHash(flipped);
    assert.ok(result.ok, `flip at ${i}: ${result.error}`);
    assert.equal(result.document.history, undefined);
    assert.deepEqual(result.document.points, intact.document.points);
    assert.match(result.warnings.join('; '), /cost history was left out|at the end of the link was ignored/);
  }
  for (const cut of [required + 1, required + 10, hash.length - 1]) {
    const result = decodeHash(hash.slice(0, cut));
    assert.ok(result.ok, result.error);
    assert.equal(result.document.history, undefined);
    assert.match(result.warnings[0], /cost history was left out: the end of the link is cut or damaged/);
  }
  assert.deepEqual(intact.document.weights, validateDocument(doc).document.weights);
});

test('a trailing "." pasted with a link opens everything and says it was ignored', () => {
  const { hash } = linkWithHistory();
  const result = decodeHash(`${hash}.`);
  assert.ok(result.ok, result.error);
  assert.deepEqual(result.document, decodeHash(hash).document);
  assert.deepEqual(result.warnings, ['"." at the end of the link was ignored']);
  const plain = encodeHash(base()).hash;
  const dotted = decodeHash(`${plain}.`);
  assert.ok(dotted.ok);
  assert.deepEqual(dotted.warnings, ['"." at the end of the link was ignored']);
});

test('links made before checksums still open; one cut just before its checksum is refused', () => {
  const { hash } = encodeHash(base());
  const old = hash.slice(0, hash.indexOf('&k='));
  const result = decodeHash(old);
  assert.ok(result.ok, result.error);
  assert.deepEqual(result.document, decodeHash(hash).document);
  assert.deepEqual(decodeHash(`${old}&`), { ok: false, error: DAMAGED_LINK });
  assert.deepEqual(decodeHash(`${old}&j=0`), { ok: false, error: DAMAGED_LINK });
});

test('finite but extreme weights open with their own warning', () => {
  const doc = base();
  doc.weights.values[2] = 9e99;
  const result = decodeHash(encodeHash(doc).hash);
  assert.ok(result.ok, result.error);
  assert.deepEqual(result.warnings, [
    'its weights are extreme (weight 2 = 9e+99): the network cannot learn from them; Reset gives new ones',
  ]);
  assert.deepEqual(decodeHash(encodeHash(base()).hash).warnings, []);
});

test('a document too large for a link is refused with a way out', () => {
  const doc = randomDocument(prng(8), { count: 2000 });
  const result = encodeHash(doc);
  assert.deepEqual(result, { ok: false, error: 'too large for a link: 2000 points; use Export → JSON' });
});

// ---------------------------------------------------------------------------
// Fuzzing: random inputs and mutations of valid ones

const UNICODE = ['\u0000', '\uFFFD', '\u202E', '\uD800', '\uDFFF', '😀', 'é', '\t', '\r', '\n', '"', '\\', ',', '{', '}', '[', ']', ':', '-', 'e', '.', '0', '9', 'NaN', 'Infinity', '1e308', '1e400', '-1e999', '99999999999999999999999', '%', '&', '=', '#', '__proto__', 'null', 'true'];

function randomText(r) {
  const parts = [];
  const n = r.int(60);
  for (let i = 0; i < n; i++) {
    parts.push(r.next() < 0.5 ? r.pick(UNICODE) : String.fromCharCode(r.int(r.next() < 0.8 ? 128 : 0x10000)));
  }
  return parts.join('');
}

/** One random mutation of `text`: flip, cut, duplicate, insert, number swap. */
function mutate(r, text) {
  const at = r.int(text.length + 1);
  switch (r.int(7)) {
    case 0: { // flip one character's low bits
      if (text.length === 0) return text;
      const i = Math.min(at, text.length - 1);
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << r.int(7))) + text.slice(i + 1);
    }
    case 1: return text.slice(0, at); // truncate
    case 2: { // duplicate a slice
      const end = Math.min(text.length, at + 1 + r.int(40));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 3: return text.slice(0, at) + r.pick(UNICODE) + text.slice(at); // insert
    case 4: return text.slice(0, at) + text.slice(at + 1 + r.int(20)); // delete
    case 5: { // replace a number by a hostile one
      const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)];
      if (numbers.length === 0) return text;
      const m = r.pick(numbers);
      return text.slice(0, m.index) + r.pick(['1e400', '-1e309', 'NaN', '2e6', '1e100000', '0.5', '-0', '3', '1.0000000000000002', '']) + text.slice(m.index + m[0].length);
    }
    default: return randomText(r); // something else entirely
  }
}

/** A query as a teacher might write one, sometimes with mistakes. */
function randomQuery(r) {
  const parts = [];
  for (const key of QUERY_PARAMETERS) {
    if (r.next() < 0.4) continue;
    const value = {
      dataset: () => r.pick([...DATASETS, 'Spiral', 'mnist']),
      layers: () => Array.from({ length: r.int(8) }, () => r.pick(['8', '1', '3', '0', '9', 'x'])).join(','),
      activation: () => Array.from({ length: 1 + r.int(3) }, () => r.pick([...ACTIVATIONS, 'gelu'])).join(','),
      init: () => r.pick([...INITS, 'lecun']),
      features: () => FEATURES.filter(() => r.next() < 0.4).join(','),
      lr: () => r.pick(['0.3', '1.2', '10', '11', '-1', 'fast']),
      seed: () => r.pick(['0', '3', '4294967295', '4294967296', '-2', '1.5']),
      optimizer: () => r.pick(['gd', 'momentum', 'Adam', 'rmsprop']),
      batch: () => r.pick(['0', '32', '1', '-1', '2.5', '100001']),
      l2: () => r.pick(['0', '0.1', '100', '101', 'x']),
      l1: () => r.pick(['0', '0.001', '-0.1']),
      train: () => r.pick(['100', '70', '10', '9', '50.5']),
      noise: () => r.pick(['0', '0.2', '2', '2.1', 'loud']),
      points: () => r.pick(['400', '50', '2000', '1', '100001']),
      'data-seed': () => r.pick(['1', '0', '4294967296', '-3']),
      lang: () => r.pick(['en', 'ru', 'RU', 'de', '']),
    }[key]();
    parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return `?${parts.join('&')}`;
}

function fuzz(name, seed, runs, validInput, parse, validate) {
  test(`fuzz: ${name} never throws and returns a valid result or an error`, () => {
    const r = prng(seed);
    for (let k = 0; k < runs; k++) {
      let input = validInput(r);
      const steps = 1 + r.int(3);
      for (let s = 0; s < steps; s++) input = mutate(r, input);
      let result;
      try {
        result = parse(input);
      } catch (error) {
        assert.fail(`threw on input ${JSON.stringify(input.slice(0, 300))}: ${error.stack}`);
      }
      assertResult(result, validate, `input ${JSON.stringify(input.slice(0, 300))}`);
    }
  });
}

const smallDoc = (r) => randomDocument(r, { count: r.int(8) });
const smallDoc2 = (r) => randomDocument2(r, { count: r.int(8) });
fuzz('JSON document', 11, 4000, (r) => serializeDocument(smallDoc(r), { compact: r.next() < 0.3 }), parseDocument,
  (result, context) => assertValidDocument(result.document, context));
fuzz('CSV', 12, 4000, (r) => pointsToCsv(smallDoc(r).points), parseCsv,
  (result, context) => assertValidPoints(result.points, context));
fuzz('hash', 13, 4000, (r) => encodeHash(smallDoc(r)).hash, decodeHash,
  (result, context) => assertValidDocument(result.document, context));
fuzz('version-2 JSON document', 21, 4000, (r) => serializeDocument(smallDoc2(r), { compact: r.next() < 0.3 }), parseDocument,
  (result, context) => assertValidDocument(result.document, context));
fuzz('version-2 hash', 22, 4000, (r) => encodeHash(smallDoc2(r)).hash, decodeHash,
  (result, context) => assertValidDocument(result.document, context));
const smallDoc3 = (r) => randomDocument3(r, { count: r.int(8) });
fuzz('version-3 JSON document', 26, 3000, (r) => serializeDocument(smallDoc3(r), { compact: r.next() < 0.3 }), parseDocument,
  (result, context) => assertValidDocument(result.document, context));
fuzz('version-3 hash', 27, 3000, (r) => encodeHash(smallDoc3(r)).hash, decodeHash,
  (result, context) => assertValidDocument(result.document, context));

test('fuzz: a teacher\'s query never throws; whatever it yields, the page can open', () => {
  const r = prng(23);
  for (let k = 0; k < 4000; k++) {
    let input = randomQuery(r);
    for (let step = r.int(3); step > 0; step--) input = mutate(r, input);
    let query;
    try {
      query = parseQuery(input);
    } catch (error) {
      assert.fail(`threw on ${JSON.stringify(input)}: ${error.stack}`);
    }
    if (query === null) continue;
    const where = JSON.stringify(input);
    assert.equal(checkModel(query.model).error, undefined, where);
    for (const [key, value] of Object.entries(query.settings)) assert.ok(SETTINGS[key]?.valid(value), `${where}: ${key}`);
    assert.ok(query.problems.every((p) => typeof p === 'string' && p.length > 0), where);
  }
});

test('fuzz: the JSON error locator agrees with JSON.parse on what is valid', () => {
  const r = prng(17);
  let invalid = 0;
  for (let k = 0; k < 5000; k++) {
    let text = r.next() < 0.5 ? JSON.stringify(smallDoc(r)) : randomText(r);
    for (let s = r.int(3); s > 0; s--) text = mutate(r, text);
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
      invalid++;
    }
    const found = findJsonError(text);
    assert.equal(found === null, parses, `${JSON.stringify(text.slice(0, 300))}: ${JSON.stringify(found)}`);
    if (found) assert.ok(found.position >= 0 && found.position <= text.length && found.what.length > 0);
  }
  assert.ok(invalid > 1000);
});

test('fuzz: parsers survive arbitrary values and random text', () => {
  const r = prng(14);
  const odd = [undefined, null, 0, 1, true, {}, [], new Uint8Array(3), Symbol('s'), () => 1, 'x'.repeat(10)];
  for (const value of odd) {
    for (const parse of [parseDocument, parseCsv, decodeHash]) {
      const result = parse(value);
      assert.equal(result.ok, false);
      assert.ok(result.error.length > 0);
    }
  }
  for (let k = 0; k < 3000; k++) {
    const text = randomText(r);
    for (const parse of [parseDocument, parseCsv, decodeHash]) {
      assertResult(parse(text), () => {}, JSON.stringify(text));
    }
  }
});

test('fuzz: documents made invalid on purpose are always refused', () => {
  const r = prng(15);
  const breakers = [
    (d) => { d.points.x[r.int(d.points.x.length)] = r.pick([1e7, -1e7, MAX_COORD * 1.0000001]); },
    (d) => { d.points.y[r.int(d.points.y.length)] = r.pick([null, '0', [], {}]); },
    (d) => { d.points.label[r.int(d.points.label.length)] = r.pick([2, -1, 0.5, '1', null]); },
    (d) => { d.points.label.push(0); },
    (d) => { d.weights.values[r.int(d.weights.values.length)] = r.pick([null, 1e101, '0']); },
    (d) => { d.weights.values.push(0); },
    (d) => { d.settings.learningRate = r.pick([-1, 0, 1e9, 10.5, 'x', null]); },
    (d) => { d.settings.hidden = r.pick([0, 9, 2.5, '4', null]); },
    (d) => { d.settings.speed = r.pick([0, 1001, 2.5, '10', null]); },
    (d) => { d.settings.dataSeed = r.pick([-1, 2 ** 32, 0.5, 'x', null]); },
    (d) => { d.settings.dataset = r.pick(['', 'Flower', 'mnist', 3]); },
    (d) => { d.version = r.pick([0, 2, 99, '1', null]); },
    (d) => { d.format = r.pick(['Planar', '', null]); },
    (d) => { d.iteration = r.pick([-1, 0.5, '3', 2 ** 60]); },
  ];
  for (let k = 0; k < 2000; k++) {
    const doc = randomDocument(r, { count: 1 + r.int(10), history: false });
    r.pick(breakers)(doc);
    const text = JSON.stringify(doc);
    assert.equal(parseDocument(text).ok, false, text);
    // Every strict prefix of a document is invalid JSON.
    assert.equal(parseDocument(serializeDocument(base()).slice(0, r.int(serializeDocument(base()).length - 2))).ok, false);
  }
});

test('fuzz: version-2 documents made invalid on purpose are always refused', () => {
  const r = prng(24);
  const breakers = [
    (d) => { d.model.features = r.pick([[], ['x3'], ['x1', 'x1'], 'x1', null]); },
    (d) => { d.model.layers = r.pick([null, 'tanh', new Array(MAX_LAYERS + 1).fill({ units: 1, activation: 'tanh' })]); },
    (d) => { d.model.layers.push({ units: r.pick([0, 9, 2.5, '4', null]), activation: 'tanh' }); },
    (d) => { d.model.layers.push({ units: 2, activation: r.pick(['Tanh', 'gelu', '', null, 3]) }); },
    (d) => { d.model.init = r.pick(['Xavier', 'lecun', '', null, 0]); },
    (d) => { delete d.model; },
    (d) => { d.weights.values.push(0); },
    (d) => { d.weights.values.pop(); },
    (d) => { d.weights.values[r.int(d.weights.values.length)] = r.pick([null, 1e101, '0']); },
    (d) => { d.settings.learningRate = r.pick([-1, 0, 1e9, 10.5, 'x', null]); },
    (d) => { d.version = r.pick([0, 5, 99, '2', null]); },
  ];
  for (let k = 0; k < 2000; k++) {
    const doc = randomDocument2(r, { count: 1 + r.int(10), history: false });
    // A layer added with a valid width and activation would be valid: the
    // weights are then one layer short, which must be refused as well.
    r.pick(breakers)(doc);
    const text = JSON.stringify(doc);
    assert.equal(parseDocument(text).ok, false, text);
  }
});

test('fuzz: CSVs and hashes made invalid on purpose are always refused, naming the line', () => {
  const r = prng(16);
  for (let k = 0; k < 2000; k++) {
    const { points } = randomDocument(r, { count: 1 + r.int(20), history: false });
    const lines = pointsToCsv(points).split('\n');
    const row = 1 + r.int(points.x.length);
    const fields = lines[row].split(',');
    const column = r.int(3);
    fields[column] = column === 2 ? r.pick(['2', '-1', '0.5', 'a', '']) : r.pick(['NaN', 'Infinity', '-inf', '1e400', '2e6', '-1000000.5', 'x', '']);
    lines[row] = fields.join(',');
    const result = parseCsv(lines.join(r.pick(['\n', '\r\n'])));
    assert.equal(result.ok, false, lines[row]);
    assert.match(result.error, new RegExp(`^line ${row + 1}: `));

    // A share hash cut inside a value is refused.
    const { hash } = encodeHash(randomDocument(r, { count: 1 + r.int(20), history: false }));
    const cut = 1 + r.int(hash.length - 1);
    if (hash[cut] !== '&' && hash[cut - 1] !== '=') {
      assert.equal(decodeHash(hash.slice(0, cut)).ok, false, hash.slice(0, cut));
    }
  }
});

// ---------------------------------------------------------------------------
// A teacher's query: ?dataset=spiral&layers=8,8&...

test('a query opens the network and data set it names', () => {
  const query = parseQuery('?dataset=spiral&layers=8,8&activation=tanh&init=xavier&features=x1,x2,sinx1&lr=0.3&seed=3');
  assert.deepEqual(query, {
    settings: { dataset: 'spiral', learningRate: 0.3, weightSeed: 3 },
    model: {
      features: ['x1', 'x2', 'sinx1'],
      layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }],
      init: 'xavier',
    },
    problems: [],
    opensWork: true,
  });
  // One activation per layer; features in any order come in the engine's.
  const each = parseQuery('layers=6,4&activation=tanh,relu&features=sinx2,x1');
  assert.deepEqual(each.model.layers, [{ units: 6, activation: 'tanh' }, { units: 4, activation: 'relu' }]);
  assert.deepEqual(each.model.features, ['x1', 'sinx2']);
  assert.deepEqual(each.settings, {});
  // layers= with nothing: no hidden layer. What a link leaves out is the tutorial's.
  assert.deepEqual(parseQuery('?layers=').model, { features: ['x1', 'x2'], layers: [], init: 'tutorial' });
  assert.deepEqual(parseQuery('?dataset=moons').model, { ...DEFAULT_MODEL, features: ['x1', 'x2'], layers: [{ units: 4, activation: 'tanh' }] });
  assert.equal(parseQuery(''), null);
  assert.equal(parseQuery('?'), null);
});

test('a query\'s bad values are each named, and the rest still applies', () => {
  const query = parseQuery('?dataset=mnist&layers=8,8&activation=tanh,gelu&init=lecun&features=x1,cosx1&lr=50&seed=-1&speed=3');
  assert.deepEqual(query.settings, {});
  assert.deepEqual(query.model, {
    features: ['x1'], layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }], init: 'tutorial',
  });
  const problems = query.problems.join('\n');
  for (const named of [/"speed" is not a parameter/, /dataset="mnist" is not a data set/, /lr="50": the learning rate must be a number from 0.001 to 10/,
    /seed="-1": the weight seed must be a whole number/, /features: "cosx1" is not a feature/, /activation: "gelu" is not an activation/,
    /init="lecun" is not an initialisation/]) {
    assert.match(problems, named);
  }
  assert.equal(query.problems.length, 7);
  assert.match(parseQuery('?layers=8,9').problems[0], /layers: "9" is not a number of units from 1 to 8, so the network keeps one layer of 4/);
  assert.match(parseQuery('?layers=1,1,1,1,1,1,1').problems[0], /has 7 hidden layers; at most 6/);
  assert.match(parseQuery('?layers=4,4&activation=relu,relu,relu').problems[0], /names 3 activations for 2 hidden layers/);
  assert.match(parseQuery('?features=').problems[0], /names no feature, so the network keeps x1, x2/);
  assert.match(parseQuery('?seed=1&seed=2').problems[0], /seed is given twice; the first, "1", is used/);
  assert.equal(parseQuery('?seed=1&seed=2').settings.weightSeed, 1);
  // The language alone opens no work; one the page does not speak is named.
  assert.deepEqual(parseQuery('?lang=ru'), { settings: {}, model: parseQuery('?lang=ru').model, problems: [], opensWork: false });
  assert.equal(parseQuery('?lang=RU').problems.length, 0);
  assert.deepEqual(parseQuery('?lang=de').problems, ['lang="de" is not a language of the page (one of en, ru)']);
  assert.equal(parseQuery('?lang=ru&seed=3').opensWork, true);
  // Every model a query yields is one the document format accepts.
  const r = prng(25);
  for (let k = 0; k < 500; k++) {
    const q = parseQuery(randomQuery(r));
    if (!q) continue;
    assert.ok(!checkModel(q.model).error, JSON.stringify(q.model));
    for (const [key, value] of Object.entries(q.settings)) assert.ok(SETTINGS[key].valid(value), `${key} ${value}`);
  }
});

test('one table of settings gives the defaults, the checks and the link keys', () => {
  const defaults = defaultSettings();
  assert.deepEqual(DEFAULT_SETTINGS, defaults);
  assert.deepEqual(Object.keys(defaults), Object.keys(SETTINGS));
  assert.equal(defaultSettings({ reducedMotion: true }).playing, false);
  const links = Object.values(SETTINGS).map((rule) => rule.link);
  assert.equal(new Set(links).size, links.length);
  for (const [key, rule] of Object.entries(SETTINGS)) {
    assert.ok(rule.valid(rule.initial), key);
    // The document refuses what the table refuses, naming the setting.
    const doc = randomDocument3(prng(42), { count: 1, history: false });
    doc.settings[key] = 'not a value';
    const result = parseDocument(JSON.stringify(doc));
    assert.equal(result.ok, false, key);
    assert.match(result.error, new RegExp(`\\(settings\\.${key}\\) must be`));
    // And a link made with the key carries it under the table's short name.
    const linked = randomDocument3(prng(43), { count: 1 });
    linked.settings.noise = 0.3; // null (the data set's own) is left out of a link
    const { hash } = encodeHash(linked);
    assert.match(hash, new RegExp(`(^|&)${rule.link}=`), key);
  }
});

// ---------------------------------------------------------------------------
// Agreement with the core and the page's state

test('the limits, names and layouts agree with the wasm core', { skip: !existsSync(resolve(import.meta.dirname, '../www/pkg/planar.js')) && 'www/pkg not built' }, async () => {
  const pkg = resolve(import.meta.dirname, '../www/pkg');
  const core = await import(`${pkg}/planar.js`);
  const { Planar } = core;
  await core.default({ module_or_path: readFileSync(`${pkg}/planar_bg.wasm`) });
  assert.equal(core.max_points(), MAX_POINTS);
  assert.deepEqual(core.preset_names(), DATASETS);
  assert.deepEqual(core.feature_names(), FEATURES);
  assert.deepEqual(core.activation_names(), ACTIVATIONS);
  assert.deepEqual(core.init_names(), INITS);
  assert.equal(core.max_layers(), MAX_LAYERS);
  assert.equal(core.max_units(), MAX_UNITS);
  // The tutorial's model is the page's default.
  const planar = new Planar();
  const tutorial = JSON.parse(planar.model());
  assert.deepEqual({ features: tutorial.features, layers: tutorial.layers, init: tutorial.init }, DEFAULT_MODEL);
  // A valid version-1 document is accepted by the core as it is, in the tutorial's model.
  const { document } = parseDocument(serializeDocument(randomDocument(prng(9), { count: 50, history: false })));
  const v1 = upgradeDocument(document);
  planar.set_points(document.points.x, document.points.y, document.points.label);
  planar.set_learning_rate(document.settings.learningRate);
  planar.set_model(v1.model.features.join(','), String(v1.model.layers[0].units), 'tanh', 'tutorial');
  planar.set_parameters(Float64Array.from(v1.weights.values), document.iteration);
  assert.equal(planar.point_count(), 50);
  assert.deepEqual(Array.from(planar.parameters()), document.weights.values);
  planar.step(5);
  assert.ok(Number.isFinite(planar.cost()));
  // Any version-2 document: the core's parameter count is the format's, and it takes the values.
  const r = prng(44);
  for (let k = 0; k < 40; k++) {
    const doc = randomDocument2(r, { count: 0, history: false });
    const { model } = doc;
    planar.set_model(model.features.join(','), model.layers.map((l) => l.units).join(','),
      model.layers.map((l) => l.activation).join(','), model.init);
    const layout = JSON.parse(planar.model());
    assert.equal(layout.parameter_count, parameterCount(model));
    assert.deepEqual(layout.features, model.features);
    const values = doc.weights.values.map((v) => Math.max(-100, Math.min(100, v)));
    planar.set_parameters(Float64Array.from(values), 7);
    assert.deepEqual(Array.from(planar.parameters()), values);
  }
  // The core's own history snapshot passes the same checks, at a link's size too.
  const fresh = new Planar();
  fresh.step(300);
  for (const buckets of [16, LINK_HISTORY_BUCKETS]) {
    const snapshot = fresh.history_snapshot(buckets);
    assert.equal(historyProblem(snapshot, fresh.iteration()), null);
    assert.ok((snapshot.length - 2) / 2 <= buckets);
  }
  planar.free();
  fresh.free();
});

test('packPoints is what compact documents hold', () => {
  const { points } = randomDocument(prng(10), { count: 9 });
  const packed = packPoints(points);
  assert.equal(packed.count, 9);
  assert.equal(packed.label.length, 3); // 2 bytes of label bits
  assert.equal(VERSION, 4);
});
