// `npm run package`: builds talos-oidc-<version>.vsix in the project folder.
// Install it with `code --install-extension talos-oidc-<version>.vsix`.
import { packageVsix } from './lib/package-vsix.mjs';

try {
  await packageVsix({ outFile: process.argv[2] });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
