// Reading the raw xml2js nodes rss-parser-run.ts hands the mapping (rss-parser's custom fields): the names
// elements arrive under, then their text, attributes and children. An element is either a string
// (text only), '' (empty) or an object with `$` (attributes), `_` (text) and one array per child name.

// Elements rss-parser would handle itself (and can throw on) arrive renamed; why is in rss-parser-run.ts.
const RENAMED = new Set(['link', 'published', 'updated', 'content', 'summary', 'description', 'pubDate']);
const RENAMED_PREFIX = 'storyline-';

/** An element's name as it arrives in the tree (renamed when rss-parser would otherwise handle it). */
export function fieldName(element: string): string {
  return RENAMED.has(element) ? `${RENAMED_PREFIX}${element}` : element;
}

/** Every node of one field name, in document order. */
export type RawFields = Readonly<Record<string, readonly unknown[] | undefined>>;

function isObject(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The text directly inside an element (concatenated across its children), or null. */
export function textOf(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (isObject(node) && typeof node['_'] === 'string') return node['_'];
  return null;
}

/** The trimmed text of an element, or null when it has none. */
export function trimmedTextOf(node: unknown): string | null {
  const text = textOf(node)?.trim();
  return text ? text : null;
}

/** One attribute of an element, trimmed, or null. */
export function attributeOf(node: unknown, name: string): string | null {
  if (!isObject(node)) return null;
  const attributes = node['$'];
  if (!isObject(attributes)) return null;
  const value = attributes[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The child elements of one name. */
export function childrenOf(node: unknown, name: string): readonly unknown[] {
  if (!isObject(node)) return [];
  const children = node[name];
  return Array.isArray(children) ? children : [];
}

/** The first node of a field with non-blank text: its text as written. */
export function firstText(nodes: readonly unknown[] | undefined): string | null {
  for (const node of nodes ?? []) {
    const text = textOf(node);
    if (text !== null && text.trim() !== '') return text;
  }
  return null;
}

/** The first non-null result of `read` over a field's nodes. */
export function firstOf<T>(nodes: readonly unknown[] | undefined, read: (node: unknown) => T | null): T | null {
  for (const node of nodes ?? []) {
    const value = read(node);
    if (value !== null) return value;
  }
  return null;
}

/** The xml:base in force on an element (../xml/document.ts writes it, already resolved). */
export function baseOf(node: unknown): string | null {
  return attributeOf(node, 'xml:base');
}

/** A URL written on an element, made absolute against the xml:base in force there when possible. */
export function resolveAgainstBase(url: string, node: unknown): string {
  const base = baseOf(node);
  if (base === null) return url;
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}
