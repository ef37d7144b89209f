// The topic extractor as it was before the topics issue (commit d2e429c, src/stories/topics.ts), kept
// only so bench:topics can print its figures beside today's in the same run. Not used by the service.
import { extractEntities } from '../src/stories/text/entities.js';
import { GENERIC_WORDS, STOP_WORDS } from '../src/stories/text/stop-words.js';
import type { StoryState } from '../src/stories/structures/story-state.js';
import { findPlace } from '../src/stories/topics/gazetteer.js';

export interface LegacyTopic {
  slug: string;
  name: string;
  kind: string;
}

const ORGANIZATION_WORDS =
  /\b(?:party|bank|ministry|department|council|court|congress|senate|parliament|agency|commission|university|union|association|company|corp|inc|group|army|police|nations|forces|fund|administration|house|office|institute|league|club|fc|news|times|post|journal)\b/i;

const slugOf = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

function kindOf(name: string): string {
  if (findPlace(name)) return 'place';
  if (/^[\p{Lu}\d&.-]{2,6}$/u.test(name) || ORGANIZATION_WORDS.test(name)) return 'organization';
  const words = name.split(/\s+/);
  return words.length >= 2 && words.length <= 4 ? 'person' : 'theme';
}

const isGeneric = (name: string): boolean =>
  name
    .toLowerCase()
    .split(/[\s_-]+/)
    .every((w) => GENERIC_WORDS.has(w) || STOP_WORDS.has(w) || w.length < 3 || /^\d+$/.test(w));

/** Names mentioned by two items (one for a one-item story), then title word pairs shared by half: at most six. */
export function legacyStoryTopics(story: StoryState): LegacyTopic[] {
  const members = story.members.filter((m) => !m.copyOf);
  const independent = Math.max(1, members.length);
  const counts = new Map<string, { name: string; n: number }>();
  for (const m of members) {
    for (const name of extractEntities(m.title, m.summary)) {
      const slug = slugOf(name);
      if (!slug || isGeneric(name)) continue;
      const c = counts.get(slug) ?? { name, n: 0 };
      c.n++;
      counts.set(slug, c);
    }
  }
  const names = [...counts]
    .filter(([, c]) => c.n >= (independent === 1 ? 1 : 2))
    .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const pairs = new Map<string, number>();
  if (independent >= 2) {
    for (const m of members) {
      const words = m.title.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
      const seen = new Set<string>();
      for (let i = 0; i + 1 < words.length; i++) {
        const [a, b] = [words[i]!, words[i + 1]!];
        if ([a, b].some((w) => STOP_WORDS.has(w) || GENERIC_WORDS.has(w) || w.length < 3)) continue;
        seen.add(`${a} ${b}`);
      }
      for (const p of seen) pairs.set(p, (pairs.get(p) ?? 0) + 1);
    }
  }
  const themes = [...pairs]
    .filter(([, n]) => n >= 2 && n >= independent / 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const out = new Map<string, LegacyTopic>();
  for (const t of [
    ...names.map(([slug, c]) => ({ slug, name: c.name, kind: kindOf(c.name) })),
    ...themes.map(([name]) => ({ slug: slugOf(name), name, kind: 'theme' })),
  ]) {
    if (out.size >= 6) break;
    if (
      t.slug &&
      !out.has(t.slug) &&
      ![...out.values()].some((o) => o.name.toLowerCase().includes(t.name.toLowerCase()))
    )
      out.set(t.slug, t);
  }
  return [...out.values()];
}
