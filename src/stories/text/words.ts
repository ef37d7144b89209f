// Text → words: the one tokenizer every feature, copy check and topic uses, so they agree.
import { STOP_WORDS } from './stop-words.js';

const TRAILING_ELLIPSIS = /\s*(?:\.\.\.|…)\s*$/u;
const APOSTROPHES = /[’‘`´]/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'&.]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const COMBINING_MARKS = /\p{M}/gu;
// Capitalised country abbreviations that would otherwise fold into stop words ("US" → "us").
const ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bU\.S\.A?\.?(?=\s|$|[^\p{L}])|\bUSA\b|\bUS\b/gu, ' USA '],
  [/\bU\.K\.?(?=\s|$|[^\p{L}])|\bUK\b/gu, ' UK '],
  [/\bE\.U\.?(?=\s|$|[^\p{L}])/gu, ' EU '],
  [/\bU\.N\.?(?=\s|$|[^\p{L}])/gu, ' UN '],
];

/** Unicode-normalised text with the headline clutter removed (a truncation mark, curly quotes). */
export function cleanText(text: string): string {
  let t = text.normalize('NFKC').replace(APOSTROPHES, "'").replace(TRAILING_ELLIPSIS, '');
  // Every abbreviation has a capital U: most texts need none of the four passes.
  if (t.includes('U')) for (const [re, to] of ABBREVIATIONS) t = t.replace(re, to);
  return t;
}

/** Lower-case words without accents; possessive 's dropped, inner dots removed (U.S. → us). */
export function splitWords(text: string): string[] {
  return splitCleanWords(cleanText(text));
}

/** splitWords of a text already through cleanText. */
export function splitCleanWords(clean: string): string[] {
  const out: string[] = [];
  for (const raw of clean.match(WORD) ?? []) {
    const w = foldWord(raw);
    if (w) out.push(w);
  }
  return out;
}

// Most words are plain ASCII letters and digits, which need none of the folding steps.
const PLAIN_WORD = /^[a-z0-9]+$/;

function foldWord(raw: string): string {
  let w = raw.toLowerCase();
  if (PLAIN_WORD.test(w)) return w;
  w = w.normalize('NFD').replace(COMBINING_MARKS, '');
  if (w.endsWith("'s")) w = w.slice(0, -2);
  w = w.replace(/['.]/g, '');
  if (w.includes('&')) w = w.replace(/&/g, '');
  return w;
}

/** Folds plurals and a few verb endings so "prices"/"price" and "bombs"/"bomb" meet (a light S-stemmer). */
export function stemWord(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses') || w.endsWith('shes') || w.endsWith('ches') || w.endsWith('xes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

export function isStopWord(w: string): boolean {
  return STOP_WORDS.has(w) || w.length < 2;
}

/** Content words of a text, stemmed, in order (stop words removed). */
export function contentWords(text: string): string[] {
  return cleanContentWords(cleanText(text));
}

/** The first `limit` content words of a text already through cleanText. */
export function cleanContentWords(clean: string, limit = Infinity): string[] {
  const out: string[] = [];
  for (const raw of clean.match(WORD) ?? []) {
    if (out.length >= limit) break;
    const w = foldWord(raw);
    if (!isStopWord(w)) out.push(stemWord(w));
  }
  return out;
}

/** Words of a URL's most descriptive path segment (the slug), which often restates the headline. */
export function urlSlugWords(url: string | null | undefined): string[] {
  if (!url) return [];
  let segments: string[];
  try {
    segments = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    return [];
  }
  let best = '';
  let bestSeparators = 1;
  for (const s of segments) {
    const seg = decodeSafely(s).replace(/\.\w{2,5}$/, '');
    const separators = (seg.match(/[-_]/g) ?? []).length;
    if (separators > bestSeparators) [best, bestSeparators] = [seg, separators];
  }
  // Tokens with digits are ids ("478743dd", "rcna204770"), not words.
  return best
    .toLowerCase()
    .split(/[-_.+~]+/)
    .filter((w) => /^\p{L}{2,}$/u.test(w) && !isStopWord(w))
    .map(stemWord);
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
