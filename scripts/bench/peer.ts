// The peer a user would otherwise run: yaml-language-server (the engine of the Red Hat YAML
// extension) validating the same text against the Talos machine-config JSON schema, in this
// process, through its language service API (what the server calls on every change).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { benchIndex, PARSE_SIZES } from './core';
import { checkText } from './recheck';
import { largeConfig, lineCount, projectRoot } from './inputs';
import { median, round, sampleAlternating } from './measure';

/** Copied from the Talos repository with its licence (see the README beside it). */
export const TALOS_SCHEMA = 'test/fixtures/talos-schemas/config.schema.v1.13.json';
const SCHEMA_URI = 'file:///talos/config.schema.json';

export interface PeerFigure {
  lines: number;
  bytes: number;
  /** checkText (see recheck.ts), median ms, measured again here alternating with the peer. */
  oursMs: number;
  /** yaml-language-server doValidation with the Talos schema, median ms. */
  theirsMs: number;
  /** oursMs / theirsMs: below 1 is faster than the peer. */
  ratio: number;
  /** theirsMs / oursMs. */
  speedup: number;
  /** How many problems the peer reported (so a run that validated nothing shows). */
  theirDiagnostics: number;
  runs: number;
}

export interface PeerFigures {
  package: string;
  version: string;
  schema: string;
  sizes: PeerFigure[];
}

export async function peerFigures(sizes = PARSE_SIZES): Promise<PeerFigures> {
  // An ES module: loaded here rather than at the top, so the rest of the benchmark runs without it.
  const { getLanguageService } = await import('yaml-language-server');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  const schemaText = readFileSync(path.join(projectRoot, TALOS_SCHEMA), 'utf8');
  const service = getLanguageService({
    schemaRequestService: (uri) =>
      uri === SCHEMA_URI ? Promise.resolve(schemaText) : Promise.reject(new Error(`no schema at ${uri}`)),
    workspaceContext: { resolveRelativePath: (relative) => relative },
  });
  service.configure({ validate: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.yaml'] }], customTags: [] });

  const index = benchIndex();
  const figures: PeerFigure[] = [];
  for (const lines of sizes) {
    const text = largeConfig(lines);
    // The server caches a parsed document by URI and version; each run is a new version, as after an edit.
    let version = 0;
    let theirDiagnostics = 0;
    const times = await sampleAlternating(
      {
        ours: () => checkText('controlplane.yaml', text, index),
        theirs: async () => {
          const document = TextDocument.create('file:///workspace/controlplane.yaml', 'yaml', ++version, text);
          theirDiagnostics = (await service.doValidation(document, false)).length;
        },
      },
      lines > 5000 ? { minRuns: 7, minMs: 2000 } : { minRuns: 20, minMs: 700 },
    );
    const ours = median(times.ours);
    const theirs = median(times.theirs);
    figures.push({
      lines: lineCount(text),
      bytes: Buffer.byteLength(text),
      oursMs: round(ours),
      theirsMs: round(theirs),
      ratio: round(ours / theirs, 3),
      speedup: round(theirs / ours, 2),
      theirDiagnostics,
      runs: times.ours.length,
    });
  }
  const manifest = JSON.parse(
    readFileSync(path.join(projectRoot, 'node_modules/yaml-language-server/package.json'), 'utf8'),
  ) as { version: string };
  return { package: 'yaml-language-server', version: manifest.version, schema: TALOS_SCHEMA, sizes: figures };
}
