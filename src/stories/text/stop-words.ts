// Words that carry no story identity. Two tables: STOP_WORDS never become features (function words);
// GENERIC_WORDS may be features (idf handles them) but never become topics.

/** English function words and headline filler, dropped before any feature is made. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am amid an and any are aren as at be because been before being below
  between both but by can cannot could couldn did didn do does doesn doing don down during each few for from further
  had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn it its itself
  just let me more most my myself no nor not now of off on once only or other ought our ours ourselves out over own
  same she should shouldn so some such than that the their theirs them themselves then there these they this those
  through to too under until up very via vs was wasn we were weren what when where which while who whom why will with
  won would wouldn you your yours yourself yourselves s t ll ve re d m says say said saying told tells
  get gets got getting make makes made may might must shall us one`.split(/\s+/),
);

/** Words too general to name a topic, even when frequent: news-site vocabulary, time words, vague verbs. */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `news breaking live update updates latest video videos photo photos picture pictures watch report reports reported
  reporting story stories today tonight yesterday tomorrow day days week weeks weekend month months year years time
  times new old first last next top big best more most many much world people man woman men women official officials
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december jan feb mar apr jun jul aug sep sept oct nov dec morning evening night
  read listen opinion analysis editorial comment review podcast newsletter explainer exclusive interview
  take takes taken see sees seen go goes going come comes coming look looks want wants need needs show shows way
  could would should will can call calls called set sets plan plans move moves back still even well good bad
  say says said told ahead amid over after before against around near inside outside new here there what how why
  two three four five six seven eight nine ten hundred thousand million billion percent per cent number numbers
  state states part parts thing things group groups case cases key major minor high low long short full free
  hit hits make makes made give gives given help helps find finds found put puts keep keeps start starts end ends
  mr mrs ms dr sir country countries`.split(/\s+/),
);

/** Offices, titles and descriptors that accompany names in every kind of story (stemmed forms). */
export const ROLE_WORDS: ReadonlySet<string> = new Set(
  `president presidential pope minister prime chancellor secretary senator governor mayor leader king queen prince
  chief ceo chairman official spokesman spokeswoman spokesperson general former deputy vice head cardinal
  administration government govt`.split(/\s+/),
);
