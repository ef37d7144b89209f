// The story writer's catch-up: one process at a time (the story lock) brings its in-memory index up to
// date with every process's committed assignments and merges before it assigns anything. Time is item
// time (story_clock): consolidation runs as the stream passes each hour, exactly where `storyline
// cluster` runs it, so the service and the standalone command make the same stories.
import type { Db, Tx } from '../../store/db/db.js';
import {
  readAssignedSince,
  readLogEnds,
  readMergesSince,
  readStoryClock,
  type LoggedAssignment,
} from '../../store/story-catch-up.js';
import { lockStories } from '../../store/stories.js';
import type { Assignment } from '../../model.js';
import { OnlineStorylines } from '../../stories/storylines/online.js';
import { restoreStorylines } from './storylines.js';
import { dropWriterState, windowStartOf, writerStateFor, type WriterState } from './writer-state.js';

/** Brings this process's index up to date with what every process has committed. */
async function catchUp(tx: Tx, state: WriterState): Promise<void> {
  const stored = await readStoryClock(tx);
  if (stored) state.grouping.setClock(stored);
  const index = state.grouping.index;
  const { clock } = state.grouping.clock;
  const windowStart = windowStartOf(state);
  // Under the lock nothing is written meanwhile: when no process wrote since, there is nothing to read
  // (the window query still walked every item of the window: 270 ms a batch at 44,000 active items, and
  // in a recluster every item after the window's start).
  const max = await readLogEnds(tx);
  const assigned =
    max.assignments > state.assignmentSeq ? await readAssignedSince(tx, state.assignmentSeq, windowStart) : [];
  assigned.sort((a, b) => a.seq - b.seq);
  const consolidatedSeq = stored?.consolidatedSeq ?? 0;
  const replay = (rows: LoggedAssignment[]): void => {
    for (const r of rows) {
      // Replaying needs only where the item went and what it copies (StoryAssigner.apply).
      const a: Assignment = {
        storyKey: r.storyId,
        reason: r.copyOf === null ? 'similar' : 'copy',
        score: 0,
        sharedTerms: [],
        copyOf: r.copyOf === null ? null : String(r.copyOf),
      };
      const item = {
        key: String(r.id),
        title: r.title,
        summary: r.summary,
        url: r.url,
        outlet: r.outlet,
        published: r.published,
      };
      index.apply(r.features ? index.prepareStored(item, r.features) : index.prepare(item), a, r.storyId);
      state.assignmentSeq = Math.max(state.assignmentSeq, r.seq);
    }
  };
  // Stories changed before the last consolidation pass were compared by it: as the process that ran it,
  // this one counts only what came after as changed.
  replay(assigned.filter((r) => r.seq <= consolidatedSeq));
  const merges = max.merges > state.mergeSeq ? await readMergesSince(tx, state.mergeSeq) : [];
  for (const m of merges) {
    index.mergeStories(m.into, m.from);
    state.mergeSeq = m.seq;
  }
  if (consolidatedSeq > state.consolidatedSeq) index.takeChangedStories();
  state.consolidatedSeq = consolidatedSeq;
  replay(assigned.filter((r) => r.seq > consolidatedSeq));
  // Another process changed stories: the storylines it linked are read back rather than guessed.
  if (assigned.length > 0 || merges.length > 0) {
    state.lines = new OnlineStorylines();
    await restoreStorylines(
      tx,
      state.lines,
      index,
      index.activeStories().map((s) => s.key),
      clock,
    );
  }
  // Rows outside the window were skipped, not missed: move the marks past them.
  state.assignmentSeq = Math.max(state.assignmentSeq, max.assignments);
  state.mergeSeq = Math.max(state.mergeSeq, max.merges);
}

/** Runs fn under the story lock with this process's caught-up state; a failure drops the state (rebuilt next time). */
export async function withStories<T>(db: Db, fn: (tx: Tx, state: WriterState) => Promise<T>): Promise<T> {
  const state = writerStateFor(db);
  try {
    return await db.transaction(async (tx) => {
      await lockStories(tx);
      await catchUp(tx, state);
      return fn(tx, state);
    });
  } catch (err) {
    // The in-memory index may hold decisions the rollback undid.
    dropWriterState(db);
    throw err;
  }
}

/**
 * Catches this process up on every process's stories and storylines without assigning anything: a worker
 * that has just started is then ready to assign at its first pass.
 */
export async function catchUpStories(db: Db): Promise<void> {
  await withStories(db, async () => undefined);
}
