// Character sets: BOM, then the HTTP charset, then the XML declaration (or <meta> for pages), UTF-8
// by default; legacy encodings as browsers decode them. Real fixtures from ../shared/datasets/feeds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, detectEncoding } from '../../src/fetch/charset.js';
import { fetchFeed } from '../../src/fetch/http.js';
import { FEEDS_DIR, get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

const real = (name: string) => readFileSync(path.join(FEEDS_DIR, 'real/encoding', name));
const feedparser = (name: string) => readFileSync(path.join(FEEDS_DIR, 'feedparser-tests/encoding', name));
const xml = { contentType: 'application/xml', html: false };
const noType = { contentType: null, html: false };
/** Replaces the declared encoding in a document's bytes, leaving every other byte as it was. */
const redeclare = (bytes: Buffer, from: string, to: string) =>
  Buffer.from(bytes.toString('latin1').replace(`encoding="${from}"`, `encoding="${to}"`), 'latin1');

describe('legacy encodings from the XML declaration (real feeds)', () => {
  it.each([
    ['miniflux-encoding_ISO-8859-1.xml', 'wünschen'],
    ['miniflux-encoding_WINDOWS-1251.xml', '<description>Новый цитатник Рунета</description>'],
    ['miniflux-enc-koi8r.xml', '<title>Пример RSS ленты</title>'],
    ['nnw-kc0011.rss', '<title>投资资讯网交易在线--流通纪念币最新20篇论坛主题-全文</title>'],
    ['prof18-feed-test-greek.xml', '<title>Liberal - ΕΠΙΚΑΙΡΟΤΗΤΑ</title>'],
    ['miniflux-enc-windows-1252.xml', '<title>Euro €</title>'],
  ])('%s decodes to text containing %j', (file, expected) => {
    expect(decodeBody(real(file), noType)).toContain(expected);
  });

  it('EUC-KR (feedparser euc-kr.xml) decodes its title to U+B144', () => {
    expect(decodeBody(feedparser('euc-kr.xml'), noType)).toContain('<title>\ub144</title>');
  });

  it('ISO-8859-1 decodes as windows-1252, as browsers do (0x80 is €, not a C1 control)', () => {
    const bytes = redeclare(real('miniflux-enc-windows-1252.xml'), 'windows-1252', 'ISO-8859-1');
    expect(decodeBody(bytes, noType)).toContain('<title>Euro €</title>');
  });

  it('Shift_JIS and UTF-7 labels decode', () => {
    const sjis = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><t>'),
      iconv.encode('日本語のニュース', 'shift_jis'),
      Buffer.from('</t>'),
    ]);
    expect(decodeBody(sjis, noType)).toBe('<?xml version="1.0"?><t>日本語のニュース</t>');
    const utf7 = Buffer.from('<?xml version="1.0" encoding="UTF-7"?><t>Hi Mom -+Jjo--!</t>');
    expect(decodeBody(utf7, noType)).toBe('<?xml version="1.0"?><t>Hi Mom -☺-!</t>');
  });
});

describe('precedence', () => {
  it('the HTTP charset overrides the XML declaration', () => {
    const bytes = redeclare(real('miniflux-encoding_WINDOWS-1251.xml'), 'windows-1251', 'iso-8859-1');
    const text = decodeBody(bytes, { contentType: 'application/rss+xml; charset=windows-1251', html: false });
    expect(text).toContain('Новый цитатник Рунета');
  });

  it('a quoted, spaced charset parameter is read (feedparser http_application_atom_xml_gb2312_charset)', () => {
    expect(
      detectEncoding(feedparser('http_application_atom_xml_gb2312_charset.xml'), {
        contentType: "application/atom+xml;charset='gb2312'",
        html: false,
      }),
    ).toMatchObject({ encoding: 'gb18030', source: 'header' });
    expect(
      detectEncoding(feedparser('http_text_xml_charset_overrides_encoding.xml'), {
        contentType: 'text/xml;charset = us-ascii',
        html: false,
      }),
    ).toMatchObject({ encoding: 'windows-1252', source: 'header' });
  });

  it('a byte-order mark overrides both the HTTP charset and the declaration', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml version="1.0" encoding="windows-1251"?><t>Zürich €</t>', 'utf8'),
    ]);
    expect(decodeBody(bytes, { contentType: 'text/xml; charset=iso-8859-1', html: false })).toBe(
      '<?xml version="1.0"?><t>Zürich €</t>',
    );
  });

  it('an unknown label falls back to UTF-8 (miniflux invalid-prolog.xml)', () => {
    const text = decodeBody(real('miniflux-enc-invalid-prolog.xml'), {
      contentType: 'text/xml; charset=no-such-charset',
      html: false,
    });
    expect(text).toContain('<title>테스트 피드</title>');
    expect(text).toContain('<title>Café</title>');
  });

  it('a legacy label over bytes that are valid UTF-8 loses to the bytes (miniflux *-incorrect-prolog.xml)', () => {
    expect(decodeBody(real('miniflux-enc-utf8-incorrect-prolog.xml'), noType)).toContain('<title>Café</title>');
    expect(decodeBody(real('miniflux-enc-windows-1252-incorrect-prolog.xml'), noType)).toContain(
      '<title>Euro €</title>',
    );
  });

  it('no label and invalid UTF-8: replacement characters, no exception (miniflux no_encoding_ISO-8859-1.xml)', () => {
    const text = decodeBody(real('miniflux-no_encoding_ISO-8859-1.xml'), noType);
    expect(text).toContain('\uFFFD');
    expect(text).toContain('<rss');
  });
});

describe('UTF-16 and UTF-32', () => {
  it.each([
    ['utf-16le-bom.xml', 'bom'],
    ['utf-16be-bom.xml', 'bom'],
    ['utf-16le-autodetect.xml', 'pattern'],
    ['utf-16be-autodetect.xml', 'pattern'],
    ['utf-16le.xml', 'pattern'],
    ['u16.xml', 'pattern'],
    ['utf-32be-bom.xml', 'bom'],
    ['utf-32le-autodetect.xml', 'pattern'],
  ])('feedparser %s is recognised by its %s', (file, source) => {
    const bytes = feedparser(file);
    expect(detectEncoding(bytes, xml).source).toBe(source);
    const text = decodeBody(bytes, xml);
    expect(text).toMatch(/^<\?xml version="1\.0"\?>\n<!--/);
    expect(text).toContain('<rss>');
    expect(text).not.toContain('\u0000');
  });

  it('decodes non-ASCII text in UTF-16 without a BOM', () => {
    const bytes = iconv.encode('<?xml version="1.0" encoding="UTF-16"?><t>Ελλάδα · 日本</t>', 'utf-16be');
    expect(decodeBody(bytes, { contentType: 'text/xml; charset=utf-8', html: false })).toBe(
      '<?xml version="1.0"?><t>Ελλάδα · 日本</t>',
    );
  });

  it('ignores a UTF-16 label on a document whose declaration reads as ASCII', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="utf-16"?><t>Zürich</t>', 'utf8');
    expect(decodeBody(bytes, xml)).toBe('<?xml version="1.0"?><t>Zürich</t>');
  });
});

describe('HTML pages', () => {
  const page = (meta: string, text: string, encoding: string) =>
    Buffer.concat([
      Buffer.from(`<!doctype html><html><head>${meta}<title>`),
      iconv.encode(text, encoding),
      Buffer.from('</title></head></html>'),
    ]);

  it('honours <meta charset>', () => {
    expect(
      decodeBody(page('<meta charset="windows-1251">', 'Новости', 'windows-1251'), {
        contentType: 'text/html',
        html: true,
      }),
    ).toContain('<title>Новости</title>');
  });

  it('honours <meta http-equiv="Content-Type" content="…; charset=…">', () => {
    const bytes = page('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', 'Новости', 'koi8-r');
    expect(decodeBody(bytes, { contentType: null, html: true })).toContain('<title>Новости</title>');
  });

  it('lets the HTTP charset override <meta>', () => {
    const bytes = page('<meta charset="koi8-r">', 'Новости', 'windows-1251');
    expect(decodeBody(bytes, { contentType: 'text/html; charset=windows-1251', html: true })).toContain(
      '<title>Новости</title>',
    );
  });
});

describe('through HTTP', () => {
  let server: TrackedServer;
  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/koi8')
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(real('miniflux-enc-koi8r.xml'));
      // Declared ISO-8859-1 in the document, windows-1251 in the header: the header wins.
      const bytes = redeclare(real('miniflux-encoding_WINDOWS-1251.xml'), 'windows-1251', 'ISO-8859-1');
      res.writeHead(200, { 'content-type': 'text/xml; charset=windows-1251' }).end(bytes);
    });
  });
  afterAll(() => server.close());

  it('returns a JS string decoded from KOI8-R with the declaration neutralised', async () => {
    const result = await fetchFeed(get(server.url('/koi8')), testOptions(server));
    expect(result.body).toMatch(/^<\?xml version="1\.0"\?>/);
    expect(result.body).toContain('<title>Первая новость</title>');
    expect(result.contentType).toBe('application/rss+xml');
  });

  it('decodes with the Content-Type charset over the declaration', async () => {
    const result = await fetchFeed(get(server.url('/cp1251')), testOptions(server));
    expect(result.body).toContain('Новый цитатник Рунета');
    expect(result.contentType).toBe('text/xml');
  });
});
