/**
 * Test doubles for what the secret store talks to: VS Code's SecretStorage kept in memory (with
 * a switch that makes the keychain fail), and a log channel that records every line.
 */
import type * as vscode from 'vscode';

type Listener = (event: vscode.SecretStorageChangeEvent) => unknown;

export class InMemorySecretStorage implements vscode.SecretStorage {
  readonly entries = new Map<string, string>();
  /** When set, every call rejects with this error, as a locked or missing keychain does. */
  failWith: Error | undefined;
  private readonly listeners = new Set<Listener>();

  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent> = (listener, thisArgs) => {
    const bound: Listener = (event) => listener.call(thisArgs, event);
    this.listeners.add(bound);
    return { dispose: () => this.listeners.delete(bound) };
  };

  get(key: string): Promise<string | undefined> {
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve(this.entries.get(key));
  }

  store(key: string, value: string): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.entries.set(key, value);
    this.changed(key);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    if (this.entries.delete(key)) this.changed(key);
    return Promise.resolve();
  }

  private changed(key: string): void {
    for (const listener of this.listeners) listener({ key });
  }
}

/** The parts of a LogOutputChannel the extension's state classes call, each line kept as text. */
export class RecordingLog {
  readonly lines: string[] = [];

  private record(level: string, message: string, args: unknown[]): void {
    this.lines.push([`${level}: ${message}`, ...args.map((arg) => describeArgument(arg))].join(' '));
  }

  trace(message: string, ...args: unknown[]): void {
    this.record('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.record('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.record('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.record('warn', message, args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.record('error', error instanceof Error ? describeArgument(error) : error, args);
  }

  /** Typed as the channel the code under test takes; only the methods above are ever called. */
  asChannel(): vscode.LogOutputChannel {
    return this as unknown as vscode.LogOutputChannel;
  }
}

/** Everything an argument would show in a log, the causes of an error included. */
function describeArgument(value: unknown): string {
  if (value instanceof Error) {
    return `${value.name}: ${value.message}${value.cause === undefined ? '' : ` (cause: ${describeArgument(value.cause)})`}`;
  }
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Error ? describeArgument(inner) : inner));
  }
  return String(value);
}
