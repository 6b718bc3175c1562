// The playground behind `npm start` (loaded after the bootstrap installed the dependencies): the
// demo OpenID provider, a local API server when the machine can run one, the sample workspace
// with settings that point at both, and code-server with the extension loaded from source.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ensureCodeServer, findFreePort, projectRoot, startCodeServer, workbenchUrl } from '../code-server.mjs';
import { builtGoTool } from '../go-tools.mjs';
import { onCleanup, run, spawnOwned } from '../processes.mjs';

/** @typedef {import('./provider.ts').PlaygroundProvider} PlaygroundProvider */

/**
 * @typedef {object} PlaygroundOptions
 * @property {boolean} providerOnly only the demo provider (and API server), for desktop VS Code
 * @property {number | undefined} port code-server's port (default 8090, or a free one)
 * @property {number | undefined} providerPort the demo provider's port (default 9443; 0: any)
 * @property {string | undefined} workspace another folder to open instead of the sample
 * @property {string} stateDir where the CA, client ID, sample workspace and code-server's data are kept
 */

/** @param {number} port @param {string} host @returns {Promise<boolean>} */
function portIsFree(port, host) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}

/** What the sample controlplane.yaml says about itself, above the seed guide's config. */
const SAMPLE_CONFIG_HEADER = `# The Talos control-plane config as the Pocket-ID guide leaves it: OIDC set as API server flags,
# the guide's placeholders still in, the groups prefix without quotes, and no ClusterRoleBinding
# anywhere yet (the guide's lockout warning). Open the Problems panel (Ctrl+Shift+M) to see what
# the extension says, then follow the walkthrough: the playground's demo provider is already set
# in .vscode/settings.json.
`;

/**
 * The sample controlplane.yaml: the seed guide's (test/fixtures/configs/guide/controlplane.yaml,
 * the one copy the tests read too) under a header, with its groups prefix unquoted on purpose so
 * that the playground shows the unquoted-prefix check (TOIDC002) and its quick fix.
 */
function sampleControlplane() {
  const seed = readFileSync(join(projectRoot, 'test', 'fixtures', 'configs', 'guide', 'controlplane.yaml'), 'utf8');
  const quoted = 'oidc-groups-prefix: "oidc:"';
  if (!seed.includes(quoted)) throw new Error(`the seed guide's controlplane.yaml no longer holds ${quoted}`);
  return SAMPLE_CONFIG_HEADER + seed.replace(quoted, 'oidc-groups-prefix: oidc:');
}

/** The sample workspace is made once, so the user's edits survive a restart. @param {string} stateDir */
function sampleWorkspace(stateDir) {
  const folder = join(stateDir, 'workspace');
  mkdirSync(folder, { recursive: true });
  const template = join(projectRoot, 'scripts', 'lib', 'sample-workspace');
  for (const name of readdirSync(template)) {
    const target = join(folder, name);
    if (!existsSync(target)) cpSync(join(template, name), target, { recursive: true });
  }
  const config = join(folder, 'controlplane.yaml');
  if (!existsSync(config)) writeFileSync(config, sampleControlplane());
  return folder;
}

/**
 * Sets the extension's settings for the demo provider in the workspace's .vscode/settings.json,
 * keeping every other setting the user added.
 * @param {string} workspace @param {Record<string, unknown>} values
 */
function writeWorkspaceSettings(workspace, values) {
  mergeSettingsFile(join(workspace, '.vscode', 'settings.json'), values);
}

/**
 * Adds values to a settings.json, keeping what else it holds.
 * @param {string} file @param {Record<string, unknown>} values
 */
function mergeSettingsFile(file, values) {
  mkdirSync(dirname(file), { recursive: true });
  /** @type {Record<string, unknown>} */
  let settings = {};
  if (existsSync(file)) {
    try {
      settings = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.log(
        `note: ${file} is not plain JSON (comments?); set these yourself: ${JSON.stringify(values, null, 2)}`,
      );
      return;
    }
  }
  writeFileSync(file, `${JSON.stringify({ ...settings, ...values }, null, 2)}\n`);
}

/** @param {PlaygroundProvider} demo @param {string} kubeconfig */
function playgroundSettings(demo) {
  return {
    'talosOidc.provider': 'pocket-id',
    'talosOidc.issuerUrl': demo.issuer,
    'talosOidc.clientId': demo.clientId,
    'talosOidc.adminGroup': 'kubernetes',
    'talosOidc.extraScopes': ['email', 'profile'],
  };
}

/**
 * The settings a workspace may not choose (machine scope: which CA the login trusts, which file
 * Add kubeconfig User writes), set where the user's own settings live in the playground's editor.
 * @param {PlaygroundProvider} demo @param {string} kubeconfig @param {string} [bin]
 */
function playgroundMachineSettings(demo, kubeconfig, bin) {
  return {
    'talosOidc.caFile': demo.caFile,
    'talosOidc.kubeconfigPath': kubeconfig,
    // Terminals and tasks take their environment from the editor's settings, not from the
    // process that started code-server: the built kubectl and kubelogin go first on their PATH.
    ...(bin ? { 'terminal.integrated.env.linux': { PATH: `${bin}:\${env:PATH}` } } : {}),
  };
}

/**
 * A local API server with the workspace's OIDC settings, when the Kubernetes work
 * (scripts/lib/kube-cluster.mjs) is in this checkout and the machine can run it.
 * @param {PlaygroundProvider} demo
 * @returns {Promise<{ cluster?: { url: string, caFile: string, adminKubeconfig: string, stop(): void }, bin?: string, missing?: string }>}
 */
async function startApiServer(demo) {
  const file = join(projectRoot, 'scripts', 'lib', 'kube-cluster.mjs');
  if (!existsSync(file)) {
    return {
      missing:
        'no local API server: scripts/lib/kube-cluster.mjs (the real kube-apiserver) is not in this checkout, so "Verify: Run kubectl get pods" and "Who Am I" have no cluster to talk to',
    };
  }
  try {
    const kube = await import(pathToFileURL(file).href);
    const availability = await kube.localClusterAvailability?.();
    if (!availability?.ready) {
      return { missing: `no local API server: ${availability?.reason ?? 'its components are not built'}` };
    }
    // The flags of the sample controlplane.yaml once its quick fixes are in (no username prefix,
    // as in the guide), so the test login's verdict and the real API server agree.
    const cluster = await kube.startLocalCluster({
      oidcArgs: [
        `--oidc-issuer-url=${demo.issuer}`,
        `--oidc-client-id=${demo.clientId}`,
        '--oidc-username-claim=sub',
        '--oidc-groups-claim=groups',
        '--oidc-groups-prefix=oidc:',
        `--oidc-ca-file=${demo.caFile}`,
      ],
    });
    // Ctrl-C and every other way out stop it too.
    onCleanup(() => cluster.stop());
    return { cluster, bin: terminalTools() };
  } catch (error) {
    return { missing: `the local API server did not start: ${error instanceof Error ? error.message : error}` };
  }
}

/**
 * A folder for the workbench's PATH with the built kubectl and kubelogin (as the kubectl plugin
 * `kubectl-oidc_login`, the name krew gives it), so the walkthrough's verify step runs in its terminal.
 */
function terminalTools() {
  const bin = join(projectRoot, '.cache', 'playground', 'bin');
  mkdirSync(bin, { recursive: true });
  const built = (/** @type {string} */ name) => {
    try {
      return builtGoTool(name);
    } catch {
      return undefined;
    }
  };
  const kubelogin = built('kubelogin');
  const links = { kubectl: built('kubectl'), 'kubectl-oidc_login': kubelogin, kubelogin };
  for (const [name, target] of Object.entries(links)) {
    if (!target) continue;
    rmSync(join(bin, name), { force: true });
    symlinkSync(target, join(bin, name));
  }
  return bin;
}

/** Points the sample kubeconfig's `testing` cluster at the local API server (only those two fields change). */
async function pointKubeconfigAt(
  /** @type {string} */ kubeconfig,
  /** @type {{ url: string, caFile: string }} */ cluster,
) {
  const { parseDocument } = await import('yaml');
  const document = parseDocument(readFileSync(kubeconfig, 'utf8'));
  const clusters = document.get('clusters');
  const items =
    clusters && typeof clusters === 'object' && 'items' in clusters ? /** @type {any[]} */ (clusters.items) : [];
  const testing = items.find((item) => item?.get?.('name') === 'testing');
  if (!testing) return;
  testing.setIn(['cluster', 'server'], cluster.url);
  testing.setIn(['cluster', 'certificate-authority'], cluster.caFile);
  writeFileSync(kubeconfig, document.toString());
}

/** @param {PlaygroundProvider} demo */
function describeProvider(demo) {
  const lines = [
    'Demo OpenID provider (configured like Pocket-ID; a demo, not a real login):',
    `  issuer      ${demo.issuer}`,
    `  client ID   ${demo.clientId}  (public client, PKCE; callback http://localhost on any port)`,
    `  CA file     ${demo.caFile}`,
    '  scopes      openid profile email groups   signing RS256',
    '  users (sign in with the buttons on its login page, no password):',
  ];
  for (const [name, user] of Object.entries(demo.users))
    lines.push(`    ${name.padEnd(6)} ${user.email.padEnd(20)} ${user.role}`);
  return lines.join('\n');
}

/**
 * @param {PlaygroundOptions} options
 * @returns {Promise<number>} the exit code
 */
export async function runPlayground(options) {
  const stateDir = options.stateDir;
  mkdirSync(stateDir, { recursive: true });
  const { startPlaygroundProvider, PLAYGROUND_PROVIDER_HOST, PLAYGROUND_PROVIDER_PORT } = await tsImport(
    './provider.ts',
    import.meta.url,
  );

  const providerPort = options.providerPort ?? PLAYGROUND_PROVIDER_PORT;
  if (providerPort !== 0 && !(await portIsFree(providerPort, PLAYGROUND_PROVIDER_HOST))) {
    console.error(
      `Port ${providerPort} on ${PLAYGROUND_PROVIDER_HOST} (the demo provider) is in use, maybe by another npm start.\n` +
        `Stop that one, or pick another port: npm start -- --provider-port ${providerPort + 1}`,
    );
    return 1;
  }
  /** @type {PlaygroundProvider} */
  const demo = await startPlaygroundProvider({ stateDir, port: providerPort });

  const workspace = options.workspace ? resolve(options.workspace) : sampleWorkspace(stateDir);
  if (!existsSync(workspace)) throw new Error(`the folder ${workspace} does not exist`);
  const kubeconfig = join(workspace, 'kubeconfig.yaml');
  if (!options.workspace) writeWorkspaceSettings(workspace, playgroundSettings(demo));

  const api = await startApiServer(demo);
  if (api.cluster && !options.workspace && existsSync(kubeconfig)) await pointKubeconfigAt(kubeconfig, api.cluster);
  // The demo cluster's admin credentials beside the sample, for "Apply ClusterRoleBinding to the
  // Cluster" (it asks for a kubeconfig with an admin context). A throwaway cluster's key only.
  if (api.cluster && !options.workspace) cpSync(api.cluster.adminKubeconfig, join(workspace, 'admin-kubeconfig.yaml'));

  if (options.providerOnly) {
    console.log(`\n${describeProvider(demo)}\n`);
    console.log(
      api.cluster ? `Local API server: ${api.cluster.url} (CA ${api.cluster.caFile})` : `Note: ${api.missing}`,
    );
    console.log('\nIn desktop VS Code with the installed .vsix, set talosOidc.issuerUrl, talosOidc.clientId and');
    console.log('talosOidc.caFile to the values above. Press Ctrl-C to stop.');
    await new Promise(() => undefined); // Until Ctrl-C: the signal handler stops everything.
  }

  console.log('building the extension...');
  const build = await run(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot });
  if (build.code !== 0) throw new Error('the build failed (see above)');
  await ensureCodeServer();

  let port = options.port ?? 8090;
  if (!(await portIsFree(port, '127.0.0.1'))) {
    if (options.port !== undefined) {
      console.error(
        `Port ${port} on 127.0.0.1 (the workbench) is in use. Pick another: npm start -- --port ${port + 1}`,
      );
      return 1;
    }
    const taken = port;
    port = await findFreePort();
    console.log(`port ${taken} is in use; the workbench uses ${port} instead (choose one with --port)`);
  }
  const userDataDir = join(stateDir, 'user-data');
  if (!options.workspace)
    mergeSettingsFile(
      join(userDataDir, 'Machine', 'settings.json'),
      playgroundMachineSettings(demo, kubeconfig, api.bin),
    );
  const server = await startCodeServer({
    port,
    workspace,
    // Kept between runs, so settings and stored secrets survive a restart.
    userDataDir,
    extensionsDir: join(stateDir, 'extensions'),
    // The built kubectl and kubelogin first on the terminal's PATH, when a local API server runs.
    env: api.bin ? { PATH: `${api.bin}:${process.env.PATH ?? ''}` } : {},
  });
  // code-server has written its default user settings by now; add the machine-scoped ones there too.
  if (!options.workspace)
    mergeSettingsFile(join(userDataDir, 'User', 'settings.json'), playgroundMachineSettings(demo, kubeconfig, api.bin));
  spawnOwned(process.execPath, [join(projectRoot, 'scripts', 'build.mjs'), '--watch'], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = workbenchUrl(server.url, { folder: workspace, extensionDevelopmentPath: projectRoot });
  console.log(`\n${describeProvider(demo)}`);
  console.log(
    api.cluster
      ? `\nLocal API server: ${api.cluster.url} (admin kubeconfig: ${api.cluster.adminKubeconfig})`
      : `\nNote: ${api.missing}`,
  );
  console.log(`\nYour browser will warn about the demo provider's certificate: its CA is ${demo.caFile}.`);
  console.log('\nTalos OIDC is running in code-server (a VS Code in the browser). Open:\n');
  console.log(`  ${url}\n`);
  console.log(`Workspace: ${workspace}`);
  console.log('Press Ctrl-C to stop.');
  const code = await server.exited;
  console.log(`code-server stopped (exit ${code})`);
  await demo.stop();
  api.cluster?.stop();
  return 1;
}
