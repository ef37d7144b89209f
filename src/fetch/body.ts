// Reads a response body: decompresses it as a stream and counts the *decompressed* bytes, so a
// gzip bomb stops at the limit instead of filling memory.
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { FetchError } from '../errors.js';

export interface BodyLimits {
  maxBytes: number;
  url: string;
}

/** The whole body, decompressed, or a FetchError ('too-large', 'decode'); the stream is destroyed on failure. */
export async function readBody(body: Readable, contentEncoding: string | null, limits: BodyLimits): Promise<Buffer> {
  // Failures surface through the loop below; destroying an undici body also emits an 'error' nobody needs.
  body.on('error', () => undefined);
  try {
    const decoders = createDecoders(contentEncoding, limits.url);
    const output = decoders.length === 0 ? body : chain([body, ...decoders]);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of output as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) throw tooLarge(limits);
      chunks.push(chunk);
    }
    return gunzipIfGzipped(Buffer.concat(chunks, size), limits);
  } catch (err) {
    body.destroy();
    throw err;
  }
}

/** Pipes the streams together; any failure (or the reader giving up on the last one) destroys them all. */
function chain(streams: [Readable, ...Transform[]]): Readable {
  const last = streams[streams.length - 1] as Transform;
  // The first failure reaches the reader through `last`; the echoes from destroying the rest are noise.
  for (const stream of streams) stream.on('error', () => undefined);
  pipeline(streams, () => undefined);
  return last;
}

export function tooLarge(limits: BodyLimits): FetchError {
  return new FetchError('too-large', `body exceeds the ${formatBytes(limits.maxBytes)} limit (${limits.url})`, {
    url: limits.url,
  });
}

/** 10485760 → "10 MB", for limits in messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

/** Decoders in the order to apply them: Content-Encoding lists codings in the order they were applied. */
function createDecoders(contentEncoding: string | null, url: string): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  return codings.reverse().map((coding) => {
    const decoder = createDecoder(coding);
    if (decoder) return decoder;
    throw new FetchError('decode', `unsupported Content-Encoding "${coding}" (${url})`, { url });
  });
}

function createDecoder(coding: string): Transform | null {
  // Lenient flushes: many servers end a compressed stream without its trailer; browsers accept that.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(lenient);
  if (coding === 'deflate') return new DeflateDecoder();
  if (coding === 'br') return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  return null;
}

/**
 * "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2) but IIS and others send raw deflate
 * (RFC 1951); the first two bytes tell them apart.
 */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.inner ??= this.start(chunk);
    this.inner.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }

  private start(first: Buffer): zlib.Inflate | zlib.InflateRaw {
    const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    const inner = hasZlibHeader(first) ? zlib.createInflate(options) : zlib.createInflateRaw(options);
    inner.on('data', (data: Buffer) => this.push(data));
    inner.on('error', (err) => this.destroy(err));
    return inner;
  }
}

/** RFC 1950: compression method 8 and a header checksum that is a multiple of 31. */
function hasZlibHeader(bytes: Buffer): boolean {
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1];
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg === undefined || (cmf * 256 + flg) % 31 === 0);
}

/**
 * A body that is itself a gzip file (a static feed.xml.gz, or a server that compresses twice) is
 * unpacked once more, with the same output limit.
 */
function gunzipIfGzipped(bytes: Buffer, limits: BodyLimits): Buffer {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 0x08) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: limits.maxBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(limits);
    throw new FetchError(
      'decode',
      `body looks gzipped but does not unpack: ${(cause as Error).message} (${limits.url})`,
      { url: limits.url },
      { cause },
    );
  }
}
