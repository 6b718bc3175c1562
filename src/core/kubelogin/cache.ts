/**
 * kubelogin keeps ID and refresh tokens in a cache (default `~/.kube/cache/oidc-login`). A cached
 * token issued before a group change keeps the old groups until it expires: the usual reason new
 * groups "do not show up". `kubectl oidc-login clean` deletes that cache.
 */
import { nodeProcessRunner, type ProcessRunner } from './process';

export interface CleanCacheOptions {
  /** How the kubeconfig runs kubelogin: `kubectl oidc-login` (default) or `kubelogin`. */
  via?: 'kubectl' | 'kubelogin';
  /** Only when the exec user sets `--token-cache-dir`; otherwise kubelogin's default applies. */
  tokenCacheDir?: string;
}

/** The argument vector of the clean command: `kubectl oidc-login clean [--token-cache-dir=DIR]`. */
export function cleanCacheCommand(options: CleanCacheOptions = {}): string[] {
  const base = options.via === 'kubelogin' ? ['kubelogin', 'clean'] : ['kubectl', 'oidc-login', 'clean'];
  return options.tokenCacheDir ? [...base, `--token-cache-dir=${options.tokenCacheDir}`] : base;
}

export interface CleanCacheResult {
  ok: boolean;
  /** What happened, in words, for a notification. */
  message: string;
  command: string[];
}

export async function cleanTokenCache(
  options: CleanCacheOptions & { runner?: ProcessRunner; timeoutMs?: number } = {},
): Promise<CleanCacheResult> {
  const command = cleanCacheCommand(options);
  const runner = options.runner ?? nodeProcessRunner;
  const result = await runner(command[0], command.slice(1), { timeoutMs: options.timeoutMs ?? 15000 });
  const shown = command.join(' ');
  if (result.failure) {
    const message =
      result.failure.kind === 'not-found'
        ? `${command[0]} is not installed, so \`${shown}\` cannot run. Install kubelogin first.`
        : `\`${shown}\` failed: ${result.failure.message}`;
    return { ok: false, message, command };
  }
  if (result.exitCode !== 0) {
    const output = (result.stderr || result.stdout).trim().split(/\r?\n/).slice(0, 3).join(' ');
    return {
      ok: false,
      message: `\`${shown}\` exited with code ${result.exitCode}${output ? `: ${output}` : ''}`,
      command,
    };
  }
  return {
    ok: true,
    message: "kubelogin's token cache is cleared: the next kubectl command logs in again and gets fresh claims.",
    command,
  };
}
