// A story's topics: the people, places and organisations its items are about, and its themes, each
// once. Within a story a short form folds into the full name it shares words with ("Trump" into "Donald
// Trump", "Leo XIV" into "Pope Leo XIV"); across stories the story writer folds them (topic aliases).
import type { Member, StoryState } from '../structures/story-state.js';
import type { TopicKind } from './kinds.js';
import { itemMentions, type TopicMention } from './mentions.js';

/**
 * A member's topic mentions, read once and kept: grouping never needs them, so an item costs them only
 * when its story's topics are written.
 */
export function memberMentions(m: Member): TopicMention[] {
  m.mentions ??= itemMentions(m.title, m.names.title, m.names.summary, m.summary, m.names.titleCasing);
  return m.mentions;
}

export type { TopicKind } from './kinds.js';

export interface TopicTag {
  /** Identity of the thing (see mentionKey); the slug is made from it. */
  key: string;
  name: string;
  kind: TopicKind;
  /** Share of the story's independent items that are about it (a title mention counts whole, a summary one less). */
  weight: number;
}

const MAX_TOPICS = 6;
// A summary names many things in passing; the title names what the item is about.
const SUMMARY_MENTION = 0.3;
// Shares of a story's items that must be about a name or a theme for it to be a topic of the story.
const NAME_SHARE = 0.3;
const THEME_SHARE = 0.4;

/** "Claudia Sheinbaum" → "claudia-sheinbaum"; accents folded. */
export function topicSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

interface Tally {
  mention: TopicMention;
  names: Map<string, number>;
  score: number;
  items: number;
}

/** At most six topics for a story, most central first: its names, then its themes; each thing once. */
export function storyTopics(story: StoryState): TopicTag[] {
  const members = story.members.filter((m) => !m.copyOf);
  const n = Math.max(1, members.length);
  const tallies = new Map<string, Tally>();
  for (const m of members) {
    for (const mention of memberMentions(m)) {
      const t = tallies.get(mention.key) ?? { mention, names: new Map(), score: 0, items: 0 };
      t.score += mention.inTitle ? 1 : SUMMARY_MENTION;
      t.items++;
      t.names.set(mention.name, (t.names.get(mention.name) ?? 0) + 1);
      if (mention.kind !== null && t.mention.kind === null) t.mention = mention;
      tallies.set(mention.key, t);
    }
  }
  foldShortForms(tallies);
  const tags: TopicTag[] = [];
  for (const [key, t] of tallies) {
    const isTheme = t.mention.kind === 'theme';
    const weight = t.score / n;
    if (weight < (isTheme ? THEME_SHARE : NAME_SHARE) || (n > 1 && t.items < 2)) continue;
    const name = mostUsed(t.names);
    tags.push({
      key,
      name: isTheme ? name[0]!.toUpperCase() + name.slice(1) : name,
      kind: t.mention.kind ?? 'organization',
      weight: Math.min(1, weight),
    });
  }
  tags.sort(
    (a, b) =>
      Number(a.kind === 'theme') - Number(b.kind === 'theme') || b.weight - a.weight || a.key.localeCompare(b.key),
  );
  return dropContained(tags).slice(0, MAX_TOPICS);
}

// A name whose words are all within a longer person's name in the same story is that person.
function foldShortForms(tallies: Map<string, Tally>): void {
  const persons = [...tallies.entries()]
    .filter(([k, t]) => t.mention.kind === 'person' && k.includes(' '))
    .sort((a, b) => b[0].length - a[0].length);
  for (const [key, t] of [...tallies]) {
    if (t.mention.kind === 'theme' || t.mention.kind === 'place') continue;
    const words = key.split(' ');
    const into = persons.find(([k]) => k !== key && containsRun(k.split(' '), words));
    if (!into) continue;
    const target = into[1];
    target.score += t.score;
    target.items = Math.max(target.items, t.items);
    tallies.delete(key);
  }
}

function containsRun(words: string[], part: string[]): boolean {
  for (let i = 0; i + part.length <= words.length; i++) if (part.every((w, k) => words[i + k] === w)) return true;
  return false;
}

// A theme already said by a name ("conclave" beside "papal conclave", "gaza" beside "Gaza") adds nothing.
function dropContained(tags: TopicTag[]): TopicTag[] {
  const out: TopicTag[] = [];
  for (const t of tags) {
    const words = t.key.split(' ');
    if (
      t.kind === 'theme' &&
      out.some((o) => containsRun(o.key.split(' '), words) || containsRun(words, o.key.split(' ')))
    )
      continue;
    out.push(t);
  }
  return out;
}

// The form most items use; on a tie the longer ("Tariffs" over "Tariff": a theme reads best in the plural).
function mostUsed(names: Map<string, number>): string {
  let best = '';
  let most = -1;
  for (const [name, n] of names) if (n > most || (n === most && name.length > best.length)) [best, most] = [name, n];
  return best;
}
