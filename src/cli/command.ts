// What a `storyline` command is: its words, arguments, options and help, and the strict reading of
// its command line (an unknown option or a missing argument is a usage error, never a guess).
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

export type Out = (line: string) => void;

export interface Context {
  config: Config;
  logger: Logger;
  /** stdout: the command's own output (data or messages). */
  out: Out;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in the help for a string option ("NAME"). */
  value?: string;
  doc: string;
  /** Shown without brackets in the usage line (the command's check enforces it). */
  required?: boolean;
}

export interface Input {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  /** The words that name it: "start", "feeds add". */
  name: string;
  /** Arguments as the usage line shows them: "<url>", "[file.opml]". */
  args?: string;
  /** One line for the command list. */
  summary: string;
  /** More help, shown by --help under the usage line. */
  details?: string;
  options?: Record<string, OptionSpec>;
  positionals?: { min: number; max: number };
  /** False for commands that need no configuration (printing the configuration table). */
  needsConfig?: boolean;
  /** Stdout is data: logs go to stderr. */
  logsToStderr?: boolean;
  /** Checks the input before any configuration or database is touched; throws UsageError. */
  check?(input: Input): void;
  run(ctx: Context, input: Input): Promise<number>;
}

/** A command line that does not fit the command: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

const HELP: OptionSpec = { type: 'boolean', doc: 'show this help' };

function optionLine(name: string, spec: OptionSpec): string {
  const flag = name === 'help' ? '-h, --help' : `--${name}${spec.value ? ` ${spec.value}` : ''}`;
  return `  ${flag.padEnd(22)} ${spec.doc}`;
}

/** The one-line synopsis: "storyline feeds add <url> [--outlet NAME]". */
export function synopsis(command: Command): string {
  const options = Object.entries(command.options ?? {}).map(([name, spec]) => {
    const flag = `--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return spec.required ? flag : `[${flag}]`;
  });
  return ['storyline', command.name, command.args, ...options].filter(Boolean).join(' ');
}

/** What `storyline <command> --help` prints. */
export function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP }).map(([name, spec]) => optionLine(name, spec));
  const about = command.details ?? `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`;
  return [`Usage: ${synopsis(command)}`, '', about, '', 'Options:', ...options].join('\n');
}

/** True when the arguments ask for help (-h or --help anywhere before a bare "--"). */
export function asksForHelp(args: string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Reads the arguments strictly against the command's options; any misfit is a UsageError. */
export function readInput(command: Command, args: string[]): Input {
  const options = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, spec]) => [name, { type: spec.type }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // node:util's messages are good ("Unknown option '--jsn'"); the hint about "--" is not for us.
    const message = (err as Error).message.split('. To specify a positional')[0]!;
    throw new UsageError(`storyline ${command.name}: ${message}`, commandHelp(command));
  }
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  const given = parsed.positionals.length;
  if (given < min)
    throw new UsageError(`storyline ${command.name}: missing ${command.args ?? 'argument'}`, commandHelp(command));
  if (given > max)
    throw new UsageError(
      `storyline ${command.name}: unexpected argument "${parsed.positionals[max]}"`,
      commandHelp(command),
    );
  const input: Input = { values: parsed.values as Input['values'], positionals: parsed.positionals };
  try {
    command.check?.(input);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`storyline ${command.name}: ${(err as Error).message}`, commandHelp(command));
  }
  return input;
}
