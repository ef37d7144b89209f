// Document builders for the hostile catalogue. Big bodies are built on first use and kept (never
// committed as files); the 50 MB one is never built at all, only streamed.
import type http from 'node:http';

/** Builds the value on first call, then returns the same one. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const RSS_NS = 'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"';

/** An RSS 2.0 document around raw item markup; `prolog` goes before the root (DOCTYPE and such). */
export function rssDoc(itemsXml: string, options: { prolog?: string; channel?: string; declaration?: string } = {}): string {
  const declaration = options.declaration ?? '<?xml version="1.0" encoding="UTF-8"?>';
  const channel = options.channel ?? '<title>Hostile</title><link>https://hostile.example/</link><description>d</description>';
  return `${declaration}${options.prolog ?? ''}<rss version="2.0" ${RSS_NS}><channel>${channel}${itemsXml}</channel></rss>`;
}

/** One plain item: guid, title and an https link on hostile.example. */
export function rssItem(guid: string, title: string, extra = ''): string {
  return `<item><guid isPermaLink="false">${escapeXml(guid)}</guid><title>${escapeXml(title)}</title><link>https://hostile.example/${encodeURIComponent(guid)}</link>${extra}</item>`;
}

/** Letters and digits that do not compress: a long URL of these cannot hide in a compressed index entry. */
export function randomToken(length: number, seed = 1): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

/**
 * Script in every form a reader might run: elements, event handlers, URL schemes, refresh, base,
 * forms, frames, styles, SVG and MathML. Each vector keeps `javascript:` and friends inside markup,
 * so the plain text left after stripping tags holds no scheme at all.
 */
export const XSS_VECTORS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>s</text></a><animate attributeName="href" to="javascript:alert(1)"/></svg>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">m</maction></math>',
  '<a href="javascript:alert(1)">j</a><a href="JaVaScRiPt:alert(1)">J</a><a href=" java&#x09;script:alert(1)">t</a>',
  '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">d</a><a href="vbscript:msgbox(1)">v</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//">',
  '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus><button formaction="javascript:alert(1)">b</button></form>',
  '<iframe src="javascript:alert(1)"></iframe><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
  '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
  '<style>@import "javascript:alert(1)";</style><div style="background:url(javascript:alert(1))">s</div>',
  '<p onclick="alert(1)" onmouseover="alert(1)">p</p><body onload=alert(1)>',
  '<link rel="stylesheet" href="javascript:alert(1)"><table background="javascript:alert(1)"></table>',
].join('');

/** The vectors escaped once, as RSS carries HTML in text elements. */
export const XSS_ESCAPED = escapeXml(XSS_VECTORS);

/** CDATA that ends early, nested CDATA, and escaped script after a CDATA section. */
export const CDATA_TRICKS = '<![CDATA[<script>alert(1)</script>]]><![CDATA[]]>&lt;script&gt;alert(1)&lt;/script&gt;<![CDATA[<![CDATA[<img src=x onerror=alert(1)>]]>]]&gt;';

/** A title that would break out of our own RSS, Atom, JSON or HTML if it were written unescaped. */
export const BREAKOUT_TITLE = 'Breakout ]]> "},{"title":"Injected json"} \u2028 a < b & c </title></item><item><title>Injected item</title></item><item></script><!-- end';

/** Serves `total` bytes of one endlessly repeated RSS item stream, honouring backpressure; stops when the client goes. */
export function streamItems(res: http.ServerResponse, total: number, headers: Record<string, string>): void {
  res.writeHead(200, headers);
  res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>');
  const chunk = Buffer.from(Array.from({ length: 200 }, (_, i) => rssItem(`s${i}`, `Streamed item ${i} ${'x'.repeat(200)}`)).join(''));
  let sent = 0;
  const pump = (): void => {
    while (!res.destroyed && sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end('</channel></rss>');
  };
  pump();
}

/** Writes `unit` every `everyMs` until the socket goes; for drip and endless cases. */
export function drip(target: NodeJS.WritableStream & { destroyed: boolean; once(e: 'close', f: () => void): unknown }, unit: string | Buffer, everyMs: number): void {
  const timer = setInterval(() => {
    if (target.destroyed) return clearInterval(timer);
    target.write(unit);
  }, everyMs);
  target.once('close', () => clearInterval(timer));
}
