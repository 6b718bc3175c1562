// `npm run lint` step: no import cycles among the TypeScript files of src/ and scripts/. A cycle hides which module
// is the lower layer, and in the bundles it makes load order decide what is `undefined`. Type-only
// imports count (they are still structure), and so do `require('./x')` calls (the lazy bundles).
// Resolution is TypeScript's own, with the project's tsconfig.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');

/** @param {string} folder @returns {string[]} */
function typeScriptFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const files = ['src', 'scripts'].flatMap((folder) => typeScriptFiles(join(root, folder)));
const known = new Set(files);

/** @type {Map<string, string[]>} file -> the source files it imports */
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const { fileName } of importedFiles) {
    const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
    if (resolved && known.has(resolved) && resolved !== file) targets.add(resolved);
  }
  graph.set(file, [...targets]);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let counter = 0;
const indexOf = new Map();
const lowLink = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
/** @param {string} file */
function visit(file) {
  indexOf.set(file, counter);
  lowLink.set(file, counter);
  counter++;
  stack.push(file);
  onStack.add(file);
  for (const target of graph.get(file) ?? []) {
    if (!indexOf.has(target)) {
      visit(target);
      lowLink.set(file, Math.min(lowLink.get(file), lowLink.get(target)));
    } else if (onStack.has(target)) {
      lowLink.set(file, Math.min(lowLink.get(file), indexOf.get(target)));
    }
  }
  if (lowLink.get(file) === indexOf.get(file)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) cycles.push(component);
  }
}
for (const file of files) if (!indexOf.has(file)) visit(file);

if (cycles.length === 0) {
  console.log(`import cycles: none among ${files.length} TypeScript files in src/ and scripts/`);
} else {
  console.error(`import cycles: ${cycles.length} among ${files.length} TypeScript files in src/ and scripts/`);
  for (const cycle of cycles) {
    const members = new Set(cycle);
    console.error(`- ${cycle.length} files:`);
    for (const file of cycle.sort()) {
      const inCycle = (graph.get(file) ?? []).filter((target) => members.has(target));
      console.error(`    ${relative(root, file)} -> ${inCycle.map((target) => relative(root, target)).join(', ')}`);
    }
  }
  process.exit(1);
}
