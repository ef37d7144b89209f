// Reads a document prepared by document.ts (the safety gate) into the object tree rss-parser builds feeds from: the
// tree xml2js gives (explicitCharkey, emptyTag {}, tag names renamed), built without sax. The prepared
// document is canonical — one root, no declaration, DOCTYPE, comment or processing instruction,
// attributes double-quoted, references numeric or predefined — so one indexOf scan reads it, and the
// document is tokenised once (by the safety gate) instead of twice. tests/parse/xml-tree.test.ts
// checks that the tree equals xml2js's on every document of the shared corpus.
import { ParseError } from '../../errors.js';

type XmlNode = Record<string, unknown>;

interface OpenElement {
  name: string;
  node: XmlNode;
  text: string;
  cdata: boolean;
}

const START_TAG_NAME = /[^\s/>]+/y;
const ATTRIBUTE = /\s+([^\s=/>]+)="([^"]*)"/y;
const START_TAG_END = /\s*(\/?)>/y;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(#[xX][0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;

/**
 * The gate leaves only predefined and numeric references, all of allowed characters; they decode as
 * sax decodes them (a numeric reference is its code point: no HTML remapping of &#128;–&#159;).
 */
function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_all, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref]!;
    return String.fromCodePoint(
      ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10),
    );
  });
}

/** Adds a child under its name, as xml2js does with explicitArray (every child list is an array). */
function addChild(parent: XmlNode, name: string, child: unknown): void {
  const existing = parent[name];
  if (existing === undefined && !(name in parent)) parent[name] = [child];
  else if (Array.isArray(existing)) existing.push(child);
  else parent[name] = [existing, child];
}

/** An element's final value: text kept unless whitespace-only (and not CDATA); an empty element is {}. */
function finish(open: OpenElement): XmlNode {
  if (open.cdata || /\S/.test(open.text)) open.node['_'] = open.text;
  return Object.keys(open.node).length === 0 ? {} : open.node;
}

function readStartTag(
  xml: string,
  at: number,
  rename: (name: string) => string,
): { open: OpenElement; selfClosing: boolean; end: number } {
  START_TAG_NAME.lastIndex = at + 1;
  const name = START_TAG_NAME.exec(xml)?.[0];
  if (name === undefined) throw new ParseError(`prepared document: no element name at offset ${at}`);
  const node: XmlNode = Object.create(null);
  let pos = START_TAG_NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = pos;
    const attribute = ATTRIBUTE.exec(xml);
    if (attribute === null) break;
    const attributes = (node['$'] ??= Object.create(null)) as Record<string, string>;
    attributes[attribute[1]!] = decode(attribute[2]!);
    pos = ATTRIBUTE.lastIndex;
  }
  START_TAG_END.lastIndex = pos;
  const end = START_TAG_END.exec(xml);
  if (end === null) throw new ParseError(`prepared document: unreadable start tag <${name}> at offset ${at}`);
  return {
    open: { name: rename(name), node, text: '', cdata: false },
    selfClosing: end[1] === '/',
    end: START_TAG_END.lastIndex,
  };
}

/** The tree of a prepared document: `{ [rootName]: rootNode }`; element names pass through `rename`. */
export function readPreparedXml(xml: string, rename: (name: string) => string): XmlNode {
  const stack: OpenElement[] = [];
  let root: XmlNode | null = null;
  const close = (open: OpenElement) => {
    const value = finish(open);
    const parent = stack[stack.length - 1];
    if (parent) addChild(parent.node, open.name, value);
    else root = { [open.name]: value };
  };
  let pos = 0;
  while (pos < xml.length && root === null) {
    const lt = xml.indexOf('<', pos);
    const top = stack[stack.length - 1];
    if (lt !== pos && top) top.text += decode(xml.slice(pos, lt === -1 ? xml.length : lt));
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end === -1) throw new ParseError('prepared document: unterminated CDATA section');
      // sax reports no event for an empty CDATA section.
      if (top && end > lt + 9) {
        top.text += xml.slice(lt + 9, end);
        top.cdata = true;
      }
      pos = end + 3;
    } else if (xml[lt + 1] === '/') {
      const end = xml.indexOf('>', lt);
      const open = stack.pop();
      if (end === -1 || open === undefined) throw new ParseError(`prepared document: stray end tag at offset ${lt}`);
      close(open);
      pos = end + 1;
    } else {
      const tag = readStartTag(xml, lt, rename);
      if (tag.selfClosing) close(tag.open);
      else stack.push(tag.open);
      pos = tag.end;
    }
  }
  if (root === null) throw new ParseError('prepared document: the root element is not closed');
  return root;
}
