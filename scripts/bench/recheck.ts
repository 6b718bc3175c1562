// The seam between the benchmarks and the editor's re-check path. Everything that times "the user
// typed a character, the file is checked again" goes through `createRechecker`, so that when the
// core gains a parse cache (re-parse only the changed document, reuse an unchanged section's
// model), only the body below changes to use it, and every figure follows.
import { checkFile } from '../../src/core/checks/index';
import type { Finding } from '../../src/core/checks/finding';
import type { WorkspaceIndex } from '../../src/core/workspace/index';
import { parseYamlFile } from '../../src/core/workspace/parse';

/** What the re-check path is, named in the JSON output so that runs of different paths are told apart. */
export const RECHECK_PATH = 'parseYamlFile + WorkspaceIndex.update + checkFile (whole file, no cache)';

export type Recheck = (text: string) => Finding[];

/**
 * A re-checker for one open document, living as long as the document: each call gets the
 * document's whole new text, as the editor's diagnostics feature does on a change (it parses,
 * updates the workspace index with the result, then checks against the index).
 */
export function createRechecker(file: string, index: WorkspaceIndex): Recheck {
  return (text) => {
    const parsed = parseYamlFile(file, text);
    index.update(parsed);
    return checkFile(parsed, index);
  };
}
