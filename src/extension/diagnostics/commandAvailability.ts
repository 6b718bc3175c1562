/**
 * Which programs are on PATH, for TOIDC413. Lookups run in the background and are cached per PATH
 * value, so checking a kubeconfig while typing never waits on the disk: an unknown program reads
 * as "not known yet" (no finding) and `onDidResolve` asks for a re-check once it is known.
 */
import * as vscode from 'vscode';
import { findOnPath, programExistsOnDisk } from '../../core/kubelogin/path';
import { DisposableOwner } from '../lifecycle';
import type { HostSystem } from '../state/hostSystem';

export class CommandAvailability extends DisposableOwner {
  /** PATH value → program → found. */
  private cache = new Map<string, Map<string, boolean>>();
  /** Answers from before the last `clear`, shown until the new lookup answers (no flicker on Refresh). */
  private stale = new Map<string, Map<string, boolean>>();
  private readonly inFlight = new Set<string>();
  private readonly resolved = this.register(new vscode.EventEmitter<void>());
  /** A lookup finished (or the cache was cleared): documents checked with "unknown" may change. */
  readonly onDidResolve = this.resolved.event;
  private generation = 0;

  constructor(private readonly system: HostSystem) {
    super();
    // Another PATH now: no answer from before holds, not even as a stale one.
    this.register(
      system.onDidChange(() => {
        this.stale = new Map();
        this.cache = new Map();
        this.clear();
      }),
    );
  }

  private environment(): NodeJS.ProcessEnv {
    return this.system.env;
  }

  private pathKey(env: NodeJS.ProcessEnv): string {
    return `${env.PATH ?? env.Path ?? ''}\0${env.PATHEXT ?? ''}`;
  }

  /** true/false when known for the current PATH (or known before Refresh); undefined while the first lookup runs. */
  isInstalled(program: string): boolean | undefined {
    const env = this.environment();
    const key = this.pathKey(env);
    const known = this.cache.get(key)?.get(program);
    if (known !== undefined) return known;
    const flight = `${key}\0${program}`;
    if (!this.inFlight.has(flight)) {
      this.inFlight.add(flight);
      const generation = this.generation;
      void findOnPath(program, env, process.platform, programExistsOnDisk).then((found) => {
        if (generation !== this.generation) return;
        this.inFlight.delete(flight);
        let programs = this.cache.get(key);
        if (!programs) this.cache.set(key, (programs = new Map()));
        programs.set(program, found !== undefined);
        this.resolved.fire();
      });
    }
    return this.stale.get(key)?.get(program);
  }

  /** Forget every answer (the user installed something and pressed Refresh). */
  clear(): void {
    this.generation++;
    for (const [key, programs] of this.cache)
      this.stale.set(key, new Map([...(this.stale.get(key) ?? []), ...programs]));
    this.cache = new Map();
    this.inFlight.clear();
    this.resolved.fire();
  }
}
