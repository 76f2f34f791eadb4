// The page's two languages. Each language is one table (www/lang/en.js,
// www/lang/ru.js) with the same keys; t(key, params) gives the text in the
// current language, with {name} replaced by params.name (numbers written the
// way the language writes them) and, for an entry with plural forms, the
// form for params.count. Static text on the page is marked in index.html:
// data-i18n="key" sets an element's text, data-i18n-title,
// data-i18n-aria-label, data-i18n-placeholder and data-i18n-content its
// attributes. setLanguage switches at once: the page's marked text is
// rewritten and every view that wrote text itself is told (onLanguage).

import TABLES from './lang/tables.js';

/** @typedef {string | { one: string, few?: string, many?: string, other: string }} Entry */

/** The tables, by language code (the import worker's are given it: useTables). @type {Readonly<Record<string, Record<string, Entry>>>} */
export let LANGUAGES = Object.freeze({ ...TABLES });
/** The language codes, in the order the switch lists them. */
export let LANGUAGE_CODES = Object.freeze(Object.keys(LANGUAGES));

/**
 * Takes the page's tables (the import worker's build carries none of its own).
 * @param {Readonly<Record<string, Record<string, Entry>>>} tables
 */
export function useTables(tables) {
  LANGUAGES = Object.freeze({ ...tables });
  LANGUAGE_CODES = Object.freeze(Object.keys(LANGUAGES));
}
/** Where the reader's choice is remembered. */
const STORAGE_KEY = 'planar-language';
/** The attributes data-i18n-* may set. */
const ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'content'];

let current = 'en';
/** @type {Set<(language: string) => void>} */
const listeners = new Set();
/** @type {Map<string, Intl.NumberFormat>} */
const numberFormats = new Map();

/** The current language's code. */
export function language() {
  return current;
}

/**
 * The language a page opens in: the link's, else the one chosen before,
 * else the first of the browser's languages the page speaks, else English.
 * @param {{ link?: string | null, remembered?: string | null, preferred?: readonly string[] }} sources
 */
export function pickLanguage({ link = null, remembered = null, preferred = [] }) {
  if (link && LANGUAGE_CODES.includes(link)) return link;
  if (remembered && LANGUAGE_CODES.includes(remembered)) return remembered;
  for (const tag of preferred) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGE_CODES.includes(code)) return code;
  }
  return 'en';
}

/** The language chosen before in this browser, or null. */
export function rememberedLanguage() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * Switches the page to `code`: marked text, the document's language, then
 * every listener. `remember` keeps the choice for the next visit. Returns
 * false (and changes nothing) for a language the page does not speak.
 * @param {string} code
 * @param {{ remember?: boolean }} [options]
 */
export function setLanguage(code, { remember = false } = {}) {
  if (!LANGUAGE_CODES.includes(code)) return false;
  current = code;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, code);
    } catch {
      // Storage blocked: the choice lasts for this page only.
    }
  }
  if (globalThis.document) translatePage(document);
  for (const listener of [...listeners]) listener(code);
  return true;
}

/**
 * Calls `listener(code)` after every switch; returns a function that stops it.
 * @param {(language: string) => void} listener
 */
export function onLanguage(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A number as the current language writes it in prose ("1,234.5", "1 234,5").
 * @param {number} value
 */
export function formatNumber(value) {
  if (!numberFormats.has(current)) numberFormats.set(current, new Intl.NumberFormat(current, { maximumFractionDigits: 6 }));
  return numberFormats.get(current).format(value);
}

/**
 * The text of `key` in the current language.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params = {}) {
  const entry = LANGUAGES[current][key] ?? LANGUAGES.en[key];
  if (entry === undefined) throw new Error(`no text for "${key}"`);
  let text;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    const form = new Intl.PluralRules(current).select(Number(params.count ?? 0));
    text = entry[form] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

/**
 * Writes the current language's text into every marked element under `root`.
 * @param {ParentNode} root
 */
export function translatePage(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const text = t(/** @type {HTMLElement} */ (node).dataset.i18n);
    if (node.textContent !== text) node.textContent = text;
  }
  for (const attribute of ATTRIBUTES) {
    for (const node of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.getAttribute(`data-i18n-${attribute}`)));
    }
  }
  if (root === globalThis.document) {
    document.documentElement.lang = current;
    document.title = t('page.title');
  }
}
