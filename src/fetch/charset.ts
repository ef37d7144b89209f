// Bytes → string. The encoding is taken, in order, from a byte-order mark, the NUL pattern of
// UTF-16/32 without a BOM (XML 1.0 appendix F), the HTTP Content-Type charset, the XML declaration,
// and for HTML pages a <meta charset>; UTF-8 otherwise. Labels map as browsers map them (WHATWG
// Encoding), so ISO-8859-1 decodes as windows-1252 and GB2312 as GB18030.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export interface DecodeHints {
  /** The Content-Type header, charset parameter included. */
  contentType: string | null;
  /** Look for <meta charset> too (a page, not a feed). */
  html: boolean;
}

type Source = 'bom' | 'pattern' | 'header' | 'declaration' | 'meta' | 'default';

interface Detected {
  encoding: string;
  source: Source;
  /** Bytes of BOM to skip. */
  skip: number;
}

/** Decodes a response body to a string; never throws. The XML declaration's encoding is removed, as it no longer applies. */
export function decodeBody(bytes: Uint8Array, hints: DecodeHints): string {
  const detected = detectEncoding(bytes, hints);
  const text = decodeWith(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(detected.skip),
    detected.encoding,
  );
  return dropDeclaredEncoding(text.replace(/^\uFEFF/, ''));
}

/** The iconv-lite encoding for these bytes and where it came from. */
export function detectEncoding(bytes: Uint8Array, hints: DecodeHints): Detected {
  const bom = encodingFromBom(bytes);
  if (bom) return { ...bom, source: 'bom' };
  const pattern = encodingFromNulPattern(bytes);
  if (pattern) return { encoding: pattern, source: 'pattern', skip: 0 };
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const candidates: Array<[Source, string | null]> = [
    ['header', charsetParameter(hints.contentType)],
    ['declaration', declaredXmlEncoding(head)],
    ['meta', hints.html || isHtmlType(hints.contentType) ? metaCharset(head) : null],
  ];
  for (const [source, label] of candidates) {
    const encoding = label === null ? null : resolveLabel(label);
    // A UTF-16/32 label on bytes without the NUL pattern cannot be right: the label itself was readable as ASCII.
    if (encoding === null || isWide(encoding)) continue;
    return { encoding: preferValidUtf8(bytes, encoding), source, skip: 0 };
  }
  return { encoding: 'utf-8', source: 'default', skip: 0 };
}

const BOMS: Array<[number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

function encodingFromBom(bytes: Uint8Array): { encoding: string; skip: number } | null {
  for (const [mark, encoding] of BOMS) {
    if (mark.every((b, i) => bytes[i] === b)) return { encoding, skip: mark.length };
  }
  return null;
}

/** UTF-16/32 without a BOM: the first characters (`<?`, `{"`) are ASCII, so their zero bytes give the width and order away. */
function encodingFromNulPattern(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  const z = (i: number): boolean => bytes[i] === 0;
  if (!z(0) && z(1) && z(2) && z(3)) return 'utf-32le';
  if (z(0) && z(1) && z(2) && !z(3)) return 'utf-32be';
  if (!z(0) && z(1) && !z(2) && z(3)) return 'utf-16le';
  if (z(0) && !z(1) && z(2) && !z(3)) return 'utf-16be';
  return null;
}

function charsetParameter(contentType: string | null): string | null {
  return contentType ? (/;\s*charset\s*=\s*["']?([^"';,\s]+)/i.exec(contentType)?.[1] ?? null) : null;
}

function declaredXmlEncoding(head: string): string | null {
  return /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1] ?? null;
}

function metaCharset(head: string): string | null {
  return /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

function isHtmlType(contentType: string | null): boolean {
  return contentType !== null && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

/** WHATWG label remaps that differ from iconv-lite's literal reading of the label. */
const BROWSER_LABELS: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp819: 'windows-1252',
  ibm819: 'windows-1252',
  'iso-ir-100': 'windows-1252',
  'x-user-defined': 'windows-1252',
  'iso-8859-9': 'windows-1254',
  latin5: 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  chinese: 'gb18030',
  csgb2312: 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  big5: 'big5hkscs',
  'euc-kr': 'cp949',
  'ks_c_5601-1987': 'cp949',
  korean: 'cp949',
  shift_jis: 'cp932',
  'shift-jis': 'cp932',
  sjis: 'cp932',
  ms_kanji: 'cp932',
  'windows-31j': 'cp932',
  unicode: 'utf-16le',
  'ucs-2': 'utf-16le',
  'utf-16': 'utf-16le',
};

/** The iconv-lite name for a charset label, or null when nothing knows it. */
export function resolveLabel(label: string): string | null {
  const key = label.trim().toLowerCase();
  const mapped = BROWSER_LABELS[key] ?? key;
  return iconv.encodingExists(mapped) ? mapped : null;
}

function isWide(encoding: string): boolean {
  return /^(utf-?(16|32)|ucs-?2)/.test(encoding);
}

function isUtf8Label(encoding: string): boolean {
  return encoding === 'utf-8' || encoding === 'utf8';
}

/**
 * A declared legacy charset over bytes that are valid UTF-8 with non-ASCII in them is a wrong
 * label (miniflux testdata windows-1252-incorrect-prolog.xml): legacy text almost never forms
 * valid multi-byte UTF-8 sequences by accident, so the bytes win.
 */
function preferValidUtf8(bytes: Uint8Array, encoding: string): string {
  if (isUtf8Label(encoding) || isAscii(bytes) || !isUtf8(bytes)) return encoding;
  return 'utf-8';
}

function decodeWith(bytes: Buffer, encoding: string): string {
  try {
    return isUtf8Label(encoding) ? bytes.toString('utf8') : iconv.decode(bytes, encoding);
  } catch {
    return bytes.toString('utf8');
  }
}

/** `<?xml version="1.0" encoding="koi8-r"?>` → `<?xml version="1.0"?>`, so an XML parser does not decode twice. */
function dropDeclaredEncoding(text: string): string {
  return text.replace(/^(\s*<\?xml\s[^>]*?)\s+encoding\s*=\s*(["'])[^"']*\2/, '$1');
}
