export * from './command';
export * from './nodes';
