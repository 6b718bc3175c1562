/**
 * CEL for the JWT authenticator: the functions the checks and the token review call. The engine
 * (celEngine.ts with @marcbachmann/cel-js, about 95 KB bundled) is loaded on the first call, so a
 * configuration without CEL expressions never loads it: the extension's start-up bundle stays
 * small. The extension build turns the `require` below into a require of dist/lazy-cel.js; the
 * command line and the tests load the module itself.
 */
import type * as CelEngine from './celEngine';

export type { CelCompileResult, CelEvalResult, CelValue, CelVariable } from './celEngine';

let engine: typeof CelEngine | undefined;

function celEngine(): typeof CelEngine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./celEngine') as typeof CelEngine;
  return engine;
}

export const compileCel: typeof CelEngine.compileCel = (expression, variable) =>
  celEngine().compileCel(expression, variable);
export const evaluateCel: typeof CelEngine.evaluateCel = (expression, variable, value) =>
  celEngine().evaluateCel(expression, variable, value);
export const celKind: typeof CelEngine.celKind = (value) => celEngine().celKind(value);
export const celEquals: typeof CelEngine.celEquals = (a, b) => celEngine().celEquals(a, b);
export const returnsSplitList: typeof CelEngine.returnsSplitList = (expression) =>
  celEngine().returnsSplitList(expression);
export const rewriteHasMacros: typeof CelEngine.rewriteHasMacros = (expression) =>
  celEngine().rewriteHasMacros(expression);
export const fidelityRisk: typeof CelEngine.fidelityRisk = (expression, value, variable) =>
  celEngine().fidelityRisk(expression, value, variable);
export const goFormatDouble: typeof CelEngine.goFormatDouble = (n) => celEngine().goFormatDouble(n);
export const celUnescape: typeof CelEngine.celUnescape = (name) => celEngine().celUnescape(name);
