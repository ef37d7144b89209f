// Choosing the article link among an entry's links, and the site link among a feed's.
// RSS writes <link>text</link>; Atom writes <link rel href type/> (rel defaults to "alternate", RFC 4287 §4.2.7.2).
import { attributeOf, resolveAgainstBase, trimmedTextOf } from './node.js';

/** Atom link relations that never point at the article itself. */
const NOT_THE_ARTICLE = new Set([
  'self',
  'edit',
  'edit-media',
  'replies',
  'enclosure',
  'license',
  'hub',
  'next',
  'previous',
  'prev',
  'first',
  'last',
  'payment',
  'search',
]);

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

function relOf(node: unknown): string {
  const rel = attributeOf(node, 'rel')?.toLowerCase() ?? 'alternate';
  return rel.replace(/^http:\/\/www\.iana\.org\/assignments\/relation\//, '');
}

function hrefOf(node: unknown): string | null {
  const href = attributeOf(node, 'href');
  return href === null ? null : resolveAgainstBase(href, node);
}

/** The best article link among Atom-style <link href> elements. */
export function pickAtomLink(nodes: readonly unknown[]): string | null {
  const withHref = nodes.filter((node) => attributeOf(node, 'href') !== null);
  const alternates = withHref.filter((node) => relOf(node) === 'alternate');
  const html = alternates.find((node) => {
    const type = attributeOf(node, 'type')?.toLowerCase();
    return type === undefined || type === null || HTML_TYPES.has(type);
  });
  const chosen = html ?? alternates[0] ?? withHref.find((node) => !NOT_THE_ARTICLE.has(relOf(node)));
  return chosen === undefined ? null : hrefOf(chosen);
}

/** The first RSS-style <link>text</link>, resolved against its xml:base. */
export function pickTextLink(nodes: readonly unknown[]): string | null {
  for (const node of nodes) {
    if (attributeOf(node, 'href') !== null) continue;
    const text = trimmedTextOf(node);
    if (text !== null) return resolveAgainstBase(text, node);
  }
  return null;
}

/** An entry's or a feed's link: RSS text links first, then Atom links (also atom:link inside RSS). */
export function pickLink(
  links: readonly unknown[] | undefined,
  atomLinks: readonly unknown[] | undefined,
): string | null {
  return pickTextLink(links ?? []) ?? pickAtomLink([...(links ?? []), ...(atomLinks ?? [])]);
}

/** Atom enclosure links (rel="enclosure") with an image type. */
export function pickImageEnclosureLink(nodes: readonly unknown[]): string | null {
  for (const node of nodes) {
    if (relOf(node) !== 'enclosure') continue;
    if (attributeOf(node, 'type')?.toLowerCase().startsWith('image/')) return hrefOf(node);
  }
  return null;
}
