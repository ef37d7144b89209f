// The flood of bench:scale: the real service in a child process (RUN=server), wrk sending 64
// connections of distinct uncached requests (a new query and a random Host on each), and two more
// wrk runs, one connection each, timing /healthz and a cached feed meanwhile.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

// Each request: real words (so the database does real work), a token no item has (so no two
// requests are alike), and a Host header of its own.
const FLOOD_SCRIPT = `
local words = {"pope", "trump", "tariffs", "india", "pakistan", "gaza", "election", "court", "market", "china", "minister", "police", "ukraine", "president"}
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
local counter = 0
function request()
  counter = counter + 1
  local a = words[(counter % #words) + 1]
  local b = words[((counter * 7 + id) % #words) + 1]
  local tag = "t" .. id .. "n" .. counter
  local kind = counter % 3
  local p
  if kind == 0 then p = "/api/search?q=" .. a .. "%20" .. b .. "%20or%20" .. tag
  elseif kind == 1 then p = "/feed.xml?limit=200&q=" .. a .. "%20-" .. tag
  else p = "/?q=" .. a .. "%20" .. b .. "%20-" .. tag end
  return wrk.format("GET", p, { ["Host"] = tag .. ".example" })
end
`;

export interface FloodResult {
  healthzP99: number;
  cachedP99: number;
  floodRps: number;
  /** Refused (503) or otherwise not 2xx, and socket errors (timeouts), of the flood's requests. */
  floodRefused: number;
  floodErrors: string;
  /** The service's event-loop delay during the flood: p99 and max, ms. */
  loopP99: number;
  loopMax: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const latency = (out: string, pct: string): number => {
  const m = new RegExp(`^\\s*${pct}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
};

async function wrk(args: string[], nice = false): Promise<string> {
  // The flood's own client runs niced: on another machine it would take none of these two cores.
  const [file, argv] = nice ? ['nice', ['-n', '10', 'wrk', ...args]] : ['wrk', args];
  return (await run(file, argv, { maxBuffer: 1 << 20 })).stdout;
}

/** Starts the service with `env` and resolves with its URL once it listens. */
async function startServer(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const { DATABASE_URL: _d, BASE_URL: _b, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'scale-server.ts')], {
    env: { ...rest, LOG_LEVEL: 'silent', RUN: 'server', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /listening (\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench: the service exited (code ${code}) before listening`)));
  });
  return { url, child, output: () => seen };
}

/** Floods the service started with `env` for `seconds` and reports what the other clients saw. */
export async function measureFlood(env: Record<string, string>, seconds: number): Promise<FloodResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-flood-'));
  const script = path.join(dir, 'flood.lua');
  fs.writeFileSync(script, FLOOD_SCRIPT);
  const { url, child, output } = await startServer(env);
  let result: Omit<FloodResult, 'loopP99' | 'loopMax'>;
  try {
    // The cached route is rendered once before the flood, and the JIT warmed on both probes.
    await wrk(['-t1', '-c1', '-d2s', `${url}/feed.xml`]);
    await wrk(['-t1', '-c1', '-d1s', `${url}/healthz`]);
    child.kill('SIGUSR2');
    const duration = `${seconds}s`;
    const [flood, health, cached] = await Promise.all([
      wrk(['-t1', '-c64', `-d${duration}`, '--timeout', '10s', '-s', script, url], true),
      wrk(['-t1', '-c1', `-d${duration}`, '--latency', `${url}/healthz`]),
      wrk(['-t1', '-c1', `-d${duration}`, '--latency', `${url}/feed.xml`]),
    ]);
    result = {
      healthzP99: latency(health, '99'),
      cachedP99: latency(cached, '99'),
      floodRps: Number(/Requests\/sec:\s+([\d.]+)/.exec(flood)?.[1]),
      floodRefused: Number(/Non-2xx or 3xx responses: (\d+)/.exec(flood)?.[1] ?? 0),
      floodErrors: /Socket errors: (.*)/.exec(flood)?.[1] ?? 'none',
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const loop = JSON.parse(/loop (\{.*\})/.exec(output())?.[1] ?? '{"p99":null,"max":null}') as {
    p99: number;
    max: number;
  };
  return { ...result, loopP99: loop.p99, loopMax: loop.max };
}
