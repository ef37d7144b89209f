// rss-parser is handed the tree that xml/tree.ts reads from the safety gate's output instead of running
// xml2js over it. That tree must be exactly xml2js's (with the options rss-parser-run.ts passes), on
// every document of the shared corpus and on the constructs the gate writes.
import xml2js from 'xml2js';
import { describe, expect, it } from 'vitest';
import { fieldName } from '../../src/parse/rss-atom/node.js';
import { XML2JS_OPTIONS } from '../../src/parse/rss-atom/rss-parser-run.js';
import { prepareXml } from '../../src/parse/xml/document.js';
import { readPreparedXml } from '../../src/parse/xml/tree.js';
import { readFeed, readSources } from './corpus.js';

async function xml2jsTree(xml: string): Promise<unknown> {
  return new xml2js.Parser(XML2JS_OPTIONS).parseStringPromise(xml);
}

/** The gate's output for a document, or null when the gate refuses it (then neither reader sees it). */
function prepared(body: string): string | null {
  const start = body.search(/<(?=[A-Za-z?!])/);
  if (start === -1) return null;
  try {
    return prepareXml(body.slice(start), 5000).xml;
  } catch {
    return null;
  }
}

describe('the tree read from a prepared document', () => {
  it('equals what xml2js reads, on every document of the shared corpus', { timeout: 180_000 }, async () => {
    const differences: string[] = [];
    let compared = 0;
    for (const entry of readSources()) {
      const xml = prepared(readFeed(entry.path).replace(/^[\uFEFF\s]+/, ''));
      if (xml === null || xml.startsWith('{')) continue;
      const expected = await xml2jsTree(xml).catch((err: Error) => `xml2js: ${err.message.split('\n')[0]}`);
      let actual: unknown;
      try {
        actual = readPreparedXml(xml, fieldName);
      } catch (err) {
        actual = `ours: ${(err as Error).message}`;
      }
      compared++;
      try {
        expect(actual).toEqual(expected);
      } catch {
        differences.push(entry.path);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
  });

  it.each([
    [
      'text, CDATA and references',
      '<rss><channel><title>A &amp; B &#233; <![CDATA[<b>x</b>]]></title></channel></rss>',
    ],
    [
      'attributes with references',
      '<feed><link href="https://e.example/?a=1&amp;b=&quot;2&quot;" rel="alternate"/></feed>',
    ],
    [
      'whitespace-only text dropped, CDATA whitespace kept',
      '<rss><channel>\n  <title>  </title><description><![CDATA[ ]]></description></channel></rss>',
    ],
    ['mixed content and repeated children', '<rss><channel>a<item>1</item>b<item/><item>2</item>c</channel></rss>'],
    ['empty elements with and without attributes', '<feed><entry/><entry x="1"/><entry></entry></feed>'],
    [
      'renamed elements',
      '<feed><entry><link href="u"/><content type="html">&lt;p&gt;x</content><summary>s</summary></entry></feed>',
    ],
  ])('equals xml2js on %s', async (_name, xml) => {
    expect(readPreparedXml(xml, fieldName)).toEqual(await xml2jsTree(xml));
  });
});
