/**
 * The one way the extension loads a lazy bundle (the list is scripts/lib/bundles.mjs): a
 * `require` of the entry's source module, which the build turns into a require of
 * dist/lazy-<name>.js beside the calling bundle. Node keeps the loaded module, so every caller,
 * in any bundle, gets the same instance.
 */
import type * as LazyCluster from './cluster';
import type * as LazyView from '../view/treeContent';
import type { LazyLoginModule } from '../login/lazyApi';

/* eslint-disable @typescript-eslint/no-require-imports */

/** The login core (oauth4webapi, the loopback listener): the first test login. */
export function loadLogin(): LazyLoginModule {
  return require('./login') as LazyLoginModule;
}

/** The live-cluster code with @kubernetes/client-node: the first cluster command. */
export function loadCluster(): typeof LazyCluster {
  return require('./cluster') as typeof LazyCluster;
}

/** What the side panel's rows say: the first time the panel is drawn. */
export function loadView(): typeof LazyView {
  return require('../view/treeContent') as typeof LazyView;
}
