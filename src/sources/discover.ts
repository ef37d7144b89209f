// Feed autodiscovery: the <link rel="alternate"> elements a page declares for its feeds
// (https://www.rssboard.org/rss-autodiscovery, https://html.spec.whatwg.org/#rel-alternate).
import { Parser } from 'htmlparser2';

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json', // JSON Feed 1.0 advertised itself with the plain JSON type
  'application/rdf+xml',
  'text/xml',
]);

/** Feed URLs a page advertises, absolute, http(s) only, in page order, without duplicates. */
export function discoverFeedUrls(html: string, pageUrl: string): string[] {
  const { hrefs, baseHref } = readFeedLinks(html);
  const base = resolveBase(baseHref, pageUrl);
  if (!base) return [];
  const urls: string[] = [];
  for (const href of hrefs) {
    const url = URL.parse(href, base.href);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    url.hash = '';
    if (!urls.includes(url.href)) urls.push(url.href);
  }
  return urls;
}

// Whitespace, XML declarations and processing instructions, comments, and doctypes other than HTML's.
const PROLOG = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype(?![^>]*\bhtml\b)[^>]*>)*/i;

// Elements an HTML page (or a server's bare error fragment) starts with; no feed format has these as root.
const HTML_ROOTS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'title',
  'link',
  'base',
  'script',
  'style',
  'noscript',
  'div',
  'p',
  'h1',
  'h2',
  'center',
  'table',
  'pre',
  'iframe',
  'main',
  'header',
]);

/** True when a body is an HTML page rather than a feed: it opens with an HTML doctype or an HTML element. */
export function looksLikeHtml(body: string): boolean {
  const start = body
    .slice(0, 16_384)
    .replace(/^\uFEFF/, '')
    .replace(PROLOG, '');
  if (/^<!doctype\s+html/i.test(start)) return true;
  const root = /^<([a-z][\w:.-]*)/i.exec(start)?.[1]?.toLowerCase();
  return root !== undefined && HTML_ROOTS.has(root);
}

function readFeedLinks(html: string): { hrefs: string[]; baseHref: string | null } {
  const hrefs: string[] = [];
  let baseHref: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        // Only the first <base href> counts (HTML §4.2.3), wherever the links are.
        if (name === 'base' && baseHref === null && attrs.href) baseHref = attrs.href.trim();
        if (name === 'link' && isFeedLink(attrs)) hrefs.push(attrs.href!.trim());
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return { hrefs, baseHref };
}

function isFeedLink(attrs: Record<string, string>): boolean {
  const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
  if (!rel.includes('alternate') || rel.includes('stylesheet')) return false;
  const type = (attrs.type ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FEED_TYPES.has(type) || !attrs.href?.trim()) return false;
  // WordPress advertises its REST API as rel=alternate type=application/json on every page.
  return !(type === 'application/json' && /\/wp-json\//.test(attrs.href));
}

function resolveBase(baseHref: string | null, pageUrl: string): URL | null {
  const page = URL.parse(pageUrl);
  if (!page) return null;
  return (baseHref && URL.parse(baseHref, page.href)) || page;
}
