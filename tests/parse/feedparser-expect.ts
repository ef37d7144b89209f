// Reading the `Expect:` line of a feedparser test document (a Python expression) for the simple shape
// `[not bozo and] <path> == <value>`, where value is a string literal (possibly concatenated) or a tuple
// of integers. Anything else is reported as unsupported.
import { readFileSync } from 'node:fs';

export interface Expectation {
  /** The left-hand side, e.g. "entries[0]['link']". */
  path: string;
  value: string | number[];
}

function unescapePython(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[nrt'"\\]|\n)/g, (_m, esc: string) => {
    switch (esc[0]) {
      case 'u':
      case 'U':
      case 'x':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '\n':
        return '';
      default:
        return esc;
    }
  });
}

/** Parses `'a' + u"b" + """c"""` into one string, or null. */
function parseStringExpression(text: string): string | null {
  const literal = /\s*[uU]?(?:"""([\s\S]*?)"""|'''([\s\S]*?)'''|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\[\s\S])*)')\s*(\+)?/y;
  let out = '';
  let pos = 0;
  for (;;) {
    literal.lastIndex = pos;
    const m = literal.exec(text);
    if (!m) return null;
    out += unescapePython(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
    pos = literal.lastIndex;
    if (!m[5]) return text.slice(pos).trim() === '' ? out : null;
  }
}

/** The expectation of a feedparser test file, or null when its shape is not supported. */
export function readExpectation(file: string): Expectation | null {
  const source = readFileSync(file, 'utf8');
  const header = /<!--([\s\S]*?)-->/.exec(source)?.[1] ?? '';
  const line = /^Expect:\s*([\s\S]*?)\s*$/m.exec(header.replace(/\n(?=\s)/g, ' '))?.[1];
  if (!line) return null;
  const m = /^(?:not bozo and\s+)?((?:entries\[0\]|feed)(?:\[[^\]]+\])+)\s*==\s*([\s\S]+)$/.exec(line.trim());
  if (!m) return null;
  const path = m[1]!.replace(/"/g, "'");
  const rhs = m[2]!.trim();
  const tuple = /^\(([\d,\s]+)\)$/.exec(rhs);
  if (tuple) return { path, value: tuple[1]!.split(',').map((n) => Number(n.trim())) };
  const value = parseStringExpression(rhs);
  return value === null ? null : { path, value };
}
