// The best few of many scored values, kept in order as they are offered: the same result as sorting all
// of them (higher score first, then lower key) and keeping the head, without sorting or pairing them all.

export class TopList<T> {
  readonly items: T[] = [];
  private readonly keys: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly limit: number) {}

  /** Offers a value; keys are unique among the values offered, or the same key comes with the same score (kept once). */
  offer(item: T, key: number, score: number): void {
    const { keys, scores } = this;
    let at = keys.length;
    while (at > 0 && (score > scores[at - 1]! || (score === scores[at - 1]! && key < keys[at - 1]!))) at--;
    if (at >= this.limit || (at > 0 && keys[at - 1] === key)) return;
    const { items } = this;
    // Shift the tail down one place (dropping the last when full) and write the value at its rank.
    let i = Math.min(keys.length, this.limit - 1);
    for (; i > at; i--) {
      items[i] = items[i - 1]!;
      keys[i] = keys[i - 1]!;
      scores[i] = scores[i - 1]!;
    }
    items[at] = item;
    keys[at] = key;
    scores[at] = score;
  }
}
