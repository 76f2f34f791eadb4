// The import worker's stand-in for lang/tables.js (vite.config.js puts it
// there): no table of its own; the page posts its tables with each file
// (i18n.js useTables).
/** @type {Record<string, Record<string, import('../i18n.js').Entry>>} */
export default {};
