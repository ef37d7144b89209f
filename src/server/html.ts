// The one escaping helper for every HTML we write (pages and feed entry content): an `html` tagged
// template that escapes each value unless it is already-built markup, and a link filter that lets
// only absolute http(s) URLs become links.
const BRAND: unique symbol = Symbol('safe-html');

/** Markup built by `html` (or `raw`): the only values inserted without escaping. */
export interface SafeHtml {
  readonly [BRAND]: true;
  readonly value: string;
}

const safe = (value: string): SafeHtml => ({ [BRAND]: true, value });

const isSafe = (v: unknown): v is SafeHtml =>
  typeof v === 'object' && v !== null && (v as Partial<SafeHtml>)[BRAND] === true;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: the five significant characters become references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafe(value)) return value.value;
  return escapeHtml(String(value));
}

/** Builds markup; interpolated strings are escaped, SafeHtml and arrays of it are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return safe(out);
}

/** Trusted markup written in this codebase (the stylesheet), never text from a feed. */
export const raw = (markup: string): SafeHtml => safe(markup);

/** The URL when it is an absolute http(s) URL, normalised; null for javascript:, data: and the rest. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "6 May 2025, 14:05 UTC": one fixed zone, so a cached page reads the same for everyone. */
export function formatTime(t: Date): string {
  return `${DATE_TIME.format(t)} UTC`;
}

/** A <time> element with the machine-readable instant. */
export const timeTag = (t: Date): SafeHtml => html`<time datetime="${t.toISOString()}">${formatTime(t)}</time>`;

/** "1 article" / "3 articles". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
