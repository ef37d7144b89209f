// What a reader of our outputs could be made to run: scans RSS, Atom, JSON and HTML bodies as text,
// as text with entities decoded once (feed readers decode description HTML), and as parsed markup.
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

/** Patterns no output may contain, raw or after one round of entity decoding. */
const FORBIDDEN: Array<[string, RegExp]> = [
  ['<script', /<\s*script/i],
  ['javascript:', /javascript\s*:/i],
  ['vbscript:', /vbscript\s*:/i],
  ['data:text/html', /data:\s*text\/html/i],
  ['on*= handler', /<[^>]*\son(?:error|load|click|mouseover|focus)\s*=/i],
  ['bare onerror=/onload=', /\bon(?:error|load)\s*=/i],
];

/** Elements that run code or change where a page's links go; the pages' own shell is listed apart. */
const EXECUTABLE = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'svg',
  'math',
  'link',
  'meta',
  'form',
  'input',
  'button',
  'style',
  'textarea',
  'select',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'data',
  'xlink:href',
  'background',
  'poster',
  'srcset',
]);
const SAFE_URL = /^(?:https?:|mailto:|\/|#|\?|[a-z0-9._~%-]+(?:\/|$))/i;

function forbiddenIn(text: string, where: string): string[] {
  const out: string[] = [];
  for (const [label, pattern] of FORBIDDEN) {
    const m = pattern.exec(text);
    if (m) out.push(`${where}: ${label} near ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 60))}`);
  }
  return out;
}

/** Forbidden text in a body, raw and entity-decoded. */
export function forbiddenText(body: string, where: string): string[] {
  return [...forbiddenIn(body, where), ...forbiddenIn(decodeHTML(body), `${where} (decoded)`)];
}

/** Elements and attributes in an HTML fragment that a browser would act on. `shell` lists elements our own page shell uses, with how many. */
export function executableMarkup(html: string, where: string, shell: Record<string, number> = {}): string[] {
  const out: string[] = [];
  const seen: Record<string, number> = {};
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        seen[name] = (seen[name] ?? 0) + 1;
        if (EXECUTABLE.has(name) && seen[name]! > (shell[name] ?? 0)) out.push(`${where}: <${name}>`);
        for (const [key, value] of Object.entries(attrs)) {
          if (/^on/i.test(key)) out.push(`${where}: <${name} ${key}>`);
          if (key === 'http-equiv' && /refresh/i.test(value)) out.push(`${where}: <meta http-equiv=refresh>`);
          if (key === 'srcdoc') out.push(`${where}: <${name} srcdoc>`);
          if (URL_ATTRIBUTES.has(key) && !SAFE_URL.test(value.trim()))
            out.push(`${where}: <${name} ${key}="${value.slice(0, 80)}">`);
          if (key === 'style' && /url\s*\(|expression\s*\(|javascript/i.test(value))
            out.push(`${where}: <${name} style="${value.slice(0, 80)}">`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Plain text that holds a tag a reader might render (a title or summary is never markup). */
export function markupInText(text: string, where: string): string[] {
  return /<\/?[a-z!?][^>]*>/i.test(text)
    ? [`${where}: markup in plain text ${JSON.stringify(text.slice(0, 120))}`]
    : [];
}

/** Every string inside a parsed JSON value, with its path. */
export function jsonStrings(value: unknown, path = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => jsonStrings(v, `${path}.${k}`));
  return [];
}

/** Elements and counts the page shell itself writes (layout.ts): its stylesheet, meta tags, feed links and search form. */
export const PAGE_SHELL: Record<string, number> = { style: 1, meta: 3, link: 3, form: 1, input: 1, button: 1 };

/** Bidi embedding, override and isolate controls, raw, JSON-escaped or as character references. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]|\\u20(?:2[a-e]|6[6-9])|&#x0*20(?:2[a-e]|6[6-9]);|&#(?:823[4-8]|829[4-7]);/i;

/** A bidi control in text shown as a title or name ("Trojan Source" spoofing). */
export function bidiControls(text: string, where: string): string[] {
  const m = BIDI.exec(text);
  return m
    ? [
        `${where}: bidi control ${JSON.stringify(m[0])} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`,
      ]
    : [];
}
