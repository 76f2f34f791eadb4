// Every language's table, by code, in the order the switch lists them. The
// Workers' builds replace this module by lang/given.js (see vite.config.js):
// the page posts them its tables, so they are not bundled again.
import en from './en.js';
import ru from './ru.js';

export default { en, ru };
