// Reading the shared feed corpus (../shared/datasets/feeds) as the fetch stage would hand it over:
// bytes decoded by BOM, then the XML declaration's encoding, else UTF-8 (with U+FFFD for bad bytes).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FEEDS_DIR = path.resolve(repoRoot, '../shared/datasets/feeds');

export interface CorpusEntry {
  path: string;
  format: string;
  encoding: string;
  itemCount: number | null;
  notes: string;
}

/** SOURCES.tsv, one entry per document. */
export function readSources(): CorpusEntry[] {
  const lines = readFileSync(path.join(FEEDS_DIR, 'SOURCES.tsv'), 'utf8').split('\n').slice(1);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cols = line.split('\t');
      return {
        path: cols[0]!,
        format: cols[3] ?? '',
        encoding: cols[4] ?? '',
        itemCount: cols[5] === '' || cols[5] === undefined ? null : Number(cols[5]),
        notes: cols[8] ?? '',
      };
    });
}

function declaredEncoding(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 200).toString('latin1');
  return /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? null;
}

/** Decodes a corpus file the way a fetcher would. */
export function decodeFeedBytes(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0)
    return iconv.decode(bytes.subarray(4), 'utf-32le');
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return iconv.decode(bytes.subarray(4), 'utf-32be');
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0) return iconv.decode(bytes, 'utf-32le');
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0x3c) return iconv.decode(bytes, 'utf-32be');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf-16be');
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return iconv.decode(bytes, 'utf-16be');
  const declared = declaredEncoding(bytes);
  if (declared && !/^utf-?8$/i.test(declared) && iconv.encodingExists(declared)) return iconv.decode(bytes, declared);
  return bytes.toString('utf8');
}

/** One corpus document, decoded. */
export function readFeed(relativePath: string): string {
  return decodeFeedBytes(readFileSync(path.join(FEEDS_DIR, relativePath)));
}
