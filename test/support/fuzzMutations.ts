/**
 * The seeded mutations of the hardening fuzz (test/unit/hardening/fuzz.test.ts), shared with the
 * tests that compare two ways of doing the same thing on fuzzed input (the parse's fast path).
 */
/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FRAGMENTS = [
  '"',
  "'",
  ':',
  ': ',
  '- ',
  '#',
  '&a ',
  '*a',
  '!!binary ',
  '!!str ',
  '{',
  '}',
  '[',
  ']',
  '|',
  '>',
  '---\n',
  '...\n',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u001b]52;c;aGk=\u0007',
  '\u202e',
  '\ufeff',
  '💥',
  'oidc:',
  '<url of pocket-id>',
  'https://',
  'http://',
  '${HOME}',
  '$(touch x)',
  '9'.repeat(40),
  '-0',
  '.nan',
  'null',
  '~',
  'true',
  'y',
  '0x1f',
  '<<: *a',
  '? ',
  'kind: ClusterRoleBinding\n',
  'kind: AuthenticationConfiguration\n',
  'apiVersion: apiserver.config.k8s.io/v1\n',
  'users:\n',
  '  - name: x\n',
  '        oidc-issuer-url: ',
  'jwt:\n  - issuer:\n      url: ',
];

export function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const at = () => Math.floor(next() * (text.length + 1));
  const lines = () => text.split('\n');
  const times = 1 + Math.floor(next() * 4);
  for (let i = 0; i < times; i++) {
    switch (Math.floor(next() * 9)) {
      case 0: {
        const p = at();
        text = text.slice(0, p) + pick(FRAGMENTS) + text.slice(p);
        break;
      }
      case 1: {
        const p = at();
        text = text.slice(0, p) + text.slice(p + 1 + Math.floor(next() * 20));
        break;
      }
      case 2: {
        const l = lines();
        l.splice(Math.floor(next() * l.length), 1);
        text = l.join('\n');
        break;
      }
      case 3: {
        const l = lines();
        const k = Math.floor(next() * l.length);
        l.splice(k, 0, l[k] ?? '');
        text = l.join('\n');
        break;
      }
      case 4: {
        const l = lines();
        const k = Math.floor(next() * l.length);
        l[k] = ' '.repeat(Math.floor(next() * 4)) + (l[k] ?? '');
        text = l.join('\n');
        break;
      }
      case 5:
        text = text.slice(0, at());
        break;
      case 6: {
        const p = at();
        text = text.slice(0, p) + String.fromCharCode(Math.floor(next() * 0x3000)) + text.slice(p);
        break;
      }
      case 7: {
        const p = at();
        const q = at();
        const [a, b] = p < q ? [p, q] : [q, p];
        text = text.slice(0, b) + text.slice(a, b) + text.slice(b);
        break;
      }
      default: {
        const l = lines();
        const k = Math.floor(next() * l.length);
        l[k] = (l[k] ?? '').replace(/: .*/, `: ${pick(FRAGMENTS)}`);
        text = l.join('\n');
      }
    }
  }
  return text;
}
