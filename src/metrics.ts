// Prometheus metrics in a registry of our own (never prom-client's global one), so each app or test
// gets a clean set. Callers see only the small interfaces below; prom-client stays in this file.
//
// Fields (the worker records the first four, the server the last two):
//   fetches         counter   storyline_fetches_total{outcome, status}
//                   outcome: ok | not-modified | unchanged | error; status: 2xx … 5xx or "none"
//   fetchDuration   histogram storyline_fetch_duration_seconds{outcome}
//   itemsStored     counter   storyline_items_stored_total{kind}   kind: new | updated
//   storiesCreated  counter   storyline_stories_created_total
//   httpRequests    counter   storyline_http_requests_total{route, method, status}
//   httpDuration    histogram storyline_http_request_duration_seconds{route, method}
// Every label set is bounded whatever the number of feeds and outlets: a label per outlet made 13
// series per outlet and outcome (issue 13). Which feed fails is on /feeds and /api/feeds.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type LabelValues<L extends string> = Partial<Record<L, string | number>>;

export interface CounterMetric<L extends string> {
  inc(labels?: LabelValues<L>, value?: number): void;
}

export interface HistogramMetric<L extends string> {
  /** Records one observation, in seconds. */
  observe(labels: LabelValues<L>, seconds: number): void;
}

export interface Metrics {
  fetches: CounterMetric<'outcome' | 'status'>;
  fetchDuration: HistogramMetric<'outcome'>;
  itemsStored: CounterMetric<'kind'>;
  storiesCreated: CounterMetric<never>;
  httpRequests: CounterMetric<'route' | 'method' | 'status'>;
  httpDuration: HistogramMetric<'route' | 'method'>;
  /** The exposition text for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): CounterMetric<L> {
  const c = new Counter({ name, help, labelNames, registers: [registry] });
  return { inc: (labels = {}, value = 1) => c.inc(labels, value) };
}

function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
  buckets: number[],
): HistogramMetric<L> {
  const h = new Histogram({ name, help, labelNames, buckets, registers: [registry] });
  return { observe: (labels, seconds) => h.observe(labels, seconds) };
}

// Fetches take from tens of milliseconds to the 30 s timeout; HTTP answers from the cache take well under 1 ms.
const FETCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A fresh registry with Storyline's metrics and the process defaults (memory, CPU, event loop). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    fetches: counter(registry, 'storyline_fetches_total', 'Feed fetches by outcome and HTTP status class', [
      'outcome',
      'status',
    ]),
    fetchDuration: histogram(
      registry,
      'storyline_fetch_duration_seconds',
      'Feed fetch duration by outcome',
      ['outcome'],
      FETCH_BUCKETS,
    ),
    itemsStored: counter(registry, 'storyline_items_stored_total', 'Items written, new or updated', ['kind']),
    storiesCreated: counter(registry, 'storyline_stories_created_total', 'Stories created', []),
    httpRequests: counter(registry, 'storyline_http_requests_total', 'HTTP requests by route, method and status', [
      'route',
      'method',
      'status',
    ]),
    httpDuration: histogram(
      registry,
      'storyline_http_request_duration_seconds',
      'HTTP request latency by route and method',
      ['route', 'method'],
      HTTP_BUCKETS,
    ),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
