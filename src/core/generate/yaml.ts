/** Turns plain data into YAML text through the `yaml` Document API, never by pasting strings. */
import { Document, isPair, isScalar, parse, Scalar, visit } from 'yaml';

export interface ToYamlOptions {
  /** Keys whose string values are always double-quoted (prefixes such as `oidc:`). */
  quotedKeys?: ReadonlySet<string>;
  /** A comment above the document (each line gets `# `). */
  comment?: string;
  /** Indentation per level; 2 unless told. */
  indent?: number;
  /** Write sequences under a map key indented (`key:\n  - a`) rather than flush (`key:\n- a`). */
  indentSeq?: boolean;
}

export function toYamlDocument(value: unknown, options: ToYamlOptions = {}): Document {
  const doc = new Document(value);
  const quoted = options.quotedKeys;
  if (quoted && quoted.size > 0) {
    visit(doc, {
      Pair(_, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || !quoted.has(String(pair.key.value))) return;
        if (isScalar(pair.value) && typeof pair.value.value === 'string') pair.value.type = Scalar.QUOTE_DOUBLE;
      },
    });
  }
  // A multi-line string goes out as a block scalar, which cannot hold every string: a line of only
  // spaces comes back empty (`"  \n"` reads back as `"\n"`), and an indented first line makes the
  // output invalid YAML. Such values are double-quoted instead.
  visit(doc, {
    Scalar(_, scalar) {
      if (typeof scalar.value !== 'string' || !scalar.value.includes('\n') || scalar.type === Scalar.QUOTE_DOUBLE)
        return;
      let roundTrips = false;
      try {
        roundTrips = parse(new Document(scalar.value).toString({ lineWidth: 0 })) === scalar.value;
      } catch {
        // Not even valid YAML (a first line indented more than the rest): quote it.
      }
      if (!roundTrips) scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  if (options.comment)
    doc.commentBefore = options.comment
      .split('\n')
      .map((line) => (line ? ` ${line}` : ''))
      .join('\n');
  return doc;
}

export function toYaml(value: unknown, options: ToYamlOptions = {}): string {
  return toYamlDocument(value, options).toString({
    indent: options.indent ?? 2,
    indentSeq: options.indentSeq ?? true,
    lineWidth: 0,
  });
}

/** Joins YAML documents with `---` separators. */
export function joinDocuments(documents: string[]): string {
  return documents.map((text) => (text.endsWith('\n') ? text : `${text}\n`)).join('---\n');
}
