// Most feed strings are plain text or text in a few bare tags ("<p>…</p>"). Recognising that shape
// with one regular expression lets the text and sanitising stages skip a full HTML parse for them;
// anything else (attributes, entities, comments, a stray '<' or '>') takes the full path.

export interface SimpleTag {
  /** Lowercase element name. */
  name: string;
  /** True when the name was written in lowercase. */
  lowercase: boolean;
  closing: boolean;
  /** Written as "<br />" (the form sanitize-html writes for void elements). */
  selfClosing: boolean;
}

/** Bounds the work: longer strings are rare and take the full path. */
const MAX_LENGTH = 100_000;

const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)( \/)?>/g;
const PLAIN_TEXT = /^[^<>&]*$/;

/**
 * The tags of a string made only of entity-free text and attribute-free tags, in order; null when it
 * holds anything else. A string without any tag gives [].
 */
export function readSimpleMarkup(html: string): SimpleTag[] | null {
  if (html.length > MAX_LENGTH) return null;
  if (PLAIN_TEXT.test(html)) return [];
  const tags: SimpleTag[] = [];
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    if (!PLAIN_TEXT.test(html.slice(last, m.index))) return null;
    const name = m[2]!.toLowerCase();
    tags.push({ name, lowercase: name === m[2], closing: m[1] === '/', selfClosing: m[3] !== undefined });
    last = m.index + m[0].length;
  }
  return PLAIN_TEXT.test(html.slice(last)) ? tags : null;
}

/** Replaces every tag of a simple-markup string: `replace` gets the tag and returns its text. */
export function replaceSimpleTags(html: string, replace: (tag: SimpleTag) => string): string {
  return html.replace(TAG, (_all, slash: string, name: string, self: string | undefined) =>
    replace({
      name: name.toLowerCase(),
      lowercase: name.toLowerCase() === name,
      closing: slash === '/',
      selfClosing: self !== undefined,
    }),
  );
}

/** Inline elements that HTML parsers never close implicitly and the sanitiser keeps as they are. */
const INLINE = new Set([
  'b',
  'i',
  'em',
  'strong',
  'u',
  's',
  'small',
  'sub',
  'sup',
  'mark',
  'code',
  'q',
  'cite',
  'del',
  'ins',
  'abbr',
]);

/**
 * True when the tags nest the way an HTML parser reads them literally: paragraphs only at the top
 * level, inline elements inside, every end tag closing the innermost open element, <br> never closed.
 * `brForm: 'self-closing'` also requires <br> written as "<br />".
 */
export function isLiteralStructure(tags: readonly SimpleTag[], brForm: 'any' | 'self-closing'): boolean {
  const open: string[] = [];
  for (const tag of tags) {
    if (tag.name === 'br') {
      if (tag.closing || (brForm === 'self-closing' && !tag.selfClosing)) return false;
    } else if (tag.selfClosing) {
      return false;
    } else if (tag.closing) {
      if (open.pop() !== tag.name) return false;
    } else {
      if (tag.name === 'p' ? open.length > 0 : !INLINE.has(tag.name)) return false;
      open.push(tag.name);
    }
  }
  return open.length === 0;
}
