// Types of code-server.mjs for the TypeScript test helpers (test/browser/lib).
export const projectRoot: string;
export const CODE_SERVER_VERSION: string;
export const codeServerHome: string;
export const codeServerEntry: string;
export function isCodeServerInstalled(): boolean;
export function ensureCodeServer(): Promise<string>;
export function findFreePort(): Promise<number>;
export function installVsix(vsixPath: string, extensionsDir: string): Promise<string>;

export interface CodeServerOptions {
  workspace?: string;
  extensionsDir?: string;
  userDataDir?: string;
  port?: number;
  settings?: Record<string, unknown>;
  showLog?: boolean;
  startTimeoutMs?: number;
  env?: Record<string, string>;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  output(): string;
  stop(): void;
  exited: Promise<number | null>;
}

export function startCodeServer(options?: CodeServerOptions): Promise<RunningCodeServer>;

export interface WorkbenchPaths {
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
}
export function workbenchPayload(serverUrl: string, paths: WorkbenchPaths): [string, string][];
export function workbenchUrl(serverUrl: string, options: WorkbenchPaths & { folder?: string }): string;
