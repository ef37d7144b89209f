import { describe, expect, it } from 'vitest';
import { sanitizeContent } from '../../src/normalize/content.js';

const BASE = 'https://example.com/posts/one/';
const REL = 'rel="noopener noreferrer nofollow"';

describe('sanitizeContent', () => {
  const cases: Array<[name: string, input: string, expected: string]> = [
    [
      'article markup is kept',
      '<h2>Head</h2><p>A <em>b</em> <strong>c</strong></p><blockquote>q</blockquote>',
      '<h2>Head</h2><p>A <em>b</em> <strong>c</strong></p><blockquote>q</blockquote>',
    ],
    [
      'lists, code and tables are kept',
      '<ul><li>a</li></ul><pre><code>x</code></pre><table><tr><td colspan="2">c</td></tr></table>',
      '<ul><li>a</li></ul><pre><code>x</code></pre><table><tr><td colspan="2">c</td></tr></table>',
    ],
    [
      'figure with image and caption',
      '<figure><img src="https://x.example/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>',
      '<figure><img src="https://x.example/a.jpg" alt="A" /><figcaption>Cap</figcaption></figure>',
    ],
    ['h1 becomes h2', '<h1>Title</h1>', '<h2>Title</h2>'],
    [
      'links get rel and stay absolute',
      '<a href="https://x.example/a">x</a>',
      `<a href="https://x.example/a" ${REL}>x</a>`,
    ],
    [
      'relative link resolved against the base',
      '<a href="../two">x</a>',
      `<a href="https://example.com/posts/two" ${REL}>x</a>`,
    ],
    [
      'fragment link resolved against the base',
      '<a href="#c">x</a>',
      `<a href="https://example.com/posts/one/#c" ${REL}>x</a>`,
    ],
    [
      'relative image resolved against the base',
      '<img src="/img/a.png" alt="">',
      '<img src="https://example.com/img/a.png" alt="" />',
    ],
    [
      'mailto links are kept',
      '<a href="mailto:a@example.com">mail</a>',
      `<a href="mailto:a@example.com" ${REL}>mail</a>`,
    ],
    [
      'existing rel and target are replaced',
      '<a href="https://x.example/" rel="opener" target="_blank">x</a>',
      `<a href="https://x.example/" ${REL}>x</a>`,
    ],
    ['script removed with its content', 'safe<script>alert(1)</script> text', 'safe text'],
    ['style element removed with its content', '<style>body{display:none}</style><p>t</p>', '<p>t</p>'],
    ['style attribute removed', '<p style="position:fixed">t</p>', '<p>t</p>'],
    ['class and id removed', '<p class="x" id="y">t</p>', '<p>t</p>'],
    [
      'event handlers removed',
      '<img src="https://x.example/a.png" onerror="alert(1)" onload="x()">',
      '<img src="https://x.example/a.png" />',
    ],
    ['javascript: href removed', '<a href="javascript:alert(1)">x</a>', `<a ${REL}>x</a>`],
    ['obfuscated javascript: href removed', '<a href="jav&#x09;ascript:alert(1)">x</a>', `<a ${REL}>x</a>`],
    ['vbscript: href removed', '<a href="vbscript:msgbox(1)">x</a>', `<a ${REL}>x</a>`],
    ['data: href removed', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', `<a ${REL}>x</a>`],
    ['data: image dropped (no src left)', '<img src="data:image/png;base64,AAAA">', ''],
    ['mailto: image dropped', '<img src="mailto:a@b.c">', ''],
    [
      'protocol-relative image made absolute',
      '<img src="//cdn.example.org/a.png">',
      '<img src="https://cdn.example.org/a.png" />',
    ],
    ['tracking pixel dropped', '<p>t<img src="https://feeds.example/~r/x" width="1" height="1"></p>', '<p>t</p>'],
    [
      'srcset dropped',
      '<img src="https://x.example/a.png" srcset="evil.png 2x">',
      '<img src="https://x.example/a.png" />',
    ],
    ['iframe removed with content', '<iframe src="https://evil.example/">fallback</iframe>after', 'after'],
    ['object and embed removed', '<object data="x.swf"><embed src="x.swf"></object>ok', 'ok'],
    [
      'form and inputs removed, text kept',
      '<form action="https://evil.example/"><input name="q"><button>Go</button></form>',
      'Go',
    ],
    [
      'base and meta refresh removed',
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">t',
      't',
    ],
    [
      'link and svg removed',
      '<link rel="stylesheet" href="x.css"><svg onload="alert(1)"><script>alert(1)</script></svg>t',
      't',
    ],
    ['math removed', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>t', 't'],
    ['entities survive escaped', '<p>5 &lt; 6 &amp; 7 &gt; 3</p>', '<p>5 &lt; 6 &amp; 7 &gt; 3</p>'],
    ['unclosed tags are closed', '<p><em>open', '<p><em>open</em></p>'],
    ['whitespace at the ends trimmed', '  <p>x</p>\n', '<p>x</p>'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });

  it('keeps relative links relative when there is no base, but never a scheme', () => {
    expect(sanitizeContent('<a href="/a">x</a><a href="javascript:alert(1)">y</a>', null)).toBe(
      `<a href="/a" ${REL}>x</a><a ${REL}>y</a>`,
    );
  });

  it('does not resolve against a javascript: base', () => {
    expect(sanitizeContent('<a href="x">x</a>', 'javascript:alert(1)//')).toBe(`<a href="x" ${REL}>x</a>`);
  });
});
