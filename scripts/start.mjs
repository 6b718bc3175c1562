// `npm start`: the playground. The extension running in a real VS Code (code-server, the same host
// as the integration tests) on 127.0.0.1, with a sample workspace from the Pocket-ID guide and a
// demo OpenID provider it is already configured for. On a fresh clone it first installs what is
// missing (Debian packages, npm ci); a second start reuses everything and opens in seconds.
// The build keeps watching src/: reload the window (F1 > Developer: Reload Window) after an edit.
// Ctrl-C stops everything this started.
//
//   npm start -- --port 8090           the workbench's port (default 8090, or a free one if taken)
//   npm start -- --provider-port 9443  the demo provider's port on 127.0.0.2 (0: any free one)
//   npm start -- --provider-only       only the demo provider (and API server), for desktop VS Code
//   npm start -- --workspace DIR       open another folder instead of the sample
//   npm start -- --state-dir DIR       keep the playground's files there (default .cache/playground)
//
// Only node: builtins and the bootstrap are imported up here: nothing else is installed yet.
import { join, resolve } from 'node:path';
import { bootstrap } from './lib/bootstrap.mjs';

const projectRoot = resolve(import.meta.dirname, '..');

/** @param {string} name @returns {string | undefined} */
function option(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** @param {string} name @returns {number | undefined} */
function portOption(name) {
  const value = option(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`${name} needs a port number, not "${value}"`);
  return Number(value);
}

try {
  const providerOnly = process.argv.includes('--provider-only');
  const options = {
    providerOnly,
    port: portOption('--port'),
    providerPort: portOption('--provider-port'),
    workspace: option('--workspace'),
    stateDir: resolve(option('--state-dir') ?? join(projectRoot, '.cache', 'playground')),
  };
  bootstrap(providerOnly ? 'start-provider' : 'start');
  const { runPlayground } = await import('./lib/playground/run.mjs');
  process.exitCode = await runPlayground(options);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.exit(process.exitCode ?? 0);
