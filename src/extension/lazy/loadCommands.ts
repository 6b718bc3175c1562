/**
 * Loads the lazy commands bundle the way load.ts loads the others; a module of its own because
 * the commands bundle itself uses load.ts (its commands open the login and cluster bundles).
 */
import type * as LazyCommands from './commands';

/* eslint-disable @typescript-eslint/no-require-imports */

/** Every command's UI code, generators and provider presets: the first command run. */
export function loadCommands(): typeof LazyCommands {
  return require('./commands') as typeof LazyCommands;
}
