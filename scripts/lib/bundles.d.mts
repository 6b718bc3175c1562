export interface Bundle {
  entry: string;
  name: string;
}
export const extensionBundle: Bundle;
export const lazyBundles: Bundle[];
export const cliBundle: Bundle;
export const webBundles: Bundle[];
export function lazyBundlesPlugin(self: string): import('esbuild').Plugin;
export function nodeBundleOptions(bundle: Bundle): import('esbuild').BuildOptions;
