// What both mappings (rss-atom/ and json-feed.ts) share in building a ParsedFeed: every text field is
// HTML (plain text is escaped), categories are bounded, and a document without polling signals has none.
import type { ScheduleHints } from '../model.js';

/** Categories read per entry; normalising keeps fewer (this bounds work on hostile documents). */
export const MAX_PARSED_CATEGORIES = 200;

/** Escapes plain text as HTML: how Atom text, JSON Feed text and XHTML content become ParsedFeed fields. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Hints of a document that gives none (JSON Feed, or a feed without them). */
export function noHints(): ScheduleHints {
  return { ttlMinutes: null, updatePeriod: null, updateFrequency: null, skipHours: [], skipDays: [] };
}
