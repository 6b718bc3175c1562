/**
 * The legacy API server flags (`cluster.apiServer.extraArgs`, `--oidc-*`) for one `OidcSetup`.
 */
import type { OidcSetup } from './setup';
import { toYaml } from './yaml';

/** Flag values that a prefix or claim may hold; quoted so `oidc:` never turns into a YAML map. */
export const QUOTED_FLAG_KEYS = new Set(['oidc-username-prefix', 'oidc-groups-prefix', 'prefix']);

export type ApiServerFlagValue = string | string[];

/** The `extraArgs` entries for the legacy flags, in the order they are written. */
export function oidcExtraArgs(setup: OidcSetup): [string, ApiServerFlagValue][] {
  const args: [string, ApiServerFlagValue][] = [
    ['oidc-issuer-url', setup.issuerUrl],
    ['oidc-client-id', setup.clientId],
    ['oidc-username-claim', setup.usernameClaim],
  ];
  if (setup.usernamePrefix !== undefined)
    args.push(['oidc-username-prefix', setup.usernamePrefix === '' ? '-' : setup.usernamePrefix]);
  if (setup.groupsClaim) {
    args.push(['oidc-groups-claim', setup.groupsClaim]);
    if (setup.groupsPrefix) args.push(['oidc-groups-prefix', setup.groupsPrefix]);
  }
  const required = Object.entries(setup.requiredClaims ?? {}).map(([claim, value]) => `${claim}=${value}`);
  // kube-apiserver reads `a=b,c=d` as two claims, and a string is what every Talos version takes:
  // Talos 1.12 and 1.13 refuse a list here (only 1.14's config code reads one). A list only when a
  // value itself holds a comma.
  if (
    required.length === 1 ||
    (required.length > 1 && !required.some((pair) => pair.slice(pair.indexOf('=') + 1).includes(',')))
  ) {
    args.push(['oidc-required-claim', required.join(',')]);
  } else if (required.length > 1) args.push(['oidc-required-claim', required]);
  if (
    setup.signingAlgs &&
    setup.signingAlgs.length > 0 &&
    !(setup.signingAlgs.length === 1 && setup.signingAlgs[0] === 'RS256')
  ) {
    args.push(['oidc-signing-algs', setup.signingAlgs.join(',')]);
  }
  if (setup.caFile) args.push(['oidc-ca-file', setup.caFile]);
  return args;
}

export function extraArgsObject(setup: OidcSetup): Record<string, ApiServerFlagValue> {
  return Object.fromEntries(oidcExtraArgs(setup));
}

/** The legacy layout: `cluster.apiServer.extraArgs` (valid as a Talos strategic-merge patch too). */
export function generateExtraArgs(setup: OidcSetup): string {
  return toYaml({ cluster: { apiServer: { extraArgs: extraArgsObject(setup) } } }, { quotedKeys: QUOTED_FLAG_KEYS });
}
