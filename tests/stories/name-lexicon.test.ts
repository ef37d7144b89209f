// Names learned from sentence-case items, found again in headlines whose capitals mark nothing.
import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/stories/text/features.js';
import { NameLexicon } from '../../src/stories/text/name-lexicon.js';
import { StoryAssigner } from '../../src/stories/group/assign.js';
import { DAY, T0, item } from './helpers.js';

const weightOf = (f: { terms: string[]; weights: number[] }, term: string): number => f.weights[f.terms.indexOf(term)]!;

describe('NameLexicon', () => {
  it('finds the names of two words or more that its items spelled, until the last of those items leaves', () => {
    const names = new NameLexicon();
    names.add(['Federal Reserve', 'Powell']);
    names.add(['Federal Reserve']);
    const words = ['federal', 'reserve', 'powell', 'hold', 'rate'];
    expect(names.namesIn(words)).toEqual([['federal', 'reserve']]);
    names.remove(['Federal Reserve', 'Powell']);
    expect(names.namesIn(words)).toEqual([['federal', 'reserve']]);
    names.remove(['Federal Reserve']);
    expect(names.namesIn(words)).toEqual([]);
    expect(names.size).toBe(0);
  });
});

describe('extractFeatures with known names', () => {
  it('weighs a known name in a Title Case headline as a sentence-case headline would', () => {
    const names = new NameLexicon();
    names.add(['Federal Reserve']);
    const titleCase = { title: 'Federal Reserve Holds Interest Rates Steady Again' };
    const sentence = extractFeatures({ title: 'The Federal Reserve holds interest rates steady again' });
    const plain = extractFeatures(titleCase);
    const known = extractFeatures(titleCase, undefined, names);
    expect(weightOf(plain, 'federal')).toBeLessThan(weightOf(known, 'federal'));
    expect(weightOf(known, 'federal')).toBeCloseTo(weightOf(sentence, 'federal'));
    // A sentence-case headline's capitals already say what is a name.
    expect(extractFeatures({ title: 'Markets wait on federal reserve' }, undefined, names)).toEqual(
      extractFeatures({ title: 'Markets wait on federal reserve' }),
    );
  });
});

describe('StoryAssigner names', () => {
  it('learns names from the items it holds and forgets them when their story goes quiet', () => {
    const index = new StoryAssigner();
    const headline = 'Federal Reserve Holds Interest Rates Steady Again';
    const before = index.prepare(item(headline, 0)).vector;
    index.assign(item('The Federal Reserve keeps rates on hold as inflation cools', 0), T0);
    const learned = index.prepare(item(headline, 1)).vector;
    const at = (v: { weights: number[] }) => v.weights[0]!;
    expect(at(learned)).toBeGreaterThan(at(before));
    index.pruneQuiet(T0 + 7 * DAY, true);
    expect(index.prepare(item(headline, 7 * 24)).vector).toEqual(before);
  });
});
