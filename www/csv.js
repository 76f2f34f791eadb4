// Reading points from the CSV files people have: with or without a header,
// columns found by name in any order, comma, semicolon or tab separators,
// `#` comment lines, quotes, a byte-order mark, UTF-16 with a BOM, and
// labels written 0/1, -1/1, true/false or as two words. Pure functions (no
// DOM); every refusal names its line; nothing throws.
import {
  MAX_COORD, MAX_POINTS, describe, errorMessage, looksBinary, parseDecimal,
} from './formats.js';
import { t } from './i18n.js';

const ok = (fields) => ({ ok: true, ...fields });
/**
 * @param {string} error
 * @returns {{ ok: false, error: string }}
 */
const fail = (error) => ({ ok: false, error });

/**
 * A file's bytes as text: UTF-16 (LE or BE) when it starts with that BOM,
 * else strict UTF-8 (a UTF-8 BOM is dropped). `{ text }` or `{ error }`.
 */
export function decodeText(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    if (view[0] === 0xff && view[1] === 0xfe) return { text: new TextDecoder('utf-16le', { fatal: true }).decode(view.subarray(2)) };
    if (view[0] === 0xfe && view[1] === 0xff) return { text: new TextDecoder('utf-16be', { fatal: true }).decode(view.subarray(2)) };
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(view).replace(/^\uFEFF/, '') };
  } catch {
    return { error: t('err.not-text') };
  }
}

// Header names, lower case, for each column; the tutorial calls the
// coordinates x1, x2 and the label y.
const X_NAMES = ['x', 'x1', 'x_1', 'x0'];
const Y_NAMES = ['y', 'x2', 'x_2'];
const LABEL_NAMES = ['label', 'class', 'target', 'category', 'labels', 'classes', 'cls', 'y'];
const SEPARATORS = [',', ';', '\t'];
/** Each separator's name in messages (the tables' `csv.separator.<name>`). */
const SEPARATOR_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Splits one line at `separator` outside double quotes; quotes are removed ("" is a quote). */
export function splitLine(line, separator) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (c === separator) {
      fields.push(field.trim());
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field.trim());
  return fields;
}

/** The separator of a line: the one of tab, semicolon and comma that splits it most (outside quotes). */
function detectSeparator(line) {
  let best = ',';
  let most = 0;
  for (const separator of SEPARATORS) {
    const count = splitLine(line, separator).length - 1;
    if (count > most) {
      best = separator;
      most = count;
    }
  }
  return best;
}

/** A number field; with a `;` or tab separator a decimal comma is fine too ("1,5"). */
function number(field, separator) {
  const text = separator !== ',' && /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/.test(field) ? field.replace(',', '.') : field;
  return parseDecimal(text);
}

/** Which column holds x, y and the label, from a header's names; or a problem. */
function columnsFromHeader(names) {
  const lower = names.map((name) => name.toLowerCase());
  const find = (candidates, taken) => {
    for (const candidate of candidates) {
      const index = lower.findIndex((name, i) => name === candidate && !taken.includes(i));
      if (index >= 0) return index;
    }
    return -1;
  };
  // x1, x2 then y as the label (the tutorial's names), else x, y and a label column.
  let x = lower.indexOf('x1');
  let y = lower.indexOf('x2');
  if (x < 0 || y < 0) {
    x = find(X_NAMES, []);
    y = find(Y_NAMES, [x]);
  }
  let label = find(LABEL_NAMES, [x, y]);
  // x, y and one more column: that one is the label, whatever its name.
  let note = null;
  if (label < 0 && x >= 0 && y >= 0 && names.length === 3) {
    label = [0, 1, 2].find((i) => i !== x && i !== y);
    note = t('csv.label-column', { name: describe(names[label]) });
  }
  const missing = [['x', x], ['y', y], ['label', label]].filter(([, index]) => index < 0).map(([name]) => name);
  if (missing.length) {
    return { problem: t('csv.no-column', { missing: missing.join(t('csv.and-no')), names: names.map((n) => describe(n)).join(', ') }) };
  }
  return { x, y, label, note };
}

/**
 * How labels map to classes 0 and 1: 0/1, -1/1, true/false, or exactly two
 * distinct words (sorted, the first is class 0). `rows` are
 * [lineNumber, text]. Returns `{ classOf: Map, note }` or `{ problem }`.
 */
function labelMapping(rows) {
  const distinct = [];
  for (const [, text] of rows) {
    if (!distinct.includes(text)) distinct.push(text);
    if (distinct.length > 3) break;
  }
  const numeric = (text) => !number(text, ',').problem;
  const valueOf = (text) => number(text, ',').value;
  const lowerWords = distinct.map((t) => t.toLowerCase());
  const firstLineWith = (isBad) => rows.find(([, text]) => isBad(text));

  if (distinct.every(numeric)) {
    const values = new Set(distinct.map(valueOf));
    const minusOne = values.has(-1);
    const allowed = minusOne ? [-1, 1] : [0, 1];
    const bad = firstLineWith((text) => !allowed.includes(valueOf(text)));
    if (bad) {
      const shown = /^[\w.+-]+$/.test(bad[1]) ? bad[1] : describe(bad[1]);
      return { problem: t('csv.label-numeric', { line: bad[0], value: shown }) };
    }
    const classOf = new Map(distinct.map((text) => [text, valueOf(text) === 1 ? 1 : 0]));
    return { classOf, note: minusOne ? t('csv.minus-one') : null };
  }
  if (lowerWords.every((word) => word === 'true' || word === 'false')) {
    return { classOf: new Map(distinct.map((text) => [text, text.toLowerCase() === 'true' ? 1 : 0])), note: t('csv.true-false') };
  }
  if (distinct.length === 2 && !distinct.some((text) => text === '')) {
    const [zero, one] = [...distinct].sort();
    return {
      classOf: new Map([[zero, 0], [one, 1]]),
      note: t('csv.words', { zero, one }),
    };
  }
  if (distinct.length > 2) {
    const [a, b] = distinct;
    const bad = firstLineWith((text) => text !== a && text !== b);
    return { problem: t('csv.third-label', { line: bad[0], value: describe(bad[1]), a: describe(a), b: describe(b) }) };
  }
  const [only] = distinct;
  const line = rows.find(([, text]) => text === only)[0];
  return { problem: t('csv.one-label', { line, value: describe(only) }) };
}

/**
 * Parses a CSV of points. Returns `{ ok: true, points, notes }` (notes: what
 * a person should know, such as how labels were mapped or which columns were
 * ignored) or `{ ok: false, error }` naming the line. A file with no points
 * is refused.
 */
export function parseCsv(text) {
  try {
    if (typeof text !== 'string') return fail(t('err.expected-text', { value: describe(text) }));
    if (looksBinary(text)) return fail(t('err.not-text'));
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    const content = [];
    for (let i = 0; i < lines.length; i++) {
      const trimmed = lines[i].trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) content.push(i);
    }
    if (content.length === 0) return fail(text.trim() === '' ? t('err.empty') : t('csv.no-points'));
    const separator = detectSeparator(lines[content[0]]);
    const first = splitLine(lines[content[0]], separator);
    const hasHeader = first.some((field) => number(field, separator).problem);
    const notes = [];

    let columns;
    if (hasHeader) {
      const found = columnsFromHeader(first);
      if (found.problem) return fail(t('csv.line', { line: content[0] + 1, problem: found.problem }));
      columns = found;
      if (found.note) notes.push(found.note);
      const used = new Set([columns.x, columns.y, columns.label]);
      const ignored = first.filter((_, i) => !used.has(i));
      if (ignored.length) notes.push(t('csv.ignored', { count: ignored.length, names: ignored.map((n) => describe(n)).join(', ') }));
    } else {
      if (first.length < 3) {
        return fail(t('csv.three', { line: content[0] + 1, found: first.length }));
      }
      columns = { x: 0, y: 1, label: 2 };
      if (first.length > 3) notes.push(t('csv.no-header', { more: first.length - 3 }));
    }
    const rowLines = hasHeader ? content.slice(1) : content;
    if (rowLines.length === 0) return fail(t('csv.header-only', { line: content[0] + 1 }));
    if (rowLines.length > MAX_POINTS) return fail(t('err.too-many', { count: String(rowLines.length), max: String(MAX_POINTS) }));
    const width = Math.max(columns.x, columns.y, columns.label) + 1;
    const expected = hasHeader ? first.length : width;

    const x = new Array(rowLines.length);
    const y = new Array(rowLines.length);
    const labels = new Array(rowLines.length);
    for (let r = 0; r < rowLines.length; r++) {
      const line = rowLines[r] + 1;
      const fields = splitLine(lines[rowLines[r]], separator);
      if (fields.length < width || (hasHeader && fields.length !== expected)) {
        return fail(t('csv.values', { line, expected, separator: t(`csv.separator.${SEPARATOR_NAMES[separator]}`), found: fields.length }));
      }
      for (const [name, column, out] of [['x', columns.x, x], ['y', columns.y, y]]) {
        const parsed = number(fields[column], separator);
        if (parsed.problem) return fail(t('csv.value', { line, name, problem: parsed.problem }));
        if (Math.abs(parsed.value) > MAX_COORD) return fail(t('csv.outside', { line, name, value: fields[column], max: String(MAX_COORD) }));
        out[r] = parsed.value;
      }
      labels[r] = [line, fields[columns.label]];
    }
    const mapping = labelMapping(labels);
    if (mapping.problem) return fail(mapping.problem);
    if (mapping.note) notes.unshift(mapping.note);
    if (separator !== ',') notes.push(t(`csv.separated.${SEPARATOR_NAMES[separator]}`));
    const label = labels.map(([, text]) => mapping.classOf.get(text));
    return ok({ points: { x, y, label }, notes });
  } catch (error) {
    return fail(t('csv.failed', { error: errorMessage(error) }));
  }
}
