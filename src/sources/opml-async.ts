// readOpml and writeOpml for the server: the same functions, run in a worker thread of their own.
import { InvalidInputError } from '../errors.js';
import type { FeedSource } from '../model.js';
import { siblingModule, taskThread } from '../threads.js';
import type { OpmlTask } from './opml-thread.js';

// Refusals (not OPML, too many feeds) cross the thread as name and message and are rebuilt.
const rebuild = (f: { name: string; message: string }): Error =>
  f.name === 'InvalidInputError' ? new InvalidInputError(f.message) : new Error(f.message);

const thread = taskThread<OpmlTask, FeedSource[] | string>(siblingModule(import.meta.url, 'opml-thread'), rebuild);

/** readOpml off the calling thread. */
export async function readOpmlAsync(xml: string, maxFeeds: number): Promise<FeedSource[]> {
  return (await thread.run({ op: 'read', xml, maxFeeds })) as FeedSource[];
}

/** writeOpml off the calling thread. */
export async function writeOpmlAsync(sources: FeedSource[], options: { title: string; now: Date }): Promise<string> {
  return (await thread.run({ op: 'write', sources, ...options })) as string;
}
