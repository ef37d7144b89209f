// Feed documents written to text: small ones on the calling thread, large ones in a worker thread
// shared by the process (render-thread.ts).
import { siblingModule, taskThread } from '../../threads.js';
import type { FeedDocument } from './entries.js';
import type { FeedTask } from './render-thread.js';
import { renderJsonFeed } from './json-feed.js';
import { renderAtom, renderRss } from './xml-feed.js';

/** The combined feed's output formats (the parser's input formats are model.ts's FeedFormat). */
export type OutputFormat = 'xml' | 'atom' | 'json';

/** Entries from which RSS and Atom are written off the server's thread (the default feed has 50). */
export const OFF_THREAD_ENTRIES = 60;

const writer = taskThread<FeedTask, string>(
  siblingModule(import.meta.url, 'render-thread'),
  (f) => new Error(`server: feed writer failed: ${f.message}`),
);

/** The document as RSS 2.0, Atom 1.0 or JSON Feed 1.1 text (JSON is quick to write anywhere). */
export async function renderFeed(format: OutputFormat, doc: FeedDocument): Promise<string> {
  if (format === 'json') return renderJsonFeed(doc);
  if (doc.entries.length < OFF_THREAD_ENTRIES) return format === 'xml' ? renderRss(doc) : renderAtom(doc);
  return writer.run({ format, doc });
}
