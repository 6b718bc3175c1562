// In-process figures of the core, warm: parse + check against the `yaml` package's full parse of
// the same text, one keystroke's re-check, the workspace index of many files, the token review.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { reviewToken } from '../../src/core/authn/index';
import { talosAuthenticator } from '../../src/core/talos/authenticator';
import { WorkspaceIndex } from '../../src/core/workspace/workspaceIndex';
import { parseYamlFile } from '../../src/core/workspace/parse';
import { afterKeystrokes, fixture, largeConfig, lineCount, type GeneratedWorkspace } from './inputs';
import { median, percentile, round, sample, sampleAlternating } from './measure';
import { CHECK_PATH, checkText, createRechecker, RECHECK_PATH } from './recheck';

export const PARSE_SIZES = [200, 2000, 20000];

/** The workspace the single-file figures check against: a binding and RBAC documents, as a real repository has. */
export function benchIndex(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const name of ['legacy/crb.yaml', 'multidoc/rbac.yaml']) index.update(parseYamlFile(name, fixture(name)));
  return index;
}

/**
 * The configs timed must be what they claim, a correct machine config: a syntax error would time
 * the rejection of the file instead (as the benchmark before issue 11 did without noticing).
 */
export function assertChecksClean(text: string, index: WorkspaceIndex): void {
  const findings = checkText('controlplane.yaml', text, index);
  if (findings.length > 0) {
    const first = findings[0];
    throw new Error(
      `the benchmark config has findings: ${first.code} at line ${first.range.start.line + 1}: ${first.message}`,
    );
  }
}

export interface ParseFigure {
  lines: number;
  bytes: number;
  /** checkText (see recheck.ts), median ms. */
  parseCheckMs: number;
  /** yaml's parseAllDocuments + toJS of the same text in the same run, median ms. */
  yamlFullParseMs: number;
  /** parseCheckMs / yamlFullParseMs. */
  ratio: number;
  runs: number;
}

export async function parseFigures(sizes = PARSE_SIZES): Promise<{ path: string; sizes: ParseFigure[] }> {
  const index = benchIndex();
  const figures: ParseFigure[] = [];
  for (const lines of sizes) {
    const text = largeConfig(lines);
    assertChecksClean(text, index);
    const times = await sampleAlternating(
      {
        ours: () => checkText('controlplane.yaml', text, index),
        yaml: () => parseAllDocuments(text, { prettyErrors: false }).map((document) => document.toJS()),
      },
      lines > 5000 ? { minRuns: 7, minMs: 2000 } : { minRuns: 20, minMs: 700 },
    );
    const ours = median(times.ours);
    const theirs = median(times.yaml);
    figures.push({
      lines: lineCount(text),
      bytes: Buffer.byteLength(text),
      parseCheckMs: round(ours),
      yamlFullParseMs: round(theirs),
      ratio: round(ours / theirs, 3),
      runs: times.ours.length,
    });
  }
  return { path: CHECK_PATH, sizes: figures };
}

export interface KeystrokeFigure {
  lines: number;
  bytes: number;
  edits: number;
  medianMs: number;
  p95Ms: number;
  path: string;
}

/**
 * One document, open and checked; then single-character edits, each re-checked as the editor
 * does on a change. The edit takes the issuer's `s` out and puts it back, so the findings change
 * with every keystroke (nothing can answer from the previous result).
 */
export function keystrokeFigure(lines = 2000, edits = 200): KeystrokeFigure {
  const text = largeConfig(lines);
  const recheck = createRechecker('controlplane.yaml', benchIndex());
  if (recheck(text).length > 0 || !recheck(afterKeystrokes(text, 1)).some((finding) => finding.code === 'TOIDC103'))
    throw new Error('the keystroke should take the issuer from clean to TOIDC103 (http issuer) and back');
  recheck(text);
  let typed = 0;
  const times = sample(() => void recheck(afterKeystrokes(text, ++typed)), { warmUp: 10, minRuns: edits, minMs: 0 });
  return {
    lines: lineCount(text),
    bytes: Buffer.byteLength(text),
    edits: times.length,
    medianMs: round(median(times)),
    p95Ms: round(percentile(times, 0.95)),
    path: RECHECK_PATH,
  };
}

export interface WorkspaceIndexFigure {
  files: number;
  bytes: number;
  /** Read every file from disk, parse it, add it to a new WorkspaceIndex: median ms. */
  ms: number;
  runs: number;
}

/** The extension's first scan of a workspace: read, parse and index every YAML file. */
export function workspaceIndexFigure(folder: string, workspace: GeneratedWorkspace): WorkspaceIndexFigure {
  const files = workspace.files.map((file) => path.join(folder, file.path));
  const times = sample(
    () => {
      const index = new WorkspaceIndex();
      for (const file of files) index.update(parseYamlFile(file, readFileSync(file, 'utf8')));
      if (index.files().length !== files.length) throw new Error('the index lost files');
    },
    { warmUp: 1, minRuns: 5, minMs: 1500 },
  );
  return { files: files.length, bytes: workspace.bytes, ms: round(median(times)), runs: times.length };
}

/** A token review against the legacy fixture's flags: microseconds, median. */
export function tokenReviewMicroseconds(): number {
  const parsed = parseYamlFile('controlplane.yaml', fixture('legacy/controlplane.yaml'));
  const { model } = talosAuthenticator(parsed);
  if (!model) throw new Error('the legacy fixture should configure OIDC');
  const claims = {
    iss: model.jwt[0].issuer.url,
    aud: model.jwt[0].issuer.audiences[0],
    sub: 'u-1',
    email: 'a@example.com',
    email_verified: true,
    groups: ['kubernetes'],
    exp: 2_000_000_000,
    iat: 1_700_000_000,
  };
  const times = sample(() => void reviewToken(model, { claims }, 1_800_000_000), { minRuns: 2000, minMs: 300 });
  return round(median(times) * 1000, 1);
}
