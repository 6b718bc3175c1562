// `node scripts/go-tools.mjs [NAME ...]`: builds (or reuses) the Go-built test components and
// prints `name<TAB>path` for each. With no names, every tool under test/go. `--prune` also
// removes stale cached builds. Exits 1 when a build fails, with Go's output.
import { ensureGoTool, listGoTools, pruneGoTools } from './lib/go-tools.mjs';

const args = process.argv.slice(2);
const names = args.filter((arg) => !arg.startsWith('--'));
let failed = false;
for (const name of names.length ? names : listGoTools()) {
  try {
    console.log(`${name}\t${await ensureGoTool(name)}`);
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : String(error));
  }
}
if (args.includes('--prune')) pruneGoTools();
process.exit(failed ? 1 : 0);
