// Named entities by a capitalised-phrase heuristic: cheap enough for every item (wink-nlp's English
// model reads about 6,000 headlines a second, the whole per-item budget), and good on sentence-case text.
import { GENERIC_WORDS, STOP_WORDS } from './stop-words.js';
import { cleanText } from './text.js';

// Lower-case words allowed inside a name ("Bank of England", "Rio de Janeiro").
const CONNECTORS: ReadonlySet<string> = new Set(['of', 'de', 'del', 'da', 'la', 'van', 'von', 'bin', 'al', '&']);
// Offices and honorifics written before a name ("President Claudia Sheinbaum"): not part of the name.
const TITLES: ReadonlySet<string> = new Set(
  `president vice prime minister chancellor secretary senator sen rep representative governor gov mayor judge justice
  pope king queen prince princess sir dame mr mrs ms dr general gen commander chief ceo chairman leader former`.split(/\s+/),
);
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[.!?:;|"“”()[\]]/gu;
const SENTENCE_BREAK = /^[.!?:;|"“”()[\]]$/u;

/** Capitalised names in a title and summary, in first-seen order, without duplicates. */
export function extractEntities(title: string, summary: string): string[] {
  return extractCleanEntities(cleanText(title), cleanText(summary));
}

/** extractEntities of a title and summary already through cleanText (the features read them cleaned once). */
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

type Casing = 'sentence' | 'title' | 'upper';

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
    while (run.length && CONNECTORS.has(run[run.length - 1]!.toLowerCase())) run.pop();
    const name = acceptName(run, runStartsSentence, casing);
    if (name) names.push(name);
    run = [];
  };
  for (const t of tokens) {
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

function acceptName(run: string[], startsSentence: boolean, casing: Casing): string | null {
  // A leading "The"/"In"/"After" is the sentence, not the name.
  while (run.length > 1 && (STOP_WORDS.has(run[0]!.toLowerCase()) || TITLES.has(run[0]!.toLowerCase().replace(/\.$/, '')))) run = run.slice(1);
  if (run.length === 1 && STOP_WORDS.has(run[0]!.toLowerCase())) return null;
  if (!run.length) return null;
  const words = run.map((t) => t.replace(/['’]s$/u, ''));
  const content = words.filter((w) => !CONNECTORS.has(w.toLowerCase()));
  if (content.every((w) => GENERIC_WORDS.has(w.toLowerCase()) || STOP_WORDS.has(w.toLowerCase()))) return null;
  // A single capitalised word opening a sentence is usually just the first word.
  if (content.length === 1 && startsSentence && casing === 'sentence' && !isAcronym(content[0]!)) return null;
  if (content.length === 1 && content[0]!.length < 2) return null;
  return words.join(' ');
}

function isAcronym(t: string): boolean {
  return t.length >= 2 && t.length <= 6 && /^\p{Lu}[\p{Lu}\d&.]+$/u.test(t);
}
