// Terms as small integers, with document frequencies kept up to date as items arrive.

/** An item's terms as interned ids with their raw (sublinear tf) weights. */
export interface TermVector {
  ids: number[];
  weights: number[];
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly df: number[] = [];
  // idf is read far more often than it changes: cached per term until its df moves or the corpus grows 1%.
  private readonly idfCache: number[] = [];
  private readonly cachedDf: number[] = [];
  private readonly cachedDocuments: number[] = [];
  /** Documents counted so far. */
  documents = 0;

  /** idf is raised to this power: below 1 flattens it, so the words a story's items share keep weight. */
  constructor(private readonly idfPower = 1) {}

  /** The id of a term, creating it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
      this.df.push(0);
      this.idfCache.push(0);
      this.cachedDf.push(-1);
      this.cachedDocuments.push(0);
    }
    return id;
  }

  lookup(term: string): number | undefined {
    return this.ids.get(term);
  }

  name(id: number): string {
    return this.names[id] ?? '';
  }

  /** Counts one document containing these terms (each id once). */
  observe(ids: readonly number[]): void {
    this.documents++;
    for (const id of ids) this.df[id]!++;
  }

  documentFrequency(id: number): number {
    return this.df[id] ?? 0;
  }

  /** Smoothed idf (as scikit-learn's: never zero, finite for unseen terms), raised to idfPower. */
  idf(id: number): number {
    const df = this.df[id] ?? 0;
    if (this.cachedDf[id] === df && this.documents <= this.cachedDocuments[id]! * 1.01) return this.idfCache[id]!;
    const plain = Math.log((this.documents + 1) / (df + 1)) + 1;
    const idf = this.idfPower === 1 ? plain : plain ** this.idfPower;
    if (id < this.idfCache.length) {
      this.idfCache[id] = idf;
      this.cachedDf[id] = df;
      this.cachedDocuments[id] = this.documents;
    }
    return idf;
  }

  /** Share of documents containing the term. */
  documentShare(id: number): number {
    return this.documents === 0 ? 0 : (this.df[id] ?? 0) / this.documents;
  }
}
