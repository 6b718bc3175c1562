// Regenerates the README's table of checks from the catalogue (npm run docs).
import { readFileSync, writeFileSync } from 'node:fs';
import { withChecksMarkdown } from '../src/core/checks/markdown';

const path = new URL('../README.md', `file://${__filename}`).pathname;
const before = readFileSync(path, 'utf8');
const after = withChecksMarkdown(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md checks table is current' : 'README.md checks table updated');
