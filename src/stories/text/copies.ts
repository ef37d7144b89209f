// Wire copies: the same text republished by several feeds. Exact match on the normalised words of
// title and summary, and MinHash with banded LSH for copies that differ by a few words (a dropped
// dateline, a retitled lead). Only texts long enough to be distinctive count. What the detector keeps
// of a text is its print (a fingerprint of the words and the signature): the story writer stores it, so
// a fresh process restores the detector without reading the texts again (issue 12).
import { splitWords } from './words.js';

const BANDS = 6;
const ROWS = 3;
const HASHES = BANDS * ROWS;
const SHINGLE = 3;
// Near-duplicate search needs text beyond a headline; shorter texts match exactly or not at all.
const MIN_HASHED_WORDS = 20;

/** Where an earlier text lives: the item and its story. */
export interface CopySource {
  itemKey: string;
  storyKey: number;
}

export interface CopyDetectorOptions {
  /** Texts with fewer words than this are too generic to call a copy ("Top news"). */
  minWords: number;
  /** Estimated Jaccard similarity of word 3-grams above which two texts are the same text. */
  minSimilarity: number;
}

/**
 * What the detector keeps of a text long enough to count: a 53-bit fingerprint of its words (two texts
 * share one with odds of about n / 2^53 at n texts held) and its MinHash signature when it has enough
 * words for near-duplicate search.
 */
export interface CopyPrint {
  exact: number;
  signature: Uint32Array | null;
}

interface ReadText {
  text: string;
  print: CopyPrint | null;
}

interface Entry extends CopySource, CopyPrint {}

export class CopyDetector {
  private readonly exact = new Map<number, Entry>();
  private readonly bands = new Map<number, Entry[]>();
  private readonly byItem = new Map<string, Entry>();

  // An item's text is looked up (find) and then remembered (add): it is read once for both.
  private last: ReadText | null = null;

  constructor(private readonly options: CopyDetectorOptions) {}

  private read(text: string): ReadText {
    if (this.last?.text === text) return this.last;
    const words = splitWords(text);
    const long = words.length >= this.options.minWords;
    const print = long
      ? { exact: wordsFingerprint(words), signature: words.length >= MIN_HASHED_WORDS ? minHash(words) : null }
      : null;
    return (this.last = { text, print });
  }

  /** What the detector keeps of a text: null for a text too short to count. */
  printOf(text: string): CopyPrint | null {
    return this.read(text).print;
  }

  /** The print an item was remembered with (see `add`), if it was. */
  storedPrint(itemKey: string): CopyPrint | null {
    const entry = this.byItem.get(itemKey);
    return entry ? { exact: entry.exact, signature: entry.signature } : null;
  }

  /** The earlier item this text copies, if any (the first one seen wins). */
  find(text: string): CopySource | null {
    const print = this.read(text).print;
    if (!print) return null;
    const hit = this.exact.get(print.exact);
    if (hit) return hit;
    const signature = print.signature;
    if (!signature) return null;
    let best: Entry | null = null;
    let bestSimilarity = this.options.minSimilarity;
    for (let b = 0; b < BANDS; b++) {
      for (const entry of this.bands.get(bandKey(signature, b)) ?? []) {
        const similarity = estimateJaccard(signature, entry.signature!);
        if (similarity > bestSimilarity || (similarity === bestSimilarity && best && entry.itemKey < best.itemKey))
          [best, bestSimilarity] = [entry, similarity];
      }
    }
    return best;
  }

  /** Remembers a text so later copies of it are found; `print` (from `printOf` or `storedPrint`) spares reading it. */
  add(text: string, source: CopySource, print: CopyPrint | null = this.read(text).print): void {
    if (!print || this.byItem.has(source.itemKey)) return;
    const { exact, signature } = print;
    const entry: Entry = { itemKey: source.itemKey, storyKey: source.storyKey, exact, signature };
    this.byItem.set(source.itemKey, entry);
    if (!this.exact.has(exact)) this.exact.set(exact, entry);
    if (!signature) return;
    for (let b = 0; b < BANDS; b++) {
      const k = bandKey(signature, b);
      const list = this.bands.get(k);
      if (list) list.push(entry);
      else this.bands.set(k, [entry]);
    }
  }

  /** Points an item's entry at another story (after a merge). */
  move(itemKey: string, storyKey: number): void {
    const entry = this.byItem.get(itemKey);
    if (entry) entry.storyKey = storyKey;
  }

  /** Forgets an item (its story went quiet). */
  remove(itemKey: string): void {
    const entry = this.byItem.get(itemKey);
    if (!entry) return;
    this.byItem.delete(itemKey);
    if (this.exact.get(entry.exact) === entry) this.exact.delete(entry.exact);
    if (!entry.signature) return;
    for (let b = 0; b < BANDS; b++) {
      const k = bandKey(entry.signature, b);
      const list = this.bands.get(k)?.filter((e) => e !== entry);
      if (list?.length) this.bands.set(k, list);
      else this.bands.delete(k);
    }
  }
}

// Fixed odd multipliers and offsets: a deterministic family of hash permutations.
const SEEDS_A = Array.from({ length: HASHES }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0);
const SEEDS_B = Array.from({ length: HASHES }, (_, i) => Math.imul(i + 7, 0x85ebca6b) >>> 0);

function minHash(words: string[]): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const h = fnv1aShingle(words, i);
    for (let k = 0; k < HASHES; k++) {
      const v = (Math.imul(h ^ SEEDS_B[k]!, SEEDS_A[k]!) ^ (h >>> 15)) >>> 0;
      if (v < sig[k]!) sig[k] = v;
    }
  }
  return sig;
}

/** Two FNV-1a style hashes of the words joined by spaces, as one integer below 2^53 (as termFingerprint). */
function wordsFingerprint(words: string[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let k = 0; k < words.length; k++) {
    if (k > 0) {
      a = Math.imul(a ^ 32, 0x01000193);
      b = Math.imul(b ^ 32, 0x5bd1e995);
    }
    const w = words[k]!;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 11) | 1);
}

/** FNV-1a of the shingle starting at word `start`, as of its words joined by spaces (without building that string). */
function fnv1aShingle(words: string[], start: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < start + SHINGLE; k++) {
    if (k > start) h = Math.imul(h ^ 32, 0x01000193);
    const w = words[k]!;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/**
 * A band's rows as one integer below 2^53. Two bands may share a key: that only adds a candidate, and
 * changes no result, since a text estimated above minSimilarity (0.7 > 1 - BANDS / HASHES) differs from
 * the other in at most five of the eighteen hashes, so some band of theirs matches whole anyway.
 */
function bandKey(sig: Uint32Array, band: number): number {
  const at = band * ROWS;
  let a = Math.imul(band + 1, 0x9e3779b1);
  let b = Math.imul(band + 1, 0x85ebca6b);
  for (let k = at; k < at + ROWS; k++) {
    a = Math.imul(a ^ sig[k]!, 0x01000193);
    b = Math.imul(b ^ sig[k]!, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2 ** 21 + (b >>> 11);
}

function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) same++;
  return same / HASHES;
}
