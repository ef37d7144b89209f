// Upkeep any worker may run, hourly: prune what is past retention. Consolidation is not here: it runs
// within assignment as item time passes each hour, where `storyline cluster` runs it.
import cron from 'node-cron';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db/db.js';
import { pruneOld } from './stories/prune.js';

/** The cut before which stories are pruned, or null when retention is unbounded (the demo keeps its week). */
export function retentionCut(now: Date, retentionMs: number): Date | null {
  const cut = now.getTime() - retentionMs;
  // Dates end at ±8.64e15 ms: an unbounded (or absurd) retention prunes nothing rather than failing.
  return Number.isFinite(cut) && cut > -8.64e15 ? new Date(cut) : null;
}

/** One upkeep run: prunes the stories and items past retention. */
export async function runUpkeep(
  db: Db,
  config: Pick<Config, 'retention'>,
  now: Date,
): Promise<{ items: number; stories: number; cut: Date | null }> {
  const cut = retentionCut(now, config.retention);
  const pruned = cut ? await pruneOld(db, { olderThan: cut }) : { items: 0, stories: 0 };
  return { ...pruned, cut };
}

/** Runs upkeep at minute 17 of every hour (never two at once), logging each run. */
export function startUpkeep(
  db: Db,
  config: Config,
  logger: Logger,
  onDataChanged: () => void,
): { stop(): Promise<void> } {
  const task = cron.schedule(
    '17 * * * *',
    async () => {
      try {
        const pruned = await runUpkeep(db, config, new Date());
        logger.info(
          {
            pruned_items: pruned.items,
            pruned_stories: pruned.stories,
            retention_cut: pruned.cut?.toISOString() ?? null,
          },
          'upkeep done',
        );
        if (pruned.items + pruned.stories > 0) onDataChanged();
      } catch (err) {
        logger.error({ reason: describeError(err) }, 'upkeep failed');
      }
    },
    { noOverlap: true, name: 'storyline-upkeep' },
  );
  return { stop: async () => void (await task.destroy()) };
}
