// The `storyline` command: finds the command named on the command line, answers --help for any
// command or group without doing anything else, refuses what does not fit (exit 2, with the usage),
// then loads and validates the configuration once and runs the command.
import { describeSettings, loadConfig } from './config.js';
import { DATABASE_COMMANDS } from './cli/database.js';
import { FEEDS_COMMANDS } from './cli/feeds.js';
import { SERVICE_COMMANDS } from './cli/service.js';
import { UsageError, asksForHelp, commandHelp, readInput, synopsis, type Command, type Out } from './cli/command.js';
import { createLogger, createSilentLogger } from './log.js';

const configCommand: Command = {
  name: 'config',
  summary: 'print the configuration table (environment variables)',
  needsConfig: false,
  run: async (ctx) => {
    ctx.out(describeSettings());
    return 0;
  },
};

/** Every command, in the order the usage lists them. */
export const COMMANDS: Command[] = [...SERVICE_COMMANDS, ...FEEDS_COMMANDS, ...DATABASE_COMMANDS, configCommand];

/** Words that name a group of commands ("feeds"), not a command. */
const GROUPS = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));

function usage(commands: Command[] = COMMANDS, title = 'storyline <command>'): string {
  const lines = commands.map((c) => {
    const line = synopsis(c).replace(/^storyline /, '');
    return line.length <= 26 ? `  ${line.padEnd(26)} ${c.summary}` : `  ${line}\n  ${''.padEnd(26)} ${c.summary}`;
  });
  return [
    `Usage: ${title}`,
    '',
    ...lines,
    '',
    'Run `storyline <command> --help` for one command. Configuration is read from environment variables: see `storyline config`.',
  ].join('\n');
}

interface Found {
  command: Command | null;
  args: string[];
  /** The usage to show when no command was found. */
  usage: string;
  problem: string | null;
}

function findCommand(argv: string[]): Found {
  const [first = '', ...rest] = argv;
  if (GROUPS.has(first)) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
    const groupUsage = usage(group, `storyline ${first} <${group.map((c) => c.name.split(' ')[1]).join('|')}>`);
    const [second = '', ...more] = rest;
    const command = group.find((c) => c.name === `${first} ${second}`) ?? null;
    if (command) return { command, args: more, usage: groupUsage, problem: null };
    if (second === '')
      return { command: null, args: [], usage: groupUsage, problem: `storyline ${first}: give a subcommand` };
    if (asksForHelp([second])) return { command: null, args: [], usage: groupUsage, problem: null };
    return {
      command: null,
      args: [],
      usage: groupUsage,
      problem: `storyline ${first}: unknown subcommand "${second}"`,
    };
  }
  const command = COMMANDS.find((c) => c.name === first) ?? null;
  if (command) return { command, args: rest, usage: usage(), problem: null };
  if (first === '') return { command: null, args: [], usage: usage(), problem: 'storyline: give a command' };
  if (asksForHelp([first]) || first === 'help') return { command: null, args: [], usage: usage(), problem: null };
  return { command: null, args: [], usage: usage(), problem: `storyline: unknown command "${first}"` };
}

/** Runs the command line; returns the exit code (2 for a command line that does not fit). */
export async function main(
  argv: string[],
  out: Out = (line) => process.stdout.write(`${line}\n`),
  err: Out = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const found = findCommand(argv);
  if (!found.command) {
    if (found.problem) {
      err(`${found.problem}\n`);
      err(found.usage);
      return 2;
    }
    out(found.usage);
    return 0;
  }
  const { command, args } = found;
  if (asksForHelp(args)) {
    out(commandHelp(command));
    return 0;
  }
  let input;
  try {
    input = readInput(command, args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`${e.message}\n`);
    err(e.usage);
    return 2;
  }
  if (command.needsConfig === false)
    return command.run({ config: loadConfig({}), logger: createSilentLogger(), out }, input);
  const config = loadConfig();
  // Logs go to stderr for commands whose stdout is data; the service logs to stdout.
  const logger = createLogger(config.logLevel, command.logsToStderr ? process.stderr : process.stdout);
  return command.run({ config, logger, out }, input);
}
