// What markup an HTML fragment really contains, read with a real HTML parser (htmlparser2): the
// elements and attributes it creates, and its links.
import { Parser } from 'htmlparser2';

export interface Markup {
  elements: Set<string>;
  attributes: Set<string>;
  hrefs: string[];
  text: string;
}

export function readMarkup(html: string): Markup {
  const out: Markup = { elements: new Set(), attributes: new Set(), hrefs: [], text: '' };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        out.elements.add(name);
        for (const [k, v] of Object.entries(attrs)) {
          out.attributes.add(k);
          if (k === 'href' || k === 'src' || k === 'action') out.hrefs.push(v);
        }
      },
      ontext(text) {
        out.text += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Elements our feed entry content is built from; anything else came from a feed. */
export const ENTRY_ELEMENTS = new Set(['p', 'ul', 'li', 'a', 'strong', 'em', 'time']);
export const ENTRY_ATTRIBUTES = new Set(['href', 'datetime']);
