// `npm start`: the extension running in a real VS Code (code-server, the same host as the
// integration tests) on 127.0.0.1, with a sample workspace from the Pocket-ID guide open.
// The build keeps watching src/: reload the window (F1 > Developer: Reload Window) after an edit.
// Ctrl-C stops everything this started.
//
//   npm start -- --port 8090          choose the port (default: 8090, or a free one if taken)
//   npm start -- --workspace DIR      open another folder instead of the sample
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureCodeServer, findFreePort, projectRoot, startCodeServer, workbenchUrl } from './lib/code-server.mjs';
import { run, spawnOwned } from './lib/processes.mjs';

const cache = join(projectRoot, '.vscode-test');

/** @param {string} name @returns {string | undefined} */
function option(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** @param {number} port @returns {Promise<boolean>} */
function portIsFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/** The sample workspace lives in the cache folder and is created once, so edits survive a restart. */
function sampleWorkspace() {
  const folder = join(cache, 'sample-workspace');
  mkdirSync(folder, { recursive: true });
  const template = join(projectRoot, 'scripts', 'lib', 'sample-workspace');
  for (const name of readdirSync(template)) {
    const target = join(folder, name);
    if (!existsSync(target)) cpSync(join(template, name), target);
  }
  return folder;
}

async function main() {
  const requestedPort = option('--port');
  if (requestedPort !== undefined && !/^\d+$/.test(requestedPort)) {
    throw new Error(`--port needs a number, not "${requestedPort}"`);
  }
  const workspaceOption = option('--workspace');
  const workspace = workspaceOption ? resolve(workspaceOption) : sampleWorkspace();
  if (!existsSync(workspace)) throw new Error(`the folder ${workspace} does not exist`);

  console.log('building the extension...');
  const build = await run(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot });
  if (build.code !== 0) throw new Error('the build failed (see above)');
  await ensureCodeServer();

  let port = requestedPort ? Number(requestedPort) : 8090;
  if (!(await portIsFree(port))) {
    if (requestedPort) throw new Error(`port ${port} on 127.0.0.1 is in use`);
    port = await findFreePort();
  }
  const server = await startCodeServer({
    port,
    workspace,
    // Kept between runs, so settings and stored secrets survive a restart.
    userDataDir: join(cache, 'start-user-data'),
    extensionsDir: join(cache, 'start-extensions'),
  });
  spawnOwned(process.execPath, [join(projectRoot, 'scripts', 'build.mjs'), '--watch'], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: projectRoot });
  console.log('\nTalos OIDC is running in code-server (a VS Code in the browser). Open:\n');
  console.log(`  ${url}\n`);
  console.log(`Workspace: ${workspace}`);
  console.log('Press Ctrl-C to stop.');
  const code = await server.exited;
  console.log(`code-server stopped (exit ${code})`);
  return 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.exit(process.exitCode ?? 0);
