import { describe, expect, it } from 'vitest';
import { itemKey, sha256 } from '../../src/normalize/identity.js';

describe('itemKey', () => {
  const cases: Array<[name: string, input: Parameters<typeof itemKey>[0], expected: string]> = [
    [
      'guid wins',
      { guid: 'urn:uuid:1', canonicalUrl: 'https://example.com/a', title: 't', published: 'd' },
      'urn:uuid:1',
    ],
    ['guid is trimmed', { guid: '  \n guid-7 \t', canonicalUrl: null, title: null, published: null }, 'guid-7'],
    [
      'guid control characters are removed',
      { guid: 'id\u0000-1', canonicalUrl: null, title: null, published: null },
      'id-1',
    ],
    [
      'blank guid falls back to the link',
      { guid: '   ', canonicalUrl: 'https://example.com/a', title: 't', published: null },
      'https://example.com/a',
    ],
    [
      'no guid: the canonical link',
      { guid: null, canonicalUrl: 'https://example.com/a', title: 't', published: null },
      'https://example.com/a',
    ],
    [
      'neither: a hash of title and raw date',
      { guid: null, canonicalUrl: null, title: 'T', published: 'Tue, 06 May 2025' },
      `sha256:${sha256('T\nTue, 06 May 2025')}`,
    ],
    [
      'nothing at all: still a stable hash',
      { guid: null, canonicalUrl: null, title: null, published: null },
      `sha256:${sha256('\n')}`,
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(itemKey(input)).toBe(expected);
  });

  it('hashes a guid over 500 characters', () => {
    const guid = 'g'.repeat(100_000);
    expect(itemKey({ guid, canonicalUrl: null, title: null, published: null })).toBe(`sha256:${sha256(guid)}`);
    expect(itemKey({ guid: 'g'.repeat(500), canonicalUrl: null, title: null, published: null })).toBe('g'.repeat(500));
  });
});
