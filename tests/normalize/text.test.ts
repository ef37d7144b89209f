import { describe, expect, it } from 'vitest';
import { removeControlCharacters, stripOutletSuffix, toPlainText, truncateAtWord } from '../../src/normalize/text.js';

describe('toPlainText', () => {
  const cases: Array<[name: string, input: string, max: number, expected: string]> = [
    ['plain text passes through', 'Hello world', 100, 'Hello world'],
    ['tags are stripped', '<p>Hello <b>world</b></p>', 100, 'Hello world'],
    [
      'block boundaries become spaces',
      '<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>',
      100,
      'one two three four',
    ],
    ['<br> separates words', 'line one<br>line two<br/>line three', 100, 'line one line two line three'],
    ['inline tags do not split words', 'un<b>break</b>able', 100, 'unbreakable'],
    ['named entities are decoded', 'Caf&eacute; &amp; cr&egrave;me &mdash; 5&nbsp;km', 100, 'Café & crème — 5 km'],
    ['numeric entities are decoded', '&#8220;quoted&#8221; &#x2014; dash', 100, '“quoted” — dash'],
    ['double-encoded entities are decoded once only', 'AT&amp;amp;T &amp;lt;b&amp;gt;', 100, 'AT&amp;T &lt;b&gt;'],
    ['escaped markup is stripped too (no tag survives decoding)', '&lt;b&gt;bold&lt;/b&gt;', 100, 'bold'],
    ['escaped script is dropped with its content', 'x &lt;script&gt;alert(1)&lt;/script&gt; y', 100, 'x y'],
    [
      'plain text naming a tag loses it (the price of never holding markup)',
      'The <dialog> element',
      100,
      'The element',
    ],
    [
      'double-escaped entity inside escaped markup stays escaped once',
      '&lt;i&gt;AT&amp;amp;T&lt;/i&gt;',
      100,
      'AT&amp;T',
    ],
    ['a lone < survives as text', 'a < b and c > d', 100, 'a < b and c > d'],
    ['script content is dropped', 'safe<script>alert("x")</script> text', 100, 'safe text'],
    ['style content is dropped', '<style>p{color:red}</style>visible', 100, 'visible'],
    ['comments are dropped', 'a<!-- hidden -->b', 100, 'ab'],
    ['CDATA-looking text is not a tag', 'x <![CDATA[y]]> z', 100, 'x z'],
    ['whitespace collapses', '  lots \n\n of\t\tspace  ', 100, 'lots of space'],
    ['NUL bytes are removed', 'nul\u0000byte', 100, 'nulbyte'],
    ['control characters are removed', 'bell\u0007 and\u001b escape\u0085', 100, 'bell and escape'],
    ['entity-encoded NUL is removed', 'a&#0;b', 100, 'a\uFFFDb'],
    ['lone surrogate becomes U+FFFD', 'bad \uD800 half', 100, 'bad \uFFFD half'],
    ['emoji stay whole', 'smile 😀 ok', 100, 'smile 😀 ok'],
    ['truncates at a word boundary', 'The quick brown fox jumps over the lazy dog', 20, 'The quick brown fox…'],
    ['truncates a long word hard', 'Supercalifragilisticexpialidocious', 10, 'Supercali…'],
    ['empty input', '', 100, ''],
    ['only markup', '<img src="x.png"><br>', 100, ''],
  ];
  it.each(cases)('%s', (_name, input, max, expected) => {
    expect(toPlainText(input, max)).toBe(expected);
  });

  it('never exceeds maxLength', () => {
    const text = toPlainText(`<p>${'word '.repeat(10_000)}</p>`, 2000);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('truncateAtWord', () => {
  it('does not split a surrogate pair', () => {
    const out = truncateAtWord('😀😀😀😀😀', 4);
    expect(out).toBe('😀…');
  });
});

describe('removeControlCharacters', () => {
  it('keeps tab, newline and carriage return', () => {
    expect(removeControlCharacters('a\tb\nc\rd\u0000e\uFFFEf')).toBe('a\tb\nc\rdef');
  });
});

describe('stripOutletSuffix', () => {
  it.each([
    ['Fed holds rates - Reuters', 'Reuters', 'Fed holds rates'],
    ['Fed holds rates | The Guardian', 'the guardian', 'Fed holds rates'],
    ['Fed holds rates — AP News', 'AP News', 'Fed holds rates'],
    ['Fed holds rates - BBC', 'BBC News', 'Fed holds rates - BBC'],
    ['Reuters', 'Reuters', 'Reuters'],
    ['Fed holds rates - Reuters', null, 'Fed holds rates - Reuters'],
  ])('%s (outlet %s) → %s', (title, outlet, expected) => {
    expect(stripOutletSuffix(title, outlet)).toBe(expected);
  });
});
