// What kind of thing a name is: a place by the gazetteer, an organisation by its shape ("… Party",
// "Bank of …", an acronym), a person by compromise's lexicon of given and family names; and whether a
// lower-case word can be a theme (a noun, never a verb: "tariffs", not "says"). compromise reads each
// distinct string once: the answers are kept, so its cost is per new name, not per item.
import nlp from 'compromise';
import { GENERIC_WORDS, ROLE_WORDS } from '../text/stop-words.js';
import { countryOfDemonym, findPlace } from './gazetteer.js';
import type { TopicKind } from '../../model.js';

export type { TopicKind } from '../../model.js';

const ORGANIZATION_WORDS =
  /\b(?:party|bank|ministry|department|council|court|congress|senate|parliament|assembly|agency|commission|university|college|union|association|company|corp|inc|group|army|police|nations|forces|fund|administration|house|office|institute|league|club|fc|church|foundation|board|authority|service|committee|reserve|guard|airlines|motors|championship|cup|festival|awards|gala|museum|school|hospital|times|post|journal)\b/i;
const ACRONYM = /^[\p{Lu}\d&.-]{2,6}$/u;
const MAX_REMEMBERED = 50_000;

const kinds = new Map<string, TopicKind | null>();
const givenNames = new Map<string, boolean>();
const adjectives = new Map<string, boolean>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(key, value);
  return value;
}

/** Person, place or organisation for a capitalised name; null when it is none of them with any confidence. */
export function nameKind(name: string): TopicKind | null {
  const known = kinds.get(name);
  if (known !== undefined) return known;
  return remember(kinds, name, classify(name));
}

function classify(name: string): TopicKind | null {
  if (findPlace(name)) return 'place';
  if (ACRONYM.test(name) || ORGANIZATION_WORDS.test(name)) return 'organization';
  const doc = nlp(name);
  if (doc.has('#Place')) return 'place';
  if (doc.has('#Organization')) return 'organization';
  const words = name.split(/\s+/);
  if (doc.has('#Person') && words.length <= 4) return 'person';
  // Two or three name-shaped words with no other reading: a person more often than not ("Rümeysa Öztürk").
  return words.length >= 2 && words.length <= 3 && words.every(isNameWord) ? 'person' : null;
}

// "Öztürk", "O'Brien", "McCarthy": a capital, then lower case; never a demonym or an adjective ("Senior European").
function isNameWord(word: string): boolean {
  const lower = word.toLowerCase();
  const tags = tagsOf(lower);
  return (
    /^\p{Lu}[\p{Ll}'’]+(?:\p{Lu}\p{Ll}+)?$/u.test(word) &&
    !countryOfDemonym(word) &&
    !GENERIC_WORDS.has(lower) &&
    !ROLE_WORDS.has(lower) &&
    !tags?.some((t) => t === 'Adjective' || t === 'Comparative')
  );
}

/** True when one capitalised adjective ("European", "Democratic"): it qualifies a name, it is not one. */
export function isAdjectiveOnly(name: string): boolean {
  if (name.includes(' ') || ACRONYM.test(name)) return false;
  return adjectives.get(name) ?? remember(adjectives, name, nlp(name.toLowerCase()).has('#Adjective'));
}

/** True when a bare given name ("Leo", "Simon"): a fragment of a person, not a topic. */
export function isGivenNameOnly(name: string): boolean {
  if (name.includes(' ')) return false;
  const known = givenNames.get(name);
  if (known !== undefined) return known;
  const doc = nlp(name);
  return remember(givenNames, name, doc.has('#FirstName') && !doc.has('#LastName'));
}

// compromise's lexicon holds the commonest English words with their part of speech. A noun in it ("home",
// "family", "city") is too general to follow on its own; a word outside it ("tariffs", "conclave",
// "deportations") names a subject. Themes are read from the lexicon alone, never the tagger: every item
// has words, and a dictionary lookup costs nothing.
const LEXICON = new Map(
  Object.entries((nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon),
);
const NOUN_TAGS = new Set(['Singular', 'Plural', 'Uncountable', 'Actor', 'Noun', 'ProperNoun']);
const MODIFIER_TAGS = new Set([...NOUN_TAGS, 'Adjective', 'Comparative', 'Superlative', 'Infinitive']);
// A word the lexicon lacks reads by its ending: "-ing", "-ed" verbs, "-ly" adverbs, "-al"/"-ous"… adjectives.
const VERB_ENDING = /(?:ing|ed)$/;
const ADJECTIVE_ENDING = /(?:al|ous|ful|ive|able|ible|ic|ical|less|ish|ly)$/;

function tagsOf(word: string): string[] | null {
  const tags = LEXICON.get(word);
  return tags === undefined ? null : Array.isArray(tags) ? tags : [tags];
}

const unknownNouns = new Map<string, boolean>();

/**
 * True when a lower-case word is a noun specific enough to be a theme on its own: outside the lexicon,
 * and read as a noun by the tagger (asked once per such word: "reopen" is a verb it knows by its shape).
 */
export function isThemeNoun(word: string): boolean {
  if (tagsOf(word) !== null || VERB_ENDING.test(word) || ADJECTIVE_ENDING.test(word)) return false;
  const known = unknownNouns.get(word);
  if (known !== undefined) return known;
  const doc = nlp(word);
  return remember(unknownNouns, word, doc.has('#Noun') && !doc.has('#Verb') && !doc.has('#Adjective'));
}

/**
 * True when two lower-case words read as a noun phrase ("trade war", "drug cartels", "interest rates"):
 * a noun last (an "-s" form the lexicon calls a verb is a plural here), and first a noun, adjective or
 * base form, never an inflected verb ("rejects troops", "rejected offer").
 */
export function isThemePair(first: string, second: string): boolean {
  const a = tagsOf(first);
  const b = tagsOf(second);
  const head =
    b === null
      ? !VERB_ENDING.test(second) && !ADJECTIVE_ENDING.test(second)
      : b.some((t) => NOUN_TAGS.has(t)) || (b.includes('PresentTense') && second.endsWith('s'));
  const modifier = a === null ? !VERB_ENDING.test(first) : a.some((t) => MODIFIER_TAGS.has(t)) && !first.endsWith('ed');
  return head && modifier;
}
