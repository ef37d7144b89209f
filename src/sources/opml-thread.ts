// OPML read and written in a worker thread (opml-async.ts): a 10,000-feed document takes the best
// part of a second either way, which on the server's thread would stop every other request.
import { serveTasks } from '../threads.js';
import type { FeedSource } from '../model.js';
import { readOpml, writeOpml } from './opml.js';

export type OpmlTask =
  { op: 'read'; xml: string; maxFeeds: number } | { op: 'write'; sources: FeedSource[]; title: string; now: Date };

serveTasks((t: OpmlTask): FeedSource[] | string =>
  t.op === 'read' ? readOpml(t.xml, { maxFeeds: t.maxFeeds }) : writeOpml(t.sources, { title: t.title, now: t.now }),
);
