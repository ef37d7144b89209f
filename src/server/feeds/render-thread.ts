// The RSS and Atom writer in a worker thread (render.ts sends it the large feeds): writing a
// few hundred entries holds a thread for tens of milliseconds, which on the server's thread would
// hold every other request, /healthz included.
import { serveTasks } from '../../threads.js';
import type { FeedDocument } from './entries.js';
import { renderAtom, renderRss } from './xml-feed.js';

export interface FeedTask {
  format: 'xml' | 'atom';
  doc: FeedDocument;
}

serveTasks((t: FeedTask) => (t.format === 'xml' ? renderRss(t.doc) : renderAtom(t.doc)));
