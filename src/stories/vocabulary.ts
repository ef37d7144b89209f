// Terms as small integers, with document frequencies kept up to date as items arrive.

/** An item's terms as interned ids with tf-idf-ready raw weights. */
export interface TermVector {
  ids: number[];
  weights: number[];
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly df: number[] = [];
  /** Documents counted so far. */
  documents = 0;

  /** idf is raised to this power: below 1 flattens it, so a story's own frequent words keep weight. */
  constructor(
    private readonly idfPower = 1,
    private readonly centroidPower = 1,
  ) {}

  /** A story's weight for a term from the summed member weights: a power above 1 favours the terms most members share. */
  centroidWeight(sum: number): number {
    return this.centroidPower === 1 ? sum : this.centroidPower === 2 ? sum * sum : sum ** this.centroidPower;
  }

  /** The id of a term, creating it when new. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(term, id);
      this.names.push(term);
      this.df.push(0);
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

  /** Stories (active) containing each term, and the count of active stories: a story-level df. */
  readonly storyDf: number[] = [];
  stories = 0;
  mode = process.env.IDFMODE ?? 'items';

  /** Smoothed idf (as scikit-learn's, then raised to idfPower): never zero, finite for unseen terms. */
  idf(id: number): number {
    let idf = Math.log((this.documents + 1) / ((this.df[id] ?? 0) + 1)) + 1;
    if (this.mode === 'stories') idf = Math.log((this.stories + 1) / ((this.storyDf[id] ?? 0) + 1)) + 1;
    else if (this.mode === 'both') idf = Math.sqrt(idf * (Math.log((this.stories + 1) / ((this.storyDf[id] ?? 0) + 1)) + 1));
    return this.idfPower === 1 ? idf : this.idfPower === 0.5 ? Math.sqrt(idf) : idf ** this.idfPower;
  }

  /** Share of documents containing the term. */
  documentShare(id: number): number {
    return this.documents === 0 ? 0 : (this.df[id] ?? 0) / this.documents;
  }
}
