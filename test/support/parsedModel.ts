/** What the checks read of a parsed file, as plain data: two parses compare equal when this does. */
import { talosAuthenticator } from '../../src/core/talos/authenticator';
import type { ParsedFile } from '../../src/core/workspace/types';

/** Kinds, syntax problems, settings, bindings, users, embedded files, the authenticator model and the documents' ranges (no yaml nodes). */
export function modelOf(parsed: ParsedFile): unknown {
  return JSON.parse(
    JSON.stringify({
      kinds: [...parsed.kinds],
      yamlProblems: parsed.yamlProblems,
      talos: parsed.talos,
      authenticationConfig: parsed.authenticationConfig,
      bindings: parsed.bindings,
      kubeconfigUsers: parsed.kubeconfigUsers,
      talhelper: parsed.talhelper,
      skipped: parsed.skipped,
      embedded: parsed.embedded?.map((entry) => [entry.label, entry.role, modelOf(entry.parsed)]),
      authenticator: parsed.talos || parsed.authenticationConfig ? talosAuthenticator(parsed) : undefined,
      // Where each document's content starts and ends (a list cut from the end of one must not move its end).
      documentRanges: parsed.source.documents.map((_, index) => parsed.rangeOf(index, [])),
    }),
  );
}
