// The Workers' stand-in for lang/tables.js (vite.config.js puts it there):
// no table of its own; the page posts its tables to each Worker (i18n.js
// useTables): with each file to the import worker, first to the training one.
/** @type {Record<string, Record<string, import('../i18n.js').Entry>>} */
export default {};
