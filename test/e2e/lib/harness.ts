/**
 * The e2e suite's pieces: the Go-built components (kube-apiserver, etcd, kubectl, kubelogin),
 * the project's own command line (dist/cli.js) as a user runs it, a Talos config turned into
 * kube-apiserver's input the way Talos passes it, and a "person" with their own home folder
 * (kubelogin's token cache), PATH and browser.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { freePort, tryGoTool } from '../../../scripts/lib/kube-cluster.mjs';
import { makeTempDir } from '../../../scripts/lib/processes.mjs';

export const projectRoot = resolve(__dirname, '..', '..', '..');
const cli = join(projectRoot, 'dist', 'cli.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runProgram(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 8 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : -1
          : 0;
        resolvePromise({ code, stdout, stderr: stderr + (error && code === -1 ? `\n${error.message}` : '') });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `talos-oidc ...` (the bundled command line, as installed). */
export function talosOidc(args: string[], options: { input?: string } = {}): Promise<RunResult> {
  return runProgram(process.execPath, [cli, ...args], options);
}

export interface E2eTools {
  kubectl?: string;
  kubelogin?: string;
  /** Why a tool is missing: go build's own output. */
  errors: Record<string, string>;
}

/** Builds (or reuses) kubectl and kubelogin; a failure is recorded, not thrown. */
export async function buildClientTools(log: (line: string) => void): Promise<E2eTools> {
  const tools: E2eTools = { errors: {} };
  for (const name of ['kubectl', 'kubelogin'] as const) {
    const built = await tryGoTool(name, { log });
    if (built.path) tools[name] = built.path;
    else tools.errors[name] = built.error ?? 'unknown error';
  }
  return tools;
}

/**
 * What kube-apiserver gets from a Talos machine config or patch: the `cluster.apiServer.extraArgs`
 * as `--name=value` flags, or the KubeAuthenticationConfig document's `configuration` as the
 * file Talos passes with `--authentication-config`.
 */
export function apiServerInputFromTalos(text: string): { oidcArgs?: string[]; authenticationConfig?: string } {
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    if (document.errors.length) throw new Error(`the Talos config does not parse: ${document.errors[0].message}`);
  }
  type TalosDocument = {
    kind?: string;
    configuration?: unknown;
    cluster?: { apiServer?: { extraArgs?: Record<string, unknown> } };
  };
  const values = documents.map((document) => document.toJS() as TalosDocument | null);
  const authDocument = values.find((value) => value?.kind === 'KubeAuthenticationConfig');
  if (authDocument) return { authenticationConfig: stringify(authDocument.configuration) };
  const extraArgs = values.find((value) => value?.cluster?.apiServer?.extraArgs)?.cluster?.apiServer?.extraArgs;
  if (!extraArgs)
    throw new Error('the Talos config has neither cluster.apiServer.extraArgs nor a KubeAuthenticationConfig');
  return {
    oidcArgs: Object.entries(extraArgs).map(([name, value]) => {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new Error(`extraArgs.${name} is not a string (${JSON.stringify(value)}); Talos rejects it`);
      }
      return `--${name}=${value}`;
    }),
  };
}

/** A person at a terminal: own HOME (so own kubelogin token cache), kubeconfig and browser. */
export class Person {
  readonly home: string;
  readonly bin: string;
  readonly kubeconfig: string;
  readonly loginRecord: string;

  private constructor(
    readonly account: string,
    readonly tools: { kubectl: string; kubelogin?: string },
  ) {
    this.home = makeTempDir('talos-oidc-e2e-home-');
    this.bin = join(this.home, 'bin');
    mkdirSync(this.bin);
    symlinkSync(tools.kubectl, join(this.bin, 'kubectl'));
    // `kubectl oidc-login` is kubectl's plugin lookup of kubectl-oidc_login on PATH (as krew installs it).
    if (tools.kubelogin) symlinkSync(tools.kubelogin, join(this.bin, 'kubectl-oidc_login'));
    symlinkSync(join(projectRoot, 'test', 'e2e', 'lib', 'xdg-open'), join(this.bin, 'xdg-open'));
    this.kubeconfig = join(this.home, '.kube', 'config');
    this.loginRecord = join(this.home, 'logins.txt');
    writeFileSync(this.loginRecord, '');
  }

  static create(account: string, tools: { kubectl: string; kubelogin?: string }): Person {
    return new Person(account, tools);
  }

  get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: this.home,
      PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      KUBECONFIG: this.kubeconfig,
      E2E_LOGIN_ACCOUNT: this.account,
      E2E_LOGIN_RECORD: this.loginRecord,
    };
    delete env.KUBECACHEDIR;
    delete env.DISPLAY;
    delete env.BROWSER;
    return env;
  }

  /** The cluster entry of the admin kubeconfig, without its admin user: what a new user gets. */
  writeClusterOnlyKubeconfig(cluster: { url: string; caPem: string }): void {
    mkdirSync(join(this.home, '.kube'), { recursive: true });
    writeFileSync(
      this.kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '  - name: local',
        '    cluster:',
        `      server: ${cluster.url}`,
        `      certificate-authority-data: ${Buffer.from(cluster.caPem).toString('base64')}`,
        'contexts: []',
        'users: []',
        '',
      ].join('\n'),
    );
  }

  kubectl(args: string[], timeoutMs = 120_000): Promise<RunResult> {
    return runProgram(this.tools.kubectl, args, { env: this.env, timeoutMs });
  }

  /** How many times kubelogin opened the browser for this person. */
  logins(): number {
    return readFileSync(this.loginRecord, 'utf8').split('\n').filter(Boolean).length;
  }

  /** The ID token kubelogin cached (its disk cache: JSON files with id_token). */
  cachedIdToken(): string | undefined {
    const dir = join(this.home, '.kube', 'cache', 'oidc-login');
    let files: string[];
    try {
      files = readdirSync(dir).filter((name) => !name.endsWith('.lock'));
    } catch {
      return undefined;
    }
    for (const name of files) {
      try {
        const entry = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { id_token?: string };
        if (entry.id_token) return entry.id_token;
      } catch {
        // not a token file
      }
    }
    return undefined;
  }
}

export { freePort };

/** `kubectl --token` against the cluster, with no kubeconfig: the token is the only credential. */
export function kubectlWithToken(
  kubectl: string,
  cluster: { url: string; caFile: string },
  token: string,
  args: string[],
): Promise<RunResult> {
  return runProgram(
    kubectl,
    ['--server', cluster.url, '--certificate-authority', cluster.caFile, '--token', token, ...args],
    {
      env: { ...process.env, KUBECONFIG: join(tmpdir(), 'talos-oidc-e2e-no-kubeconfig') },
    },
  );
}

export interface Attempt extends RunResult {
  /** What kube-apiserver logged while it handled the request. */
  logged: string;
  /** The `err="..."` values of those log lines, unquoted (klog quotes them like Go's %q). */
  loggedErrors: string[];
}

/** The error texts of kube-apiserver's structured log lines (`... err="[invalid bearer token, oidc: ...]"`). */
export function loggedErrors(log: string): string[] {
  const errors: string[] = [];
  for (const match of log.matchAll(/\berr="((?:[^"\\]|\\.)*)"/g)) {
    try {
      errors.push(JSON.parse(`"${match[1]}"`) as string);
    } catch {
      errors.push(match[1]);
    }
  }
  return errors;
}

/**
 * Presents a token to the API server (kubectl auth whoami) and returns kubectl's answer with the
 * API server's log lines of that moment. Retries while the OIDC authenticator is still starting
 * (it fetches the issuer's discovery document and keys in the background after /readyz).
 */
export async function presentToken(
  kubectl: string,
  cluster: { url: string; caFile: string; logs(): string },
  token: string,
  timeoutMs = 90_000,
): Promise<Attempt> {
  const started = Date.now();
  for (;;) {
    const before = cluster.logs().length;
    const result = await kubectlWithToken(kubectl, cluster, token, ['auth', 'whoami', '-o', 'json']);
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const logged = cluster.logs().slice(before);
    if (!/not initialized/.test(logged) || Date.now() - started > timeoutMs)
      return { ...result, logged, loggedErrors: loggedErrors(logged) };
    await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
  }
}
