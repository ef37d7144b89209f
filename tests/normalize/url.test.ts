import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveBaseUrl, resolveUrl } from '../../src/normalize/url.js';

describe('canonicalizeUrl', () => {
  const cases: Array<[name: string, raw: string, base: string | undefined, expected: string | null]> = [
    ['already canonical', 'https://example.com/a/b?x=1', undefined, 'https://example.com/a/b?x=1'],
    [
      'lowercases scheme and host, keeps path case',
      'HTTPS://Example.COM/Path/To',
      undefined,
      'https://example.com/Path/To',
    ],
    ['drops default http port', 'http://example.com:80/a', undefined, 'http://example.com/a'],
    ['drops default https port', 'https://example.com:443/a', undefined, 'https://example.com/a'],
    ['keeps a non-default port', 'https://example.com:8443/a', undefined, 'https://example.com:8443/a'],
    ['drops the fragment', 'https://example.com/a#comments', undefined, 'https://example.com/a'],
    ['drops an empty fragment', 'https://example.com/a#', undefined, 'https://example.com/a'],
    ['drops credentials', 'https://user:pw@example.com/a', undefined, 'https://example.com/a'],
    [
      'removes utm_* in any case',
      'https://example.com/a?utm_source=rss&UTM_Medium=x&id=7',
      undefined,
      'https://example.com/a?id=7',
    ],
    [
      'removes click ids',
      'https://example.com/a?fbclid=1&gclid=2&dclid=3&msclkid=4&yclid=5&igshid=6',
      undefined,
      'https://example.com/a',
    ],
    [
      'removes mailchimp and GA params',
      'https://example.com/a?mc_cid=1&mc_eid=2&_ga=3&p=2',
      undefined,
      'https://example.com/a?p=2',
    ],
    ['removes ref_src and cmpid', 'https://example.com/a?ref_src=twsrc&cmpid=rss', undefined, 'https://example.com/a'],
    [
      'removes BBC at_* params',
      'https://www.bbc.co.uk/news/uk-43532916?at_medium=RSS&at_campaign=KARANGA',
      undefined,
      'https://www.bbc.co.uk/news/uk-43532916',
    ],
    [
      'keeps the order of the remaining params',
      'https://example.com/a?z=1&utm_source=x&a=2&m=3',
      undefined,
      'https://example.com/a?z=1&a=2&m=3',
    ],
    [
      'keeps a query untouched when nothing is removed',
      'https://example.com/a?b=%20x&a=1',
      undefined,
      'https://example.com/a?b=%20x&a=1',
    ],
    ['relative against a base', '../c?utm_term=x', 'https://example.com/a/b/', 'https://example.com/a/c'],
    [
      'root-relative against a base',
      '/story/1',
      'https://news.example.org/feed.xml',
      'https://news.example.org/story/1',
    ],
    ['protocol-relative against a base', '//cdn.example.org/x', 'https://example.com/', 'https://cdn.example.org/x'],
    ['absolute ignores the base', 'http://other.example/x', 'https://example.com/', 'http://other.example/x'],
    ['trims whitespace', '  https://example.com/a  ', undefined, 'https://example.com/a'],
    ['unusable base falls back to the URL alone', 'https://example.com/a', 'not a url', 'https://example.com/a'],
    ['relative without a base', '/story/1', undefined, null],
    ['javascript: is refused', 'javascript:alert(1)', undefined, null],
    ['javascript: with a base is refused', 'javascript:alert(1)', 'https://example.com/', null],
    ['data: is refused', 'data:text/html,<script>alert(1)</script>', undefined, null],
    ['mailto: is refused', 'mailto:a@example.com', undefined, null],
    ['ftp: is refused', 'ftp://example.com/a', undefined, null],
    ['empty is refused', '', undefined, null],
    ['blank is refused', '   ', undefined, null],
    ['a URL over 2,000 characters is refused', `https://example.com/${'a'.repeat(2000)}`, undefined, null],
    [
      'internationalised host becomes punycode',
      'https://bücher.example/a',
      undefined,
      'https://xn--bcher-kva.example/a',
    ],
  ];
  it.each(cases)('%s', (_name, raw, base, expected) => {
    expect(canonicalizeUrl(raw, base)).toBe(expected);
  });
});

describe('resolveUrl', () => {
  it('keeps the fragment and the tracking parameters (it only makes the URL absolute)', () => {
    expect(resolveUrl('a?utm_source=x#frag', 'https://example.com/dir/')).toBe(
      'https://example.com/dir/a?utm_source=x#frag',
    );
  });
  it('refuses null, non-http schemes and host-less URLs', () => {
    expect(resolveUrl(null)).toBeNull();
    expect(resolveUrl('vbscript:msgbox(1)', 'https://example.com/')).toBeNull();
    expect(resolveUrl('http://')).toBeNull();
  });
});

describe('resolveBaseUrl', () => {
  it('resolves a relative xml:base against the outer base', () => {
    expect(resolveBaseUrl('posts/', 'https://example.com/blog/')).toBe('https://example.com/blog/posts/');
  });
  it('falls back to the outer base when the value is missing or unusable', () => {
    expect(resolveBaseUrl(null, 'https://example.com/')).toBe('https://example.com/');
    expect(resolveBaseUrl('relative/only', null)).toBeNull();
  });
});
