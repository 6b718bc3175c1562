// What VS Code loads and what a user downloads: every bundle in dist/, and the .vsix that
// `npm run package` wrote, if there is one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './inputs';

export interface BundleFigures {
  /** dist/<name> → bytes, every .js and .css bundle the build wrote. */
  bundles: Record<string, number>;
  vsix: { file: string; bytes: number } | null;
  vsixReason?: string;
}

export function bundleFigures(): BundleFigures {
  const dist = path.join(projectRoot, 'dist');
  const bundles: Record<string, number> = {};
  if (existsSync(dist)) {
    for (const name of readdirSync(dist, { recursive: true, encoding: 'utf8' }).sort()) {
      if (/\.(js|css)$/.test(name)) bundles[`dist/${name}`] = statSync(path.join(dist, name)).size;
    }
  }
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsixName = `${manifest.name}-${manifest.version}.vsix`;
  const vsixPath = path.join(projectRoot, vsixName);
  if (!existsSync(vsixPath))
    return { bundles, vsix: null, vsixReason: `no ${vsixName}: run \`npm run package\` first` };
  return { bundles, vsix: { file: vsixName, bytes: statSync(vsixPath).size } };
}
