// A test that cannot run here says why, in the output as well as in the report: a silent skip reads as a pass.
import type { TestContext } from 'vitest';

/** Skips the running test, printing the reason, when there is one. */
export function skipWithReason(ctx: TestContext, reason: string | null): void {
  if (reason === null) return;
  console.warn(`skipped "${ctx.task.name}": ${reason}`);
  ctx.skip(reason);
}
