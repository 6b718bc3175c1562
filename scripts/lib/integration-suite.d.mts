// Types of integration-suite.mjs for the TypeScript test helpers (test/browser/lib).
export const suiteSource: string;
export const suiteOut: string;
export const suiteEntry: string;
export const fixtureWorkspace: string;
export function buildExtension(): Promise<void>;
export function bundleSuite(): Promise<number>;
export function copyFixtureWorkspace(): string;
