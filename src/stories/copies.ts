// Wire copies: the same text republished by several feeds. Exact match on the normalised words of
// title and summary, and MinHash with banded LSH for copies that differ by a few words (a dropped
// dateline, a retitled lead). Only texts long enough to be distinctive count.
import { splitWords } from './text.js';

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

interface ReadText {
  text: string;
  words: string[];
  exact: string;
  signature: Uint32Array | null;
}

interface Entry extends CopySource {
  exact: string;
  signature: Uint32Array | null;
}

export class CopyDetector {
  private readonly exact = new Map<string, Entry>();
  private readonly bands = new Map<string, Entry[]>();
  private readonly byItem = new Map<string, Entry>();

  // An item's text is looked up (find) and then remembered (add): it is read once for both.
  private last: ReadText | null = null;

  constructor(private readonly options: CopyDetectorOptions) {}

  private read(text: string): ReadText {
    if (this.last?.text === text) return this.last;
    const words = splitWords(text);
    const long = words.length >= this.options.minWords;
    const exact = long ? words.join(' ') : '';
    const signature = long && words.length >= MIN_HASHED_WORDS ? minHash(words) : null;
    return (this.last = { text, words, exact, signature });
  }

  /** The earlier item this text copies, if any (the first one seen wins). */
  find(text: string): CopySource | null {
    const read = this.read(text);
    if (read.words.length < this.options.minWords) return null;
    const hit = this.exact.get(read.exact);
    if (hit) return hit;
    const signature = read.signature;
    if (!signature) return null;
    let best: Entry | null = null;
    let bestSimilarity = this.options.minSimilarity;
    for (let b = 0; b < BANDS; b++) {
      for (const entry of this.bands.get(bandKey(signature, b)) ?? []) {
        const similarity = estimateJaccard(signature, entry.signature!);
        if (similarity > bestSimilarity || (similarity === bestSimilarity && best && entry.itemKey < best.itemKey)) [best, bestSimilarity] = [entry, similarity];
      }
    }
    return best;
  }

  /** Remembers a text so later copies of it are found. */
  add(text: string, source: CopySource): void {
    const { words, exact, signature } = this.read(text);
    if (words.length < this.options.minWords || this.byItem.has(source.itemKey)) return;
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

function bandKey(sig: Uint32Array, band: number): string {
  return `${band}:${Array.from(sig.subarray(band * ROWS, band * ROWS + ROWS)).join(',')}`;
}

function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a[k] === b[k]) same++;
  return same / HASHES;
}
