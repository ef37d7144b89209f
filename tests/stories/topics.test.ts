// Topics: what an item names (gazetteer, kinds, titles, demonyms, themes), what a story is about, and one
// topic per thing across stories (aliases, display names that improve while slugs stay).
import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../src/stories/text/entities.js';
import { StoryAssigner } from '../../src/stories/group/assign.js';
import { countryOfDemonym, findPlace } from '../../src/stories/topics/gazetteer.js';
import { nameKind } from '../../src/stories/topics/kinds.js';
import { itemMentions, type TopicMention } from '../../src/stories/topics/mentions.js';
import { resolveTopics, type KnownTopic } from '../../src/stories/topics/registry.js';
import { storyTopics, topicSlug, type TopicTag } from '../../src/stories/topics/story-topics.js';
import { T0, item } from './helpers.js';

const mentionsOf = (title: string, summary = ''): Array<Pick<TopicMention, 'name' | 'kind' | 'inTitle'>> =>
  itemMentions(title, extractEntities(title, ''), extractEntities('', summary), summary).map(
    ({ name, kind, inTitle }) => ({ name, kind, inTitle }),
  );

describe('topic names', () => {
  it('makes stable, accent-free slugs', () => {
    expect(topicSlug('Claudia Sheinbaum')).toBe('claudia-sheinbaum');
    expect(topicSlug('  Zürich & Genève ')).toBe('zurich-geneve');
  });

  it.each([
    ['U.S.', 'United States'],
    ['USA', 'United States'],
    ['America', 'United States'],
    ['Britain', 'United Kingdom'],
    ['Beijing', 'China'],
    ['Kremlin', 'Russia'],
    ['Lahore', 'Lahore'],
    ['Gaza', 'Gaza'],
  ])('finds the place %s stands for: %s', (name, place) => {
    expect(findPlace(name)?.name).toBe(place);
  });

  it.each([
    ['Israeli', 'Israel'],
    ['Pakistani', 'Pakistan'],
    ['Indian', 'India'],
    ['Congolese', undefined],
  ])('reads the demonym %s as %s (a demonym of two countries as neither)', (demonym, country) => {
    expect(countryOfDemonym(demonym)).toBe(country);
  });

  it.each([
    ['Mexico', 'place'],
    ['Claudia Sheinbaum', 'person'],
    ['NATO', 'organization'],
    ['Bank of England', 'organization'],
    ['Truist Championship', 'organization'],
    ['New York City', 'place'],
  ])('names the kind of %s: %s', (name, kind) => {
    expect(nameKind(name)).toBe(kind);
  });
});

describe('itemMentions', () => {
  it("cuts names at titles and folds a country's other names into it", () => {
    const found = mentionsOf(
      'Sheinbaum rejects troops',
      'On Sunday, Mexico President Claudia Sheinbaum said she had rejected an offer of U.S. troops to fight drug cartels.',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { name: 'Mexico', kind: 'place', inTitle: false },
        { name: 'Claudia Sheinbaum', kind: 'person', inTitle: false },
        { name: 'United States', kind: 'place', inTitle: false },
      ]),
    );
    expect(found.map((m) => m.name)).not.toContain('Mexico President Claudia Sheinbaum');
  });

  it("leaves a sentence's opening word out of the name after it, and takes a first word that owns what follows", () => {
    expect(
      extractEntities(
        '',
        'Although Pierre Poilievre lost his seat, he will stay on as leader. Despite Hamas warnings, talks go on.',
      ),
    ).toEqual(['Pierre Poilievre', 'Hamas']);
    // A lone first word is taken only when it owns what follows.
    expect(extractEntities('Trump’s tariffs hit carmakers', '')).toEqual(['Trump']);
    expect(extractEntities('Tariffs hit carmakers', '')).toEqual([]);
  });

  it('keeps a regnal title with the name it belongs to', () => {
    expect(mentionsOf('Cardinals elect Pope Leo XIV on second day of conclave').map((m) => m.name)).toContain(
      'Pope Leo XIV',
    );
  });

  it('reads a demonym as its country where it names it, not inside another name', () => {
    const names = mentionsOf('Israeli strikes hit the port as the Indian Ocean storm nears').map((m) => m.name);
    expect(names).toContain('Israel');
    expect(names).toContain('Indian Ocean');
    expect(names).not.toContain('India');
  });

  it('takes nouns and noun pairs of the title as themes, never verbs or filler', () => {
    const themes = mentionsOf('Trump says he will impose tariffs as drug cartels watch')
      .filter((m) => m.kind === 'theme')
      .map((m) => m.name);
    expect(themes).toEqual(expect.arrayContaining(['tariffs', 'drug cartels']));
    for (const word of ['says', 'watch', 'will']) expect(themes).not.toContain(word);
  });

  it('finds in a Title Case title the names its summary gives and the places it names', () => {
    const found = mentionsOf(
      'Mexico’s President Says She Rejected Trump’s Offer of U.S. Troops',
      'President Claudia Sheinbaum said she turned down an offer from President Trump to send troops.',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { name: 'Mexico', kind: 'place', inTitle: true },
        { name: 'United States', kind: 'place', inTitle: true },
        { name: 'Trump', kind: null, inTitle: true },
      ]),
    );
    // Capitals mark nothing in Title Case: "Troops" is not a name, and not a theme unless the summary writes it so.
    expect(found.map((m) => m.name)).not.toContain('Rejected');
  });
});

describe('storyTopics', () => {
  it('tags a story with what its items are about, a short form folded into the full name, never generic words', () => {
    const index = new StoryAssigner();
    const items = [
      [
        'Live updates: Sheinbaum rejects US troops',
        'The president of Mexico, Claudia Sheinbaum, said she rejected an offer of troops to fight drug cartels.',
      ],
      [
        'Watch video: Sheinbaum rejects Trump troops offer',
        'In a news conference, Claudia Sheinbaum said troops would not enter Mexico to fight drug cartels.',
      ],
      [
        'News update: Sheinbaum and the cartels',
        'Officials in Mexico said Claudia Sheinbaum had turned down the plan against drug cartels.',
      ],
    ];
    let key = 0;
    items.forEach(
      ([title, summary], i) =>
        (key = index.assign(item(title!, i, { summary: summary! }), T0 + i * 3_600_000).storyKey),
    );
    expect(index.story(key)!.members).toHaveLength(3);
    const topics = storyTopics(index.story(key)!);
    const byName = new Map(topics.map((t) => [t.name, t]));
    expect(byName.get('Claudia Sheinbaum')?.kind).toBe('person');
    expect(byName.get('Mexico')?.kind).toBe('place');
    expect([...byName.keys()]).not.toContain('Sheinbaum');
    for (const generic of ['Live', 'News', 'Update', 'Video', 'Watch', 'Live updates', 'News update'])
      expect([...byName.keys()]).not.toContain(generic);
  });
});

describe('resolveTopics', () => {
  const tag = (name: string, kind: TopicTag['kind']): TopicTag => ({ key: name.toLowerCase(), name, kind, weight: 1 });

  it('keeps one topic per person however stories name them: the slug stays, the name improves', () => {
    const known = new Map<string, KnownTopic>();
    let id = 0;
    const next = () => ++id;
    const [first] = resolveTopics([tag('Trump', 'organization')], known, next).topics;
    const second = resolveTopics([tag('Donald Trump', 'person')], known, next);
    expect(second.topics[0]).toBe(first);
    expect(first).toMatchObject({ slug: 'trump', name: 'Donald Trump', kind: 'person' });
    expect(second.changes.renamed).toEqual([first]);
    expect(resolveTopics([tag('Trump', 'organization')], known, next).topics[0]).toBe(first);
    // Another person of the same surname is another topic.
    const joe = resolveTopics([tag('Joe Biden', 'person')], known, next).topics[0]!;
    const hunter = resolveTopics([tag('Hunter Biden', 'person')], known, next).topics[0]!;
    expect(hunter).not.toBe(joe);
    expect(resolveTopics([tag('Biden', 'organization')], known, next).topics[0]).toBe(joe);
  });

  it("folds a pope's name without the title, and with the title alone, into the full form", () => {
    const known = new Map<string, KnownTopic>();
    let id = 0;
    const [leo] = resolveTopics([tag('Leo XIV', 'person')], known, () => ++id).topics;
    const [pope] = resolveTopics([tag('Pope Leo XIV', 'person')], known, () => ++id).topics;
    expect(pope).toBe(leo);
    expect(leo!.name).toBe('Pope Leo XIV');
    expect(resolveTopics([tag('Pope Leo', 'person')], known, () => ++id).topics[0]).toBe(leo);
  });
});
