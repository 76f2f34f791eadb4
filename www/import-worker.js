// The import Worker: reads and checks one file off the page's thread and
// posts progress, then the result (see file-reader.js).
import { readFile } from './file-reader.js';
import { setLanguage, useTables } from './i18n.js';

let lastPosted = -1;
self.addEventListener('message', async ({ data }) => {
  useTables(data.tables);
  setLanguage(data.language);
  const result = await readFile(data.file, ({ phase, fraction }) => {
    // A message per tenth is enough for a progress notice.
    const step = Math.floor(fraction * 10) + (phase === 'checking' ? 100 : 0);
    if (step === lastPosted) return;
    lastPosted = step;
    self.postMessage({ type: 'progress', phase, fraction });
  });
  self.postMessage({ type: 'result', result });
});
