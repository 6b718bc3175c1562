import type { SourceRange } from '../text/range';

export type Severity = 'error' | 'warning' | 'info';

/** A replacement in one file; offsets are in the text the finding was computed on. */
export interface TextEdit {
  file: string;
  startOffset: number;
  endOffset: number;
  newText: string;
}

/** A mechanical fix: edits to existing files and/or new files to create. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  createFiles?: { file: string; content: string }[];
  /** True when this is the fix the user most likely wants (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

export interface Finding {
  /** Stable code, e.g. `TOIDC001`; documented in the README. */
  code: string;
  severity: Severity;
  /** What happens and how to fix it. */
  message: string;
  file: string;
  range: SourceRange;
  fixes?: Fix[];
}
