// Every language's table, by code, in the order the switch lists them. The
// import worker's build replaces this module by lang/given.js (see
// vite.config.js): the page gives the worker its tables with each file, so
// they are not bundled twice.
import en from './en.js';
import ru from './ru.js';

export default { en, ru };
