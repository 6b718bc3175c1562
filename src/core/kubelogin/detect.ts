/**
 * Finds kubelogin (int128/kubelogin) the two ways a kubeconfig can run it: as the kubectl plugin
 * `kubectl oidc-login` (the program `kubectl-oidc_login` on PATH) or as `kubelogin get-token`.
 * Microsoft's Azure kubelogin installs a program with the same name `kubelogin`; it cannot run
 * `get-token --oidc-issuer-url`, so it is recognised and reported instead of counted as found.
 */
import { nodeProcessRunner, type ProcessResult, type ProcessRunner } from './process';

export interface ToolProbe {
  /** The command line that was run, e.g. `kubectl-oidc_login --version`. */
  probe: string;
  found: boolean;
  /** e.g. `v1.34.0`, when the program printed one. */
  version?: string;
  /** Why the program is not usable, in words. */
  problem?: string;
}

export interface KubeloginStatus {
  kubectl: ToolProbe;
  /** `kubectl oidc-login`, i.e. `kubectl-oidc_login` on PATH. */
  plugin: ToolProbe;
  /** `kubelogin` on PATH. */
  standalone: ToolProbe;
  /**
   * The exec user's `command` (and leading args) that works here: `kubectl oidc-login` needs both
   * kubectl and the plugin; `kubelogin` needs the standalone program. Undefined when neither.
   */
  usable?: { command: 'kubectl'; argsPrefix: ['oidc-login'] } | { command: 'kubelogin'; argsPrefix: [] };
}

export interface DetectOptions {
  runner?: ProcessRunner;
  /** Per program; kubelogin answers `--version` at once, so a few seconds is plenty. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const VERSION_PATTERN = /\bv?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)\b/;

/** The version in a program's output: `kubelogin version v1.34.0` → `v1.34.0`. */
export function parseVersion(output: string): string | undefined {
  const match = VERSION_PATTERN.exec(output);
  return match ? `v${match[1]}` : undefined;
}

/** Azure kubelogin prints `git hash:` and `Go version:` lines under `kubelogin version`. */
export function looksLikeAzureKubelogin(output: string): boolean {
  return /git hash:/i.test(output) || /azure/i.test(output);
}

export async function detectKubelogin(options: DetectOptions = {}): Promise<KubeloginStatus> {
  const runner = options.runner ?? nodeProcessRunner;
  const run = (command: string, args: string[]) =>
    runner(command, args, { timeoutMs: options.timeoutMs ?? 5000, env: options.env });

  const [kubectlResult, pluginResult, standaloneResult] = await Promise.all([
    run('kubectl', ['version', '--client', '--output=json']),
    run('kubectl-oidc_login', ['--version']),
    run('kubelogin', ['--version']),
  ]);

  const kubectl = toProbe('kubectl version --client --output=json', kubectlResult, kubectlVersion);
  const plugin = toProbe('kubectl-oidc_login --version', pluginResult, parseVersion);
  const standalone = toProbe('kubelogin --version', standaloneResult, parseVersion);
  if (standalone.found && looksLikeAzureKubelogin(standaloneResult.stdout + standaloneResult.stderr)) {
    standalone.found = false;
    standalone.problem =
      'the `kubelogin` on PATH is Azure kubelogin (for Azure AD), not int128/kubelogin; use `kubectl oidc-login` or install int128/kubelogin';
  }

  let usable: KubeloginStatus['usable'];
  if (kubectl.found && plugin.found) usable = { command: 'kubectl', argsPrefix: ['oidc-login'] };
  else if (standalone.found) usable = { command: 'kubelogin', argsPrefix: [] };
  if (plugin.found && !kubectl.found) {
    plugin.problem = 'kubectl-oidc_login is installed but kubectl is not on PATH, so `kubectl oidc-login` cannot run';
  }
  return { kubectl, plugin, standalone, usable };
}

function toProbe(probe: string, result: ProcessResult, version: (output: string) => string | undefined): ToolProbe {
  if (result.failure) {
    return {
      probe,
      found: false,
      problem:
        result.failure.kind === 'not-found'
          ? `${probe.split(' ')[0]} is not installed (not on PATH)`
          : result.failure.message,
    };
  }
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode !== 0) {
    const firstLine =
      output
        .split(/\r?\n/)
        .map((line) => line.trim())
        .find((line) => line.length > 0) ?? '';
    return {
      probe,
      found: false,
      problem: `\`${probe}\` exited with code ${result.exitCode}${firstLine ? `: ${firstLine}` : ''}`,
    };
  }
  return { probe, found: true, version: version(output) };
}

/** `kubectl version --client --output=json` prints `{"clientVersion": {"gitVersion": "v1.31.0", ...}}`. */
function kubectlVersion(output: string): string | undefined {
  const start = output.indexOf('{');
  if (start >= 0) {
    try {
      const parsed = JSON.parse(output.slice(start)) as { clientVersion?: { gitVersion?: unknown } };
      const gitVersion = parsed.clientVersion?.gitVersion;
      if (typeof gitVersion === 'string') return gitVersion;
    } catch {
      // Older kubectl prints text: fall back to the first version-looking word.
    }
  }
  return parseVersion(output);
}

/** One line for a message or the side panel. */
export function describeKubeloginStatus(status: KubeloginStatus): string {
  if (status.usable?.command === 'kubectl') {
    return `kubectl oidc-login ${status.plugin.version ?? '(version unknown)'} is installed (kubectl ${status.kubectl.version ?? 'version unknown'}).`;
  }
  if (status.usable?.command === 'kubelogin') {
    return `kubelogin ${status.standalone.version ?? '(version unknown)'} is installed; \`kubectl oidc-login\` is not, so exec users must use \`command: kubelogin\`.`;
  }
  const problems = [
    status.plugin.problem,
    status.standalone.problem,
    status.kubectl.found ? undefined : status.kubectl.problem,
  ].filter(Boolean);
  return `kubelogin is not installed: ${problems.join('; ')}.`;
}
