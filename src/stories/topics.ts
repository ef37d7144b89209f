// A story's topics: the people, places and organisations its items name, and the themes (recurring
// word pairs or words) its items share. Pure; generic news vocabulary never becomes a topic.
import { isPlaceName } from './places.js';
import type { StoryState } from './story-state.js';
import { GENERIC_WORDS, STOP_WORDS } from './stop-words.js';

export type TopicKind = 'person' | 'place' | 'organization' | 'theme';

export interface TopicTag {
  slug: string;
  name: string;
  kind: TopicKind;
  /** Share of the story's independent items that mention it. */
  weight: number;
}

const MAX_TOPICS = 6;
const ORGANIZATION_WORDS =
  /\b(?:party|bank|ministry|department|council|court|congress|senate|parliament|agency|commission|university|union|association|company|corp|inc|group|army|police|nations|forces|fund|administration|house|office|institute|league|club|fc|news|times|post|journal)\b/i;

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

/** Person, place or organisation, from the name's shape (acronyms and institution words are organisations). */
export function entityKind(name: string): TopicKind {
  if (isPlaceName(name)) return 'place';
  if (/^[\p{Lu}\d&.-]{2,6}$/u.test(name) || ORGANIZATION_WORDS.test(name)) return 'organization';
  const words = name.split(/\s+/);
  return words.length >= 2 && words.length <= 4 ? 'person' : 'theme';
}

function isGeneric(name: string): boolean {
  const words = name.toLowerCase().split(/[\s_-]+/);
  return words.every((w) => GENERIC_WORDS.has(w) || STOP_WORDS.has(w) || w.length < 3 || /^\d+$/.test(w));
}

/** The names mentioned by at least two items (or by the one item of a single-item story), most mentioned first. */
function entityTopics(story: StoryState, independent: number): TopicTag[] {
  const counts = new Map<string, { name: string; n: number }>();
  for (const m of story.members) {
    if (m.copyOf) continue;
    for (const name of m.entities) {
      const slug = topicSlug(name);
      if (!slug || isGeneric(name)) continue;
      const c = counts.get(slug);
      if (c) c.n++;
      else counts.set(slug, { name, n: 1 });
    }
  }
  const minMentions = independent === 1 ? 1 : 2;
  return [...counts.entries()]
    .filter(([, c]) => c.n >= minMentions)
    .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
    .map(([slug, c]) => ({ slug, name: c.name, kind: entityKind(c.name), weight: c.n / independent }));
}

/** Word pairs shared by at least half the story's items (and at least two): "drug cartels", "trade deal". */
function themeTopics(story: StoryState, independent: number): TopicTag[] {
  if (independent < 2) return [];
  const counts = new Map<string, number>();
  for (const m of story.members) {
    if (m.copyOf) continue;
    const words = `${m.title}`.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
    const pairs = new Set<string>();
    for (let i = 0; i + 1 < words.length; i++) {
      const [a, b] = [words[i]!, words[i + 1]!];
      if (STOP_WORDS.has(a) || STOP_WORDS.has(b) || GENERIC_WORDS.has(a) || GENERIC_WORDS.has(b) || a.length < 3 || b.length < 3) continue;
      pairs.add(`${a} ${b}`);
    }
    for (const p of pairs) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts.entries()]
    .filter(([, n]) => n >= 2 && n >= independent / 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => ({ slug: topicSlug(name), name, kind: 'theme' as const, weight: n / independent }));
}

/** At most six topics for a story: its names first, then its themes; no slug twice. */
export function storyTopics(story: StoryState): TopicTag[] {
  const independent = Math.max(1, story.members.filter((m) => !m.copyOf).length);
  const out = new Map<string, TopicTag>();
  for (const t of [...entityTopics(story, independent), ...themeTopics(story, independent)]) {
    if (out.size >= MAX_TOPICS) break;
    if (t.slug && !out.has(t.slug) && ![...out.values()].some((o) => o.name.toLowerCase().includes(t.name.toLowerCase()))) out.set(t.slug, t);
  }
  return [...out.values()];
}
