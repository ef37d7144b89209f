// Term text → id through a 53-bit fingerprint of the text, in flat typed arrays: about 24 bytes a term
// and one probe in contiguous memory, against a string, a map entry and several scattered reads for a
// Map<string, number>. Among n terms two share a fingerprint with odds of about n² / 2^54 (1 in 20,000
// at a million terms); the vocabulary tells such terms apart while it still holds the earlier one's text.

const EMPTY = 0;

/** Two FNV-1a style hashes of the text as one integer below 2^53; never 0. */
export function termFingerprint(term: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 11) | 1);
}

export class TermFingerprints {
  private keys = new Float64Array(1024);
  private ids = new Int32Array(1024);
  private count = 0;

  /** The id stored under a fingerprint, or -1. */
  get(fingerprint: number): number {
    const at = this.find(fingerprint);
    return this.keys[at] === EMPTY ? -1 : this.ids[at]!;
  }

  set(fingerprint: number, id: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const at = this.find(fingerprint);
    if (this.keys[at] === EMPTY) this.count++;
    this.keys[at] = fingerprint;
    this.ids[at] = id;
  }

  // The slot holding the fingerprint, or the empty slot ending its probe chain (the table is at most half full).
  private find(fingerprint: number): number {
    const mask = this.keys.length - 1;
    let at = Math.imul(fingerprint >>> 0, 0x9e3779b1) >>> (Math.clz32(this.keys.length) + 1);
    while (this.keys[at] !== EMPTY && this.keys[at] !== fingerprint) at = (at + 1) & mask;
    return at;
  }

  private grow(): void {
    const { keys, ids } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, ids[i]!);
  }
}
