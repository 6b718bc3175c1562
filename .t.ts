import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseYamlFile } from './src/core/workspace/parse';
import { parseYamlSource } from './src/core/yaml/source';
import { checkFiles } from './src/core/checks';
const text = readFileSync('test/fixtures/configs/guide/controlplane.yaml', 'utf8');
function time(name: string, f: () => void) { for (let i = 0; i < 20; i++) f(); const t0 = performance.now(); for (let i = 0; i < 50; i++) f(); console.log(name, ((performance.now() - t0) / 50).toFixed(3), 'ms'); }
const many = Array.from({length: 60}, () => text).join('---\n');
const deploy = readFileSync('test/fixtures/configs/misc/deployment.yaml', 'utf8');
const manyDeploy = Array.from({length: 80}, () => deploy).join('---\n');
console.log(many.split('\n').length, manyDeploy.split('\n').length);
time('yaml plain', () => parseAllDocuments(many));
time('yaml keepSource', () => parseAllDocuments(many, { keepSourceTokens: true }));
time('yaml opts', () => parseAllDocuments(many, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true }));
time('source', () => parseYamlSource(many));
time('parseYamlFile', () => parseYamlFile('a.yaml', many));
time('parse+check', () => checkFiles([parseYamlFile('a.yaml', many)]));
time('deploy parseYamlFile', () => parseYamlFile('a.yaml', manyDeploy));
time('deploy yaml', () => parseAllDocuments(manyDeploy));
