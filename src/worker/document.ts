// A fetched body read into what the store takes: the parse and normalise stages in one call. Pure,
// so a large document can be read in a worker thread (document-thread.ts) while this thread goes
// on fetching, storing and, in a combined process, serving.
import { ParseError } from '../errors.js';
import type { Item, ScheduleHints } from '../model.js';
import { normalizeFeedTitle, normalizeItems, type NormalizeContext } from '../normalize/index.js';
import { parseFeed } from '../parse/index.js';
import { siblingModule, taskThread } from '../threads.js';

export interface ReadDocument {
  title: string | null;
  hints: ScheduleHints;
  items: Item[];
}

/** Parses and normalises one document; a ParseError says why it is not a feed. */
export async function readDocument(body: string, context: NormalizeContext): Promise<ReadDocument> {
  const parsed = await parseFeed(body, { maxItems: context.maxItems });
  return { title: normalizeFeedTitle(parsed.title), hints: parsed.hints, items: normalizeItems(parsed, context) };
}

export interface DocumentTask {
  body: string;
  context: NormalizeContext;
}

// A ParseError crosses the thread as its name and message ("parse: …"), and is rebuilt as one.
const rebuild = (f: { name: string; message: string }): Error =>
  f.name === 'ParseError' ? new ParseError(f.message.replace(/^parse: /, '')) : new Error(f.message);

/** readDocument in a worker thread of its own (started on first use). */
export function createDocumentReader(): (body: string, context: NormalizeContext) => Promise<ReadDocument> {
  const thread = taskThread<DocumentTask, ReadDocument>(siblingModule(import.meta.url, 'document-thread'), rebuild);
  return (body, context) => thread.run({ body, context });
}
