// URLs from feeds: made absolute (entry xml:base → feed xml:base → feed URL), limited to http/https,
// and for identity also canonicalised: lowercase scheme and host (WHATWG URL does that), no default port,
// no credentials, no fragment, no tracking parameters (the order of the others is kept).

import { getDomain } from 'tldts';

export const MAX_URL_LENGTH = 2000;

/** Query parameters that only track a click; removing them leaves the same article. */
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'wbraid',
  'gbraid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  'yclid',
  'igshid',
  'ref_src',
  'ref_url',
  'cmpid',
  'twclid',
  'ttclid',
  'li_fat_id',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'ocid',
  'ncid',
  'icid',
  'smid',
  's_cid',
  'wt.mc_id',
  'at_medium',
  'at_campaign',
  'at_source',
  'spm',
  'vero_id',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
]);

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMETERS.has(lower);
}

/** Parses `raw` against `base` (ignored when not itself absolute); null when it cannot be parsed. */
function parseUrl(raw: string, base: string | undefined): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    if (base === undefined) return null;
    try {
      return new URL(raw);
    } catch {
      return null;
    }
  }
}

/** `raw` parsed as an absolute http(s) URL within MAX_URL_LENGTH, or null. */
function parseHttpUrl(raw: string | null | undefined, base?: string | null): URL | null {
  const trimmed = raw?.trim();
  if (!trimmed || trimmed.length > MAX_URL_LENGTH) return null;
  const url = parseUrl(trimmed, base ?? undefined);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href.length > MAX_URL_LENGTH ? null : url;
}

/** `raw` as an absolute http(s) URL (fragment kept), or null. */
export function resolveUrl(raw: string | null | undefined, base?: string | null): string | null {
  return parseHttpUrl(raw, base)?.href ?? null;
}

/** A base URL made absolute against an outer base, or the outer base when that is impossible. */
export function resolveBaseUrl(raw: string | null | undefined, outer: string | null): string | null {
  const trimmed = raw?.trim();
  if (!trimmed) return outer;
  return parseUrl(trimmed, outer ?? undefined)?.href ?? outer;
}

/** The canonical form of an article URL, used to recognise the same article; null unless http(s). */
export function canonicalizeUrl(raw: string, base?: string): string | null {
  const url = parseHttpUrl(raw, base);
  return url === null ? null : canonicalForm(url);
}

/** An entry's link made absolute, and its canonical form, from one parse. */
export function resolveLink(
  raw: string | null | undefined,
  base: string | null,
): { url: string; canonical: string } | null {
  const url = parseHttpUrl(raw, base);
  if (url === null) return null;
  const href = url.href;
  return { url: href, canonical: canonicalForm(url) };
}

/** Mutates `url` into its canonical form and returns it serialised. */
function canonicalForm(url: URL): string {
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.search !== '') {
    const names = [...url.searchParams.keys()];
    if (names.some(isTrackingParameter)) {
      const kept = [...url.searchParams].filter(([name]) => !isTrackingParameter(name));
      url.search = new URLSearchParams(kept).toString();
    }
  }
  return url.href;
}

/**
 * True when an article URL is on an outlet's site: the same registrable domain (bbc.co.uk for
 * www.bbc.co.uk and feeds.bbc.co.uk), by the public suffix list. Addresses without one never match.
 */
export function isOnSite(articleUrl: string | null, siteUrl: string | null): boolean {
  if (!articleUrl || !siteUrl) return false;
  const article = getDomain(articleUrl);
  return article !== null && article === getDomain(siteUrl);
}
