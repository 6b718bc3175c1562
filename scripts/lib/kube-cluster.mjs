// A real, local Kubernetes control plane for tests and the playground: etcd and kube-apiserver
// (built from Go modules by go-tools.mjs) on loopback, with a CA, serving certificate,
// service-account key and an admin client certificate made for the run. No kubelet, no
// controllers: enough for authentication, RBAC, SelfSubjectReview and access reviews.
//
//   const cluster = await startLocalCluster({ oidcArgs: ['--oidc-issuer-url=...', ...] });
//   const cluster = await startLocalCluster({ authenticationConfig: 'apiVersion: ...' });
//   cluster.url, cluster.caFile, cluster.adminKubeconfig (a file path), cluster.logs(), cluster.stop()
//
// Everything it starts and writes is owned by processes.mjs: it goes at stop() or at exit.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtGoTool, ensureGoTool, goVersion } from './go-tools.mjs';
import { onCleanup, spawnOwned } from './processes.mjs';

const runFile = promisify(execFile);

/** The tools a local cluster needs, by their folder names under test/go. */
export const CLUSTER_TOOLS = /** @type {const} */ (['etcd', 'kube-apiserver']);

/**
 * Which of the cluster's binaries are built already, and whether the missing ones can be built
 * (Go installed). Cheap: builds nothing.
 * @returns {{ ready: boolean, buildable: boolean, tools: Record<string, { path?: string }>, reason?: string }}
 */
export function localClusterAvailability() {
  /** @type {Record<string, { path?: string }>} */
  const tools = {};
  for (const name of CLUSTER_TOOLS) {
    try {
      tools[name] = { path: builtGoTool(name) };
    } catch {
      tools[name] = {};
    }
  }
  const ready = CLUSTER_TOOLS.every((name) => tools[name].path);
  const buildable = Boolean(goVersion());
  const missing = CLUSTER_TOOLS.filter((name) => !tools[name].path);
  return {
    ready,
    buildable,
    tools,
    ...(ready
      ? {}
      : {
          reason: buildable
            ? `not built yet: ${missing.join(', ')} (node scripts/go-tools.mjs ${missing.join(' ')}; the first build of kube-apiserver takes many minutes)`
            : `Go is not installed, so ${missing.join(' and ')} cannot be built`,
        }),
  };
}

/** A free TCP port on 127.0.0.1 (free now; the caller binds it right away). */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} dir
 * @param {string[]} args
 */
async function openssl(dir, args) {
  try {
    await runFile('openssl', args, { cwd: dir });
  } catch (error) {
    const detail = /** @type {{ stderr?: string, code?: string }} */ (error);
    if (detail.code === 'ENOENT')
      throw new Error('the local cluster needs the `openssl` command (Debian package openssl) for its certificates', {
        cause: error,
      });
    throw new Error(`openssl ${args[0]} failed: ${detail.stderr ?? String(error)}`, { cause: error });
  }
}

/**
 * The cluster's PKI: a CA, the API server's serving certificate for loopback, an admin client
 * certificate in system:masters, and the service-account signing key.
 * @param {string} dir
 */
async function makePki(dir) {
  const file = (/** @type {string} */ name) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(dir, [
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=talos-oidc local cluster CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  /** @param {string} name @param {string} subject @param {string[]} ext */
  const leaf = async (name, subject, ext) => {
    await openssl(dir, ['req', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    writeFileSync(file(`${name}.ext`), [...ext, ''].join('\n'));
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ]);
  };
  await leaf('apiserver', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1',
  ]);
  // The API server maps a client certificate's CN to the user and each O to a group.
  await leaf('admin', '/O=system:masters/CN=talos-oidc-admin', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
  ]);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file('sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(file('sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  const read = (/** @type {string} */ name) => readFileSync(file(name), 'utf8');
  return { caFile: file('ca.pem'), caPem: read('ca.pem'), adminCert: read('admin.pem'), adminKey: read('admin.key') };
}

/**
 * @param {{ url: string, caPem: string, adminCert: string, adminKey: string }} cluster
 * @returns {string}
 */
function adminKubeconfigText({ url, caPem, adminCert, adminKey }) {
  const b64 = (/** @type {string} */ text) => Buffer.from(text).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: local',
    '    cluster:',
    `      server: ${url}`,
    `      certificate-authority-data: ${b64(caPem)}`,
    'users:',
    '  - name: local-admin',
    '    user:',
    `      client-certificate-data: ${b64(adminCert)}`,
    `      client-key-data: ${b64(adminKey)}`,
    'contexts:',
    '  - name: local-admin',
    '    context:',
    '      cluster: local',
    '      user: local-admin',
    'current-context: local-admin',
    '',
  ].join('\n');
}

/**
 * GET a path as the admin; resolves with the status and body (status 0 when nothing answers).
 * @param {string} url
 * @param {{ caPem: string, adminCert: string, adminKey: string }} pki
 */
function adminGet(url, pki) {
  return new Promise((resolve) => {
    const req = request(url, { ca: pki.caPem, cert: pki.adminCert, key: pki.adminKey, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** Keeps the last `limit` characters of a process's output. */
function outputBuffer(limit = 2_000_000) {
  let text = '';
  return {
    append(/** @type {string} */ chunk) {
      text += chunk;
      if (text.length > limit) text = text.slice(text.length - limit);
    },
    get text() {
      return text;
    },
  };
}

/**
 * Starts etcd and kube-apiserver on loopback and waits until /readyz answers ok.
 * @param {import('./kube-cluster.d.mts').LocalClusterOptions} [options]
 * @returns {Promise<import('./kube-cluster.d.mts').LocalCluster>}
 */
export async function startLocalCluster(options = {}) {
  const log = options.log ?? (() => undefined);
  if (options.oidcArgs?.length && options.authenticationConfig !== undefined) {
    throw new Error(
      'startLocalCluster: give either oidcArgs or authenticationConfig; kube-apiserver refuses both at once',
    );
  }
  const [etcdBinary, apiserverBinary] = await Promise.all([
    ensureGoTool('etcd', { log }),
    ensureGoTool('kube-apiserver', { log }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'talos-oidc-cluster-'));
  const removeDir = onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const pki = await makePki(dir);
  const timeoutMs = options.readyTimeoutMs ?? 180_000;

  const etcdOutput = outputBuffer();
  const apiserverOutput = outputBuffer();
  const [etcdClientPort, etcdPeerPort] = [await freePort(), await freePort()];
  const etcdClientUrl = `http://127.0.0.1:${etcdClientPort}`;
  const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = spawnOwned(
    etcdBinary,
    [
      '--name=local',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdClientUrl}`,
      `--advertise-client-urls=${etcdClientUrl}`,
      `--listen-peer-urls=${etcdPeerUrl}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl}`,
      `--initial-cluster=local=${etcdPeerUrl}`,
      '--log-level=warn',
      // A throwaway store: durability costs time on a busy disk and buys nothing here.
      '--unsafe-no-fsync',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  etcd.child.stdout?.on('data', (chunk) => etcdOutput.append(String(chunk)));
  etcd.child.stderr?.on('data', (chunk) => etcdOutput.append(String(chunk)));

  const securePort = await freePort();
  const url = `https://127.0.0.1:${securePort}`;
  /** @type {string[]} */
  const authnArgs = [];
  if (options.authenticationConfig !== undefined) {
    const configFile = join(dir, 'authentication-config.yaml');
    writeFileSync(configFile, options.authenticationConfig);
    authnArgs.push(`--authentication-config=${configFile}`);
  } else {
    authnArgs.push(...(options.oidcArgs ?? []));
  }
  const args = [
    `--etcd-servers=${etcdClientUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${securePort}`,
    `--tls-cert-file=${join(dir, 'apiserver.pem')}`,
    `--tls-private-key-file=${join(dir, 'apiserver.key')}`,
    `--client-ca-file=${pki.caFile}`,
    `--cert-dir=${join(dir, 'certs')}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--authorization-mode=Node,RBAC',
    // Lighter on a small machine; none of these changes authentication or authorization.
    '--watch-cache=false',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    // The "kubernetes" Service's endpoint cannot be a loopback address; nothing here needs it.
    '--endpoint-reconciler-type=none',
    ...authnArgs,
    ...(options.extraArgs ?? []),
  ];
  const apiserver = spawnOwned(apiserverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  apiserver.child.stdout?.on('data', (chunk) => apiserverOutput.append(String(chunk)));
  apiserver.child.stderr?.on('data', (chunk) => apiserverOutput.append(String(chunk)));
  let apiserverExit;
  apiserver.exited.then((code) => (apiserverExit = code));

  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(adminKubeconfig, adminKubeconfigText({ url, ...pki }));

  let stopped = false;
  // At exit there is no time to wait: the data is throwaway, so both go at once and hard.
  const killAtExit = onCleanup(() => {
    stopped = true;
    for (const owned of [apiserver, etcd]) signalGroup(owned.child, 'SIGKILL');
  });
  const cluster = {
    url,
    caFile: pki.caFile,
    caPem: pki.caPem,
    adminKubeconfig,
    dir,
    args,
    logs: () => apiserverOutput.text,
    etcdLogs: () => etcdOutput.text,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The API server first: on SIGTERM it removes its endpoint lease from etcd, and with etcd
      // gone it would retry for minutes.
      await stopGracefully(apiserver);
      await stopGracefully(etcd);
      killAtExit();
      removeDir();
    },
  };

  const started = Date.now();
  let last = { status: 0, body: '' };
  while (Date.now() - started < timeoutMs) {
    if (apiserverExit !== undefined) {
      await cluster.stop();
      throw new Error(
        `kube-apiserver exited (code ${apiserverExit}) before it was ready:\n${tail(apiserverOutput.text, 40)}`,
      );
    }
    last = /** @type {{ status: number, body: string }} */ (await adminGet(`${url}/readyz`, pki));
    if (last.status === 200) {
      log(`kube-apiserver ready at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return cluster;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await cluster.stop();
  throw new Error(
    `kube-apiserver was not ready within ${timeoutMs / 1000} s (last /readyz: ${last.status} ${last.body.slice(0, 500)}):\n${tail(apiserverOutput.text, 40)}`,
  );
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
function signalGroup(child, signal) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * SIGTERM, then SIGKILL when the process has not exited after `graceMs`.
 * @param {{ child: import('node:child_process').ChildProcess, exited: Promise<number | null> }} owned
 */
async function stopGracefully(owned, graceMs = 10_000) {
  signalGroup(owned.child, 'SIGTERM');
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(resolve, graceMs, 'late')));
  const outcome = await Promise.race([owned.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    signalGroup(owned.child, 'SIGKILL');
    await owned.exited;
  }
}

/** @param {string} text @param {number} lines */
function tail(text, lines) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

// The clients that go with the cluster (kubectl, kubelogin) come from the same builder; re-exported
// so the TypeScript tests get them with types (kube-cluster.d.mts).
export { tryGoTool } from './go-tools.mjs';
