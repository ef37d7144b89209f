// Grouping while a pass fetches (issue 15): the items a pass stores go to the story writer in chunks of
// a batch, in the order they were stored, one chunk at a time, while later feeds are still being
// fetched; what is left when fetching ends is assigned then. A chunk's bounds depend only on the order
// the items arrived, never on how fast the writer kept up, so one arrival order always makes the same
// stories. Within a chunk items go in published order, as the writer always takes them; an item older
// than what an earlier chunk grouped is grouped as a late arrival is (as an item of a later pass is).

/** Assigns those of the items still without a story; resolves with how many it assigned. */
export type AssignItems = (itemIds: number[]) => Promise<number>;

export interface GroupingLane {
  /** Items just stored, in the order they were stored. */
  add(itemIds: readonly number[]): void;
  /** Assigns the last, partial chunk once the chunks before it are done; a writer failure is thrown here. */
  finish(): Promise<{ assigned: number; stored: number }>;
}

export interface GroupingLaneOptions {
  /** Items per chunk (the writer's batch). */
  chunk: number;
  /** After each chunk: items assigned so far, of the items stored so far. */
  onProgress?: (assigned: number, stored: number) => void;
}

/** One chunk at a time, in arrival order; after a failure no chunk more is tried (the items stay pending for the next pass). */
export function createGroupingLane(assign: AssignItems, options: GroupingLaneOptions): GroupingLane {
  let waiting: number[] = [];
  let stored = 0;
  let assigned = 0;
  let failure: { err: unknown } | null = null;
  let tail: Promise<void> = Promise.resolve();
  const queue = (ids: number[]): void => {
    tail = tail.then(async () => {
      if (failure) return;
      try {
        assigned += await assign(ids);
        options.onProgress?.(assigned, stored);
      } catch (err) {
        failure = { err };
      }
    });
  };
  return {
    add: (itemIds) => {
      stored += itemIds.length;
      waiting.push(...itemIds);
      while (waiting.length >= options.chunk) queue(waiting.splice(0, options.chunk));
    },
    finish: async () => {
      if (waiting.length > 0) queue(waiting);
      waiting = [];
      await tail;
      if (failure) throw failure.err;
      return { assigned, stored };
    },
  };
}
