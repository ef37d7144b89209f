// Article HTML made safe to embed: an allowlist of content elements (sanitize-html), no scripts,
// styles, frames, forms, event handlers or style attributes; links and images absolute and limited to
// http/https (links also mailto); every link opens without referrer or opener and passes no rank.
import sanitizeHtml from 'sanitize-html';
import { isLiteralStructure, readSimpleMarkup } from './simple-markup.js';
import { removeControlCharacters } from './text.js';

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'a',
  'img',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'q',
  'cite',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'small',
  'sub',
  'sup',
  'abbr',
  'figure',
  'figcaption',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'pre',
  'code',
];

/** Disallowed elements whose text is not reader content either: dropped with everything inside. */
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'xmp',
  'select',
  'noscript',
  'template',
  'title',
  'head',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'applet',
  'noembed',
  'noframes',
  'frameset',
  'plaintext',
];

const LINK_REL = 'noopener noreferrer nofollow';

/** A URL attribute made absolute against `base`; null when it is not http(s) (or mailto for links). */
function resolveAttributeUrl(value: string, base: string | null, schemes: readonly string[]): string | null {
  let url: URL;
  try {
    url = base === null ? new URL(value) : new URL(value, base);
  } catch {
    // Relative with no usable base: kept as is only if it cannot carry a scheme.
    return /^[^:/?#]*(?:[/?#]|$)/.test(value.trim()) && !/^\s*\/\//.test(value) ? value.trim() : null;
  }
  return schemes.includes(url.protocol) ? url.href : null;
}

/** The attributes with one URL attribute resolved (or dropped), in their original order. */
function withUrl(
  attribs: sanitizeHtml.Attributes,
  name: string,
  base: string | null,
  schemes: readonly string[],
): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = {};
  for (const [key, value] of Object.entries(attribs)) {
    if (key !== name) out[key] = value;
    else {
      const url = resolveAttributeUrl(value, base, schemes);
      if (url !== null) out[key] = url;
    }
  }
  return out;
}

function options(base: string | null): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      ol: ['start', 'reversed'],
      abbr: ['title'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    nonTextTags: DROPPED_WITH_CONTENT,
    transformTags: {
      h1: 'h2',
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...withUrl(attribs, 'href', base, ['http:', 'https:', 'mailto:']), rel: LINK_REL },
      }),
      img: (tagName, attribs) => ({ tagName, attribs: withUrl(attribs, 'src', base, ['http:', 'https:']) }),
    },
    // Images without a source, and 1×1 tracking pixels, are dropped.
    exclusiveFilter: (frame) =>
      frame.tag === 'img' &&
      (!frame.attribs['src'] || (frame.attribs['width'] === '1' && frame.attribs['height'] === '1')),
  };
}

function sanitizeOnce(html: string, opts: sanitizeHtml.IOptions): string {
  return removeControlCharacters(sanitizeHtml(html, opts)).trim();
}

/**
 * Sanitised article HTML; relative URLs are resolved against `baseUrl` (the entry's base). Control
 * characters are removed after sanitising too, since character references decode to them. Misnested
 * input can come out nested in a way HTML parses differently ("<p><x<p>" → "<p><p></p></p>"), so the
 * output is sanitised again until it is stable: sanitising stored content again changes nothing.
 */
export function sanitizeContent(html: string, baseUrl: string | null): string {
  const input = removeControlCharacters(html).trim();
  return isSanitizedAlready(input) ? input : sanitizeFully(input, baseUrl);
}

/**
 * Text without entities in bare lowercase <p>/inline tags, nested as written and <br> as "<br />":
 * the sanitiser would give it back unchanged (most feed summaries), so it is spared the HTML parse.
 */
export function isSanitizedAlready(html: string): boolean {
  const tags = readSimpleMarkup(html);
  return tags !== null && tags.every((tag) => tag.lowercase) && isLiteralStructure(tags, 'self-closing');
}

/** The sanitiser's full path, for any input (control characters already removed, trimmed). */
export function sanitizeFully(input: string, baseUrl: string | null): string {
  const opts = options(baseUrl);
  let out = sanitizeOnce(input, opts);
  // Input that sanitises to itself is a fixed point already: no second pass needed.
  if (out === input) return out;
  for (let pass = 0; pass < 3; pass++) {
    const again = sanitizeOnce(out, opts);
    if (again === out) break;
    out = again;
  }
  return out;
}
