// The inputs the benchmarks measure: generated from the project's own fixtures, deterministic,
// so that a figure can be compared between runs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const projectRoot = path.join(__dirname, '..', '..');

export const fixture = (name: string): string =>
  readFileSync(path.join(projectRoot, 'test/fixtures/configs', name), 'utf8');

/**
 * A realistic large machine config: the correct legacy controlplane.yaml with `lines` lines in
 * all, the extra ones being `extraManifests` entries (what grows real configs).
 */
export function largeConfig(lines: number): string {
  const base = fixture('legacy/controlplane.yaml').replace(/\n?$/, '\n');
  const baseLines = base.split('\n').length - 1;
  // `cluster:`'s keys are indented by two spaces (the benchmark before issue 11 indented this one
  // by four, which made every config it timed a YAML syntax error).
  const padding: string[] = ['  extraManifests:'];
  for (let i = 0; padding.length < lines - baseLines; i++)
    padding.push(`    - https://example.com/manifests/${i}.yaml # manifest ${i}`);
  return base.replace(/^cluster:\n/m, `cluster:\n${padding.join('\n')}\n`);
}

export const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The single-character edit the keystroke benchmarks type: the issuer's `s` of `https`, out and back. */
export const ISSUER_LINE = '      oidc-issuer-url: https://id.example.com';

/** The file's text after `edit` keystrokes: odd counts have the `s` deleted (an http issuer, TOIDC103). */
export function afterKeystrokes(text: string, edits: number): string {
  if (edits % 2 === 0) return text;
  return text.replace(ISSUER_LINE, ISSUER_LINE.replace('https://', 'http://'));
}

/** The files of one cluster folder: what a repository of Talos clusters holds (a mix of kinds). */
const CLUSTER_FILES: [string, string][] = [
  ['controlplane.yaml', 'legacy/controlplane.yaml'],
  ['worker.yaml', 'misc/worker.yaml'],
  ['kubeconfig.yaml', 'legacy/kubeconfig.yaml'],
  ['rbac/crb.yaml', 'legacy/crb.yaml'],
  ['rbac/bindings.yaml', 'multidoc/rbac.yaml'],
  ['patches/oidc.yaml', 'patches/oidc.yaml'],
  ['patches/auth-1.14.yaml', 'patches/auth-1.14.yaml'],
  ['auth-config.yaml', 'misc/auth-config.yaml'],
  ['apps/deployment.yaml', 'misc/deployment.yaml'],
  ['compose.yaml', 'misc/compose.yaml'],
];

export interface GeneratedWorkspace {
  files: { path: string; text: string }[];
  bytes: number;
}

/** `count` files in cluster folders of ten, each cluster with its own issuer host and name. */
export function generateWorkspace(count: number): GeneratedWorkspace {
  const files: { path: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const cluster = Math.floor(i / CLUSTER_FILES.length);
    const [name, source] = CLUSTER_FILES[i % CLUSTER_FILES.length];
    const text = fixture(source)
      .replaceAll('id.example.com', `id-${cluster}.example.com`)
      .replaceAll('uk-rg-01', `cluster-${cluster}`);
    files.push({ path: `clusters/cluster-${String(cluster).padStart(3, '0')}/${name}`, text });
  }
  return { files, bytes: files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0) };
}

export function writeWorkspace(workspace: GeneratedWorkspace, folder: string): void {
  for (const file of workspace.files) {
    const target = path.join(folder, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
}
