/**
 * checkFiles (the command line's batch, one cluster scope shared by all files) gives what
 * checkFile gives for each file with the rest of the workspace beside it (the editor's way).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, checkFiles } from '../../../../src/core/checks';
import { WorkspaceIndex } from '../../../../src/core/workspace/workspaceIndex';
import { parseYamlFile } from '../../../../src/core/workspace/parse';
import type { ParsedFile } from '../../../../src/core/workspace/types';
import { CORPUS, realWorldFiles } from '../../../support/realWorld';

function oneByOne(files: ParsedFile[]) {
  const workspace = new WorkspaceIndex();
  for (const file of files) workspace.update(file);
  return files.flatMap((file) => checkFile(file, workspace));
}

function fixtureFiles(): ParsedFile[] {
  const files: ParsedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|j2)$/.test(entry.name)) files.push(parseYamlFile(full, readFileSync(full, 'utf8')));
    }
  };
  walk(join(__dirname, '..', '..', '..', 'fixtures'));
  return files;
}

describe('core/checks: a batch of files gets the findings each file gets on its own', function () {
  this.timeout(60_000);

  it('every fixture at once (several clusters, talhelper, kubeconfigs, bindings), and a file named twice', () => {
    const files = fixtureFiles();
    const findings = checkFiles(files);
    assert.ok(findings.length >= 40, `only ${findings.length} findings to compare`);
    assert.deepEqual(findings, oneByOne(files));
    const twice = [...files.slice(0, 20), parseYamlFile(files[3].file, files[3].text)];
    assert.deepEqual(checkFiles(twice), oneByOne(twice));
  });

  it('the real-world corpus at once', function () {
    if (!existsSync(CORPUS)) this.skip();
    const files = realWorldFiles().map((file) => parseYamlFile(file.path, file.text));
    assert.deepEqual(checkFiles(files), oneByOne(files));
  });
});
