// The feed's own title is stored as it is (normalising handles entries only), so it leaves this stage
// as plain text: tags and script/style content dropped (also tags that only appear once entities are
// decoded), entities decoded once, whitespace and control characters cleaned.
import { Parser } from 'htmlparser2';

const MAX_TITLE = 1000;
const INVISIBLE = new Set(['script', 'style', 'title', 'template']);
const TAG_START = /<(?=[A-Za-z/!?])/;

function visibleText(html: string, decodeEntities: boolean): string {
  const parts: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentagname: (name) => void (INVISIBLE.has(name) && hidden++),
      onclosetag: (name) => void (INVISIBLE.has(name) && hidden > 0 && hidden--),
      ontext: (text) => void (hidden === 0 && parts.push(text)),
    },
    { decodeEntities },
  );
  parser.end(html);
  return parts.join('');
}

export function plainFeedTitle(html: string | null): string | null {
  if (html === null) return null;
  let text = visibleText(html.slice(0, 100_000), true);
  for (let pass = 0; pass < 3 && TAG_START.test(text); pass++) text = visibleText(text, false);
  text = text
    .replace(new RegExp(TAG_START.source, 'g'), '< ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    // Bidi controls reverse what follows them wherever the title is shown (see normalize/text.ts).
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text.slice(0, MAX_TITLE);
}
