import { describe, expect, it } from 'vitest';
import { consolidateIndex } from '../../src/stories/group/consolidate.js';
import { groupItems } from '../../src/stories/group/group-items.js';
import { StoryAssigner, type StoredFeatures } from '../../src/stories/group/assign.js';
import { storyTopics } from '../../src/stories/topics/story-topics.js';
import { outletCount } from '../../src/stories/structures/story-state.js';
import { DAY, HOUR, T0, item } from './helpers.js';

const MEXICO = [
  'Mexico president Sheinbaum rejects offer of US troops to fight drug cartels',
  'Sheinbaum says she refused Trump offer to send US troops into Mexico against cartels',
  'Mexico rejects US troops: Sheinbaum turns down Trump cartel offer',
];
const CONCLAVE = [
  'Cardinals gather in Vatican for conclave to elect new pope',
  'Conclave begins: cardinals locked in Sistine Chapel to choose pope',
];

describe('StoryAssigner.assign', () => {
  it('puts clearly related headlines in one story and an unrelated one in another', () => {
    const index = new StoryAssigner();
    const mexico = MEXICO.map((t, i) => index.assign(item(t, i), T0 + i * HOUR));
    const pope = index.assign(item(CONCLAVE[0]!, 4), T0 + 4 * HOUR);
    expect(mexico[0]!.reason).toBe('new-story');
    expect(mexico.slice(1).map((a) => a.reason)).toEqual(['similar', 'similar']);
    expect(new Set(mexico.map((a) => a.storyKey)).size).toBe(1);
    expect(pope.reason).toBe('new-story');
    expect(pope.storyKey).not.toBe(mexico[0]!.storyKey);
  });

  it('records the score and the shared terms behind a join', () => {
    const index = new StoryAssigner();
    index.assign(item(MEXICO[0]!), T0);
    const a = index.assign(item(MEXICO[1]!, 1), T0 + HOUR);
    expect(a.score).toBeGreaterThanOrEqual(index.options.joinThreshold);
    expect(a.sharedTerms).toEqual(expect.arrayContaining(['sheinbaum', 'troop']));
  });

  it('gives the same stories for the same input order', () => {
    const items = [...MEXICO, ...CONCLAVE, 'Sheinbaum cartel troops row deepens', 'Pope election smoke watch'].map(
      (t, i) => item(t, i * 0.5),
    );
    const run = () => groupItems(items).items.map((g) => [g.key, g.story, g.reason]);
    expect(run()).toEqual(run());
  });

  it('starts a new story for a related item a week later: the old story has gone quiet', () => {
    const index = new StoryAssigner();
    const first = index.assign(item(MEXICO[0]!), T0);
    const later = index.assign(item(MEXICO[1]!, 7 * 24), T0 + 7 * DAY);
    expect(later.reason).toBe('new-story');
    expect(later.storyKey).not.toBe(first.storyKey);
  });

  it("decays similarity from the story's newest item after a grace of hours, and with the story's age", () => {
    const index = new StoryAssigner({
      decayGraceMs: 2 * HOUR,
      decayHalfLifeMs: 4 * HOUR,
      ageGraceMs: 36 * HOUR,
      ageHalfLifeMs: 12 * HOUR,
    });
    const { storyKey } = index.assign(item(MEXICO[0]!), T0);
    const story = index.story(storyKey)!;
    const cases: Array<[hoursAfter: number, decay: number]> = [
      [1, 1],
      [2, 1],
      [6, 0.5],
      [10, 0.25],
    ];
    for (const [hours, expected] of cases) expect(index.decay(story, T0 + hours * HOUR)).toBeCloseTo(expected, 5);
    // A story fed all along still closes with age: its newest item came an hour ago, but it is 48 h old,
    // one age half-life past the age grace.
    const late = index.prepare(item(MEXICO[1]!, 47));
    index.apply(late, { storyKey, reason: 'similar', score: 1, sharedTerms: [], copyOf: null });
    expect(index.decay(story, T0 + 48 * HOUR)).toBeCloseTo(0.5, 5);
  });

  it('marks a wire copy republished by another outlet, joins it to the story and does not count its outlet', () => {
    const text =
      'Mexico City (AP) — President Claudia Sheinbaum said Saturday she had rejected an offer from President Donald Trump to send US troops into Mexico to fight drug cartels, saying sovereignty is not for sale.';
    const index = new StoryAssigner();
    const original = item('Mexico president says she rejected Trump offer of troops', 0, {
      summary: text,
      outlet: 'AP',
    });
    const copy = item('Mexico president says she rejected Trump offer of troops', 2, {
      summary: text.replace('Saturday', 'on Saturday'),
      outlet: 'Daily Herald',
    });
    const a = index.assign(original, original.published);
    const b = index.assign(copy, copy.published);
    expect(b).toMatchObject({ reason: 'copy', storyKey: a.storyKey, copyOf: original.key });
    const story = index.story(a.storyKey)!;
    expect(story.members).toHaveLength(2);
    expect(outletCount(story)).toBe(1);
  });

  it('recognises a near-duplicate text (a changed word or two) as a copy', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const index = new StoryAssigner();
    const a = index.assign(item('Wire story one', 0, { summary: words }), T0);
    const b = index.assign(item('Wire story one', 1, { summary: words.replace('word39', 'changed') }), T0 + HOUR);
    expect(b.reason).toBe('copy');
    expect(b.storyKey).toBe(a.storyKey);
  });

  it("sends an item with an already-seen URL to that item's story", () => {
    const index = new StoryAssigner();
    const a = index.assign(item(MEXICO[0]!, 0, { url: 'https://apnews.com/article/x' }), T0);
    const b = index.assign(
      item('Completely different words here', 1, { url: 'https://apnews.com/article/x' }),
      T0 + HOUR,
    );
    expect(b).toMatchObject({ reason: 'same-url', storyKey: a.storyKey });
  });
});

describe('consolidateIndex', () => {
  it('merges stories that turned out to be one event and keeps old keys resolving', () => {
    // A strict join threshold splits the event online; consolidation (looser) brings it back together.
    const index = new StoryAssigner({
      joinThreshold: 0.95,
      singleJoinThreshold: 0.95,
      mergeThreshold: 0.15,
      mergeSingleThreshold: 0.15,
    });
    const keys = MEXICO.map((t, i) => index.assign(item(t, i), T0 + i * HOUR).storyKey);
    const pope = index.assign(item(CONCLAVE[0]!, 3), T0 + 3 * HOUR).storyKey;
    expect(new Set(keys).size).toBe(3);
    const merges = consolidateIndex(index, T0 + 4 * HOUR);
    expect(merges.length).toBe(2);
    expect(merges[0]!.sharedTerms.length).toBeGreaterThan(0);
    const survivors = new Set(keys.map((k) => index.resolve(k)));
    expect(survivors.size).toBe(1);
    expect(index.resolve(pope)).toBe(pope);
    expect(index.story([...survivors][0]!)!.members).toHaveLength(3);
  });

  it('merges nothing when stories are unrelated', () => {
    const index = new StoryAssigner();
    index.assign(item(MEXICO[0]!), T0);
    index.assign(item(CONCLAVE[0]!, 1), T0 + HOUR);
    expect(consolidateIndex(index, T0 + 2 * HOUR)).toEqual([]);
  });
});

describe('StoryAssigner vocabulary over time', () => {
  it('reads a term back after the only story that had it went quiet and the term came again', () => {
    const index = new StoryAssigner();
    index.assign(item('Volcano erupts near Reykjavik airport', 0), T0);
    // A week later the first story is quiet: its one-off terms lose their texts, not their ids or counts.
    const first = index.assign(item('Reykjavik volcano erupts again', 7 * 24), T0 + 7 * DAY);
    const second = index.assign(item('Volcano near Reykjavik erupts, airport shut', 7 * 24 + 1), T0 + 7 * DAY + HOUR);
    expect(first.reason).toBe('new-story');
    expect(second).toMatchObject({ reason: 'similar', storyKey: first.storyKey });
    expect(second.sharedTerms).toEqual(expect.arrayContaining(['reykjavik', 'volcano']));
    expect(second.sharedTerms.every((t) => t.length > 0)).toBe(true);
  });
});

describe('StoryAssigner.prepareStored', () => {
  it('restores an index from the stored features (through JSON, as the database keeps them) as from the items’ text', () => {
    const texts = [...MEXICO, ...CONCLAVE, 'Sheinbaum and Trump speak by phone about cartels and tariffs'];
    const items = texts.map((t, i) =>
      item(t, i, { summary: `${t}. Officials in Mexico City and Rome said more talks would follow.` }),
    );
    const live = new StoryAssigner();
    const made = items.map((it) => ({ it, a: live.assign(it, it.published) }));
    for (const s of live.activeStories()) storyTopics(s);
    const fromText = new StoryAssigner();
    const fromStored = new StoryAssigner();
    for (const { it, a } of made) {
      const member = live.story(live.resolve(a.storyKey))!.members.find((m) => m.key === it.key)!;
      const stored = JSON.parse(JSON.stringify(live.storedFeatures(member))) as StoredFeatures;
      fromText.apply(fromText.prepare(it), a, a.storyKey);
      fromStored.apply(fromStored.prepareStored(it, stored), a, a.storyKey);
    }
    const next = item('Mexico and US agree cartel plan after Sheinbaum call with Trump', 8);
    expect(fromStored.assign({ ...next }, next.published)).toEqual(fromText.assign({ ...next }, next.published));
    expect(fromStored.activeStories().map(storyTopics)).toEqual(fromText.activeStories().map(storyTopics));
    expect(fromStored.activeStories().flatMap((s) => s.members.map((m) => m.vector))).toEqual(
      fromText.activeStories().flatMap((s) => s.members.map((m) => m.vector)),
    );
    // Copy detection restored from the stored prints: a wire copy and a near-duplicate found as from the text.
    for (const [n, summary] of [
      [9, items[0]!.summary!],
      [10, `${items[1]!.summary!} soon`],
    ] as const) {
      const copy = item(texts[n - 9]!, n, { summary, outlet: 'Daily Herald' });
      const decided = fromStored.assign({ ...copy }, copy.published);
      expect([n, decided.reason]).toEqual([n, 'copy']);
      expect(decided).toEqual(fromText.assign({ ...copy }, copy.published));
    }
  });
});
