// A benchmark, not a test: loaded by `npm run bench -- --editor` (scripts/bench/editor-run.ts) as
// the extension host's tests module, never by the integration suite. It types single-character
// edits into the 2,000-line config and times each from the edit to the changed diagnostics, then
// writes the samples to the file named by TALOS_OIDC_BENCH_RESULT.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { DEBOUNCE_MS } from '../../../src/extension/diagnostics/diagnosticsFeature';
import { activateExtension, fixtureUri, hasCode, lacksCode, ours, waitForDiagnostics } from '../suite/editorHelpers';

/** The config the driver wrote into the workspace, and the issuer whose `s` the edits take out and put back. */
const CONFIG = 'controlplane.yaml';
const SCHEME = 'https://id.example.com';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<void> {
  const resultFile = process.env.TALOS_OIDC_BENCH_RESULT;
  if (!resultFile) throw new Error('TALOS_OIDC_BENCH_RESULT is not set: run this through npm run bench -- --editor');
  const edits = Number(process.env.TALOS_OIDC_BENCH_EDITS ?? 60);
  /** The first keystrokes after opening also warm up the code (JIT): not counted, as in the other warm figures. */
  const warmUp = 4;
  const api = await activateExtension();
  const document = await vscode.workspace.openTextDocument(fixtureUri(CONFIG));
  const editor = await vscode.window.showTextDocument(document);
  // Checked once as opened (the result may add no diagnostic, so there may be no event to wait on).
  for (let waited = 0; !api.diagnostics.resultFor(document); waited += 50) {
    if (waited > 60_000) throw new Error(`${CONFIG} was not checked within a minute of opening`);
    await pause(50);
  }
  if (hasCode('TOIDC103')(ours(document.uri))) throw new Error(`${CONFIG} should start with an https issuer`);
  const offset = document.getText().indexOf(SCHEME) + 'http'.length;
  if (offset < 'http'.length) throw new Error(`no ${SCHEME} in ${CONFIG}`);
  const position = document.positionAt(offset);

  const samples: number[] = [];
  /** From the extension host's change event (what starts the debounce) to the diagnostics. */
  const fromChangeEvent: number[] = [];
  for (let i = 1; i <= warmUp + edits; i++) {
    const deleting = i % 2 === 1;
    let changeSeen: number | undefined;
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && changeSeen === undefined) changeSeen = performance.now();
    });
    const started = performance.now();
    // Subscribed before the edit, so a result that comes back at once is not missed.
    const changed = waitForDiagnostics(
      document.uri,
      deleting ? hasCode('TOIDC103') : lacksCode('TOIDC103'),
      deleting ? 'TOIDC103 after deleting the s' : 'TOIDC103 gone after typing the s',
    );
    const applied = await editor.edit((builder) => {
      if (deleting) builder.delete(new vscode.Range(position, position.translate(0, 1)));
      else builder.insert(position, 's');
    });
    if (!applied) throw new Error(`edit ${i} was not applied`);
    await changed;
    const done = performance.now();
    listener.dispose();
    if (i > warmUp) {
      samples.push(done - started);
      fromChangeEvent.push(done - (changeSeen ?? started));
    }
    // A person's next keystroke comes after a pause; so does the next sample.
    await pause(50);
  }
  writeFileSync(
    resultFile,
    JSON.stringify({
      lines: document.lineCount,
      edits: samples.length,
      samples,
      fromChangeEvent,
      debounceMs: DEBOUNCE_MS,
    }),
  );
  await vscode.commands.executeCommand('workbench.action.files.revert');
}
