// Property-based tests: the normalising functions never throw and keep their guarantees on any input.
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { sanitizeContent } from '../../src/normalize/content.js';
import { parseDate } from '../../src/normalize/date.js';
import { toPlainText } from '../../src/normalize/text.js';
import { canonicalizeUrl } from '../../src/normalize/url.js';

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 500) };

/** Strings built from URL-ish pieces, so that many are valid URLs. */
const urlLike = fc
  .tuple(
    fc.constantFrom('http://', 'https://', 'HTTPS://', 'ftp://', 'javascript:', '//', '', '/'),
    fc.constantFrom('example.com', 'Example.COM:443', 'bücher.example', 'a.b.c:8080', '127.0.0.1', ''),
    fc.array(fc.constantFrom('/a', '/b c', '/%7E', '/..', '/./', '/ü'), { maxLength: 4 }),
    fc.array(
      fc.constantFrom(
        'utm_source=x',
        'UTM_MEDIUM=y',
        'fbclid=1',
        'id=7',
        'q=a+b',
        'gclid',
        '_ga=1',
        'a=%20',
        'x=1&y=2',
      ),
      { maxLength: 5 },
    ),
    fc.option(fc.constantFrom('#frag', '#', '#a#b')),
  )
  .map(
    ([scheme, host, path, query, hash]) =>
      `${scheme}${host}${path.join('')}${query.length ? `?${query.join('&')}` : ''}${hash ?? ''}`,
  );

const anyUrl = fc.oneof(urlLike, fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true }));

/** Fragments of HTML, including hostile ones, joined at random. */
const htmlLike = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<p>',
        '</p>',
        '<a href="javascript:alert(1)">',
        '<a href="/rel">',
        '</a>',
        '<img src=x onerror=alert(1)>',
        '<script>alert(1)</script>',
        '<script>',
        '<style>a{}</style>',
        '<b>',
        '</b>',
        '&amp;',
        '&lt;script&gt;',
        '&nbsp;',
        '<br>',
        '<svg onload=x>',
        '<iframe src=//e>',
        '<!-- c -->',
        '<![CDATA[x]]>',
        '<div style="x">',
        '</div>',
        '<ul><li>',
        '<table><tr><td>',
        'a < b',
        '<img src="data:x">',
        '"',
        "'",
        '>',
        '<a href="java\tscript:x">',
        '<math>',
        '<form>',
        '<input>',
        '<meta http-equiv="refresh">',
        '<base href="//e">',
        '\u0000',
        '<p onclick="x">',
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Elements an HTML parser finds in `html`. */
function elementsIn(html: string): string[] {
  const names: string[] = [];
  const parser = new Parser({ onopentagname: (name) => names.push(name) });
  parser.end(html);
  return names;
}

describe('canonicalizeUrl properties', () => {
  it('never throws, is idempotent, and leaves no tracking parameter or fragment', () => {
    fc.assert(
      fc.property(
        anyUrl,
        fc.option(fc.constantFrom('https://base.example/dir/', 'not a base', 'javascript:x')),
        (raw, base) => {
          const once = canonicalizeUrl(raw, base ?? undefined);
          if (once === null) return;
          expect(canonicalizeUrl(once)).toBe(once);
          const url = new URL(once);
          expect(url.hash).toBe('');
          expect(once).not.toContain('#');
          expect(
            [...url.searchParams.keys()].some(
              (k) => /^utm_/i.test(k) || ['fbclid', 'gclid', '_ga'].includes(k.toLowerCase()),
            ),
          ).toBe(false);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(once.length).toBeLessThanOrEqual(2000);
        },
      ),
      RUNS,
    );
  });
});

describe('parseDate properties', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const dateLike = fc.oneof(
    fc.string(),
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
      .map((d) => d.toUTCString()),
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.stringMatching(
      /^(Mon|Tues|xx)?,? ?\d{1,2} (Jan|dez|May|Foo) \d{2,4} \d{1,2}:\d{2}(:\d{2})? ?([A-Z]{1,5}|[+-]\d{4})?$/,
    ),
    fc.stringMatching(/^\d{4}-\d{1,2}-\d{1,2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/),
    fc.integer({ min: 0, max: 9_999_999_999_999 }).map(String),
  );
  it('never throws, never returns an Invalid Date or a date after now + 1 day', () => {
    fc.assert(
      fc.property(fc.option(dateLike, { nil: null }), (raw) => {
        const { date, estimated } = parseDate(raw, now);
        expect(Number.isNaN(date.getTime())).toBe(false);
        expect(date.getTime()).toBeLessThanOrEqual(now.getTime() + 86_400_000);
        expect(date.getTime()).toBeGreaterThan(0);
        if (estimated) expect(date.getTime()).toBe(now.getTime());
      }),
      RUNS,
    );
  });

  it('reads back every date it can print (RFC 1123 and ISO 8601)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01'), max: now, noInvalidDate: true }), (d) => {
        const seconds = new Date(Math.floor(d.getTime() / 1000) * 1000);
        expect(parseDate(d.toUTCString(), now).date).toEqual(seconds);
        expect(parseDate(d.toISOString(), now).date).toEqual(d);
      }),
      RUNS,
    );
  });
});

describe('toPlainText properties', () => {
  it('never throws, respects maxLength, leaves no control characters', () => {
    fc.assert(
      fc.property(htmlLike, fc.integer({ min: 1, max: 300 }), (html, max) => {
        const text = toPlainText(html, max);
        expect(text.length).toBeLessThanOrEqual(max);
        expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\s{2}/);
      }),
      RUNS,
    );
  });

  it('leaves no tag: re-parsing the text finds no element, even when tags were entity-escaped', () => {
    fc.assert(
      fc.property(htmlLike, (html) => {
        const text = toPlainText(html, 10_000);
        expect(elementsIn(text)).toEqual([]);
        expect(text).not.toMatch(/<[A-Za-z/!?]/);
      }),
      RUNS,
    );
  });

  it('is idempotent on its own output when that output contains no markup characters', () => {
    fc.assert(
      fc.property(htmlLike, (html) => {
        const once = toPlainText(html, 10_000);
        fc.pre(!/[<&]/.test(once));
        expect(toPlainText(once, 10_000)).toBe(once);
      }),
      RUNS,
    );
  });
});

describe('sanitizeContent properties', () => {
  it('never throws, is idempotent, and lets nothing executable through', () => {
    fc.assert(
      fc.property(
        htmlLike,
        fc.option(fc.constantFrom('https://example.com/a/', 'javascript:alert(1)'), { nil: null }),
        (html, base) => {
          const once = sanitizeContent(html, base);
          expect(sanitizeContent(once, base)).toBe(once);
          expect(once).not.toMatch(/<script/i);
          expect(once).not.toMatch(/\son\w+\s*=/i);
          expect(once).not.toMatch(/javascript:/i);
          expect(once).not.toMatch(/<(style|iframe|svg|math|form|input|base|meta|object|embed|link)\b/i);
          expect(once).not.toMatch(/\sstyle\s*=/i);
          expect(once).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
        },
      ),
      RUNS,
    );
  });
});
