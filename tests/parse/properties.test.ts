// Property: whatever the body (random text, or a real feed cut, spliced and sprinkled with markup),
// parseFeed fails only with ParseError and its output normalises without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { normalizeItems } from '../../src/normalize/index.js';
import { parseFeed } from '../../src/parse/index.js';
import { readFeed } from './corpus.js';

const SEEDS = [
  readFeed('real/guardian/rssparser-guardian-us-2018.rss').slice(0, 20_000),
  readFeed('real/atom/prettyparser-vox-2016.xml').slice(0, 20_000),
  readFeed('real/dw/den92-dw-ukrainian-rdf-2016.xml').slice(0, 20_000),
  readFeed('real/jsonfeed/feedjira-json_feed.json').slice(0, 20_000),
];

const SNIPPETS = [
  '<',
  '>',
  '&',
  '&nbsp;',
  '&#0;',
  ']]>',
  '<![CDATA[',
  '<!--',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '&a;',
  '</item>',
  '<item>',
  '</entry>',
  '<entry>',
  '</channel>',
  '<rss>',
  '"',
  "'",
  '\u0000',
  '\uFFFD',
  '\uD800',
  'xml:base="javascript:x"',
  '<content type="xhtml">',
  '<x:y xmlns:x="z">',
  '{',
  '}',
];

/** A seed document with a few random edits: cuts, insertions of markup fragments, deletions. */
const mutatedFeed = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 200 }), fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 20 }))),
      { maxLength: 6 },
    ),
    fc.option(fc.nat()),
  )
  .map(([seed, edits, cut]) => {
    let doc = seed;
    for (const [at, remove, insert] of edits) {
      const i = at % (doc.length + 1);
      doc = doc.slice(0, i) + insert + doc.slice(i + remove);
    }
    return cut === null ? doc : doc.slice(0, cut % (doc.length + 1));
  });

describe('parseFeed on arbitrary bodies', () => {
  it('rejects only with ParseError, and what it returns normalises', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedFeed, fc.string(), fc.string({ unit: 'binary' })), async (body) => {
        try {
          const feed = await parseFeed(body);
          normalizeItems(feed, {
            feedUrl: 'https://feeds.example.org/x.xml',
            now: new Date('2025-06-01T00:00:00Z'),
            maxItems: 50,
          });
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
