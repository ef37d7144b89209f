// Every command and subcommand answers --help with its usage and does nothing else; a command line
// that does not fit (unknown command, subcommand or option, missing argument) says what is wrong,
// prints the usage and exits 2. Checked over the whole command table, so a new command is covered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli.js';
import { runCli } from '../helpers/cli.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** The real command line parser and dispatcher, in this process, with its output captured. */
async function run(argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (l) => void (out += `${l}\n`),
    (l) => void (err += `${l}\n`),
  );
  return { code, out, err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-usage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('storyline --help and usage errors', () => {
  it.each(COMMANDS.map((c) => [c.name]))('"%s --help" and "-h" print its usage and exit 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await run([...name.split(' '), flag]);
      expect([r.code, r.err], name).toEqual([0, '']);
      expect(r.out).toMatch(new RegExp(`^Usage: storyline ${name}\\b`));
      expect(r.out).toContain('-h, --help');
    }
  });

  it.each(COMMANDS.map((c) => [c.name]))(
    '"%s --no-such-option" names the option, prints the usage and exits 2',
    async (name) => {
      const r = await run([...name.split(' '), '--no-such-option']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`storyline ${name}: Unknown option '--no-such-option'`);
      expect(r.err).toContain(`Usage: storyline ${name}`);
    },
  );

  it('lists every command in the top-level usage, which --help, -h and help print with exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name}`);
    }
  });

  it('refuses a missing or unknown command or subcommand, and extra or missing arguments', async () => {
    const cases: Array<[string[], string, string]> = [
      [[], 'storyline: give a command', 'Usage: storyline <command>'],
      [['serve'], 'storyline: unknown command "serve"', 'Usage: storyline <command>'],
      [['feeds'], 'storyline feeds: give a subcommand', 'Usage: storyline feeds <list|add|remove|import|export>'],
      [['feeds', 'lst'], 'storyline feeds: unknown subcommand "lst"', 'Usage: storyline feeds <'],
      [['feeds', 'add'], 'storyline feeds add: missing <url>', 'Usage: storyline feeds add <url>'],
      [
        ['feeds', 'remove', '1', '2'],
        'storyline feeds remove: unexpected argument "2"',
        'Usage: storyline feeds remove',
      ],
      [['migrate', 'now'], 'storyline migrate: unexpected argument "now"', 'Usage: storyline migrate'],
      [['fetch'], 'storyline fetch: only --once is supported', 'Usage: storyline fetch --once'],
      [
        ['cluster', '--input', 'x.jsonl'],
        'storyline cluster: give --input items.jsonl and --output assignments.jsonl',
        'Usage: storyline cluster --input',
      ],
      [
        ['feeds', 'list', '--json=yes'],
        "storyline feeds list: Option '--json' does not take an argument",
        'Usage: storyline feeds list',
      ],
    ];
    for (const [argv, problem, usage] of cases) {
      const r = await run(argv);
      expect([r.code, r.out], argv.join(' ')).toEqual([2, '']);
      expect(r.err, argv.join(' ')).toContain(problem);
      expect(r.err, argv.join(' ')).toContain(usage);
    }
    expect((await run(['feeds', '--help'])).code).toBe(0);
  });

  // Through the real executable: --help on commands that do work (start serves, recluster rebuilds,
  // migrate migrates) must do none of it: no database folder appears, and each exits 0.
  it.each([['start'], ['recluster'], ['migrate'], ['demo'], ['fetch']])(
    '"storyline %s --help" as a process does nothing and exits 0',
    async (name) => {
      const dataDir = path.join(dir, `data-${name}`);
      const r = await runCli([name, '--help'], { DATA_DIR: dataDir, PORT: '0' });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(new RegExp(`^Usage: storyline ${name}`));
      expect(fs.existsSync(dataDir)).toBe(false);
    },
  );

  it('exits 2 as a process on an unknown command, printing to stderr only', async () => {
    const r = await runCli(['strat'], {});
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('storyline: unknown command "strat"');
  });
});
