// Terms as small integers, with document frequencies kept up to date as items arrive.
import { termFingerprint, TermFingerprints } from './term-fingerprints.js';

/** An item's terms as interned ids with their raw (sublinear tf) weights. */
export interface TermVector {
  ids: number[];
  weights: number[];
}

// Offsets in a term's stats (see Vocabulary.stats).
const STRIDE = 4;
const DF = 0;
const IDF = 1;
const CACHED_DF = 2;
const CACHED_DOCUMENTS = 3;

export class Vocabulary {
  // Text → id by fingerprint (see term-fingerprints.ts): the table keeps no string, so a term's text can go.
  private readonly index = new TermFingerprints();
  // Texts of the terms, for reading; most terms (word pairs above all) occur in one item and never again,
  // and lose their text when that item leaves the index. Id and document frequency stay, so a term that
  // does come back is as if nothing had been dropped.
  private readonly names: Array<string | undefined> = [];
  // Terms whose fingerprint an earlier term (with its text still held) already had.
  private readonly collided = new Map<string, number>();
  // Per term, side by side so that one read brings them all: document frequency, and the idf cached with
  // the df and corpus size it was computed at (idf is read far more often than it changes: it is kept
  // until the term's df moves or the corpus grows 1%).
  private stats = new Float64Array(STRIDE * 1024);
  /** Documents counted so far. */
  documents = 0;

  /** idf is raised to this power: below 1 flattens it, so the words a story's items share keep weight. */
  constructor(private readonly idfPower = 1) {}

  /** The id of a term, creating it when new. */
  intern(term: string): number {
    const known = this.lookup(term);
    if (known !== undefined) {
      this.names[known] ??= term;
      return known;
    }
    const id = this.names.length;
    const fingerprint = termFingerprint(term);
    if (this.index.get(fingerprint) < 0) this.index.set(fingerprint, id);
    else this.collided.set(term, id);
    this.names.push(term);
    if (this.stats.length < this.names.length * STRIDE) {
      const grown = new Float64Array(this.stats.length * 2);
      grown.set(this.stats);
      this.stats = grown;
    }
    this.stats[id * STRIDE + CACHED_DF] = -1;
    return id;
  }

  /** The id of a term, if known. */
  lookup(term: string): number | undefined {
    if (this.collided.size > 0) {
      const id = this.collided.get(term);
      if (id !== undefined) return id;
    }
    const id = this.index.get(termFingerprint(term));
    if (id < 0) return undefined;
    const name = this.names[id];
    return name === undefined || name === term ? id : undefined;
  }

  name(id: number): string {
    return this.names[id] ?? '';
  }

  /**
   * Counts one document containing these terms (each id once). `terms`, their texts, give back the text
   * of a term dropped since it was interned (its one earlier item left the index meanwhile).
   */
  observe(ids: readonly number[], terms?: readonly string[]): void {
    this.documents++;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      this.stats[id * STRIDE + DF]!++;
      if (terms) this.names[id] ??= terms[i];
    }
  }

  /** Drops the texts of the terms among these seen in one document only: call when that document leaves the index. */
  dropSingletonTexts(ids: readonly number[]): void {
    for (const id of ids) if (this.documentFrequency(id) === 1) this.names[id] = undefined;
  }

  /** Terms known. */
  get size(): number {
    return this.names.length;
  }

  documentFrequency(id: number): number {
    return id < this.names.length ? this.stats[id * STRIDE + DF]! : 0;
  }

  /** Smoothed idf (as scikit-learn's: never zero, finite for unseen terms), raised to idfPower. */
  idf(id: number): number {
    const known = id < this.names.length;
    const at = id * STRIDE;
    const df = known ? this.stats[at + DF]! : 0;
    if (known && this.stats[at + CACHED_DF] === df && this.documents <= this.stats[at + CACHED_DOCUMENTS]! * 1.01)
      return this.stats[at + IDF]!;
    const idf = this.idfOf(df);
    if (known) {
      this.stats[at + IDF] = idf;
      this.stats[at + CACHED_DF] = df;
      this.stats[at + CACHED_DOCUMENTS] = this.documents;
    }
    return idf;
  }

  /**
   * The idf under the current counts, computed afresh and leaving the cache as it is: a reader outside
   * the grouping (the storyline linker) must not move the cached values the grouping decides by.
   */
  exactIdf(id: number): number {
    return this.idfOf(this.documentFrequency(id));
  }

  private idfOf(df: number): number {
    const plain = Math.log((this.documents + 1) / (df + 1)) + 1;
    return this.idfPower === 1 ? plain : plain ** this.idfPower;
  }

  /** Share of documents containing the term. */
  documentShare(id: number): number {
    return this.documents === 0 ? 0 : this.documentFrequency(id) / this.documents;
  }
}
