// The hostile-documents gate: one linear pass that rewrites an XML feed into a small, well-formed,
// self-contained document before rss-parser (xml2js/sax) sees it. The pass
// - drops every DOCTYPE with its internal subset, comments and processing instructions, so no entity
//   is ever declared, expanded or fetched (billion laughs, XXE, parameter entities, external DTDs);
// - rewrites references (HTML named entities → numeric, unknown names and bare '&' → text);
// - refuses nesting deeper than MAX_DEPTH, before any recursive code runs;
// - stops after `maxItems` entries, at the end of the first root element (a second root or trailing
//   junk is ignored), and cuts a truncated body back to its last complete entry;
// - repairs structure sax would reject (mismatched or stray end tags, unquoted attributes);
// - canonicalises namespace prefixes, resolves xml:base scoping onto the elements that need it, and
//   turns Atom XHTML content into an HTML string (xml2js would lose the order of mixed content).
import { decodeXML } from 'entities';
import { ParseError } from '../../errors.js';
import type { FeedFormat } from '../../model.js';
import { escapeHtmlText } from '../parsed-feed.js';
import { fixReferences } from './entities.js';
import {
  EMPTY_SCOPE,
  canonicalName,
  extendScope,
  isXhtmlNamespace,
  namespaceOf,
  splitName,
  type NamespaceScope,
} from './namespaces.js';
import { readEndTag, readName, readStartTag, skipDeclaration, type StartTag } from './tags.js';
import { classifyRoot, holdsMarkupText, isXhtmlContainer, resolveBase, BASE_CARRIERS, VOID_ELEMENTS } from './rules.js';

export const MAX_DEPTH = 256;

export interface PreparedXml {
  xml: string;
  format: Exclude<FeedFormat, 'json'>;
  /** Complete entries kept. */
  itemCount: number;
  /** The body ended inside the document; it was cut back to its last complete entry. */
  truncated: boolean;
  /** More than maxItems entries: the rest were not read. */
  capped: boolean;
}

interface Frame {
  raw: string;
  name: string;
  local: string;
  scope: NamespaceScope;
  base: string | null;
  /** For an XHTML container: where its content starts in the output. */
  xhtmlFrom: number;
  /** For a text element that may turn out to hold unescaped HTML: where its text starts. */
  textFrom: number;
}

interface State {
  src: string;
  out: string[];
  stack: Frame[];
  format: PreparedXml['format'] | null;
  xhtml: Frame | null;
  itemCount: number;
  maxItems: number;
  safe: { outLength: number; names: string[] };
  done: boolean;
  capped: boolean;
  sawChannel: boolean;
  /** A <channel> element was in the document (not one implied around bare RSS 0.9x items). */
  hasChannelElement: boolean;
}

function quoteAttribute(value: string): string {
  return fixReferences(value).replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function writeStartTag(state: State, name: string, attributes: Array<[string, string]>, selfClosing: boolean): void {
  let tag = `<${name}`;
  for (const [key, value] of attributes) tag += ` ${key}="${quoteAttribute(value)}"`;
  state.out.push(selfClosing ? `${tag}/>` : `${tag}>`);
}

function recordSafePoint(state: State): void {
  state.safe = { outLength: state.out.length, names: state.stack.map((f) => f.name) };
}

/** True when the top of the stack is the root or the channel: between entries, a safe place to cut. */
function isAtFeedLevel(state: State): boolean {
  const depth = state.stack.length;
  return depth === 1 || (depth === 2 && state.stack[1]!.local === 'channel');
}

/** True when `frame`, just closed at feed level, was an entry (an RSS/RDF item or an Atom entry). */
function isEntry(frame: Frame): boolean {
  return frame.local === 'item' || frame.local === 'entry';
}

function finishXhtml(state: State, frame: Frame): void {
  const html = state.out.splice(frame.xhtmlFrom).join('');
  state.out.push(`<![CDATA[${html.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`);
  state.xhtml = null;
}

function afterClose(state: State, frame: Frame): void {
  if (state.xhtml) return;
  if (state.stack.length === 0) {
    state.done = true;
    return;
  }
  if (!isAtFeedLevel(state)) return;
  recordSafePoint(state);
  if (isEntry(frame) && ++state.itemCount >= state.maxItems) {
    state.capped = true;
    state.done = true;
  }
}

/** rss-parser requires a channel in RSS and RDF documents; an empty one stands in for a missing one. */
function closeTag(state: State, name: string, depth: number): string {
  return depth === 0 && state.format !== 'atom' && !state.sawChannel ? `<channel/></${name}>` : `</${name}>`;
}

function popFrame(state: State): void {
  const frame = state.stack.pop()!;
  if (state.xhtml === frame) finishXhtml(state, frame);
  state.out.push(closeTag(state, frame.name, state.stack.length));
  afterClose(state, frame);
}

function openRoot(state: State, tag: StartTag, scope: NamespaceScope): string {
  const { local } = splitName(tag.name);
  const format = classifyRoot(local, namespaceOf(tag.name, scope));
  state.format = format;
  return format === 'rdf' ? 'rdf:RDF' : format === 'atom' ? 'feed' : 'rss';
}

function openXhtmlChild(state: State, tag: StartTag, scope: NamespaceScope): void {
  const { local } = splitName(tag.name);
  const name = isXhtmlNamespace(namespaceOf(tag.name, scope)) ? local : tag.name;
  const attributes = tag.attributes.filter(([key]) => !key.startsWith('xmlns') && !key.startsWith('xml:'));
  const selfClosing = tag.selfClosing || VOID_ELEMENTS.has(name.toLowerCase());
  writeStartTag(state, name, attributes, selfClosing);
  if (!selfClosing) state.stack.push({ raw: tag.name, name, local, scope, base: null, xhtmlFrom: -1, textFrom: -1 });
}

/** RSS 0.9x documents without a <channel> (items straight under <rss>) get one around their content. */
function openImpliedChannel(state: State): void {
  const root = state.stack[0]!;
  state.out.push('<channel>');
  state.stack.push({
    raw: 'channel',
    name: 'channel',
    local: 'channel',
    scope: root.scope,
    base: root.base,
    xhtmlFrom: -1,
    textFrom: -1,
  });
  state.sawChannel = true;
  recordSafePoint(state);
}

/**
 * A text element (RSS <description>, <title>…) turned out to contain elements: unescaped HTML. Its
 * content so far becomes HTML and the rest is collected like XHTML, so nothing is lost to xml2js.
 */
function enterMarkupMode(state: State, frame: Frame): void {
  const chunks = state.out.splice(frame.textFrom);
  state.out.push(chunks.map((c) => (c.startsWith('<![CDATA[') ? c.slice(9, -3) : decodeXML(c))).join(''));
  frame.xhtmlFrom = frame.textFrom;
  state.xhtml = frame;
}

function openElement(state: State, tag: StartTag): void {
  const top = state.stack[state.stack.length - 1];
  if (!state.xhtml && top !== undefined && top.textFrom >= 0) enterMarkupMode(state, top);
  if (
    state.format === 'rss' &&
    state.stack.length === 1 &&
    !state.sawChannel &&
    splitName(tag.name).local !== 'channel'
  )
    openImpliedChannel(state);
  const parent = state.stack[state.stack.length - 1];
  const scope = extendScope(parent?.scope ?? EMPTY_SCOPE, tag.attributes);
  if (state.stack.length >= MAX_DEPTH) throw new ParseError(`elements nested deeper than ${MAX_DEPTH} levels`);
  if (state.xhtml) return openXhtmlChild(state, tag, scope);
  const name = parent ? canonicalName(tag.name, scope, state.format === 'atom') : openRoot(state, tag, scope);
  const { local } = splitName(name);
  const ownBase = tag.attributes.find(([key]) => key === 'xml:base')?.[1];
  const base = ownBase === undefined ? (parent?.base ?? null) : resolveBase(ownBase, parent?.base ?? null);
  let attributes = tag.attributes.filter(([key]) => key !== 'xml:base');
  if (base !== null && (ownBase !== undefined || BASE_CARRIERS.has(local))) attributes.push(['xml:base', base]);
  const container = parent !== undefined && isXhtmlContainer(name, parent.local, attributes);
  if (container) attributes = [...attributes.filter(([key]) => key !== 'type' && key !== 'mode'), ['type', 'html']];
  const selfClosing = tag.selfClosing || (!tag.name.includes(':') && VOID_ELEMENTS.has(local));
  if (state.stack.length === 1 && local === 'channel') state.sawChannel = true;
  // Under the root, or under a channel implied by an element before it (<rss><bogus/><channel>).
  if (state.stack.length <= 2 && local === 'channel') state.hasChannelElement = true;
  writeStartTag(state, name, attributes, selfClosing);
  const frame: Frame = { raw: tag.name, name, local, scope, base, xhtmlFrom: -1, textFrom: -1 };
  if (selfClosing) return afterClose(state, frame);
  state.stack.push(frame);
  if (container) {
    frame.xhtmlFrom = state.out.length;
    state.xhtml = frame;
  } else if (holdsMarkupText(name, parent)) frame.textFrom = state.out.length;
  if (state.stack.length === 1 || (state.stack.length === 2 && local === 'channel')) recordSafePoint(state);
}

/** Closes the innermost open element an end tag names, closing any left open inside it; ignores a stray one. */
function closeElement(state: State, rawName: string): void {
  const top = state.stack[state.stack.length - 1];
  if (!top) return;
  const name = canonicalName(rawName, top.scope, state.format === 'atom');
  const floor = state.xhtml ? state.stack.indexOf(state.xhtml) : 0;
  for (let i = state.stack.length - 1; i >= floor; i--) {
    const frame = state.stack[i]!;
    if (frame.raw !== rawName && frame.name !== name) continue;
    while (state.stack.length > i && !state.done) popFrame(state);
    return;
  }
}

function writeText(state: State, text: string): void {
  if (state.stack.length > 0 && text.length > 0) state.out.push(fixReferences(text));
}

function writeCdata(state: State, text: string): void {
  if (state.stack.length === 0) return;
  state.out.push(state.xhtml ? escapeHtmlText(text) : `<![CDATA[${text}]]>`);
}

/** Handles the markup at `at` (a '<'); returns the offset after it, or -1 if the body ends inside it. */
function readMarkup(state: State, at: number): number {
  const { src } = state;
  const next = src[at + 1];
  if (src.startsWith('<!--', at)) {
    const close = src.indexOf('-->', at + 4);
    return close === -1 ? -1 : close + 3;
  }
  if (src.startsWith('<![CDATA[', at)) {
    const close = src.indexOf(']]>', at + 9);
    if (close === -1) return -1;
    writeCdata(state, src.slice(at + 9, close));
    return close + 3;
  }
  if (next === '!') {
    // A DOCTYPE (even an HTML one before an <rss>) is dropped whole: the root element decides.
    const decl = skipDeclaration(src, at);
    return decl ? decl.end : -1;
  }
  if (next === '?') {
    const close = src.indexOf('?>', at + 2);
    return close === -1 ? -1 : close + 2;
  }
  if (next === '/') {
    const tag = readEndTag(src, at);
    if (tag) closeElement(state, tag.name);
    return tag ? tag.end : -1;
  }
  const name = readName(src, at + 1);
  if (name === null) {
    writeText(state, '&lt;');
    return at + 1;
  }
  const tag = readStartTag(src, at, name);
  if (tag) openElement(state, tag);
  return tag ? tag.end : -1;
}

function closeAt(state: State, safe: State['safe']): void {
  state.out.length = safe.outLength;
  for (let i = safe.names.length - 1; i >= 0; i--) state.out.push(closeTag(state, safe.names[i]!, i));
}

/** Rewrites an XML feed body (already a JS string, starting at its first '<') into a safe document. */
export function prepareXml(src: string, maxItems: number): PreparedXml {
  const state: State = {
    src,
    out: [],
    stack: [],
    format: null,
    xhtml: null,
    itemCount: 0,
    maxItems,
    safe: { outLength: 0, names: [] },
    done: false,
    capped: false,
    sawChannel: false,
    hasChannelElement: false,
  };
  let pos = 0;
  let truncated = false;
  while (!state.done && pos < src.length) {
    const lt = src.indexOf('<', pos);
    if (lt !== pos) writeText(state, src.slice(pos, lt === -1 ? src.length : lt));
    if (lt === -1) break;
    pos = readMarkup(state, lt);
    if (pos === -1) break;
  }
  if (state.format === null) throw new ParseError('not a feed (no root element)');
  // An <rss> (or RDF) root with neither a channel nor an item is no feed, not an empty one.
  if (state.format !== 'atom' && !state.hasChannelElement && state.itemCount === 0)
    throw new ParseError('not a feed: no channel');
  if (!state.done) {
    truncated = true;
    // Missing only the last end tags is recoverable at no loss; a cut inside the first entry is not.
    if (state.itemCount === 0 && !isAtFeedLevel(state))
      throw new ParseError('document is truncated before its first complete entry');
    closeAt(state, state.safe);
  } else if (state.capped) {
    closeAt(state, { outLength: state.out.length, names: state.stack.map((f) => f.name) });
  }
  return { xml: state.out.join(''), format: state.format, itemCount: state.itemCount, truncated, capped: state.capped };
}
