// Liveness, readiness and metrics: never cached, never behind the response cache.
import { Router } from 'express';
import { describeError } from '../errors.js';
import { isSchemaCurrent } from '../store/migrations.js';
import type { ServerContext } from './types.js';

const PING = 'SELECT 1 AS ok';

async function readiness(ctx: ServerContext): Promise<Record<string, string>> {
  try {
    await ctx.db.query(PING);
  } catch (err) {
    return { database: `unreachable: ${describeError(err)}` };
  }
  try {
    return { database: 'ok', migrations: (await isSchemaCurrent(ctx.db)) ? 'ok' : 'pending' };
  } catch (err) {
    return { database: 'ok', migrations: `unknown: ${describeError(err)}` };
  }
}

/** GET /healthz, /readyz, /metrics */
export function healthRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await readiness(ctx);
    const ok = Object.values(checks).every((v) => v === 'ok');
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await ctx.metrics.render();
    res.set('Cache-Control', 'no-store').type(contentType).send(body);
  });
  return router;
}
