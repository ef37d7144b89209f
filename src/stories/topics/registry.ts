// Which stored topic a story's tag is: one topic per thing, however a story names it. A topic keeps the
// slug it was first stored under (links keep working) while its name improves: "Trump", seen first,
// becomes "Donald Trump" once a story names him so; every form seen is an alias that resolves to it.
// Pure: the caller passes the topics known under the tags' candidate slugs and stores what changed.
import type { TopicKind } from './kinds.js';
import { topicSlug, type TopicTag } from './story-topics.js';
import type { KnownTopic } from '../../model.js';

export type { KnownTopic } from '../../model.js';

/** What resolving a batch of tags changed: topics to create, aliases to record, topics renamed. */
export interface TopicChanges {
  created: KnownTopic[];
  aliases: Array<{ slug: string; topicId: number }>;
  renamed: KnownTopic[];
}

// Titles that stay part of how a person is known ("Pope Leo XIV"): the name without them is an alias.
const REGNAL = new Set(['pope', 'king', 'queen', 'prince', 'princess', 'emperor', 'empress', 'sheikh']);

/** The slugs a tag may already be known under: its own, and for a person the shorter forms of the name. */
export function candidateSlugs(tag: TopicTag): string[] {
  return [topicSlug(tag.key), ...shortForms(tag).map(topicSlug)];
}

// "donald trump" → "trump"; "pope leo xiv" → "leo xiv", "pope leo"; and a one-word name's other number
// ("houthis", "houthi"). Only full names of persons have shorter forms.
function shortForms(tag: TopicTag): string[] {
  if (tag.kind === 'organization' && !tag.key.includes(' '))
    return [tag.key.endsWith('s') ? tag.key.slice(0, -1) : `${tag.key}s`];
  if (tag.kind !== 'person') return [];
  const words = tag.key.split(' ');
  if (words.length < 2 || words.length > 4) return [];
  if (REGNAL.has(words[0]!))
    return [words.slice(1).join(' '), words.slice(0, 2).join(' ')].filter((f) => f !== tag.key);
  const surname = words[words.length - 1]!;
  return surname.length >= 3 ? [surname] : [];
}

const wordsOf = (s: string): string[] => topicSlug(s).split('-');

/** True when `longer` says the whole of `shorter` and more ("Donald Trump" of "Trump"). */
function extends_(longer: string, shorter: string): boolean {
  const l = wordsOf(longer);
  const s = wordsOf(shorter);
  if (l.length <= s.length) return false;
  for (let i = 0; i + s.length <= l.length; i++) if (s.every((w, k) => l[i + k] === w)) return true;
  return false;
}

/**
 * Resolves each tag to a topic: one known under its slug or a short form of it, or a new one. `known`
 * maps every candidate slug to its topic and is updated with what this call creates and aliases, so
 * tags later in the batch see them. `nextId` gives ids to new topics.
 */
export function resolveTopics(
  tags: readonly TopicTag[],
  known: Map<string, KnownTopic>,
  nextId: () => number,
): { topics: KnownTopic[]; changes: TopicChanges } {
  const changes: TopicChanges = { created: [], aliases: [], renamed: [] };
  const renamed = new Set<KnownTopic>();
  const topics = tags.map((tag) => {
    const [own, ...shorter] = candidateSlugs(tag);
    // A short form counts only where it is the topic's own name: "Biden" for Hunter Biden is not Joe Biden.
    let topic =
      known.get(own!) ??
      shorter
        .map((s) => [s, known.get(s)] as const)
        .find(
          ([s, t]) =>
            t !== undefined &&
            t.kind !== 'theme' &&
            t.kind !== 'place' &&
            wordsOf(t.name).length <= s.split('-').length,
        )?.[1];
    // The other number of a one-word name is an alias only when it names the same kind of thing.
    if (topic && topic !== known.get(own!) && tag.kind === 'organization' && topic.kind !== 'organization')
      topic = undefined;
    if (!topic) {
      topic = { id: nextId(), slug: own!, name: tag.name, kind: tag.kind };
      changes.created.push(topic);
    } else if (tag.kind === 'person' && extends_(tag.name, topic.name)) {
      // The fuller name becomes the display name; the slug stays.
      topic.name = tag.name;
      topic.kind = 'person';
      renamed.add(topic);
    } else if (
      tag.kind === 'theme' &&
      topic.kind === 'theme' &&
      tag.name.toLowerCase() === `${topic.name.toLowerCase()}s`
    ) {
      // A theme reads best in the plural: "Tariffs", "Deportations".
      topic.name = tag.name;
      renamed.add(topic);
    }
    for (const slug of [own!, ...shorter]) {
      if (known.has(slug)) continue;
      known.set(slug, topic);
      changes.aliases.push({ slug, topicId: topic.id });
    }
    return topic;
  });
  changes.renamed = [...renamed].filter((t) => !changes.created.includes(t));
  return { topics, changes };
}
