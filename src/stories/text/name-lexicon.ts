// The names the index's items spell with capitals, so that a headline whose capitals mark nothing (Title
// Case, ALL CAPS: half the UCI set) still has its names found: "Federal Reserve Holds Rates" names the
// Federal Reserve because sentence-case items did. Only names of two words or more: a lone capitalised
// word is a name in its context ("Bill", "Apple"), a phrase spelled as a name is one wherever it is (with
// single words too, UCI merge precision fell from 0.90 to 0.69). Holds the names of the items in the
// index, so a process that restores the index from its items holds the same names.
import { cleanContentWords } from './words.js';

export class NameLexicon {
  // A name's content words joined by spaces → how many held items spell it.
  private readonly counts = new Map<string, number>();
  // First content word → the names (as word lists) that start with it.
  private readonly byFirstWord = new Map<string, string[][]>();

  /** Counts the names of one item (display forms, as namesOf gives them). */
  add(names: readonly string[]): void {
    for (const words of phraseWordLists(names)) {
      const key = words.join(' ');
      const n = this.counts.get(key) ?? 0;
      this.counts.set(key, n + 1);
      if (n > 0) continue;
      const list = this.byFirstWord.get(words[0]!);
      if (list) list.push(words);
      else this.byFirstWord.set(words[0]!, [words]);
    }
  }

  /** Uncounts the names of an item leaving the index. */
  remove(names: readonly string[]): void {
    for (const words of phraseWordLists(names)) {
      const key = words.join(' ');
      const n = this.counts.get(key);
      if (n === undefined) continue;
      if (n > 1) {
        this.counts.set(key, n - 1);
        continue;
      }
      this.counts.delete(key);
      const list = this.byFirstWord.get(words[0]!)!.filter((w) => w.join(' ') !== key);
      if (list.length) this.byFirstWord.set(words[0]!, list);
      else this.byFirstWord.delete(words[0]!);
    }
  }

  /** The held names (as content-word lists) that occur in a run of content words. */
  namesIn(words: readonly string[]): string[][] {
    const found: string[][] = [];
    for (let i = 0; i < words.length; i++)
      for (const name of this.byFirstWord.get(words[i]!) ?? [])
        if (i + name.length <= words.length && name.every((w, k) => words[i + k] === w)) found.push(name);
    return found;
  }

  /** Distinct names held. */
  get size(): number {
    return this.counts.size;
  }
}

// Each name of two content words or more once, as the features read it (stemmed content words).
function phraseWordLists(names: readonly string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const name of names) {
    const words = cleanContentWords(name);
    const key = words.join(' ');
    if (words.length < 2 || seen.has(key)) continue;
    seen.add(key);
    out.push(words);
  }
  return out;
}
