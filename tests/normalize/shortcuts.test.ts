// The normalise stage skips its full paths for the common shapes (bare-tag HTML, RFC 1123 dates).
// Each shortcut must give exactly what the full path gives, on the shapes it accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSanitizedAlready, sanitizeContent, sanitizeFully } from '../../src/normalize/content.js';
import { parseTimestamp, parseTimestampInGeneral } from '../../src/normalize/date.js';
import { collapseWhitespace, extractPlainText, simpleMarkupText } from '../../src/normalize/text.js';

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 1000) };

/** Text and bare tags, well formed or not, so that both sides of each shortcut are exercised. */
const markupLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Talks',
        ' continue ',
        'said "no"',
        "it's",
        '\n',
        '  ',
        'a > b',
        'a < b',
        'R&D',
        '&amp;',
        'é',
        '',
      ),
      fc.constantFrom(
        '<p>',
        '</p>',
        '<P>',
        '</P>',
        '<B>',
        '</b>',
        '<Em>',
        '<BR />',
        '<br>',
        '<br />',
        '<br/>',
        '</br>',
        '<b>',
        '</b>',
        '<em>',
        '</em>',
        '<strong>',
        '</strong>',
        '<i>',
        '</i>',
        '<code>',
        '</code>',
        '<span>',
        '</span>',
        '<div>',
        '</div>',
        '<li>',
        '</li>',
        '<ul>',
        '</ul>',
        '<script>',
        '</script>',
        '<style>',
        '<title>',
        '<a href="x">',
        '</a>',
        '<p class="x">',
        '<q>',
        '</q>',
        '<abbr>',
        '</abbr>',
      ),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

describe('plain text shortcut', () => {
  it('gives what the HTML parser gives whenever it applies', () => {
    let applied = 0;
    fc.assert(
      fc.property(markupLike, (html) => {
        const quick = simpleMarkupText(html);
        if (quick === null) return;
        applied++;
        expect(collapseWhitespace(quick)).toBe(collapseWhitespace(extractPlainText(html)));
      }),
      RUNS,
    );
    expect(applied).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('applies to plain text and bare paragraphs, not to entities, attributes or misnesting', () => {
    expect(simpleMarkupText('Mexico rejects troops')).toBe('Mexico rejects troops');
    expect(simpleMarkupText('<p>One</p><p>Two <b>three</b></p>')).toBe(' One  Two three ');
    expect(simpleMarkupText('R&amp;D')).toBeNull();
    expect(simpleMarkupText('<p class="x">a</p>')).toBeNull();
    expect(simpleMarkupText('<b><p>a</p></b>')).toBeNull();
    expect(simpleMarkupText('<script>x</script>')).toBeNull();
  });
});

describe('sanitiser shortcut', () => {
  it('accepts only what the sanitiser gives back unchanged', () => {
    let applied = 0;
    fc.assert(
      fc.property(markupLike, (html) => {
        const input = html.trim();
        if (!isSanitizedAlready(input)) return;
        applied++;
        expect(sanitizeFully(input, 'https://example.com/')).toBe(input);
      }),
      RUNS,
    );
    expect(applied).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('sends anything with attributes, entities or unknown tags through the sanitiser', () => {
    expect(sanitizeContent('<p onclick="x">a</p>', null)).toBe('<p>a</p>');
    expect(sanitizeContent('<p>a<br>b</p>', null)).toBe('<p>a<br />b</p>');
    expect(sanitizeContent('<script>x</script><p>a</p>', null)).toBe('<p>a</p>');
    expect(isSanitizedAlready('<p>Talks "continue"</p>')).toBe(true);
  });
});

describe('RFC 1123 date shortcut', () => {
  const weekday = fc.constantFrom('', 'Mon, ', 'Tue, ', 'Sun, ', 'Fri, ');
  const month = fc.constantFrom(
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
    'Foo',
    'Mai',
  );
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const zone = fc.constantFrom('GMT', 'UT', 'UTC', 'Z', '+0000', '-0500', '+0530', '+1900', 'EST', 'CEST');
  const rfc1123 = fc
    .tuple(
      weekday,
      fc.integer({ min: 0, max: 35 }),
      month,
      fc.integer({ min: 1900, max: 2200 }),
      two(26),
      two(61),
      two(61),
      zone,
    )
    .map(([w, d, m, y, h, mi, s, z]) => `${w}${d} ${m} ${y} ${h}:${mi}:${s} ${z}`);

  it('reads every RFC 1123 string exactly as the general parser does', () => {
    fc.assert(
      fc.property(rfc1123, (s) => {
        expect(parseTimestamp(s)).toBe(parseTimestampInGeneral(s));
      }),
      RUNS,
    );
  });

  it('agrees with the JavaScript Date parser on valid dates', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-02'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
        const s = d.toUTCString();
        expect(parseTimestamp(s)).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
      RUNS,
    );
  });
});
