/**
 * The live-cluster part of the core. This entry loads `@kubernetes/client-node`: the extension
 * reaches it only through its lazily loaded bundle; identity.ts and errors.ts are light.
 */
export * from './identity';
export * from './errors';
export * from './connection';
export * from './operations';
