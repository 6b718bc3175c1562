/**
 * A small, strict flag parser for the subcommands: `--name value`, `--name=value`, boolean
 * `--name`, repeatable flags, `--` ends flags, a lone `-` is a positional (standard input).
 * Every mistake is a `UsageError` naming the flag, so the user sees one clear line.
 */
import { UsageError } from './command';

export type FlagKind = 'string' | 'boolean' | 'list';

export type FlagSpec = Record<string, FlagKind>;

type FlagValue<K extends FlagKind> = K extends 'string' ? string | undefined : K extends 'boolean' ? boolean : string[];

export type ParsedFlags<S extends FlagSpec> = { [N in keyof S]: FlagValue<S[N]> };

export interface ParsedArgs<S extends FlagSpec> {
  flags: ParsedFlags<S>;
  positionals: string[];
}

/** Parses `args` against `spec` (flag names without the leading dashes). `--help` is always known. */
export function parseArgs<S extends FlagSpec>(args: readonly string[], spec: S): ParsedArgs<S> & { help: boolean } {
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, kind] of Object.entries(spec))
    flags[name] = kind === 'boolean' ? false : kind === 'list' ? [] : undefined;
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) {
      const suggestion = closestFlag(name, Object.keys(spec));
      throw new UsageError(`unknown option '--${name}'${suggestion ? ` (did you mean '--${suggestion}'?)` : ''}`);
    }
    if (kind === 'boolean') {
      if (eq !== -1) {
        const text = arg.slice(eq + 1);
        if (text !== 'true' && text !== 'false')
          throw new UsageError(`option '--${name}' takes no value (got '${text}')`);
        flags[name] = text === 'true';
      } else flags[name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new UsageError(`option '--${name}' needs a value`);
      value = next;
      i++;
    }
    if (kind === 'list') (flags[name] as string[]).push(value);
    else {
      if (flags[name] !== undefined) throw new UsageError(`option '--${name}' given more than once`);
      flags[name] = value;
    }
  }
  return { flags: flags as ParsedFlags<S>, positionals, help };
}

/** A flag that was required but not given. */
export function requireFlag(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`option '--${name}' is required`);
  return value;
}

/** Parses `--format text|json`. */
export function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`option '--format' must be 'text' or 'json' (got '${value}')`);
}

function closestFlag(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}
