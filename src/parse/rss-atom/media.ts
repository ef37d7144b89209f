// An entry's lead image: Media RSS content/thumbnails (also inside media:group), an image enclosure,
// an Atom enclosure link, or itunes:image — in that order.
import { pickImageEnclosureLink } from './links.js';
import { attributeOf, childrenOf, resolveAgainstBase, type RawFields } from './node.js';

const IMAGE_PATH = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function isImage(node: unknown, url: string): boolean {
  const medium = attributeOf(node, 'medium')?.toLowerCase();
  const type = attributeOf(node, 'type')?.toLowerCase();
  if (medium) return medium === 'image';
  if (type) return type.startsWith('image/');
  return IMAGE_PATH.test(url);
}

function urlOf(node: unknown, attribute: string): string | null {
  const url = attributeOf(node, attribute);
  return url === null ? null : resolveAgainstBase(url, node);
}

/** The widest image among media:content elements (width when given, else document order). */
function pickMediaContent(nodes: readonly unknown[]): string | null {
  let best: { url: string; width: number } | null = null;
  for (const node of nodes) {
    const url = urlOf(node, 'url');
    if (url === null || !isImage(node, url)) continue;
    const width = Number(attributeOf(node, 'width') ?? 0) || 0;
    if (best === null || width > best.width) best = { url, width };
  }
  return best?.url ?? null;
}

function firstUrl(
  nodes: readonly unknown[],
  attribute: string,
  accept: (node: unknown, url: string) => boolean,
): string | null {
  for (const node of nodes) {
    const url = urlOf(node, attribute);
    if (url !== null && accept(node, url)) return url;
  }
  return null;
}

/** The lead image URL of an entry, as written (resolved against xml:base only). */
export function pickImage(fields: RawFields): string | null {
  const groups = fields['media:group'] ?? [];
  const mediaContent = [...(fields['media:content'] ?? []), ...groups.flatMap((g) => childrenOf(g, 'media:content'))];
  const thumbnails = [...(fields['media:thumbnail'] ?? []), ...groups.flatMap((g) => childrenOf(g, 'media:thumbnail'))];
  return (
    pickMediaContent(mediaContent) ??
    firstUrl(thumbnails, 'url', () => true) ??
    firstUrl(
      mediaContent.flatMap((c) => childrenOf(c, 'media:thumbnail')),
      'url',
      () => true,
    ) ??
    firstUrl(fields['enclosure'] ?? [], 'url', isImage) ??
    pickImageEnclosureLink([...(fields['link'] ?? [])]) ??
    firstUrl(fields['itunes:image'] ?? [], 'href', () => true) ??
    null
  );
}
