// What one process keeps between the story writer's batches: the active stories in memory, the
// storyline linker, and how far it has read other processes' work. Kept per database; dropped on a
// failure (the rollback may have undone decisions it holds) and rebuilt by the next catch-up.
import type { Db } from '../../store/db/db.js';
import { OnlineGrouping } from '../../stories/group/group-items.js';
import { OnlineStorylines } from '../../stories/storylines/online.js';

/** One process's view of the active stories, and how far it has read other processes' work. */
export interface WriterState {
  grouping: OnlineGrouping;
  /** Links this process's stories into storylines, at the same points of the stream as `storyline cluster`. */
  lines: OnlineStorylines;
  assignmentSeq: number;
  mergeSeq: number;
  /** Assignments up to this seq were made before the last consolidation pass. */
  consolidatedSeq: number;
}

const states = new WeakMap<Db, WriterState>();

/** This process's state for `db`, created empty (to be caught up) when there is none. */
export function writerStateFor(db: Db): WriterState {
  let state = states.get(db);
  if (!state)
    states.set(
      db,
      (state = {
        grouping: new OnlineGrouping(),
        lines: new OnlineStorylines(),
        assignmentSeq: 0,
        mergeSeq: 0,
        consolidatedSeq: 0,
      }),
    );
  return state;
}

/** Forgets this process's state for `db`: the next batch rebuilds it from the database. */
export function dropWriterState(db: Db): void {
  states.delete(db);
}

/** Where the active window starts: stories quiet since before it have left the index. */
export function windowStartOf(state: WriterState): Date {
  const { clock } = state.grouping.clock;
  return new Date(Number.isFinite(clock) ? clock - state.grouping.index.options.quietAfterMs : 0);
}
