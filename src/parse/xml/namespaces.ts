// Feeds bind the same vocabularies to whatever prefixes they like (<a:feed>, <dcterms:date>, <Media:content>).
// Elements are renamed to one canonical prefix per namespace so the field extraction can use fixed names.

/** Namespace URI → canonical prefix ('' = no prefix). */
const CANONICAL_PREFIX: Record<string, string> = {
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
  'http://www.w3.org/1999/xhtml': 'xhtml',
};

export type NamespaceScope = ReadonlyMap<string, string>;

export const EMPTY_SCOPE: NamespaceScope = new Map();

/** The scope inside an element: its parent's plus the xmlns declarations among its attributes. */
export function extendScope(
  parent: NamespaceScope,
  attributes: ReadonlyArray<readonly [string, string]>,
): NamespaceScope {
  let scope: Map<string, string> | null = null;
  for (const [name, value] of attributes) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(name === 'xmlns' ? '' : name.slice(6), value.trim());
  }
  return scope ?? parent;
}

/** Splits "prefix:local" (no prefix → ''). */
export function splitName(qname: string): { prefix: string; local: string } {
  const colon = qname.indexOf(':');
  return colon > 0 ? { prefix: qname.slice(0, colon), local: qname.slice(colon + 1) } : { prefix: '', local: qname };
}

/** The namespace URI an element name is bound to, if any. */
export function namespaceOf(qname: string, scope: NamespaceScope): string | undefined {
  return scope.get(splitName(qname).prefix);
}

export function isXhtmlNamespace(uri: string | undefined): boolean {
  return uri === 'http://www.w3.org/1999/xhtml';
}

/**
 * The canonical name of an element. Prefixed names follow their namespace; unprefixed names are only
 * renamed when their default namespace means "no prefix" (so an RSS <link> stays <link> even under a
 * stray default namespace). In an Atom document the Atom namespace itself means "no prefix".
 */
export function canonicalName(qname: string, scope: NamespaceScope, isAtomDocument: boolean): string {
  const { prefix, local } = splitName(qname);
  const uri = scope.get(prefix);
  if (uri === undefined) return qname;
  const canonical = CANONICAL_PREFIX[uri];
  if (canonical === undefined) return qname;
  const effective = canonical === 'atom' && isAtomDocument ? '' : canonical;
  if (prefix === '' && effective !== '') return qname;
  return effective === '' ? local : `${effective}:${local}`;
}
