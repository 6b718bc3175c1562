/**
 * Text from files, tokens and providers printed to a terminal: control characters are shown as
 * `\uXXXX` instead of being obeyed. An issuer value holding `ESC ] 52` would otherwise write the
 * clipboard, `\r` would overwrite the line, and bidi overrides would reorder what is read.
 * The escape is also a valid JSON string escape, so JSON output stays JSON.
 */

/** C0 controls except tab and line feed, DEL, C1 controls, and the bidi embedding/override/isolate marks. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
