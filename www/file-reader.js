// Reading an imported file: its bytes in chunks (with progress), its text
// (UTF-8, or UTF-16 with a BOM), what it is (a JSON document or a CSV of
// points) and its validation. Used in the import Worker, so that a big file
// never stops the page from drawing, and on the page when no Worker can start.
import { decodeText, parseCsv } from './csv.js';
import { errorMessage, parseDocument } from './formats.js';
import { t } from './i18n.js';

/** Bigger files are refused before reading: a valid one is far smaller. */
export const MAX_FILE_BYTES = 64e6;

/** 'json' or 'csv', from the name, else from the text. */
export function kindOf(name, text) {
  const lower = String(name ?? '').toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  return text.trimStart().startsWith('{') ? 'json' : 'csv';
}

/**
 * The file's bytes, read in chunks; `onProgress(fraction)` as they come. `{ bytes }` or `{ error }`.
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 * @returns {Promise<{ bytes: Uint8Array, error?: undefined } | { error: string, bytes?: undefined }>}
 */
async function readBytes(file, onProgress) {
  try {
    if (typeof file.stream !== 'function') return { bytes: new Uint8Array(await file.arrayBuffer()) };
    const bytes = new Uint8Array(file.size);
    const reader = file.stream().getReader();
    let offset = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.length > bytes.length) return { error: t('err.file-changed') };
      bytes.set(value, offset);
      offset += value.length;
      onProgress(offset / bytes.length);
    }
    return { bytes: offset === bytes.length ? bytes : bytes.subarray(0, offset) };
  } catch (error) {
    return { error: t('err.file-unreadable', { error: errorMessage(error) }) };
  }
}

/**
 * Reads and checks a file. Resolves to `{ kind: 'json', document, warnings }`,
 * `{ kind: 'csv', points, notes }` or `{ error }`; never rejects.
 * `onProgress({ phase: 'reading' | 'checking', fraction })`.
 * @param {File} file
 * @param {(progress: { phase: 'reading' | 'checking', fraction: number }) => void} [onProgress]
 */
export async function readFile(file, onProgress = () => {}) {
  try {
    if (file.size === 0) return { error: t('err.empty') };
    if (file.size > MAX_FILE_BYTES) {
      return { error: t('err.too-large', { size: Number((file.size / 1e6).toFixed(1)), max: MAX_FILE_BYTES / 1e6 }) };
    }
    const read = await readBytes(file, (fraction) => onProgress({ phase: 'reading', fraction }));
    if (read.error) return read;
    const decoded = decodeText(read.bytes);
    if (decoded.error) return decoded;
    onProgress({ phase: 'checking', fraction: 0 });
    if (kindOf(file.name, decoded.text) === 'json') {
      const parsed = parseDocument(decoded.text);
      return parsed.ok ? { kind: 'json', document: parsed.document, warnings: parsed.warnings } : { error: parsed.error };
    }
    const parsed = parseCsv(decoded.text);
    return parsed.ok ? { kind: 'csv', points: parsed.points, notes: parsed.notes } : { error: parsed.error };
  } catch (error) {
    return { error: t('err.file-unreadable', { error: errorMessage(error) }) };
  }
}
