import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listChecks } from '../../../src/core/checks/catalogue';
import { withChecksMarkdown } from '../../../src/core/checks/markdown';

const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

describe('README', () => {
  it('documents every check code as the catalogue says (run `npm run docs` after changing a check)', () => {
    assert.equal(readme, withChecksMarkdown(readme));
    for (const check of listChecks())
      assert.ok(readme.includes(`<a id="${check.code.toLowerCase()}"></a>`), check.code);
  });

  it('documents every contributed setting and command', () => {
    const settings = Object.keys(manifest.contributes.configuration.properties ?? {});
    assert.ok(settings.length > 0);
    for (const setting of settings) assert.ok(readme.includes(`\`${setting}\``), `setting ${setting}`);
    for (const command of manifest.contributes.commands as { title: string }[]) {
      assert.ok(readme.includes(command.title), `command "${command.title}"`);
    }
  });

  it('gives the two set-up commands that package.json defines', () => {
    assert.ok(readme.includes('npm start') && manifest.scripts.start);
    assert.ok(readme.includes('npm test') && manifest.scripts.test);
  });
});
