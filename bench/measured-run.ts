// One program run, measured from outside as an operator would: wall time, CPU (user + system) and
// peak resident memory of the process, by GNU time; and, for a Postgres server, the CPU its backends
// spent for one database, sampled from /proc while the run lasts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const GNU_TIME = '/usr/bin/time';

export interface RunMeasure {
  wallS: number;
  cpuS: number;
  peakMb: number;
  /** CPU the Postgres server's backends spent for the run's database, when one was watched. */
  serverCpuS: number | null;
  code: number;
  stdout: string;
  stderr: string;
}

/** Why runs cannot be measured here, or null. */
export const measuringMissing = (): string | null =>
  fs.existsSync(GNU_TIME) && fs.existsSync('/proc/self/stat')
    ? null
    : `${GNU_TIME} and /proc are needed (apt-get install time; Linux)`;

const TICKS_PER_S = 100;

/** utime + stime of a process, in seconds; null once it has gone. */
function cpuOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/**
 * Samples the CPU of every backend connected to `database` every 200 ms (the server must be on this
 * machine); a backend's last 200 ms before it ends can be missed, so the figure is a floor.
 */
export function watchServerCpu(adminUrl: string, database: string): { stop(): Promise<number> } {
  const client = new pg.Client({ connectionString: adminUrl });
  const seen = new Map<number, number>();
  let stopped = false;
  const sample = async (): Promise<void> => {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
      database,
    ]);
    for (const { pid } of rows) {
      const cpu = cpuOf(pid);
      if (cpu !== null) seen.set(pid, Math.max(seen.get(pid) ?? 0, cpu));
    }
  };
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      await sample();
      await new Promise((r) => setTimeout(r, 200));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return [...seen.values()].reduce((a, b) => a + b, 0);
    },
  };
}

/** Runs the command under GNU time (in cwd, with exactly env), waits for it to end. */
export async function measureRun(
  command: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; server?: { adminUrl: string; database: string } },
): Promise<RunMeasure> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-time-')), 'time.txt');
  const server = options.server ? watchServerCpu(options.server.adminUrl, options.server.database) : null;
  const child = spawn(GNU_TIME, ['-o', report, '-f', '%e %U %S %M', command, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const serverCpuS = server ? await server.stop() : null;
  const line = fs.readFileSync(report, 'utf8').trim().split('\n').at(-1)!;
  fs.rmSync(path.dirname(report), { recursive: true, force: true });
  const [wall, user, sys, maxKb] = line.split(' ').map(Number) as [number, number, number, number];
  return { wallS: wall, cpuS: user + sys, peakMb: maxKb / 1024, serverCpuS, code, stdout, stderr };
}
