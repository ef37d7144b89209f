// Places by name: every country with its alternative names, demonyms and capital (world-countries, the
// mledoze data set), plus the regions, states and cities news often names (places.ts). A country's
// other names and its capital (a government metonym: "Beijing says") fold into the country.
import { createRequire } from 'node:module';
import type { Country } from 'world-countries';
import { REGIONS_AND_CITIES } from './places.js';

// The package's types describe an ES default export its CommonJS entry does not have: read it as CommonJS.
const countries = createRequire(import.meta.url)('world-countries') as Country[];

/** A place a name stands for. */
export interface Place {
  name: string;
  /** True for countries: their demonyms and capitals fold into them. */
  country: boolean;
}

// News usage the data set does not spell: forms headlines use for a country.
const EXTRA_NAMES: Record<string, string> = {
  america: 'United States',
  'united states': 'United States',
  britain: 'United Kingdom',
  'great britain': 'United Kingdom',
  'downing street': 'United Kingdom',
  kremlin: 'Russia',
  turkey: 'Türkiye',
  'holy see': 'Vatican City',
  'new york': 'New York City',
  prc: 'China',
  dprk: 'North Korea',
  uae: 'United Arab Emirates',
};
// Continents are places too (places.ts), and their adjectives name them as a country's do.
const CONTINENT_DEMONYMS: Record<string, string> = { european: 'Europe', african: 'Africa', asian: 'Asia' };
// Two-letter codes are words too ("IN", "IT", "ME"); these are the ones headlines use as names.
const TWO_LETTER_NAMES = new Set(['us', 'uk', 'eu']);

/** Lower case, accents and dots dropped, spaces collapsed: the form names are looked up in. */
export function placeKey(name: string): string {
  // Most lookups are plain lower-case words: nothing to fold.
  if (/^[a-z]+(?: [a-z]+)*$/.test(name)) return name;
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

interface Tables {
  byName: Map<string, Place>;
  byDemonym: Map<string, string>;
}

let tables: Tables | null = null;

function build(): Tables {
  const byName = new Map<string, Place>();
  const demonymCountries = new Map<string, Map<string, boolean>>();
  const addName = (raw: string, place: Place): void => {
    const key = placeKey(raw);
    if (key.length < 2 || (key.length === 2 && !TWO_LETTER_NAMES.has(key)) || key.includes(',')) return;
    if (!byName.has(key)) byName.set(key, place);
  };
  // Sovereign states first: where a territory shares a name or demonym with one ("Indian" of the British
  // Indian Ocean Territory), the state's reading wins.
  const ordered = [...countries].sort((a, b) => Number(b.independent) - Number(a.independent));
  for (const c of ordered) {
    const place: Place = { name: c.name.common, country: true };
    for (const n of [c.name.common, c.name.official, ...c.altSpellings]) addName(n, place);
    for (const capital of c.capital) if (placeKey(capital) !== placeKey(c.name.common)) addName(capital, place);
    for (const d of [c.demonyms?.eng?.m, c.demonyms?.eng?.f]) {
      if (!d) continue;
      const key = placeKey(d);
      const names = demonymCountries.get(key) ?? new Map<string, boolean>();
      demonymCountries.set(key, names.set(c.name.common, c.independent));
    }
  }
  for (const [alias, name] of Object.entries(EXTRA_NAMES))
    byName.set(alias, byName.get(placeKey(name)) ?? { name, country: true });
  for (const name of REGIONS_AND_CITIES) addName(name, { name: titleCase(name), country: false });
  // A demonym names its one country, or the one sovereign state among those sharing it ("Indian"); shared
  // by two states ("Congolese") it names neither.
  const byDemonym = new Map<string, string>();
  for (const [demonym, names] of demonymCountries) {
    const states = [...names].filter(([, independent]) => independent).map(([name]) => name);
    const only = names.size === 1 ? [...names.keys()][0] : states.length === 1 ? states[0] : undefined;
    if (only) byDemonym.set(demonym, only);
  }
  for (const [demonym, continent] of Object.entries(CONTINENT_DEMONYMS)) byDemonym.set(demonym, continent);
  return { byName, byDemonym };
}

// "gulf of mexico" → "Gulf of Mexico": small words stay small, except first.
const SMALL_WORDS = new Set(['of', 'and', 'the', 'de', 'da', 'do', 'del', 'la']);
function titleCase(name: string): string {
  return name.replace(/(^|[\s-])(\p{L}+)/gu, (whole, sep: string, word: string) =>
    sep && SMALL_WORDS.has(word) ? whole : sep + word[0]!.toUpperCase() + word.slice(1),
  );
}

/** The place a name stands for ("U.S." → United States, "Beijing" → China, "Lahore" → Lahore), if any. */
export function findPlace(name: string): Place | undefined {
  tables ??= build();
  return tables.byName.get(placeKey(name));
}

/** The country a demonym names ("Israeli" → Israel), if exactly one. */
export function countryOfDemonym(word: string): string | undefined {
  tables ??= build();
  return tables.byDemonym.get(placeKey(word).replace(/s$/, '')) ?? tables.byDemonym.get(placeKey(word));
}
