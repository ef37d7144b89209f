// Named entities by a capitalised-phrase heuristic: cheap enough for every item (wink-nlp's English
// model reads about 6,000 headlines a second, the whole per-item budget), and good on sentence-case text.
import { GENERIC_WORDS, STOP_WORDS } from './stop-words.js';
import { cleanText } from './words.js';
import type { Casing } from '../../model.js';

// Lower-case words allowed inside a name ("Bank of England", "Rio de Janeiro").
const CONNECTORS: ReadonlySet<string> = new Set(['of', 'de', 'del', 'da', 'la', 'van', 'von', 'bin', 'al', '&']);
// Offices and honorifics written before a name ("President Claudia Sheinbaum"): not part of the name,
// and a name either side of one is two names ("Mexico President Claudia Sheinbaum").
const TITLES: ReadonlySet<string> = new Set(
  `president vice prime minister pm chancellor secretary senator sen rep representative governor gov mayor judge justice
  pope king queen prince princess sir dame mr mrs ms dr general gen commander chief ceo chairman leader former cardinal
  archbishop bishop ambassador envoy spokesman spokeswoman premier first lady emperor empress sheikh`.split(/\s+/),
);
// Titles that are part of how a person is known when a regnal name follows ("Pope Leo XIV", "King Charles").
const REGNAL_TITLES: ReadonlySet<string> = new Set([
  'pope',
  'king',
  'queen',
  'prince',
  'princess',
  'emperor',
  'empress',
  'sheikh',
]);
const ROMAN_NUMERAL = /^(?=[IVXL])X{0,3}(?:IX|IV|V?I{0,3})$|^L?X{0,3}(?:IX|IV|V?I{0,3})$/;
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[.!?:;|"“”()[\],]/gu;
const SENTENCE_BREAK = /^[.!?:;|"“”()[\]]$/u;

/** Capitalised names in a title and summary, in first-seen order, without duplicates. */
export function extractEntities(title: string, summary: string): string[] {
  return extractCleanEntities(cleanText(title), cleanText(summary));
}

/** extractEntities of a title and summary already through cleanText (the features read them cleaned once). */
/** The names of one text already through cleanText, and its casing (what its capitals can mean). */
export function namesOf(clean: string): { names: string[]; casing: Casing } {
  const tokens = clean.match(TOKEN) ?? [];
  const casing = textCasing(tokens);
  return { names: [...new Set(capitalisedRuns(tokens, casing))], casing };
}

export function extractCleanEntities(title: string, summary: string): string[] {
  const found = new Map<string, string>();
  for (const text of [title, summary]) {
    if (!text) continue;
    const tokens = text.match(TOKEN) ?? [];
    // In Title Case or ALL CAPS text capitals mark nothing; only acronyms still do.
    const casing = textCasing(tokens);
    for (const name of capitalisedRuns(tokens, casing)) {
      const key = name.toLowerCase();
      if (!found.has(key)) found.set(key, name);
    }
  }
  return [...found.values()];
}

export type { Casing } from '../../model.js';

function textCasing(tokens: string[]): Casing {
  let words = 0;
  let capital = 0;
  let upper = 0;
  for (const t of tokens) {
    if (!/^\p{L}/u.test(t) || t.length < 4 || STOP_WORDS.has(t.toLowerCase())) continue;
    words++;
    if (/^\p{Lu}/u.test(t)) capital++;
    if (t === t.toUpperCase()) upper++;
  }
  if (words >= 3 && upper / words > 0.7) return 'upper';
  if (words >= 3 && capital / words > 0.7) return 'title';
  return 'sentence';
}

function capitalisedRuns(tokens: string[], casing: Casing): string[] {
  const names: string[] = [];
  let run: string[] = [];
  let runStartsSentence = false;
  let atSentenceStart = true;
  const flush = (): void => {
    let startsSentence = runStartsSentence;
    for (const part of splitAtTitles(run)) {
      while (part.length && CONNECTORS.has(part[part.length - 1]!.toLowerCase())) part.pop();
      const name = acceptName(part, startsSentence, casing);
      if (name) names.push(name);
      startsSentence = false;
    }
    run = [];
  };
  for (const t of tokens) {
    if (t === ',') {
      // A comma ends a name ("On Sunday, Mexico"), not a sentence.
      flush();
      continue;
    }
    if (SENTENCE_BREAK.test(t)) {
      flush();
      atSentenceStart = true;
      continue;
    }
    const capitalised = casing === 'sentence' ? /^\p{Lu}/u.test(t) : isAcronym(t) && casing !== 'upper';
    if (capitalised) {
      if (!run.length) runStartsSentence = atSentenceStart;
      run.push(t);
    } else if (run.length && CONNECTORS.has(t.toLowerCase())) {
      run.push(t);
    } else flush();
    atSentenceStart = false;
  }
  flush();
  return names;
}

const isTitle = (t: string): boolean => TITLES.has(t.toLowerCase().replace(/\.$/, ''));

/**
 * A run of capitalised words cut at its titles: "Mexico President Claudia Sheinbaum" → Mexico, Claudia
 * Sheinbaum. A regnal title stays with the name after it when that is one given name and an optional
 * numeral: "Pope Leo XIV", "King Charles III".
 */
function splitAtTitles(run: string[]): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  for (let i = 0; i < run.length; i++) {
    const t = run[i]!;
    if (!isTitle(t)) {
      part.push(t);
      continue;
    }
    if (part.length) parts.push(part);
    part = [];
    const next = run[i + 1];
    if (REGNAL_TITLES.has(t.toLowerCase()) && next && !isTitle(next) && /^\p{Lu}\p{Ll}+$/u.test(next)) {
      const after = run[i + 2];
      const numeral = after !== undefined && ROMAN_NUMERAL.test(after);
      if (run[i + (numeral ? 3 : 2)] === undefined || isTitle(run[i + (numeral ? 3 : 2)]!)) {
        parts.push(numeral ? [t, next, after!] : [t, next]);
        i += numeral ? 2 : 1;
      }
    }
  }
  if (part.length) parts.push(part);
  return parts;
}

// Words that open a sentence before a name ("Although Pierre Poilievre lost…") and never begin one.
const SENTENCE_OPENERS: ReadonlySet<string> = new Set(
  'although though whilst despite amidst whenever whose since unless whether meanwhile however yet instead'.split(' '),
);

function acceptName(run: string[], startsSentence: boolean, casing: Casing): string | null {
  // A leading "The"/"In"/"After"/"Although" is the sentence, not the name.
  while (
    run.length > 1 &&
    (STOP_WORDS.has(run[0]!.toLowerCase()) || (startsSentence && SENTENCE_OPENERS.has(run[0]!.toLowerCase())))
  ) {
    run = run.slice(1);
    // What follows the sentence's first word is capitalised for itself: "Despite Hamas", "In Gaza".
    startsSentence = false;
  }
  if (run.length === 1 && STOP_WORDS.has(run[0]!.toLowerCase())) return null;
  if (!run.length) return null;
  const words = run.map((t) => t.replace(/['’]s$/u, ''));
  const content = words.filter((w) => !CONNECTORS.has(w.toLowerCase()));
  if (content.every((w) => GENERIC_WORDS.has(w.toLowerCase()) || STOP_WORDS.has(w.toLowerCase()))) return null;
  // A single capitalised word opening a sentence is usually just the first word, unless it owns what
  // follows ("Canada's Carney", "Trump's tariffs").
  if (
    content.length === 1 &&
    startsSentence &&
    casing === 'sentence' &&
    !isAcronym(content[0]!) &&
    !/['’]s$/u.test(run[run.length - 1]!)
  )
    return null;
  if (content.length === 1 && content[0]!.length < 2) return null;
  return words.join(' ');
}

function isAcronym(t: string): boolean {
  return t.length >= 2 && t.length <= 6 && /^\p{Lu}[\p{Lu}\d&.]+$/u.test(t);
}
