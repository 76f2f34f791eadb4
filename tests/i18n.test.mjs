// The page's two languages: both tables have every key, none empty, with
// the same {placeholders}; every key the page uses (index.html's data-i18n
// attributes, the modules' t('…') calls and message keys, the keys made from
// a list of names) is in them; and t() and pickLanguage behave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import en from '../www/lang/en.js';
import ru from '../www/lang/ru.js';
import { LANGUAGES, pickLanguage, setLanguage, t } from '../www/i18n.js';
import { STAGES } from '../www/app.js';
import { ACTIVATIONS, INITS } from '../www/model.js';
import { DATASETS, SETTINGS } from '../www/state.js';

const ROOT = join(import.meta.dirname, '..');
const WWW = join(ROOT, 'www');

/** The texts of an entry: one string, or its plural forms. */
const forms = (entry) => (typeof entry === 'string' ? [entry] : Object.values(entry ?? {}));
const placeholders = (entry) => new Set(forms(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));

test('both languages have the same keys, none empty, with the same placeholders', () => {
  assert.deepEqual(Object.keys(LANGUAGES).sort(), ['en', 'ru']);
  for (const [name, table, other] of [['en', en, ru], ['ru', ru, en]]) {
    for (const [key, entry] of Object.entries(table)) {
      assert.ok(key in other, `"${key}" is in ${name} but missing from the other language`);
      assert.ok(typeof entry === 'string' || (typeof entry === 'object' && entry !== null), `${name} "${key}" is neither text nor plural forms`);
      for (const text of forms(entry)) assert.ok(typeof text === 'string' && text.trim() !== '', `${name} "${key}" is empty`);
      if (typeof entry === 'object') assert.ok(entry.one && entry.other, `${name} "${key}" lacks the "one" or "other" form`);
    }
  }
  for (const key of Object.keys(en)) {
    assert.deepEqual(placeholders(ru[key]), placeholders(en[key]), `"${key}" has other placeholders in ru than in en`);
    if (typeof en[key] === 'object') {
      assert.ok(typeof ru[key] === 'object' && ru[key].few && ru[key].many, `ru "${key}" needs the few and many forms`);
    }
  }
});

/** Every key the page's files use, with where. */
async function usedKeys() {
  const namespaces = new Set(Object.keys(en).map((key) => key.split('.')[0]));
  const used = new Map();
  const use = (key, where) => used.set(key, where);
  const html = await readFile(join(ROOT, 'index.html'), 'utf8');
  for (const [, key] of html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) use(key, 'index.html');
  const files = (await readdir(WWW)).filter((name) => name.endsWith('.js'));
  for (const name of files) {
    const source = await readFile(join(WWW, name), 'utf8');
    // t('key'), and any quoted 'namespace.key' (keys handed on, or chosen by a condition).
    for (const [, key] of source.matchAll(/'([a-z0-9]+(?:\.[a-z0-9_-]+)+)'/g)) {
      if (namespaces.has(key.split('.')[0])) use(key, name);
    }
    for (const [, key] of source.matchAll(/\bt\('([^']+)'/g)) use(key, name);
  }
  return { used, files };
}

test('every key the page uses is in the tables', async () => {
  const { used, files } = await usedKeys();
  assert.ok(files.length > 10 && used.size > 150, `found only ${used.size} keys in ${files.length} files`);
  for (const [key, where] of used) assert.ok(key in en, `${where} uses "${key}", which the tables lack`);
  // Keys made from a list of names.
  const families = {
    dataset: DATASETS, short: DATASETS, work: DATASETS, init: INITS, activation: ACTIVATIONS, stage: STAGES,
    undo: ['clear', 'reset', 'start-over', 'dataset', 'network-change', 'weight-edit'],
    setting: [...Object.keys(SETTINGS), 'hidden'],
    expected: [...Object.keys(SETTINGS), 'hidden'],
    'csv.separator': ['comma', 'semicolon', 'tab'],
    'csv.separated': ['comma', 'semicolon', 'tab'],
  };
  for (const [family, names] of Object.entries(families)) {
    for (const name of names) assert.ok(`${family}.${name}` in en, `the tables lack "${family}.${name}"`);
  }
  // Every undo label the app gives is named.
  const app = await readFile(join(WWW, 'app.js'), 'utf8');
  const labels = [...app.matchAll(/beforeDestructive\('([^']+)'\)/g)].map((m) => m[1]);
  assert.ok(labels.length >= 6);
  for (const label of labels) assert.ok(`undo.${label}` in en, `the undo label "${label}" has no text`);
});

test('t() fills placeholders, writes numbers as each language does and picks plural forms', () => {
  try {
    setLanguage('en');
    assert.equal(t('points', { count: 1 }), '1 point');
    assert.equal(t('points', { count: 1234 }), '1,234 points');
    assert.equal(t('math.rate', { rate: '1.2' }), 'α = 1.2, the learning rate.');
    setLanguage('ru');
    assert.equal(t('points', { count: 1 }), '1 точка');
    assert.equal(t('points', { count: 3 }), '3 точки');
    assert.equal(t('points', { count: 5 }), '5 точек');
    assert.equal(t('points', { count: 21 }), '21 точка');
    assert.equal(t('points', { count: 1234 }).replace(/\s/g, ' '), '1 234 точки');
    assert.equal(t('import.outside', { points: 'x', half: 2.5 }), 'x за пределами ±2,5: вид подстроен под данные');
    assert.equal(setLanguage('de'), false, 'a language the page does not speak is refused');
    assert.equal(t('readout.cost'), 'Стоимость J', 'and changes nothing');
    assert.throws(() => t('no.such-key'), /no text for "no.such-key"/);
  } finally {
    setLanguage('en');
  }
});

test('the language is the link\'s, else the remembered one, else the browser\'s first the page speaks', () => {
  assert.equal(pickLanguage({ link: 'ru', remembered: 'en', preferred: ['en-US'] }), 'ru');
  assert.equal(pickLanguage({ link: 'xx', remembered: 'ru', preferred: ['en-US'] }), 'ru');
  assert.equal(pickLanguage({ remembered: 'de', preferred: ['de-DE', 'ru-RU', 'en'] }), 'ru');
  assert.equal(pickLanguage({ preferred: ['EN-gb'] }), 'en');
  assert.equal(pickLanguage({ preferred: ['fr', 'de'] }), 'en');
  assert.equal(pickLanguage({}), 'en');
});
