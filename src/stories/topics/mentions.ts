// One item's topic mentions: the names its title and summary use, each folded to what it names (a
// country's other names, capital and demonym to the country), and the themes of its title (recurring
// nouns and noun pairs: "tariffs", "drug cartels"). Read once per item, when it joins a story.
import { GENERIC_WORDS, ROLE_WORDS, STOP_WORDS } from '../text/stop-words.js';
import { namesOf, type Casing } from '../text/entities.js';
import { cleanText, stemWord } from '../text/words.js';
import { countryOfDemonym, findPlace } from './gazetteer.js';
import { isAdjectiveOnly, isGivenNameOnly, isThemeNoun, isThemePair, nameKind, type TopicKind } from './kinds.js';
import type { TopicMention } from '../../model.js';

export type { TopicMention } from '../../model.js';

/** "Claudia Sheinbaum" → "claudia sheinbaum"; accents, dots and apostrophes folded. */
export function mentionKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The mentions of an item from the names found in its title and summary (see entities.ts) and its
 * title's words. A Title Case title marks no names by its capitals: there the summary's names that the
 * title repeats, and the places it names, are what the title is about.
 */
export function itemMentions(
  title: string,
  titleNames: readonly string[],
  summaryNames: readonly string[],
  summary = '',
  casing: Casing = namesOf(cleanText(title)).casing,
): TopicMention[] {
  const out = new Map<string, TopicMention>();
  const add = (m: TopicMention | null): void => {
    if (!m || !m.key) return;
    const had = out.get(m.key);
    if (!had) out.set(m.key, m);
    else if (m.inTitle && !had.inTitle) had.inTitle = true;
  };
  const sentenceCase = casing === 'sentence';
  const titleWords = ` ${(cleanText(title).match(WORD) ?? []).map((w) => mentionKey(w.replace(/['’]s$/, ''))).join(' ')} `;
  for (const name of titleNames) for (const m of nameMentions(name, true)) add(m);
  for (const name of summaryNames)
    for (const m of nameMentions(name, !sentenceCase && titleWords.includes(` ${mentionKey(name)} `))) add(m);
  // Capitals mark nothing in Title Case, nor on a sentence's first word: there places are looked up.
  const placeWords = sentenceCase ? titleWords.trim().split(' ').slice(0, 3).join(' ') : titleWords;
  for (const place of placesIn(placeWords)) add(place);
  for (const theme of themeMentions(title, [...titleNames, ...summaryNames], sentenceCase ? null : ` ${summary} `))
    add(theme);
  return [...out.values()];
}

/**
 * One name's mentions: a pair of places written as one ("India-Pakistan", "US-China") is two, and so is
 * a place before another name ("Yemen Houthis" from "Yemen's Houthis", "USA UK" from "U.S.-U.K.").
 */
function nameMentions(name: string, inTitle: boolean): TopicMention[] {
  const parts = name.includes('-') ? name.split('-') : name.split(' ');
  // Only a name of no kind of its own is split: "Washington Post" and "Indian Ocean" stay whole.
  if (parts.length > 1 && !findPlace(name) && nameKind(name) === null && !countryOfDemonym(parts[0]!)) {
    const [first, ...rest] = parts;
    const lead = nameMention(first!, inTitle);
    if (lead?.kind === 'place') {
      const tail = name.includes('-')
        ? rest.map((p) => nameMention(p, inTitle))
        : [nameMention(rest.join(' '), inTitle)];
      if (!name.includes('-') || tail.every((p) => p?.kind === 'place'))
        return [lead, ...tail.filter((m): m is TopicMention => m !== null)];
    }
  }
  const m = nameMention(name, inTitle);
  return m ? [m] : [];
}

function nameMention(name: string, inTitle: boolean): TopicMention | null {
  const country = name.includes(' ') ? undefined : countryOfDemonym(name);
  const place = country ? findPlace(country) : findPlace(name);
  if (place) return { key: mentionKey(place.name), name: place.name, kind: 'place', inTitle };
  if (isGivenNameOnly(name) || name.includes('-') || isAdjectiveOnly(name)) return null;
  const kind = nameKind(name);
  // Several capitalised words of no known kind are a phrase in capitals, not a name ("Senior European").
  if (kind === null && name.includes(' ')) return null;
  return { key: mentionKey(name), name, kind, inTitle };
}

// Places among words (one to three: "New York City"), and the countries of demonyms ("Israeli").
function placesIn(words: string): TopicMention[] {
  const list = words.trim().split(' ');
  const out: TopicMention[] = [];
  for (let n = 3; n >= 1; n--) {
    for (let i = 0; i + n <= list.length; i++) {
      const phrase = list.slice(i, i + n).join(' ');
      const country = n === 1 ? countryOfDemonym(phrase) : undefined;
      const place = findPlace(country ?? phrase);
      if (place && (n > 1 || list[i]!.length > 2))
        out.push({ key: mentionKey(place.name), name: place.name, kind: 'place', inTitle: true });
    }
  }
  return out;
}

const WORD = /[\p{L}][\p{L}'’-]*/gu;

/**
 * Nouns of the title that no name covers, and noun phrases of two words ("trade deal", "papal
 * conclave"). In a Title Case title a word is taken only where the summary writes it in lower case.
 */
function themeMentions(title: string, names: readonly string[], summary: string | null): TopicMention[] {
  const named = new Set(names.flatMap((n) => mentionKey(n).split(' ')));
  const raw = (cleanText(title).match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ''));
  const words = raw.map((w) => w.toLowerCase());
  // Written in lower case where case means something: in the title itself, or in the summary of a Title Case title.
  const lower = (i: number): boolean => (summary === null ? raw[i] === words[i] : summary.includes(` ${words[i]}`));
  const usable = words.map(
    (w, i) =>
      w.length >= 4 &&
      !STOP_WORDS.has(w) &&
      !GENERIC_WORDS.has(w) &&
      !named.has(w) &&
      lower(i) &&
      !ROLE_WORDS.has(stemWord(w)) &&
      !findPlace(w),
  );
  const out: TopicMention[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!usable[i]) continue;
    if (isThemeNoun(words[i]!)) out.push(theme(words[i]!));
    // The word before may qualify it: "drug cartels", "papal conclave".
    if (i > 0 && usable[i - 1] && isThemePair(words[i - 1]!, words[i]!)) out.push(theme(`${words[i - 1]} ${words[i]}`));
  }
  return out;
}

function theme(surface: string): TopicMention {
  return { key: surface.split(' ').map(stemWord).join(' '), name: surface, kind: 'theme', inTitle: true };
}
