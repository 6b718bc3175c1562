/**
 * Files shaped to make a YAML parser slow or hungry: the benchmark (`npm run bench`) measures
 * each, and the unit tests hold the parse path to its budget with them. Each generator is
 * deterministic, so a figure can be compared between runs.
 */
export interface HostileShape {
  name: string;
  text: () => string;
}

const MB = 1024 * 1024;

function lines(count: number, line: (i: number) => string): string {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = line(i);
  return out.join('\n') + '\n';
}

/** A flat map of `count` distinct keys (the duplicate-key check used to compare each with every earlier one). */
export const flatMap = (count: number): string => lines(count, (i) => `key${i}: value${i}`);

/** Lines that each open a quote and never close it (the quote search used to rescan the text per error). */
export const unclosedQuotes = (count: number): string =>
  lines(count, (i) => (i % 2 === 0 ? `key${i}: "unclosed ${i}` : `- 'unclosed ${i}`));

/** The billion-laughs shape: ten aliases of ten aliases of … (expanding it would take gigabytes). */
export function aliasBomb(levels = 9): string {
  const out = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= levels; level++) {
    const previous = `*a${level - 1}`;
    out.push(`a${level}: &a${level} [${new Array(10).fill(previous).join(',')}]`);
  }
  // Shaped like a Talos config so that every consumer (node suggestions, checks) reaches it.
  out.push(
    'machine:',
    '  type: controlplane',
    '  certSANs: *a' + levels,
    'cluster:',
    '  apiServer:',
    '    certSANs: *a' + levels,
  );
  return out.join('\n') + '\n';
}

/** Flow sequences nested `depth` deep: `[[[…]]]`. */
export const deepFlow = (depth: number): string => 'key: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n';

/** Block sequences nested `depth` deep on one line: `- - - … x`. */
export const deepBlock = (depth: number): string => '- '.repeat(depth) + 'x\n';

/** A plausible machine config padded with inline-manifest lines to `bytes`. */
export function largeConfig(bytes: number): string {
  const head = [
    'version: v1alpha1',
    'machine:',
    '  type: controlplane',
    'cluster:',
    '  apiServer:',
    '    extraArgs:',
    '      oidc-issuer-url: https://id.example.com',
    '      oidc-client-id: kubernetes',
    '      oidc-username-claim: email',
    '      oidc-groups-claim: groups',
    '      oidc-groups-prefix: "oidc:"',
    '  inlineManifests:',
    '    - name: padding',
    '      contents: |-',
  ];
  let text = head.join('\n') + '\n';
  const parts: string[] = [text];
  let size = text.length;
  for (let i = 0; size < bytes; i++) {
    const line = `        # manifest line ${i} with some words to make it look like a real one\n`;
    parts.push(line);
    size += line.length;
  }
  text = parts.join('');
  return text.slice(0, bytes);
}

/** One line of `length` characters, with colons and quotes sprinkled through it. */
export function longLine(length: number): string {
  const unit = 'abc: "d\' e:f ';
  return 'key: ' + unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + '\n';
}

/** Pseudo-random bytes decoded as UTF-8 (the way an editor hands a binary file over). */
export function binary(bytes: number, seed = 1, withNul = true): string {
  const buffer = Buffer.alloc(bytes);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    let byte = state & 0xff;
    if (!withNul && byte === 0) byte = 1;
    buffer[i] = byte;
  }
  return buffer.toString('utf8');
}

export const HOSTILE_SHAPES: HostileShape[] = [
  { name: 'flat map, 100k keys', text: () => flatMap(100_000) },
  { name: '50k lines of unclosed quotes', text: () => unclosedQuotes(50_000) },
  { name: 'alias bomb (10^9 expansion)', text: () => aliasBomb(9) },
  { name: '100k-deep flow nesting', text: () => deepFlow(100_000) },
  { name: '100k-deep block nesting', text: () => deepBlock(100_000) },
  { name: '5 MB config', text: () => largeConfig(5 * MB - 1) },
  { name: 'long line, 1M characters', text: () => longLine(MB) },
  { name: 'binary, 1 MB', text: () => binary(MB) },
  { name: 'binary without NUL, 1 MB', text: () => binary(MB, 7, false) },
];
