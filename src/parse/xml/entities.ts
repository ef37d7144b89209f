// Character and entity references, rewritten so that the XML parser never has to look anything up:
// HTML named entities become numeric references, unknown names become literal text, bare '&' is escaped.
// Nothing declared in a DTD is ever expanded (the DOCTYPE is dropped before parsing: see document.ts).
import { decodeHTMLStrict } from 'entities';
import { replaceCodePoint } from 'entities/decode';

const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const REFERENCE = /&(?:(#\d{1,10}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,39});)?/g;
const REPLACEMENT_CHARACTER = '&#xFFFD;';

/** True for code points XML 1.0 allows in a document (§2.2 Char). */
function isXmlChar(cp: number): boolean {
  if (cp === 0x9 || cp === 0xa || cp === 0xd) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0xfffe || cp === 0xffff) return false;
  return cp <= 0x10ffff;
}

/**
 * &#128;–&#159; are C1 controls in XML, but feeds written on Windows mean the windows-1252 characters
 * (&#146; for ’): they are read as HTML reads them, as feedparser does.
 */
function numericReference(ref: string): string {
  const written = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
  const cp = written >= 0x80 && written <= 0x9f ? replaceCodePoint(written) : written;
  if (!isXmlChar(cp)) return REPLACEMENT_CHARACTER;
  return cp === written ? `&${ref};` : `&#${cp};`;
}

function namedReference(name: string): string {
  if (XML_PREDEFINED.has(name)) return `&${name};`;
  const decoded = decodeHTMLStrict(`&${name};`);
  // An undeclared name (including every name a DOCTYPE tried to declare) stays as visible text.
  if (decoded === `&${name};`) return `&amp;${name};`;
  let out = '';
  for (const ch of decoded) out += `&#${ch.codePointAt(0)};`;
  return out;
}

/** Rewrites the references in text or an attribute value so a strict XML parser accepts them. */
export function fixReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_match, ref: string | undefined) => {
    if (ref === undefined) return '&amp;';
    return ref[0] === '#' ? numericReference(ref) : namedReference(ref);
  });
}
