/**
 * CEL for the JWT authenticator (claim mappings, claim validation and user validation rules),
 * evaluated with @marcbachmann/cel-js. It supports what Kubernetes expressions typically use
 * (optional field selection `claims.?x.orValue(y)`, `has()`, `split`, `lowerAscii`, `startsWith`,
 * `join`, list macros). Where it cannot evaluate something as cel-go would, callers get an
 * "unpredictable" result instead of a guess.
 *
 * Import ./cel.ts, never this module: it loads this engine on the first expression.
 */
import { Environment, type ASTNode, type TypeCheckResult } from '@marcbachmann/cel-js';
import { serialize } from '@marcbachmann/cel-js/serialize';

export type CelVariable = 'claims' | 'user';

const OPTIONS = { enableOptionalTypes: true, homogeneousAggregateLiterals: false } as const;

let claimsEnv: Environment | undefined;
let userEnv: Environment | undefined;

/** Stands for cel-go's `sets` extension namespace (`sets.contains(a, b)`, ...). */
class SetsLibrary {}

/**
 * Kubernetes' CEL environment has extension libraries this library lacks. The few added here
 * follow cel-go's definitions exactly; anything else that is missing makes a review "cannot predict".
 */
function withKubernetesExtensions(env: Environment): Environment {
  return (
    env
      .registerType('k8s.SetsLibrary', SetsLibrary)
      .registerConstant('sets', 'k8s.SetsLibrary', new SetsLibrary())
      // sets.contains(a, b): every element of b is in a.
      .registerFunction('k8s.SetsLibrary.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) =>
        b.every((x) => a.some((y) => celEquals(x, y))),
      )
      .registerFunction(
        'k8s.SetsLibrary.equivalent(list, list): bool',
        (_: unknown, a: unknown[], b: unknown[]) =>
          b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
      )
      .registerFunction('k8s.SetsLibrary.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) =>
        a.some((x) => b.some((y) => celEquals(x, y))),
      )
      // strings extension: replace all (or the first n; n < 0 means all), reverse by code point.
      .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) =>
        goReplace(s, from, to, -1),
      )
      .registerFunction(
        'string.replace(string, string, int): string',
        (s: string, from: string, to: string, n: bigint) => goReplace(s, from, to, Number(n)),
      )
      .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
  );
}

/** Go's strings.Replace (an empty `from` inserts `to` at every code point boundary). */
function goReplace(s: string, from: string, to: string, n: number): string {
  if (n === 0 || from === to) return s;
  if (from === '') {
    const chars = [...s];
    let out = '';
    let count = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || count < n) {
        out += to;
        count++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  const parts = s.split(from);
  if (n < 0 || n >= parts.length - 1) return parts.join(to);
  return parts.slice(0, n + 1).join(to) + from + parts.slice(n + 1).join(from);
}

/** CEL equality for list elements: numbers compare across int/uint/double, lists and maps deeply. */
export function celEquals(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint'))
    return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b as object, k) &&
          celEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
}

function environment(variable: CelVariable): Environment {
  if (variable === 'claims') {
    // Kubernetes declares `claims` as map(string, dyn).
    claimsEnv ??= withKubernetesExtensions(new Environment(OPTIONS))
      .registerVariable('claims', 'map<string, dyn>')
      // cel-go's string(): numbers from JSON are doubles, formatted like Go's strconv 'g' (shortest).
      .registerFunction('goString(dyn): string', (v: unknown) => {
        if (typeof v === 'number') return goFormatDouble(v);
        if (typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string') return String(v);
        throw new Error(`string() of ${celKind(v)} is not predicted here`);
      });
    return claimsEnv;
  }
  // Kubernetes declares `user` as kubernetes.UserInfo{username, uid, groups, extra}.
  userEnv ??= withKubernetesExtensions(new Environment(OPTIONS))
    .registerType('kubernetes.UserInfo', {
      fields: { username: 'string', uid: 'string', groups: 'list<string>', extra: 'map<string, list<string>>' },
    })
    .registerVariable('user', 'kubernetes.UserInfo');
  return userEnv;
}

/**
 * This library rejects `has()` on a selection whose operand contains an index
 * (`has(claims.a[0].b)`), which cel-go accepts. On maps `has(x.f)` equals `x.?f.hasValue()`,
 * so such calls are rewritten to that form. Returns undefined when nothing was rewritten.
 */
export function rewriteHasMacros(expression: string): string | undefined {
  let changed = false;
  const out = rewriteGlobalCalls(expression, 'has', (start, open) => {
    const close = matchingParen(expression, open);
    if (close < 0) return 'abort';
    const arg = expression.slice(open + 1, close);
    const sel = /^([\s\S]*\S)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(arg);
    if (!sel || !sel[1].includes('[')) return { text: expression.slice(start, close + 1), next: close + 1 };
    const inner = rewriteHasMacros(sel[1]) ?? sel[1];
    changed = true;
    return { text: `(${inner}).?${sel[2]}.hasValue()`, next: close + 1 };
  });
  return out !== undefined && changed ? out : undefined;
}

/**
 * Copies an expression, handing each call of the global function `name` (outside string
 * literals, not a member call) to `rewrite`, which gives the text to put there and where to go on,
 * or 'abort' to give up (the result is then undefined).
 */
function rewriteGlobalCalls(
  expression: string,
  name: string,
  rewrite: (start: number, openParen: number) => { text: string; next: number } | 'abort',
): string | undefined {
  const call = new RegExp(`^${name}\\s*\\(`);
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      const end = skipString(expression, i);
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const m = call.exec(expression.slice(i));
    if (m && (i === 0 || !/[\w.]/.test(expression[i - 1]))) {
      const replaced = rewrite(i, i + m[0].length - 1);
      if (replaced === 'abort') return undefined;
      out += replaced.text;
      i = replaced.next;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function skipString(s: string, start: number): number {
  const q = s[start];
  const triple = s.startsWith(q.repeat(3), start);
  if (triple) {
    const end = s.indexOf(q.repeat(3), start + 3);
    return end < 0 ? s.length : end + 3;
  }
  let i = start + 1;
  while (i < s.length && s[i] !== q) i += s[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, s.length);
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      i = skipString(s, i) - 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export type CelCompileResult =
  | { ok: true; outputType: string }
  /**
   * `certain`: false when the library rejected something cel-go may accept.
   * `exact`: true when `detail` is cel-go's own text; otherwise it is this tool's wording.
   */
  | { ok: false; detail: string; certain: boolean; exact: boolean };

/**
 * Compile (parse and type-check) an expression. `detail` follows the API server's
 * `compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')` where
 * the cause is the same; other parse errors keep this library's wording.
 */
export function compileCel(expression: string, variable: CelVariable): CelCompileResult {
  let result: TypeCheckResult;
  try {
    result = environment(variable).check(runnable(expression));
  } catch (err) {
    return { ok: false, detail: `compilation failed: ${firstLine(err)}`, certain: false, exact: false };
  }
  const ranges = variable === 'claims' ? anyTypedRanges(expression) : [];
  if (ranges.length > 0 && (result.valid || /cannot be range of a comprehension/.test(result.error?.message ?? ''))) {
    return { ok: false, detail: `compilation failed: ${ranges.join('\n')}`, certain: true, exact: true };
  }
  if (result.valid) return { ok: true, outputType: result.type ?? 'dyn' };
  const error = result.error;
  const message = error?.message ?? 'unknown error';
  const unknownVariable = /^Unknown variable: ([A-Za-z_][A-Za-z0-9_]*)/.exec(message);
  if (unknownVariable) {
    const name = unknownVariable[1];
    // A macro's variable (e.g. cel-go's two-variable `all(i, v, …)`) that this library does not bind.
    const macroVariable = new RegExp(`\\.\\s*[A-Za-z_]\\w*\\s*\\(\\s*${name}\\s*,`).test(expression);
    return { ok: false, detail: undeclaredReference(expression, name), certain: !macroVariable, exact: !macroVariable };
  }
  if (error?.name === 'ParseError') {
    // Optional list/map entries (`[?x]`, `{?k: v}`) are valid in cel-go but not parsed here.
    const optionalEntries = /QUESTION/.test(message) || /[[{,]\s*\?/.test(expression);
    return { ok: false, detail: `compilation failed: ${firstLine(error)}`, certain: !optionalEntries, exact: false };
  }
  if (variable === 'user' && /^No such key: /.test(message)) {
    const key = message.slice('No such key: '.length).split('\n')[0];
    // cel-go points at the selection's '.': exact when the field is selected once, from user.
    const code = expression.replace(
      /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g,
      (lit) => lit[0] + ' '.repeat(lit.length - 2) + lit[0],
    );
    const selections = [...code.matchAll(new RegExp(`(^|[^\\w.])user\\s*(\\.)\\s*${key}\\b`, 'g'))];
    if (selections.length === 1) {
      const dot = (selections[0].index ?? 0) + selections[0][0].indexOf('.');
      return {
        ok: false,
        detail: `compilation failed: ${celGoError(expression, dot, `undefined field '${key}'`)}`,
        certain: true,
        exact: true,
      };
    }
    return { ok: false, detail: `compilation failed: undefined field '${key}'`, certain: true, exact: false };
  }
  return { ok: false, detail: `compilation failed: ${firstLine(error)}`, certain: false, exact: false };
}

const COMPREHENSIONS = ['all', 'exists', 'exists_one', 'map', 'filter'];

/**
 * cel-go types `claims` as map(string, any), so a claim selected from it (`claims.groups`,
 * `claims["groups"]`, `claims.?groups.orValue([])`) has type any, which a comprehension macro
 * (`map`, `filter`, `all`, `exists`, `exists_one`) refuses to range over; this library accepts it.
 * Returns cel-go's error for each such range (wrap the claim in `dyn(...)` to make it valid).
 */
function anyTypedRanges(expression: string): string[] {
  // Blank out string literals (keeping every offset) so their contents cannot match.
  const code = expression.replace(
    /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g,
    (lit) => lit[0] + ' '.repeat(lit.length - 2) + lit[0],
  );
  const errors: string[] = [];
  const variable = /(^|[^.\w])claims\b/g;
  for (let m = variable.exec(code); m; m = variable.exec(code)) {
    const start = m.index + m[1].length;
    // Plain parentheses around the selection, `(claims.groups).map(…)`, do not change its type.
    let open = 0;
    for (let j = start - 1; j >= 0 && /[\s(]/.test(code[j]); j--) if (code[j] === '(') open++;
    const before = code.slice(0, start).replace(/[\s(]+$/, '');
    if (open > 0 && /[\w.]$/.test(before)) open = 0; // a function call such as dyn(claims.x)
    let i = start + 'claims'.length;
    const skip = () => {
      while (i < code.length && /\s/.test(code[i])) i++;
    };
    skip();
    // One selection step: .name, .?name, ["key"]. Its node sits at the '.' or '['.
    const select = /^\.\s*(\?)?\s*[A-Za-z_]\w*/.exec(code.slice(i));
    const index = /^\[\s*(?:"[^"]*"|'[^']*')\s*\]/.exec(code.slice(i));
    const step = select ?? index;
    if (!step) continue;
    let position = i;
    let type = select?.[1] ? 'optional_type(any)' : 'any';
    i += step[0].length;
    skip();
    // An optional's .orValue(default) gives any again; the call's node sits at its '('.
    const orValue = type !== 'any' ? /^\.\s*orValue\s*\(/.exec(code.slice(i)) : null;
    if (orValue) {
      position = i + orValue[0].length - 1;
      const close = matchingParen(code, position);
      if (close < 0) continue;
      i = close + 1;
      type = 'any';
      skip();
    }
    for (; open > 0 && code[i] === ')'; open--) {
      i++;
      skip();
    }
    const macro = /^\.\s*([A-Za-z_]\w*)\s*\(/.exec(code.slice(i));
    if (!macro || !COMPREHENSIONS.includes(macro[1])) continue;
    errors.push(
      celGoError(
        expression,
        position,
        `expression of type '${type}' cannot be range of a comprehension (must be list, map, or dynamic)`,
      ),
    );
  }
  return errors;
}

/** cel-go's `ERROR: <input>:line:column: message` with the source line and a caret. */
function celGoError(expression: string, offset: number, message: string): string {
  const before = expression.slice(0, offset).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length;
  const snippet = expression.split('\n')[line - 1];
  return `ERROR: <input>:${line}:${column + 1}: ${message}\n | ${snippet}\n | ${'.'.repeat(column)}^`;
}

/**
 * cel-go's `split()` returns a list backed by a Go []string, which the API server's conversion of
 * a groups or extra result refuses ("expression must return a string or a list of strings"),
 * while lists from claims, literals, `+` and macros pass. 'direct': the expression's value is
 * such a list; 'maybe': a split list may be returned through a branch; undefined: it is not.
 */
export function returnsSplitList(expression: string): 'direct' | 'maybe' | undefined {
  const code = expression
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (lit) => lit[0] + ' '.repeat(lit.length - 2) + lit[0])
    .trim();
  if (!/\.\s*split\s*\(/.test(code)) return undefined;
  // Depth-0 characters: operators there mean the value is not the last call's result alone.
  let depth = 0;
  let lastOpen = -1;
  let operatorAtTop = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') {
      if (depth === 0 && c === '(') lastOpen = i;
      depth++;
    } else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && /[?:+\-*/%|&<>=!]/.test(c)) operatorAtTop = true;
  }
  if (operatorAtTop) return /[?]/.test(code) ? 'maybe' : undefined;
  if (code.endsWith(')') && lastOpen > 0 && /\.\s*split\s*$/.test(code.slice(0, lastOpen))) return 'direct';
  return undefined;
}

/** The expression as this library can run it (see rewriteHasMacros). */
function runnable(expression: string): string {
  return rewriteHasMacros(expression) ?? expression;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/** cel-go's text for an undeclared identifier, with its source excerpt and caret. */
function undeclaredReference(expression: string, name: string): string {
  const lines = expression.split('\n');
  let line = 0;
  let column = 0;
  const pattern = new RegExp(`(^|[^.\\w])${name}\\b`);
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i]);
    if (m) {
      line = i;
      column = m.index + m[1].length;
      break;
    }
  }
  const snippet = lines[line];
  return (
    `compilation failed: ERROR: <input>:${line + 1}:${column + 1}: undeclared reference to '${name}' (in container '')\n` +
    ` | ${snippet}\n | ${'.'.repeat(column)}^`
  );
}

export type CelValue = unknown;

export type CelEvalResult =
  | { ok: true; value: CelValue }
  /** A runtime error the API server reports; `message` is cel-go's text (e.g. `no such key: hd`). */
  | { ok: false; unpredictable: false; message: string }
  /** This library cannot evaluate it faithfully; `reason` says why. */
  | { ok: false; unpredictable: true; reason: string };

/** Evaluate with `claims` (decoded JSON) or `user` bound, as the API server does. */
export function evaluateCel(expression: string, variable: CelVariable, value: unknown): CelEvalResult {
  const compiled = compileCel(expression, variable);
  if (!compiled.ok) {
    return {
      ok: false,
      unpredictable: true,
      reason: `expression '${expression}' does not compile here: ${compiled.detail}`,
    };
  }
  const context = { [variable]: withUnescapedNames(value) };
  let result: unknown;
  try {
    // string() of a claim goes through goString, which formats numbers as cel-go does.
    const code = variable === 'claims' ? withGoString(runnable(expression)) : runnable(expression);
    result = environment(variable).evaluate(code, context);
  } catch (err) {
    const message = firstLine(err);
    const key = missingMapKey(err, variable, context);
    if (key !== undefined) return { ok: false, unpredictable: false, message: `no such key: ${key}` };
    const known = celGoRuntimeError(message);
    if (known !== undefined) return { ok: false, unpredictable: false, message: known };
    return {
      ok: false,
      unpredictable: true,
      reason: `expression '${expression}' failed to evaluate here (${message})`,
    };
  }
  const risk = fidelityRisk(expression, value, variable);
  if (risk) return { ok: false, unpredictable: true, reason: `expression '${expression}': ${risk}` };
  return { ok: true, value: result };
}

const GO_TYPE_NAMES: Record<string, string> = {
  string: 'types.String',
  null: 'types.Null',
  double: 'types.Double',
  int: 'types.Int',
  uint: 'types.Uint',
  bool: 'types.Bool',
  bytes: 'types.Bytes',
};

/** cel-go's runtime error for a failure this library reports in its own words, where the two surely match. */
function celGoRuntimeError(message: string): string | undefined {
  // A conditional whose condition is not a bool: cel-go's interpreter answers exactly this.
  if (/^Ternary condition must be bool, got '/.test(message)) return 'no such overload';
  // A macro over a value that is not a list or map (only possible through dyn at run time).
  const range = /^Expression of type '(\w+)' cannot be range of a comprehension/.exec(message);
  if (range && GO_TYPE_NAMES[range[1]]) return `got '${GO_TYPE_NAMES[range[1]]}', expected iterable type`;
  // The strings extension's split/lowerAscii/upperAscii on a value of another type (a claim that
  // is not a string): cel-go names the function with every argument's type.
  const member =
    /^found no matching overload for '(list|double|bool)\.(split|lowerAscii|upperAscii)\(((?:string|int)?(?:, (?:string|int))*)\)'$/.exec(
      message,
    );
  if (member)
    return `no such overload: ${member[2]}(${[member[1], ...(member[3] ? member[3].split(', ') : [])].join(', ')})`;
  // `+` of mismatched operands. A string or number on the left answers through its own Add
  // ("no such overload"); null, a map or a bool has none, so the dispatcher names the operator.
  const add = /^no such overload: (?:dyn<)?(\w+)(?:<[^>]*>)?>? \+ (?:dyn<)?(\w+)/.exec(message);
  if (add && add[1] !== add[2]) {
    if (['string', 'double', 'int'].includes(add[1]) && add[2] !== 'dyn') return 'no such overload';
    if (['null', 'map', 'bool'].includes(add[1])) return 'no such overload: _+_';
  }
  if (message === "found no matching overload for 'size(null)'") return 'no such overload: size';
  return undefined;
}

/** Rewrites calls of the global string() to goString() (same argument). */
function withGoString(expression: string): string {
  return (
    rewriteGlobalCalls(expression, 'string', (start) => ({ text: 'goString', next: start + 'string'.length })) ??
    expression
  );
}

/**
 * cel-go says `no such key: <k>` when a map lacks a key. This library uses similar words for other
 * failures (a field of null, a list index), so the operand is re-evaluated to make sure it is a map.
 */
function missingMapKey(err: unknown, variable: CelVariable, context: Record<string, unknown>): string | undefined {
  if (!(err instanceof Error) || !/^No such key: /.test(err.message)) return undefined;
  const node = (err as Error & { node?: ASTNode }).node as { op?: string; args?: unknown[] } | undefined;
  if (!node || (node.op !== '.' && node.op !== '[]') || !Array.isArray(node.args) || node.args.length !== 2)
    return undefined;
  const [operand, keyArg] = node.args;
  let key: unknown = keyArg;
  try {
    if (node.op === '[]') key = environment(variable).evaluate(serialize(keyArg as ASTNode), context);
    if (typeof key !== 'string') return undefined;
    const parent: unknown = environment(variable).evaluate(serialize(operand as ASTNode), context);
    return celKind(parent) === 'map' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Built-ins where this library and cel-go differ for some inputs. When the expression uses one
 * and the input could hit the difference, the result is not predicted.
 */
export function fidelityRisk(expression: string, value: unknown, variable: CelVariable = 'user'): string | undefined {
  const code = expression.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '""');
  const uses = (name: string) => new RegExp(`\\b${name}\\s*\\(`).test(code);
  const strings: string[] = [];
  const numbers: number[] = [];
  collectLeaves(value, strings, numbers);
  if (uses('string') && variable !== 'claims') {
    const problem = stringOfDoubleRisk(expression, value);
    if (problem) return problem;
  }
  if ((uses('lowerAscii') || uses('upperAscii')) && strings.some((s) => /[^\x00-\x7f]/.test(s))) {
    return 'lowerAscii()/upperAscii() change only ASCII letters in cel-go; the CEL library used here also changes other letters';
  }
  if (uses('trim') && strings.some((s) => /[\u0085\ufeff]/.test(s))) {
    return 'trim() treats U+0085 and U+FEFF differently in cel-go';
  }
  if (
    ['indexOf', 'lastIndexOf', 'substring', 'charAt', 'split'].some(uses) &&
    strings.some((s) => /[\ud800-\udfff]/.test(s))
  ) {
    return 'string positions count code points in cel-go; this input has characters outside the Basic Multilingual Plane';
  }
  if (uses('matches') && /\(\?[a-zA-Z]|\[\[:|\\[zAQEpP]/.test(expression)) {
    return 'the regular expression uses RE2 syntax that JavaScript regular expressions do not share';
  }
  return undefined;
}

const STRING_OF_DOUBLE =
  'string() of a number is formatted differently by cel-go (e.g. 1.2578976e+09) than by the CEL library used here';

/** Checks each `string(<arg>)`: a plain claim path is resolved; anything else is judged on all numbers. */
function stringOfDoubleRisk(expression: string, value: unknown): string | undefined {
  const calls = /(^|[^\w.])string\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = calls.exec(expression)) !== null) {
    const open = m.index + m[0].length - 1;
    const close = matchingParen(expression, open);
    if (close < 0) return STRING_OF_DOUBLE;
    const arg = expression.slice(open + 1, close).trim();
    if (producesInteger(arg)) continue;
    const path = claimPath(arg);
    const strings: string[] = [];
    const numbers: number[] = [];
    if (path) {
      collectLeaves(resolvePath(value, path), strings, numbers);
    } else {
      if (/\bdouble\s*\(|\d\.\d|\d[eE][+-]?\d|[*/]/.test(arg)) return STRING_OF_DOUBLE;
      collectLeaves(value, strings, numbers);
    }
    if (numbers.some((n) => goFormatDouble(n) !== String(n))) return STRING_OF_DOUBLE;
  }
  return undefined;
}

/** `int(…)`, `uint(…)`, `size(…)`, `….size()`: integers format the same in both libraries. */
function producesInteger(arg: string): boolean {
  const call = /^(?:u?int|size)\s*\(/.exec(arg);
  if (call && matchingParen(arg, call[0].length - 1) === arg.length - 1) return true;
  return (
    /\.\s*size\s*\(\s*\)$/.test(arg) && !/[-+*/%?:]/.test(arg.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '""'))
  );
}

/** `claims.a.b`, `claims['a']`, `claims.?a` (optional, orValue not included) → ['a', 'b']. */
function claimPath(arg: string): string[] | undefined {
  const m = /^(?:claims|user)((?:\s*\.\s*\??\s*[A-Za-z_]\w*|\s*\[\s*\??\s*(?:"[^"\\]*"|'[^'\\]*')\s*\])+)$/.exec(arg);
  if (!m) return undefined;
  const parts: string[] = [];
  const step = /\.\s*\??\s*([A-Za-z_]\w*)|\[\s*\??\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\]/g;
  let s: RegExpExecArray | null;
  while ((s = step.exec(m[1])) !== null) {
    if (s[1] !== undefined) parts.push(celUnescape(s[1]) ?? s[1]);
    else parts.push(s[2] ?? s[3]);
  }
  return parts;
}

function resolvePath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function collectLeaves(value: unknown, strings: string[], numbers: number[]): void {
  if (typeof value === 'string') strings.push(value);
  else if (typeof value === 'number') numbers.push(value);
  else if (Array.isArray(value)) for (const v of value) collectLeaves(v, strings, numbers);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      strings.push(k);
      collectLeaves(v, strings, numbers);
    }
  }
}

/** cel-go's string(double): strconv.FormatFloat(d, 'g', -1, 64). */
export function goFormatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 21 || exp >= 6) {
    const [int, frac] = mantissa.split('.');
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${int}${frac ? '.' + frac : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = n < 0 ? '-' : '';
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}${frac ? '.' + frac : ''}`;
}

const KEYWORDS = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * Kubernetes' CEL field access unescapes names (`claims.kubernetes__dot__io` reads the key
 * `kubernetes.io`; `__dash__`, `__slash__`, `__underscores__`, `__<keyword>__`), in nested objects too.
 * Returns the unescaped name, or undefined when `name` is not an escaped form.
 */
export function celUnescape(name: string): string | undefined {
  if (!name.includes('__')) return undefined;
  const keyword = /^__([a-z]+)__$/.exec(name);
  if (keyword && KEYWORDS.has(keyword[1])) return keyword[1];
  let out = '';
  let i = 0;
  while (i < name.length) {
    if (name.startsWith('__', i)) {
      const match = /^__(dot|dash|slash|underscores)__/.exec(name.slice(i));
      if (!match) return undefined;
      out += { dot: '.', dash: '-', slash: '/', underscores: '__' }[
        match[1] as 'dot' | 'dash' | 'slash' | 'underscores'
      ];
      i += match[0].length;
    } else {
      out += name[i];
      i++;
    }
  }
  return out === name ? undefined : out;
}

function withUnescapedNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withUnescapedNames);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) copy[k] = withUnescapedNames(v);
  const resolve = (key: string | symbol): string | symbol =>
    typeof key === 'string' ? (celUnescape(key) ?? key) : key;
  return new Proxy(copy, {
    get: (target, key) => Reflect.get(target, resolve(key)),
    has: (target, key) => Reflect.has(target, resolve(key)),
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, resolve(key)),
  });
}

/** A CEL value in plain terms, for type checks on results. */
export function celKind(value: unknown): 'string' | 'bool' | 'int' | 'double' | 'null' | 'list' | 'map' | 'other' {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map) return 'map';
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) return 'map';
  return 'other';
}
