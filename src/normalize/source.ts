// A feed's names → plain text, capped like an item's fields: as an OPML file, the CLI or the admin API
// give them, and the title the feed document gives itself (ParsedFeed.title, HTML like every parsed
// text field). A name is shown as text everywhere (pages, dc:creator, Atom author, OPML), so markup in
// it would be shown as markup-looking text: it is stripped here, once.
import type { FeedSource } from '../model.js';
import { LIMITS } from './item.js';
import { toPlainText } from './text.js';

const name = (raw: string | null, max: number): string | null => (raw === null ? null : toPlainText(raw, max) || null);

/** The source with outlet, section and title as plain text; an outlet left empty falls back to the URL's host. */
export function normalizeSource(source: FeedSource): FeedSource {
  return {
    ...source,
    outlet: name(source.outlet, LIMITS.outlet) ?? new URL(source.url).hostname,
    section: name(source.section, LIMITS.outlet),
    title: name(source.title, LIMITS.title),
    region: name(source.region, LIMITS.outlet),
  };
}

/** The feed document's own title (ParsedFeed.title) as plain text; null when it has none. */
export function normalizeFeedTitle(raw: string | null): string | null {
  return name(raw, LIMITS.title);
}
