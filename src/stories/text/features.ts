// Item text → weighted terms: words and word pairs of the title and lead, URL slug words, with sublinear tf.
// A name weighs more than other words but counts once, whatever its length.
import { namesOf, type Casing } from './entities.js';
import type { NameLexicon } from './name-lexicon.js';
import { ROLE_WORDS } from './stop-words.js';
import { stripOutletSuffix } from '../../normalize/text.js';
import { cleanContentWords, cleanText, urlSlugWords } from './words.js';
import type { ItemFeatures } from '../../model.js';

/** What the grouping reads of an item: what feeds carry. */
export interface StoryItemText {
  title: string;
  summary?: string | null;
  url?: string | null;
  outlet?: string | null;
}

/** Relative weights of the feature families (term frequency before sublinear scaling). */
export interface FeatureWeights {
  bigram: number;
  urlWord: number;
  summaryWord: number;
  /**
   * Role words ("president", "minister") name an office held in every kind of story, not an event. Idf
   * already discounts them; 0.8 sits mid-plateau (demo week F1 and merge precision flat from 0.55 to 1.1,
   * while 0.5 was at the edge where one wrong merge takes demo merge precision from 0.92 to 0.84).
   */
  roleWord: number;
  /** Words of a name (a capitalised phrase) weigh this much more than other words. */
  nameBoost: number;
  /** A word of a k-word name weighs k^-nameWords: at 0.5 the whole name weighs as one word, so a long name counts once. */
  nameWords: number;
  /** Summary words beyond this many are ignored: the lead carries the story, the tail drifts. */
  summaryWords: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = {
  bigram: 1,
  urlWord: 1,
  summaryWord: 0.3,
  roleWord: 0.8,
  nameBoost: 1.6,
  nameWords: 0.5,
  summaryWords: 40,
};

export type { ItemFeatures } from '../../model.js';

/**
 * Extracts weighted terms from an item's title, summary and URL. `known` gives the names of a title whose
 * capitals mark nothing: those that other items spelled with capitals.
 */
export function extractFeatures(
  item: StoryItemText,
  w: FeatureWeights = DEFAULT_FEATURE_WEIGHTS,
  known?: NameLexicon,
): ItemFeatures {
  const tf = new Map<string, number>();
  const add = (t: string, x: number): void => {
    tf.set(t, (tf.get(t) ?? 0) + x);
  };
  const title = cleanText(stripOutletSuffix(item.title, item.outlet ?? null));
  const summaryText = item.summary ? cleanText(item.summary) : '';
  const { names: titleNames, casing: titleCasing } = namesOf(title);
  const summaryNames = summaryText ? namesOf(summaryText).names : [];
  const words = cleanContentWords(title);
  const names = nameWordLists([...titleNames, ...summaryNames]);
  if (known && titleCasing !== 'sentence') names.push(...known.namesIn(words));
  names.sort((a, b) => b.length - a.length);
  addWords(words, 1, w, add, names);
  const summary = cleanContentWords(summaryText, w.summaryWords);
  if (w.summaryWord > 0) addWords(summary, w.summaryWord, w, add, names);
  if (w.urlWord > 0) {
    const seen = new Set(words);
    for (const u of urlSlugWords(item.url)) if (!seen.has(u)) (seen.add(u), add(u, w.urlWord));
  }
  const terms: string[] = [];
  const weights: number[] = [];
  for (const [t, x] of tf) {
    terms.push(t);
    weights.push(x > 1 ? 1 + Math.log(x) : x);
  }
  return { terms, weights, titleNames, summaryNames, titleCasing };
}

// The content words of each name (sorted longest first by the caller, so a name is matched whole before its parts).
function nameWordLists(entities: string[]): string[][] {
  return entities.map((e) => cleanContentWords(e)).filter((ws) => ws.length > 0);
}

/** Per position: 0 outside a name, else the length of the name it is part of. */
function nameSpans(words: string[], names: string[][]): Uint8Array {
  const span = new Uint8Array(words.length);
  for (const name of names) {
    for (let i = 0; i + name.length <= words.length; i++) {
      let match = true;
      for (let k = 0; k < name.length && match; k++) match = span[i + k] === 0 && words[i + k] === name[k];
      if (match) span.fill(Math.min(255, name.length), i, i + name.length);
    }
  }
  return span;
}

function addWords(
  words: string[],
  weight: number,
  w: FeatureWeights,
  add: (t: string, x: number) => void,
  names: string[][],
): void {
  const span = names.length ? nameSpans(words, names) : null;
  for (let i = 0; i < words.length; i++) {
    const k = span?.[i] ?? 0;
    const role = ROLE_WORDS.has(words[i]!) ? w.roleWord : 1;
    add(words[i]!, weight * role * (k > 0 ? w.nameBoost * k ** -w.nameWords : 1));
    if (w.bigram > 0 && i + 1 < words.length) add(`${words[i]}_${words[i + 1]}`, weight * w.bigram);
  }
}
