// The real components the tests use as judges (Talos's config code, the Kubernetes
// authenticator, kube-apiserver, etcd, kubelogin, kubectl), built from Go modules.
//
// Each tool is a folder `test/go/<name>/` with its own go.mod and go.sum (versions pinned there)
// and a `tool.json`: `{ "package": "<import path or .>", "binary": "<file name>" }`. A build is
// cached under `.cache/go-tools/<name>-<hash>/`, where the hash covers every file of the folder
// and the Go version, so a changed pin or source rebuilds and an unchanged one is reused. Go's
// own module and build caches make a rebuild of another version cheap.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, execFileSync } from 'node:child_process';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const goToolsSource = join(projectRoot, 'test', 'go');
export const goToolsCache = join(projectRoot, '.cache', 'go-tools');

/** @param {string} dir @returns {string[]} every file below dir, sorted, as paths relative to dir */
function filesBelow(dir) {
  /** @type {string[]} */
  const files = [];
  const walk = (/** @type {string} */ current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

let goVersionCache;
/** @returns {string | undefined} `go version` output, or undefined when Go is not installed */
export function goVersion() {
  if (goVersionCache !== undefined) return goVersionCache || undefined;
  try {
    goVersionCache = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    goVersionCache = '';
  }
  return goVersionCache || undefined;
}

/** The names of the tools that have a folder under test/go. */
export function listGoTools() {
  if (!existsSync(goToolsSource)) return [];
  return readdirSync(goToolsSource, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(goToolsSource, entry.name, 'tool.json')))
    .map((entry) => entry.name)
    .sort();
}

/** @param {string} name */
function describeTool(name) {
  const dir = join(goToolsSource, name);
  const manifestPath = join(dir, 'tool.json');
  if (!existsSync(manifestPath))
    throw new Error(`no Go tool "${name}": ${relative(projectRoot, manifestPath)} is missing`);
  /** @type {{ package: string, binary: string, tags?: string[], ldflags?: string }} */
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const hash = createHash('sha256');
  hash.update(goVersion() ?? 'no-go');
  for (const file of filesBelow(dir)) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(join(dir, file)));
  }
  const outDir = join(goToolsCache, `${name}-${hash.digest('hex').slice(0, 16)}`);
  return { dir, manifest, outDir, binary: join(outDir, manifest.binary) };
}

/**
 * The path of a tool's binary if it is already built for the current sources, without building.
 * @param {string} name
 * @returns {string | undefined}
 */
export function builtGoTool(name) {
  const { binary } = describeTool(name);
  return existsSync(binary) ? binary : undefined;
}

/**
 * Builds a tool when its cached build is missing or stale and returns the binary's path.
 * Throws with Go's own output when the build fails.
 * @param {string} name
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureGoTool(name, options = {}) {
  const log = options.log ?? ((line) => console.error(`[go-tools] ${line}`));
  if (!goVersion()) throw new Error('Go is not installed: the real components the tests use are built with it');
  const { dir, manifest, outDir, binary } = describeTool(name);
  if (existsSync(binary)) return binary;

  mkdirSync(goToolsCache, { recursive: true });
  const staging = `${outDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const args = ['build', '-trimpath', '-o', join(staging, manifest.binary)];
  if (manifest.tags?.length) args.push('-tags', manifest.tags.join(','));
  args.push('-ldflags', manifest.ldflags ?? '-s -w');
  args.push(manifest.package);

  const started = Date.now();
  log(`building ${name} (${manifest.package}) ...`);
  const output = await new Promise((resolveBuild, rejectBuild) => {
    const child = spawn('go', args, { cwd: dir, env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' } });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', rejectBuild);
    child.on('close', (code) =>
      code === 0
        ? resolveBuild(text)
        : rejectBuild(new Error(`go build of ${name} failed (exit ${code}):\n${text.trim()}`)),
    );
  }).catch((error) => {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  });
  if (String(output).trim()) log(String(output).trim());
  // Another process may have finished the same build meanwhile: either result is the same.
  if (!existsSync(outDir)) renameSync(staging, outDir);
  else rmSync(staging, { recursive: true, force: true });
  log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${relative(projectRoot, binary)}`);
  return binary;
}

/**
 * Like ensureGoTool, but answers undefined (with the reason logged) when the tool cannot be
 * built here, for the parts of a suite that can go on without it.
 * @param {string} name
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ path?: string, error?: string }>}
 */
export async function tryGoTool(name, options = {}) {
  try {
    return { path: await ensureGoTool(name, options) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Removes cached builds that no longer match any tool's sources. */
export function pruneGoTools() {
  if (!existsSync(goToolsCache)) return;
  const current = new Set(listGoTools().map((name) => describeTool(name).outDir));
  for (const entry of readdirSync(goToolsCache)) {
    const path = join(goToolsCache, entry);
    if (!current.has(path) && statSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
  }
}
