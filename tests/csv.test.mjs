// The CSV reader (www/csv.js), in Node: every variant of the files people
// have, the label mappings it reports, the refusals naming their line, and
// seeded fuzzing (never throws; a valid result or an error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText, parseCsv, splitLine } from '../www/csv.js';
import { MAX_POINTS } from '../www/formats.js';
import { prng } from './prng.mjs';

const POINTS = { x: [1, -2.5, 3], y: [0.5, 4, -1], label: [0, 1, 1] };

const accepts = (text, points = POINTS, notes = []) => {
  const result = parseCsv(text);
  assert.ok(result.ok, `${JSON.stringify(text)}: ${result.error}`);
  assert.deepEqual(result.points, points, JSON.stringify(text));
  assert.deepEqual(result.notes, notes, JSON.stringify(text));
};

const refuses = (text, pattern) => {
  const result = parseCsv(text);
  assert.equal(result.ok, false, `accepted ${JSON.stringify(text)}`);
  assert.match(result.error, pattern);
};

test('the usual file and the variants people have all read the same points', () => {
  accepts('x,y,label\n1,0.5,0\n-2.5,4,1\n3,-1,1\n');
  accepts('1,0.5,0\n-2.5,4,1\n3,-1,1\n');
  accepts('label,x,y\n0,1,0.5\n1,-2.5,4\n1,3,-1\n');
  accepts('Y,X,Label\r\n0.5,1,0\r\n4,-2.5,1\r\n-1,3,1\r\n');
  accepts('x1,x2,y\n1,0.5,0\n-2.5,4,1\n3,-1,1\n');
  accepts('x;y;label\n1;0.5;0\n-2,5;4;1\n3;-1;1\n', POINTS, ['semicolon-separated']);
  accepts('x\ty\tlabel\n1\t0.5\t0\n-2.5\t4\t1\n3\t-1\t1\n', POINTS, ['tab-separated']);
  accepts('# made by hand\nx,y,label\n\n1,0.5,0\n# a comment\n-2.5,4,1\n3,-1,1\n');
  accepts('"x","y","label"\n"1","0.5","0"\n" -2.5 ",4,"1"\n3,-1,1\n');
  accepts('\uFEFFx,y,label\n1,0.5,0\n-2.5,4,1\n3,-1,1');
  accepts('x,y,label,weight\n1,0.5,0,9\n-2.5,4,1,9\n3,-1,1,9\n', POINTS, ['column "weight" ignored']);
  accepts('id,x,y,label,note\n1,1,0.5,0,a\n2,-2.5,4,1,"b, c"\n3,3,-1,1,d\n', POINTS, ['columns "id", "note" ignored']);
  accepts('1,0.5,0,7\n-2.5,4,1,7\n3,-1,1,7\n', POINTS, ['no header: the first three columns read as x, y and label, 1 more ignored']);
});

test('labels -1/1, true/false and two words map to the classes, and the message says how', () => {
  accepts('x,y,label\n1,0.5,-1\n-2.5,4,1\n3,-1,1\n', POINTS, ['labels -1 became class 0 and 1 class 1']);
  accepts('x,y,label\n1,0.5,false\n-2.5,4,TRUE\n3,-1,true\n', POINTS, ['labels false became class 0 and true class 1']);
  accepts('x,y,class\n1,0.5,cat\n-2.5,4,dog\n3,-1,dog\n', POINTS, ['labels “cat” became class 0 and “dog” class 1']);
  accepts('species,x,y\ncat,1,0.5\ndog,-2.5,4\ndog,3,-1\n', POINTS, ['labels “cat” became class 0 and “dog” class 1', 'column "species" read as the label']);
  accepts('x,y,class\n1,0.5,"setosa"\n-2.5,4,versicolor\n3,-1,versicolor\n', POINTS, ['labels “setosa” became class 0 and “versicolor” class 1']);
  accepts('x,y,label\n1,0.5,0.0\n-2.5,4,1.0\n3,-1,1\n');
});

test('UTF-16 with a BOM (Excel\'s "Unicode text") and UTF-8 with a BOM decode; other bytes are not text', () => {
  const text = 'x\ty\tlabel\r\n1\t0.5\t0\r\n-2.5\t4\t1\r\n3\t-1\t1\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  for (const bytes of [le, be, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]) {
    const decoded = decodeText(new Uint8Array(bytes));
    assert.equal(decoded.text, text);
    accepts(decoded.text, POINTS, ['tab-separated']);
  }
  assert.deepEqual(decodeText(new Uint8Array([0x78, 0xff, 0x2c])), { error: 'this is not a text file' });
});

test('each refusal names its line', () => {
  refuses('', /^the file is empty$/);
  refuses('x,y,label\n', /^the file has no points: line 1 is a header and nothing follows$/);
  refuses('# only\n# comments\n', /^the file has no points$/);
  refuses('a,b,c\n1,2,0\n', /^line 1: the header names no x and no y and no label column \(it has "a", "b", "c"\)/);
  refuses('x,y\n1,2\n', /^line 1: the header names no label column/);
  refuses('1,2\n3,4\n', /^line 1: expected 3 values \(x, y, label\), found 2/);
  refuses('x,y,label\n1,2,0\n1,2\n', /^line 3: expected 3 values separated by commas, found 2/);
  refuses('x,y,label\n1,2,0\n3;4;1\n', /^line 3: expected 3 values separated by commas, found 1/);
  refuses('x,y,label\n1,2,0\n1,2,2\n', /^line 3: the label must be 0 or 1 \(or -1 and 1\), not 2$/);
  refuses('x,y,label\n1,2,-1\n1,2,0\n', /^line 3: the label must be 0 or 1 \(or -1 and 1\), not 0$/);
  refuses('x,y,label\n1,2,cat\n1,2,dog\n\n1,2,bird\n', /^line 5: a third label "bird" \(after "cat" and "dog"\); Planar has two classes$/);
  refuses('x,y,label\n1,2,cat\n1,2,cat\n', /^line 2: the label "cat" is not 0 or 1, and there is no second word/);
  refuses('x,y,label\n1,NaN,0\n', /^line 2: y is not a finite number: NaN/);
  refuses('x,y,label\nInfinity,2,0\n', /^line 2: x is not a finite number: Infinity/);
  refuses('x,y,label\n1,-2e6,1\n', /^line 2: y = -2e6 is outside ±1000000/);
  refuses('x,y,label\n0x10,2,0\n', /^line 2: x is not a number: "0x10"/);
  refuses('x,y,label\n1,2,0\u0000\n', /not a text file/);
  refuses(`x,y,label\n${'0,0,1\n'.repeat(MAX_POINTS + 1)}`, /too many points: 100001; Planar holds at most 100000/);
  const most = parseCsv(`${'0.5,-0.5,1\n'.repeat(MAX_POINTS)}`);
  assert.ok(most.ok);
  assert.equal(most.points.x.length, MAX_POINTS);
});

test('quoted fields keep separators and doubled quotes', () => {
  assert.deepEqual(splitLine('"a, b",2,"say ""hi"""', ','), ['a, b', '2', 'say "hi"']);
  assert.deepEqual(splitLine(' 1 ;"2;3"; 4', ';'), ['1', '2;3', '4']);
});

test('fuzz: whatever the text, the CSV reader returns valid points or an error, never throws', () => {
  const r = prng(31);
  const pieces = [',', ';', '\t', '\n', '\r\n', '"', '#', ' ', '0', '1', '-1', '2.5', 'e', 'x', 'y', 'label', 'true', 'cat', 'NaN', '\uFEFF', 'é', '1e400'];
  for (let k = 0; k < 5000; k++) {
    const n = r.int(40);
    let text = '';
    for (let i = 0; i < n; i++) text += r.pick(pieces);
    let result;
    try {
      result = parseCsv(text);
    } catch (error) {
      assert.fail(`threw on ${JSON.stringify(text)}: ${error.stack}`);
    }
    if (!result.ok) {
      assert.ok(typeof result.error === 'string' && result.error.length > 0, JSON.stringify(text));
      continue;
    }
    const { x, y, label } = result.points;
    assert.ok(x.length > 0 && x.length === y.length && y.length === label.length, JSON.stringify(text));
    for (let i = 0; i < x.length; i++) {
      assert.ok(Number.isFinite(x[i]) && Number.isFinite(y[i]) && Math.abs(x[i]) <= 1e6 && Math.abs(y[i]) <= 1e6, JSON.stringify(text));
      assert.ok(label[i] === 0 || label[i] === 1, JSON.stringify(text));
    }
  }
});
