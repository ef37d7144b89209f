// The flat structures behind the grouping's hot paths, each checked against the plain structure it stands for.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPING_OPTIONS } from '../../src/stories/group/options.js';
import { smallerDot, TermPostings } from '../../src/stories/structures/postings.js';
import { addMember, createStory, dotWithCentroid, type StoryState } from '../../src/stories/structures/story-state.js';
import { termFingerprint, TermFingerprints } from '../../src/stories/structures/term-fingerprints.js';
import { addTermSum, createTermSums, termSum, termWeight } from '../../src/stories/structures/term-sums.js';
import { TopList } from '../../src/stories/structures/top-list.js';
import { Vocabulary } from '../../src/stories/structures/vocabulary.js';

// A seeded generator, so a failure replays.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('TermSums', () => {
  it('holds what a Map<number, number> holds, in insertion order, through growth', () => {
    const r = random(1);
    const sums = createTermSums();
    const model = new Map<number, number>();
    const befores: number[] = [];
    const expected: number[] = [];
    for (let n = 0; n < 20_000; n++) {
      // Sparse and dense ids alike: terms are interned in bursts.
      const id = r() < 0.5 ? Math.floor(r() * 3_000) : Math.floor(r() * 2 ** 30);
      const x = r();
      befores.push(addTermSum(sums, id, x));
      expected.push(model.get(id) ?? 0);
      model.set(id, (model.get(id) ?? 0) + x);
    }
    expect(befores).toEqual(expected);
    expect(sums.size).toBe(model.size);
    expect([...sums.ids.subarray(0, sums.size)]).toEqual([...model.keys()]);
    expect([...sums.values.subarray(0, sums.size)]).toEqual([...model.values()]);
    expect([...model.keys()].map((id) => termSum(sums, id))).toEqual([...model.values()]);
    expect(termSum(sums, -5)).toBeUndefined();
    expect(termSum(sums, 2 ** 30 + 1)).toBeUndefined();
  });

  it('keeps each sum raised to the centroid power beside it, through growth', () => {
    const r = random(2);
    const sums = createTermSums(0.85);
    const model = new Map<number, number>();
    for (let n = 0; n < 5_000; n++) {
      const id = Math.floor(r() * 2_000);
      const before = termWeight(sums, id) ?? 0;
      addTermSum(sums, id, r());
      expect(sums.lastWeight).toBe(before);
      model.set(id, termSum(sums, id)!);
    }
    for (const [id, sum] of model) expect(termWeight(sums, id)).toBeCloseTo(sum ** 0.85, 12);
  });
});

describe('TopList', () => {
  it('keeps what sorting everything (higher score, then lower key) and taking the head keeps', () => {
    const r = random(2);
    for (let round = 0; round < 200; round++) {
      const limit = 1 + Math.floor(r() * 12);
      // Few distinct scores, so ties are common and the key decides.
      const offered = Array.from({ length: Math.floor(r() * 40) }, (_, key) => ({
        key,
        score: Math.floor(r() * 6) / 2,
      }));
      const shuffled = [...offered].sort(() => r() - 0.5);
      const top = new TopList<number>(limit);
      for (const o of shuffled) top.offer(o.key, o.key, o.score);
      const expected = [...offered]
        .sort((a, b) => b.score - a.score || a.key - b.key)
        .slice(0, limit)
        .map((o) => o.key);
      expect(top.items).toEqual(expected);
    }
  });

  it('keeps a key offered twice with the same score once', () => {
    const top = new TopList<number>(3);
    for (const id of [5, 2, 5, 9, 2]) top.offer(id, id, id === 9 ? 0.1 : 1);
    expect(top.items).toEqual([2, 5, 9]);
  });
});

describe('TermFingerprints', () => {
  it('gives back every id stored, and -1 for fingerprints never stored', () => {
    const table = new TermFingerprints();
    const terms = Array.from({ length: 50_000 }, (_, i) => `term_${i}_${(i * 7919) % 1000}`);
    terms.forEach((t, i) => table.set(termFingerprint(t), i));
    expect(terms.map((t) => table.get(termFingerprint(t)))).toEqual(terms.map((_, i) => i));
    expect(table.get(termFingerprint('never seen'))).toBe(-1);
  });

  it('fingerprints are positive integers below 2^53 and tell near texts apart', () => {
    const prints = ['a', 'b', 'ab', 'ba', 'drug_cartel', 'drug_cartels', 'e:claudia sheinbaum', ''].map(
      termFingerprint,
    );
    for (const p of prints) expect(Number.isSafeInteger(p) && p > 0).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
  });
});

describe('Vocabulary', () => {
  it('drops the text of a term seen once when its item leaves, and gives back its id and frequency when it returns', () => {
    const vocab = new Vocabulary();
    const [once, twice] = [vocab.intern('rare_pair'), vocab.intern('common')];
    vocab.observe([once, twice]);
    vocab.observe([twice]);
    vocab.dropSingletonTexts([once, twice]);
    expect(vocab.name(once)).toBe('');
    expect(vocab.name(twice)).toBe('common');
    expect(vocab.intern('rare_pair')).toBe(once);
    expect(vocab.name(once)).toBe('rare_pair');
    expect(vocab.documentFrequency(once)).toBe(1);
    expect(vocab.intern('new_pair')).toBe(2);
  });

  it('gives a text back on observe when it was dropped between interning and counting', () => {
    const vocab = new Vocabulary();
    const id = vocab.intern('pair');
    vocab.observe([id]);
    const again = vocab.intern('pair');
    vocab.dropSingletonTexts([id]);
    vocab.observe([again], ['pair']);
    expect(vocab.name(id)).toBe('pair');
    expect(vocab.documentFrequency(id)).toBe(2);
  });

  it('computes the same idf whether or not texts were dropped', () => {
    const [kept, dropped] = [new Vocabulary(0.5), new Vocabulary(0.5)];
    const r = random(3);
    for (let doc = 0; doc < 3_000; doc++) {
      const terms = [...new Set(Array.from({ length: 6 }, () => `t${Math.floor(r() ** 3 * 5_000)}`))];
      for (const v of [kept, dropped])
        v.observe(
          terms.map((t) => v.intern(t)),
          terms,
        );
      if (doc % 50 === 0) dropped.dropSingletonTexts(terms.map((t) => dropped.intern(t)));
    }
    for (let t = 0; t < 5_000; t++) {
      const id = kept.lookup(`t${t}`);
      if (id === undefined) continue;
      expect(dropped.intern(`t${t}`)).toBe(id);
      expect(dropped.idf(id)).toBe(kept.idf(id));
    }
  });
});

describe('TermPostings', () => {
  // Stories of random terms, listed as the index lists them: every term a story's sums hold.
  function storiesAndPostings(seed: number): { postings: TermPostings; stories: StoryState[]; vocab: Vocabulary } {
    const r = random(seed);
    const vocab = new Vocabulary(0.5);
    const postings = new TermPostings(vocab, DEFAULT_GROUPING_OPTIONS);
    const stories = Array.from({ length: 30 }, (_, key) => createStory(key, 0));
    for (let n = 0; n < 600; n++) {
      const story = stories[Math.floor(r() ** 2 * stories.length)]!;
      const terms = [...new Set(Array.from({ length: 8 }, () => `t${Math.floor(r() ** 2 * 400)}`))];
      const ids = terms.map((t) => vocab.intern(t));
      vocab.observe(ids, terms);
      const member = {
        key: `m${n}`,
        title: '',
        summary: '',
        outlet: null,
        url: null,
        published: 0,
        vector: { ids, weights: ids.map(() => 1 + r()) },
        names: { title: [], summary: [], titleCasing: 'sentence' as const },
        copyOf: null,
      };
      for (const id of addMember(story, member, vocab)) postings.add(id, story);
    }
    return { postings, stories, vocab };
  }

  it('finds the same dots with each story as dotWithCentroid, to the last bit', () => {
    const { postings, stories } = storiesAndPostings(4);
    const ids = [3, 17, 42, 99, 250, 399, 1000];
    const weighted = ids.map((_, i) => 0.1 + i / 10);
    for (const some of [stories.slice(0, 12), stories.slice(5, 8), stories.slice(20)]) {
      expect([...postings.dotsWithCentroids(some, ids, weighted)]).toEqual(
        some.map((s) => dotWithCentroid(s, ids, weighted)),
      );
    }
  });

  it('finds the same shared dots as walking the smaller story of each pair, to the last bit', () => {
    const { postings, stories, vocab } = storiesAndPostings(5);
    for (const story of stories.slice(0, 10)) {
      const others = stories.filter((s) => s !== story).slice(0, 12);
      const expected = others.map((b) =>
        story.sums.size <= b.sums.size ? smallerDot(story, b, vocab) : smallerDot(b, story, vocab),
      );
      expect(postings.sharedDots(story, others)).toEqual(expected);
    }
  });

  it('takes a story off every list it was on', () => {
    const { postings, stories } = storiesAndPostings(6);
    const gone = stories[0]!;
    postings.removeStory(gone);
    for (let id = 0; id < 400; id++) expect(postings.get(id) ?? []).not.toContain(gone);
    for (let i = 0; i < stories[1]!.sums.size; i++)
      expect(postings.get(stories[1]!.sums.ids[i]!)).toContain(stories[1]);
  });
});
