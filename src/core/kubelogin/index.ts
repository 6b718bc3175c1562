export * from './process';
export * from './detect';
export * from './install';
export * from './cache';
export * from './path';
