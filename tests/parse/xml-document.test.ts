// The rewrite that runs before rss-parser: golden input → output pairs, one per quirk.
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { prepareXml } from '../../src/parse/xml/document.js';

function xml(src: string, maxItems = 100): string {
  return prepareXml(src, maxItems).xml;
}

describe('prepareXml', () => {
  const cases: Array<[name: string, input: string, output: string]> = [
    [
      'keeps a clean document',
      '<rss version="2.0"><channel><item><title>a</title></item></channel></rss>',
      '<rss version="2.0"><channel><item><title>a</title></item></channel></rss>',
    ],
    [
      'drops the XML declaration, PIs and comments',
      '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><rss><!-- c --><channel/></rss>',
      '<rss><channel/></rss>',
    ],
    [
      'drops a DOCTYPE with its internal subset',
      '<!DOCTYPE rss [<!ENTITY x "y"> <!-- ] > --> <!ATTLIST a b CDATA "]>">]><rss><channel>&x;</channel></rss>',
      '<rss><channel>&amp;x;</channel></rss>',
    ],
    [
      'HTML entities become numeric references',
      '<rss><channel><title>&eacute;&nbsp;&amp;&lt;</title></channel></rss>',
      '<rss><channel><title>&#233;&#160;&amp;&lt;</title></channel></rss>',
    ],
    [
      'a bare & is escaped',
      '<rss><channel><title>AT&T & co</title></channel></rss>',
      '<rss><channel><title>AT&amp;T &amp; co</title></channel></rss>',
    ],
    [
      'an invalid character reference becomes U+FFFD',
      '<rss><channel><title>a&#0;b&#xD800;c&#1114112;</title></channel></rss>',
      '<rss><channel><title>a&#xFFFD;b&#xFFFD;c&#xFFFD;</title></channel></rss>',
    ],
    [
      'a < that starts no tag is escaped',
      '<rss><channel><title>a < b <3</title></channel></rss>',
      '<rss><channel><title>a &lt; b &lt;3</title></channel></rss>',
    ],
    [
      'attributes are quoted, escaped and deduplicated',
      '<rss><channel><link href=a.html rel=\'x"y\' rel="z" bad"="1"/></channel></rss>',
      '<rss><channel><link href="a.html" rel="x&quot;y" bad=""/></channel></rss>',
    ],
    [
      'a mismatched end tag closes what it encloses',
      '<rss><channel><item><title>t</item></channel></rss>',
      '<rss><channel><item><title>t</title></item></channel></rss>',
    ],
    [
      'a stray end tag is dropped',
      '<rss><channel></bogus><item></item></channel></rss>',
      '<rss><channel><item></item></channel></rss>',
    ],
    [
      'an HTML void element needs no end tag',
      '<rss><channel><item><description>a<br>b<img src="x"></description></item></channel></rss>',
      '<rss><channel><item><description><![CDATA[a<br/>b<img src="x"/>]]></description></item></channel></rss>',
    ],
    [
      'RSS without a channel gets one',
      '<rss version="0.91"><item><title>a</title></item></rss>',
      '<rss version="0.91"><channel><item><title>a</title></item></channel></rss>',
    ],
    [
      'RDF without a channel gets an empty one',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item/></rdf:RDF>',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item/><channel/></rdf:RDF>',
    ],
    [
      'namespace prefixes are canonicalised',
      '<rss xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:M="http://search.yahoo.com/mrss/"><channel><item><d:creator>x</d:creator><M:thumbnail url="u"/></item></channel></rss>',
      '<rss xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:M="http://search.yahoo.com/mrss/"><channel><item><dc:creator>x</dc:creator><media:thumbnail url="u"/></item></channel></rss>',
    ],
    [
      'a prefixed Atom document loses its prefix',
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:title>t</a:title></a:entry></a:feed>',
      '<feed xmlns:a="http://www.w3.org/2005/Atom"><entry><title>t</title></entry></feed>',
    ],
    [
      'Atom inside RSS is atom:',
      '<rss><channel><x:link xmlns:x="http://www.w3.org/2005/Atom" rel="self" href="h"/></channel></rss>',
      '<rss><channel><atom:link xmlns:x="http://www.w3.org/2005/Atom" rel="self" href="h"/></channel></rss>',
    ],
    [
      'xml:base is resolved and written on the elements that need it',
      '<feed xml:base="http://e.example/a/"><entry xml:base="b/"><title>t</title><link href="c"/></entry></feed>',
      '<feed xml:base="http://e.example/a/"><entry xml:base="http://e.example/a/b/"><title>t</title><link href="c" xml:base="http://e.example/a/b/"/></entry></feed>',
    ],
    [
      'Atom XHTML content becomes an HTML string',
      '<feed><entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <b>b</b> &amp; <![CDATA[<c>]]></div></content></entry></feed>',
      '<feed><entry><content type="html"><![CDATA[<div>a <b>b</b> &amp; &lt;c&gt;</div>]]></content></entry></feed>',
    ],
    [
      'prefixed XHTML elements lose the prefix',
      '<feed><entry><summary type="xhtml"><h:div xmlns:h="http://www.w3.org/1999/xhtml"><h:p>x</h:p></h:div></summary></entry></feed>',
      '<feed><entry><summary type="html"><![CDATA[<div><p>x</p></div>]]></summary></entry></feed>',
    ],
    [
      '"]]>" inside XHTML is split across CDATA sections',
      '<feed><entry><content type="xhtml"><div>a]]>b</div></content></entry></feed>',
      '<feed><entry><content type="html"><![CDATA[<div>a]]]]><![CDATA[>b</div>]]></content></entry></feed>',
    ],
    [
      'unescaped HTML in a description becomes an HTML string',
      '<rss><channel><item><description>x &amp;amp; <p>y</p></description></item></channel></rss>',
      '<rss><channel><item><description><![CDATA[x &amp; <p>y</p>]]></description></item></channel></rss>',
    ],
    [
      'a media:content with children is not text',
      '<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:content url="u"><media:title>t</media:title></media:content></item></channel></rss>',
      '<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:content url="u"><media:title>t</media:title></media:content></item></channel></rss>',
    ],
    [
      'a second root element is ignored',
      '<rss><channel/></rss><rss><channel><item/></channel></rss>',
      '<rss><channel/></rss>',
    ],
    ['text outside the root is ignored', 'junk <rss><channel/></rss> more junk', '<rss><channel/></rss>'],
  ];
  it.each(cases)('%s', (_name, input, output) => {
    expect(xml(input)).toBe(output);
  });

  it('stops after maxItems entries and closes the document', () => {
    const prepared = prepareXml('<rss><channel><item>1</item><item>2</item><item>3</item></channel></rss>', 2);
    expect(prepared).toMatchObject({
      xml: '<rss><channel><item>1</item><item>2</item></channel></rss>',
      itemCount: 2,
      capped: true,
      truncated: false,
    });
  });

  it('cuts a truncated document back to its last complete entry', () => {
    const prepared = prepareXml('<feed><entry><id>1</id></entry><entry><id>2</id><title>cut', 100);
    expect(prepared).toMatchObject({ xml: '<feed><entry><id>1</id></entry></feed>', itemCount: 1, truncated: true });
  });

  it('cuts a truncated tag, comment or CDATA section the same way', () => {
    for (const tail of ['<title a="b', '<!-- never closed', '<![CDATA[never closed', '<!DOCTYPE x [', '</ite']) {
      expect(xml(`<rss><channel><item><guid>1</guid></item><item>${tail}`)).toBe(
        '<rss><channel><item><guid>1</guid></item></channel></rss>',
      );
    }
  });

  it('refuses a document cut inside its first entry, but not one missing only its last end tags', () => {
    expect(() => prepareXml('<feed><entry>', 10)).toThrow(
      'parse: document is truncated before its first complete entry',
    );
    expect(() => prepareXml('<rss><channel><item><title>x', 10)).toThrow(
      'parse: document is truncated before its first complete entry',
    );
    expect(prepareXml('<rss><channel><title>x</title>', 10)).toMatchObject({
      xml: '<rss><channel><title>x</title></channel></rss>',
      truncated: true,
    });
  });

  it('reads a channel wherever RSS puts one, and items with no channel (RSS 0.9x)', () => {
    expect(prepareXml('<rss><bogus/><channel><title>t</title></channel></rss>', 5).itemCount).toBe(0);
    expect(prepareXml('<rss><item><title>a</title></item></rss>', 5).itemCount).toBe(1);
  });

  it('names the format from the root element', () => {
    expect(prepareXml('<rss><channel/></rss>', 1).format).toBe('rss');
    expect(
      prepareXml('<RDF:RDF xmlns:RDF="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></RDF:RDF>', 1).format,
    ).toBe('rdf');
    expect(prepareXml('<feed/>', 1).format).toBe('atom');
  });

  const refused: Array<[name: string, input: string, message: string]> = [
    ['HTML', '<html><body/></html>', 'parse: not a feed (HTML page)'],
    ['XHTML', '<x:html xmlns:x="http://www.w3.org/1999/xhtml"/>', 'parse: not a feed (HTML page)'],
    ['SVG', '<svg/>', 'parse: not a feed (SVG image)'],
    ['OPML', '<opml version="2.0"/>', 'parse: not a feed (OPML outline: import it as a sources file)'],
    [
      'an Atom entry document',
      '<entry xmlns="http://www.w3.org/2005/Atom"/>',
      'parse: not a feed (a single Atom entry document)',
    ],
    ['some other XML', '<config><a/></config>', 'parse: not a feed (root element <config>)'],
    ['no element at all', '<!-- only a comment -->', 'parse: not a feed (no root element)'],
    ['an <rss> root with no channel', '<rss version="2.0"></rss>', 'parse: not a feed: no channel'],
    ['an empty <rss/>', '<rss/>', 'parse: not a feed: no channel'],
    [
      'an <rss> root with other elements only',
      '<rss version="2.0"><title>x</title><link>https://x.example/</link></rss>',
      'parse: not a feed: no channel',
    ],
    [
      'an RDF root with no channel',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
      'parse: not a feed: no channel',
    ],
    ['deep nesting', `<rss>${'<a>'.repeat(300)}`, 'parse: elements nested deeper than 256 levels'],
    [
      'deep nesting inside XHTML content',
      `<feed><entry><content type="xhtml">${'<div>'.repeat(300)}`,
      'parse: elements nested deeper than 256 levels',
    ],
  ];
  it.each(refused)('refuses %s', (_name, input, message) => {
    expect(() => prepareXml(input, 10)).toThrow(ParseError);
    expect(() => prepareXml(input, 10)).toThrow(message);
  });
});
