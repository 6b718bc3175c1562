// The seam between the benchmarks and the core's check path: every in-process figure of "ours"
// goes through `checkText` (a file checked from scratch, as lint does) or `createRechecker` (the
// same open document checked again after each keystroke, as the editor does). When the core
// gains a faster parse path or a per-document parse cache, only the bodies below change to use
// it (and the two names that say which path was measured), and every figure follows.
import { checkFile } from '../../src/core/checks/index';
import type { Finding } from '../../src/core/checks/finding';
import type { WorkspaceIndex } from '../../src/core/workspace/workspaceIndex';
import { ParseCache, parseYamlFile } from '../../src/core/workspace/parse';

/** What the re-check path is, named in the JSON output so that runs of different paths are told apart. */
export const CHECK_PATH = 'parseYamlFile (no time budget) + checkFile';
export const RECHECK_PATH = "ParseCache.parse (the editor's per-document cache) + WorkspaceIndex.update + checkFile";

/**
 * Parses and checks a whole file, without the parse's 400 ms give-up: a run that gave up would be
 * timed as a fast one (whether the product's budget gives up is reported by the lint figures).
 */
export function checkText(file: string, text: string, index: WorkspaceIndex): Finding[] {
  return checkFile(parseYamlFile(file, text, { budgetMs: Number.POSITIVE_INFINITY }), index);
}

export type Recheck = (text: string) => Finding[];

/**
 * A re-checker for one open document, living as long as the document: each call gets the
 * document's whole new text, as the editor's diagnostics feature does on a change (it parses,
 * updates the workspace index with the result, then checks against the index), through the same
 * per-document parse cache (src/extension/state/workspaceModel.ts).
 */
export function createRechecker(file: string, index: WorkspaceIndex): Recheck {
  const cache = new ParseCache();
  return (text) => {
    const parsed = cache.parse(file, text);
    index.update(parsed);
    return checkFile(parsed, index);
  };
}
