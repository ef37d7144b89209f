// Politeness: never more than perHost in flight to one host, nor more than concurrency overall.
import { describe, expect, it } from 'vitest';
import { createFetchLimiter } from '../../src/fetch/limiter.js';

/** Runs tasks through the limiter, recording the peak number in flight per host and overall. */
async function runTasks(urls: string[], limits: { concurrency: number; perHost: number }) {
  const limiter = createFetchLimiter(limits);
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const order: string[] = [];
  await Promise.all(
    urls.map((url, i) =>
      limiter.run(url, async () => {
        const host = new URL(url).hostname;
        inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
        peak.set(host, Math.max(peak.get(host) ?? 0, inFlight.get(host)!));
        peakTotal = Math.max(peakTotal, ++total);
        order.push(host);
        await new Promise((r) => setTimeout(r, 5 + (i % 3)));
        inFlight.set(host, inFlight.get(host)! - 1);
        total--;
        return i;
      }),
    ),
  );
  return { peak, peakTotal, order };
}

describe('createFetchLimiter', () => {
  it('keeps each host at perHost and all hosts at concurrency', async () => {
    const urls = Array.from({ length: 40 }, (_, i) => `https://host${i % 4}.example/feed/${i}`);
    const { peak, peakTotal } = await runTasks(urls, { concurrency: 5, perHost: 2 });
    expect([...peak.values()]).toEqual([2, 2, 2, 2]);
    expect(peakTotal).toBe(5);
  });

  it('treats hosts case-insensitively and ignores the path and port', async () => {
    const urls = [
      'https://News.Example/a',
      'https://news.example/b',
      'http://news.example:8080/c',
      'https://NEWS.example/d',
    ];
    const { peak } = await runTasks(urls, { concurrency: 10, perHost: 1 });
    expect(peak.get('news.example')).toBe(1);
  });

  it('lets other hosts through while one host is saturated', async () => {
    const urls = [...Array.from({ length: 10 }, (_, i) => `https://busy.example/${i}`), 'https://quiet.example/1'];
    const { order } = await runTasks(urls, { concurrency: 3, perHost: 1 });
    // With per-host slots taken first, the quiet host runs in the first wave, not after the ten busy tasks.
    expect(order.indexOf('quiet.example')).toBeLessThanOrEqual(1);
  });

  it('returns the task result and passes its rejection through', async () => {
    const limiter = createFetchLimiter({ concurrency: 1, perHost: 1 });
    await expect(limiter.run('https://a.example/', async () => 42)).resolves.toBe(42);
    await expect(limiter.run('https://a.example/', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(limiter.run('https://a.example/', async () => 'still works')).resolves.toBe('still works');
  });
});
