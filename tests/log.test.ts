import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('log lines', () => {
  it('are one JSON object each, with no bidi control in any field, and credentials hidden', async () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    logger.info(
      {
        outlet: 'Daily \u202Ewen\u202C News',
        nested: { title: '\u2066x\u2069' },
        feed_url: 'https://user:secret@host.example/feed',
      },
      'feed added',
    );
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\u202A-\u202E\u2066-\u2069]|\\u20(2[a-e]|6[6-9])/i);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'feed added',
      outlet: 'Daily wen News',
      nested: { title: 'x' },
      feed_url: 'https://***@host.example/feed',
      level: 'info',
    });
  });
});
