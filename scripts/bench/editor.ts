// Figures measured in the real editor (code-server with the built extension, driven by headless
// Chromium): the activation time its Running Extensions view reports, and keystroke-to-
// diagnostics in the extension host. Opt-in (`npm run bench -- --editor`): they take a minute.
import type { Maybe } from './maybe';

export interface ActivationFigure {
  /** codeLoadingTime + activateCallTime, as the Running Extensions view shows it. */
  activationMs: number;
  /** The view's own words, e.g. "Startup Activation: 12ms". */
  label: string;
  /** What activated the extension (the view's tooltip). */
  activationEvent: string;
  /** Every window's reading; activationMs is their median. */
  runs: number[];
}

/**
 * Single-character edits (the issuer's `s` out and back, so the diagnostics change every time),
 * each timed from the extension's `TextEditor.edit` call to the changed diagnostics.
 */
export interface KeystrokeToDiagnosticsFigure {
  lines: number;
  edits: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The same, counted from the extension host's change event (the debounce's start) instead of the edit call. */
  fromChangeEventP50Ms: number;
  fromChangeEventP95Ms: number;
  /** Every edit, in order, from the edit call to the changed diagnostics. */
  samplesMs: number[];
  /** The diagnostics feature's debounce: typing pauses shorter than this do not re-check. */
  debounceMs: number;
}

export interface EditorFigures {
  activation: Maybe<ActivationFigure>;
  keystrokeToDiagnostics: Maybe<KeystrokeToDiagnosticsFigure>;
}

export const EDITOR_NOT_RUN: EditorFigures = {
  activation: { notMeasured: 'editor figures are opt-in: npm run bench -- --editor' },
  keystrokeToDiagnostics: { notMeasured: 'editor figures are opt-in: npm run bench -- --editor' },
};
