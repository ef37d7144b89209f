// Item text → weighted terms: words, word pairs, URL slug words and named entities, with sublinear tf.
import { extractCleanEntities } from './entities.js';
import { cleanContentWords, cleanText, stripOutletSuffix, urlSlugWords } from './text.js';

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
  entity: number;
  /** Summary words beyond this many are ignored: the lead carries the story, the tail drifts. */
  summaryWords: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { bigram: 1, urlWord: 1, summaryWord: 0.5, entity: 1, summaryWords: 40 };

/** Terms of one item with their (sublinear) frequencies; entity terms are prefixed "e:", pairs joined by "_". */
export interface ItemFeatures {
  terms: string[];
  weights: number[];
  /** Display forms of the entities found, for topics ("Claudia Sheinbaum"). */
  entities: string[];
}

/** Extracts weighted terms from an item's title, summary and URL. */
export function extractFeatures(item: StoryItemText, w: FeatureWeights = DEFAULT_FEATURE_WEIGHTS): ItemFeatures {
  const tf = new Map<string, number>();
  const add = (t: string, x: number): void => {
    tf.set(t, (tf.get(t) ?? 0) + x);
  };
  const title = cleanText(stripOutletSuffix(item.title, item.outlet ?? null));
  const summaryText = item.summary ? cleanText(item.summary) : '';
  const words = cleanContentWords(title);
  addWords(words, 1, w.bigram, add);
  const summary = cleanContentWords(summaryText, w.summaryWords);
  if (w.summaryWord > 0) addWords(summary, w.summaryWord, w.bigram * w.summaryWord, add);
  if (w.urlWord > 0) {
    const seen = new Set(words);
    for (const u of urlSlugWords(item.url)) if (!seen.has(u)) (seen.add(u), add(u, w.urlWord));
  }
  const entities = extractCleanEntities(title, summaryText);
  if (w.entity > 0) for (const e of entities) add(`e:${e.toLowerCase()}`, w.entity);
  const terms: string[] = [];
  const weights: number[] = [];
  for (const [t, x] of tf) {
    terms.push(t);
    weights.push(x > 1 ? 1 + Math.log(x) : x);
  }
  return { terms, weights, entities };
}

function addWords(words: string[], weight: number, pairWeight: number, add: (t: string, x: number) => void): void {
  for (let i = 0; i < words.length; i++) {
    add(words[i]!, weight);
    if (pairWeight > 0 && i + 1 < words.length) add(`${words[i]}_${words[i + 1]}`, pairWeight);
  }
}

