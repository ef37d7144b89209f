// Plain text from feed strings: tags dropped, entities decoded exactly once, whitespace collapsed,
// control characters removed (Postgres rejects NUL in text), truncated at a word boundary.
// Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) are removed
// too: one in a headline reverses the text after it wherever it is shown ("Trojan Source" spoofing).
import { Parser } from 'htmlparser2';
import { isLiteralStructure, readSimpleMarkup, replaceSimpleTags } from './simple-markup.js';

/** C0/C1 controls except tab/newline/CR, the noncharacters U+FFFE/U+FFFF, and unpaired surrogates. */
const UNSAFE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Elements whose text is never reader-visible text. */
const INVISIBLE = new Set(['script', 'style', 'template', 'noscript', 'title', 'svg', 'math']);

/** Elements that separate words: their boundaries become spaces ("<p>a</p><p>b</p>" → "a b"). */
const BREAKING = new Set([
  'p',
  'div',
  'br',
  'hr',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'td',
  'th',
  'table',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'img',
  'address',
]);

/** Bounds the work on a hostile 2 MB title: far more input than any cap needs. */
const MAX_INPUT = 1_000_000;

/** Removes control characters, noncharacters and unpaired surrogates (lone ones become U+FFFD). */
export function removeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch.length === 1 && ch >= '\uD800' && ch <= '\uDFFF' ? '\uFFFD' : ''));
}

/** Embedding, override and isolate controls; the marks (U+200E, U+200F) that RTL text needs stay. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidirectional embedding, override and isolate controls (not applied to guids: identity must not move). */
export function removeBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** Collapses runs of whitespace to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts text to at most `maxLength` characters, at a word boundary when one is near, ending in "…". */
export function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (maxLength <= 1) return text.slice(0, Math.max(0, maxLength));
  let cut = text.slice(0, maxLength - 1);
  const endsAtWord = /\s/.test(text[maxLength - 1]!);
  const space = cut.lastIndexOf(' ');
  if (!endsAtWord && space >= maxLength * 0.6) cut = cut.slice(0, space);
  // Never leave half a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** A '<' that an HTML reader would take as the start of a tag. */
const TAG_START = /<(?=[A-Za-z/!?])/;

/** The reader-visible text of an HTML fragment (or of plain text with entities); decodes entities if asked. */
function extractText(html: string, decodeEntities: boolean): string {
  const parts: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (INVISIBLE.has(name)) hidden++;
        if (BREAKING.has(name)) parts.push(' ');
      },
      onclosetag(name) {
        if (INVISIBLE.has(name) && hidden > 0) hidden--;
        if (BREAKING.has(name)) parts.push(' ');
      },
      ontext(text) {
        if (hidden === 0) parts.push(text);
      },
    },
    { decodeEntities },
  );
  parser.end(html.length > MAX_INPUT ? html.slice(0, MAX_INPUT) : html);
  return parts.join('');
}

/**
 * Markup that only appears once entities are decoded ("&lt;script&gt;", or a plain-text field holding
 * tags) is stripped too, without decoding again: plain text never holds anything a reader that
 * mistakes it for HTML would run. A '<' not starting a tag ("a < b") stays.
 */
function stripDecodedTags(text: string): string {
  let out = text;
  for (let pass = 0; pass < 3 && TAG_START.test(out); pass++) out = extractText(out, false);
  return TAG_START.test(out) ? out.replace(new RegExp(TAG_START.source, 'g'), '< ') : out;
}

/**
 * The text of plain text or of text in bare <p>/<br>/inline tags, without an HTML parse (what
 * extractText gives for them); null for anything else.
 */
export function simpleMarkupText(html: string): string | null {
  const tags = readSimpleMarkup(html);
  if (tags === null || !isLiteralStructure(tags, 'any')) return null;
  return tags.length === 0 ? html : replaceSimpleTags(html, (tag) => (BREAKING.has(tag.name) ? ' ' : ''));
}

/** The full path of toPlainText, for any input. */
export function extractPlainText(html: string): string {
  return stripDecodedTags(extractText(html, true));
}

/** Plain text of at most `maxLength` characters from HTML or text. */
export function toPlainText(htmlOrText: string, maxLength: number): string {
  const clean = removeControlCharacters(htmlOrText);
  const text = simpleMarkupText(clean) ?? extractPlainText(clean);
  return truncateAtWord(collapseWhitespace(removeBidiControls(removeControlCharacters(text))), maxLength);
}

/**
 * A headline's tail naming its own outlet ("… - Reuters", "… | The Guardian", Google News' " - Publisher")
 * says nothing about the story: dropped from stored titles and from the features the grouping reads.
 */
export function stripOutletSuffix(title: string, outlet: string | null): string {
  if (!outlet) return title;
  const m = /\s+[-–—|:]\s+([^-–—|:]{2,80})$/u.exec(title);
  if (m && m[1]!.trim().toLowerCase() === outlet.trim().toLowerCase()) return title.slice(0, m.index);
  return title;
}
