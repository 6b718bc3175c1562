/**
 * Talos's own config code (github.com/siderolabs/talos/pkg/machinery, one build per supported
 * Talos minor, under test/go/talos-<minor>) as a judge: one long-lived process per version,
 * answering JSON requests in order.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
// @ts-expect-error: plain JavaScript module without type declarations
import { ensureGoTool } from '../../scripts/lib/go-tools.mjs';

export const TALOS_MINORS = ['1.12', '1.13', '1.14'] as const;
export type TalosMinor = (typeof TALOS_MINORS)[number];

export interface ApiServerView {
  source: 'KubeAPIServerConfig' | 'cluster.apiServer';
  extraArgs: Record<string, string[]>;
  useAuthenticationConfig: boolean;
  authenticationConfig?: Record<string, unknown>;
  authenticationConfigError?: string;
  /** Only where the release's flag rule is known (1.14). */
  authFlags?: Record<string, string[]>;
  flagError?: string;
}

export interface Verdict {
  talos: string;
  error?: string;
  patchError?: string;
  patched?: string;
  loadError?: string;
  valid: boolean;
  errors?: string[];
  warnings?: string[];
  machineType?: string;
  apiServer?: ApiServerView;
  generated?: string;
}

export interface JudgeRequest {
  op?: 'judge' | 'gen';
  config?: string;
  patches?: string[];
  clusterName?: string;
  endpoint?: string;
  machineType?: 'controlplane' | 'worker';
}

export class TalosJudge {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((verdict: Verdict) => void)[] = [];
  private stderr = '';
  requests = 0;

  private constructor(
    readonly minor: TalosMinor,
    binary: string,
  ) {
    this.child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    createInterface({ input: this.child.stdout }).on('line', (line) =>
      this.waiting.shift()?.(JSON.parse(line) as Verdict),
    );
    this.child.on('exit', (code) => {
      for (const resolve of this.waiting.splice(0))
        resolve({ talos: minor, valid: false, error: `judge exited (${code}): ${this.stderr}` });
    });
  }

  static async start(minor: TalosMinor): Promise<TalosJudge> {
    return new TalosJudge(minor, await ensureGoTool(`talos-${minor}`));
  }

  ask(request: JudgeRequest): Promise<Verdict> {
    this.requests++;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(JSON.stringify(request) + '\n');
    });
  }

  /** Loads and validates a whole config, after applying patches as `talosctl machineconfig patch` does. */
  async judge(config: string, patches: string[] = []): Promise<Verdict> {
    const verdict = await this.ask({ config, patches });
    if (verdict.error) throw new Error(`Talos ${this.minor} judge: ${verdict.error}`);
    return verdict;
  }

  /** A config as `talosctl gen config` makes it for this Talos version. */
  async generate(machineType: 'controlplane' | 'worker' = 'controlplane'): Promise<string> {
    const verdict = await this.ask({ op: 'gen', machineType });
    if (verdict.error || !verdict.generated) throw new Error(`Talos ${this.minor} gen config: ${verdict.error}`);
    return verdict.generated;
  }

  close(): void {
    this.child.stdin.end();
  }
}
