// Reading one piece of markup at a position: a start tag, an end tag, or a <!…> declaration.
// Tolerant by design (unquoted or repeated attributes, stray characters); every scan is linear,
// and a construct cut off by the end of the body reports null so the caller can treat it as truncation.

export interface StartTag {
  name: string;
  attributes: Array<[string, string]>;
  selfClosing: boolean;
  /** Offset just past the tag. */
  end: number;
}

const NAME = /[\p{L}_][\p{L}\p{N}_.:\-\u00B7]*/uy;
const ATTRIBUTE_NAME = /[^\s=/>"'<]+/y;
const VALID_ATTRIBUTE_NAME = /^[\p{L}_:][\p{L}\p{N}_.:\-\u00B7]*$/u;
const WHITESPACE = /\s*/y;
const UNQUOTED_VALUE = /(?:[^\s>/]|\/(?!>))*/y;

function skipWhitespace(src: string, at: number): number {
  WHITESPACE.lastIndex = at;
  WHITESPACE.exec(src);
  return WHITESPACE.lastIndex;
}

/** The element name starting at `at`, or null when the text there cannot start a name. */
export function readName(src: string, at: number): string | null {
  NAME.lastIndex = at;
  const m = NAME.exec(src);
  return m ? m[0] : null;
}

/** Reads `= value` after an attribute name; returns the value and the offset after it (-1: cut off). */
function readAttributeValue(src: string, at: number): { value: string; end: number } {
  let pos = skipWhitespace(src, at);
  if (src[pos] !== '=') return { value: '', end: at };
  pos = skipWhitespace(src, pos + 1);
  const quote = src[pos];
  if (quote === '"' || quote === "'") {
    const close = src.indexOf(quote, pos + 1);
    return close === -1 ? { value: '', end: -1 } : { value: src.slice(pos + 1, close), end: close + 1 };
  }
  UNQUOTED_VALUE.lastIndex = pos;
  UNQUOTED_VALUE.exec(src);
  return { value: src.slice(pos, UNQUOTED_VALUE.lastIndex), end: UNQUOTED_VALUE.lastIndex };
}

/** Reads a start tag whose '<' is at `at`; null when the body ends inside it. */
export function readStartTag(src: string, at: number, name: string): StartTag | null {
  const attributes: Array<[string, string]> = [];
  const seen = new Set<string>();
  let pos = at + 1 + name.length;
  for (;;) {
    pos = skipWhitespace(src, pos);
    if (pos >= src.length) return null;
    const c = src[pos];
    if (c === '>') return { name, attributes, selfClosing: false, end: pos + 1 };
    if (c === '/' && src[pos + 1] === '>') return { name, attributes, selfClosing: true, end: pos + 2 };
    // A '<' inside a tag means its '>' is missing: end the tag here and let the '<' start the next one.
    if (c === '<') return { name, attributes, selfClosing: false, end: pos };
    ATTRIBUTE_NAME.lastIndex = pos;
    const m = ATTRIBUTE_NAME.exec(src);
    if (!m) {
      pos++;
      continue;
    }
    const { value, end } = readAttributeValue(src, ATTRIBUTE_NAME.lastIndex);
    if (end === -1) return null;
    if (VALID_ATTRIBUTE_NAME.test(m[0]) && !seen.has(m[0])) {
      seen.add(m[0]);
      attributes.push([m[0], value]);
    }
    pos = end;
  }
}

/** Reads an end tag whose '</' is at `at`: its name ('' if none) and the offset after its '>'. */
export function readEndTag(src: string, at: number): { name: string; end: number } | null {
  const name = readName(src, at + 2) ?? '';
  const close = src.indexOf('>', at + 2 + name.length);
  return close === -1 ? null : { name, end: close + 1 };
}

/**
 * Skips a <!…> declaration at `at` (a DOCTYPE with its whole internal subset, or anything else up to
 * its '>'); returns the offset after it and the DOCTYPE's name. Null when the body ends inside it.
 */
export function skipDeclaration(src: string, at: number): { end: number; doctypeName: string | null } | null {
  const doctype = /^<!DOCTYPE\s+([^\s[>]*)/i.exec(src.slice(at, at + 200));
  if (!doctype) {
    const close = src.indexOf('>', at);
    return close === -1 ? null : { end: close + 1, doctypeName: null };
  }
  let brackets = 0;
  for (let pos = at + 9; pos < src.length; pos++) {
    const c = src[pos];
    if (c === '"' || c === "'") {
      const close = src.indexOf(c, pos + 1);
      if (close === -1) return null;
      pos = close;
    } else if (c === '<' && src.startsWith('<!--', pos)) {
      const close = src.indexOf('-->', pos + 4);
      if (close === -1) return null;
      pos = close + 2;
    } else if (c === '[') brackets++;
    else if (c === ']') brackets = Math.max(0, brackets - 1);
    else if (c === '>' && brackets === 0) return { end: pos + 1, doctypeName: doctype[1] ?? '' };
  }
  return null;
}
