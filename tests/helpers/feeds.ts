// Small feed documents for worker and server tests.

export interface FixtureEntry {
  guid: string;
  title: string;
  link?: string;
  description?: string;
  pubDate?: string;
  source?: { name: string; url: string };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function rss(title: string, entries: FixtureEntry[], extra = ''): string {
  const items = entries
    .map(
      (e) => `<item>
  <guid isPermaLink="false">${esc(e.guid)}</guid>
  <title>${esc(e.title)}</title>
  <link>${esc(e.link ?? `https://news.example/${e.guid}`)}</link>
  <description>${esc(e.description ?? `${e.title}.`)}</description>
  <pubDate>${e.pubDate ?? 'Tue, 06 May 2025 10:00:00 GMT'}</pubDate>${e.source ? `\n  <source url="${esc(e.source.url)}">${esc(e.source.name)}</source>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://news.example/</link><description>${esc(title)}</description>${extra}
${items}
</channel></rss>`;
}

export const entries = (prefix: string, n: number): FixtureEntry[] =>
  Array.from({ length: n }, (_, i) => ({ guid: `${prefix}-${i}`, title: `${prefix} headline number ${i}` }));
