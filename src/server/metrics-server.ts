// A listener of its own for processes that run no HTTP server (RUN=worker): /metrics for Prometheus
// and /healthz for the container's health check (METRICS_PORT). Plain node:http: two fixed answers.
import http from 'node:http';
import type { Metrics } from '../metrics.js';

const json = (res: http.ServerResponse, status: number, body: unknown): void => {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
};

/** Answers GET /metrics and /healthz; anything else is a 404 (or 405 for other methods). */
export function createMetricsServer(metrics: Metrics): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(res, 405, { error: { code: 'method_not_allowed', message: 'only GET and HEAD' } });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path !== '/metrics')
      return json(res, 404, {
        error: { code: 'not_found', message: 'this listener serves /metrics and /healthz only' },
      });
    metrics.render().then(
      ({ contentType, body }) =>
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => json(res, 500, { error: { code: 'internal', message: 'metrics could not be rendered' } }),
    );
  });
}
