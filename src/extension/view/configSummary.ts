/**
 * What one Talos config (or AuthenticationConfiguration) sets up for OIDC, with where each value
 * is written, for the side panel. Display only: the checks decide what is right or wrong.
 */
import { effectiveUsernamePrefix } from '../../core/generate/setup';
import { apiServerAuthentication } from '../../core/talos/authenticator';
import type { SourceRange } from '../../core/text/range';
import type { ParsedFile, RbacBinding } from '../../core/workspace/types';
import { isRecord } from '../../core/data/record';

export type SummaryField = 'issuer' | 'clientId' | 'usernameClaim' | 'usernamePrefix' | 'groupsClaim' | 'groupsPrefix';

export interface ConfigSummary {
  layout: 'extraArgs' | 'KubeAuthenticationConfig' | 'AuthenticationConfiguration' | 'both' | 'none';
  issuer?: string;
  clientId?: string;
  usernameClaim?: string;
  /** The prefix the API server applies (the `<issuer>#` default included). */
  usernamePrefix?: string;
  /** The prefix as written ('' for none, `-` translated), undefined when not written (the default applies). */
  writtenUsernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  /** Where each value is written; absent for defaults. */
  ranges: Partial<Record<SummaryField, SourceRange>>;
  /** Number of JWT issuers beyond the first (shown, not detailed). */
  otherIssuers: number;
  machineType?: string;
  /** A KubeAuthenticationConfig is there, but Talos does not pass it to the API server (no KubeAPIServerConfig). */
  kubeAuthenticationConfigIgnored?: boolean;
}

const FLAG_OF: Record<SummaryField, string> = {
  issuer: 'oidc-issuer-url',
  clientId: 'oidc-client-id',
  usernameClaim: 'oidc-username-claim',
  usernamePrefix: 'oidc-username-prefix',
  groupsClaim: 'oidc-groups-claim',
  groupsPrefix: 'oidc-groups-prefix',
};

const JWT_PATH_OF: Record<SummaryField, (string | number)[]> = {
  issuer: ['issuer', 'url'],
  clientId: ['issuer', 'audiences', 0],
  usernameClaim: ['claimMappings', 'username', 'claim'],
  usernamePrefix: ['claimMappings', 'username', 'prefix'],
  groupsClaim: ['claimMappings', 'groups', 'claim'],
  groupsPrefix: ['claimMappings', 'groups', 'prefix'],
};

export function summarizeConfig(parsed: ParsedFile): ConfigSummary {
  const talos = parsed.talos;
  const machineType = talos?.machineType?.value;
  // The same decision as the checks and the claims view: which of the settings reach the API server.
  const decided = talos ? apiServerAuthentication(talos) : undefined;
  const oidcArgs = (talos?.extraArgs ?? []).filter(
    (arg) => arg.name.startsWith('oidc-') && arg.origin === 'cluster.apiServer',
  );
  const ignored = decided?.kubeAuthenticationConfigIgnored || undefined;
  if (talos?.kubeAuthenticationConfig && (decided?.usesKubeAuthenticationConfig || oidcArgs.length === 0)) {
    const { documentIndex, configuration } = talos.kubeAuthenticationConfig;
    const summary = fromJwt(parsed, configuration, documentIndex, ['configuration', 'jwt', 0]);
    return { ...summary, layout: 'KubeAuthenticationConfig', machineType, kubeAuthenticationConfigIgnored: ignored };
  }
  if (oidcArgs.length > 0) {
    const value = (name: string) => oidcArgs.find((arg) => arg.name === name);
    const ranges: ConfigSummary['ranges'] = {};
    const raw: Partial<Record<SummaryField, string>> = {};
    for (const field of Object.keys(FLAG_OF) as SummaryField[]) {
      const arg = value(FLAG_OF[field]);
      if (!arg) continue;
      raw[field] = arg.values[0];
      ranges[field] = arg.valueRange;
    }
    const usernameClaim = raw.usernameClaim ?? 'sub';
    const issuer = raw.issuer;
    return {
      layout: talos?.kubeAuthenticationConfig ? 'both' : 'extraArgs',
      kubeAuthenticationConfigIgnored: ignored,
      issuer,
      clientId: raw.clientId,
      usernameClaim,
      usernamePrefix:
        issuer === undefined
          ? raw.usernamePrefix
          : effectiveUsernamePrefix({ usernamePrefix: raw.usernamePrefix, usernameClaim, issuerUrl: issuer }),
      writtenUsernamePrefix: raw.usernamePrefix === '-' ? '' : raw.usernamePrefix,
      groupsClaim: raw.groupsClaim,
      groupsPrefix: raw.groupsClaim ? (raw.groupsPrefix ?? '') : raw.groupsPrefix,
      ranges,
      otherIssuers: 0,
      machineType,
    };
  }
  if (parsed.authenticationConfig) {
    const { body, documentIndex } = parsed.authenticationConfig;
    return { ...fromJwt(parsed, body, documentIndex, ['jwt', 0]), layout: 'AuthenticationConfiguration', machineType };
  }
  return { layout: 'none', ranges: {}, otherIssuers: 0, machineType };
}

function fromJwt(
  parsed: ParsedFile,
  body: unknown,
  documentIndex: number,
  jwtPath: (string | number)[],
): Omit<ConfigSummary, 'layout'> {
  const jwtList = isRecord(body) && Array.isArray(body.jwt) ? body.jwt : [];
  const first: unknown = jwtList[0];
  const ranges: ConfigSummary['ranges'] = {};
  const read = (field: SummaryField): string | undefined => {
    const value = dig(first, JWT_PATH_OF[field]);
    if (value === undefined) return undefined;
    const range = parsed.rangeOf(documentIndex, [...jwtPath, ...JWT_PATH_OF[field]], 'value');
    if (range) ranges[field] = range;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  return {
    issuer: read('issuer'),
    clientId: read('clientId'),
    usernameClaim: read('usernameClaim'),
    usernamePrefix: read('usernamePrefix'),
    writtenUsernamePrefix: read('usernamePrefix'),
    groupsClaim: read('groupsClaim'),
    groupsPrefix: read('groupsPrefix'),
    ranges,
    otherIssuers: Math.max(0, jwtList.length - 1),
  };
}

/** Bindings with a subject this config's users or groups can be: prefixed groups, prefixed users. */
export function bindingsForIdentity(
  summary: ConfigSummary,
  bindings: RbacBinding[],
  adminGroup: string,
): RbacBinding[] {
  const groupsPrefix = summary.groupsPrefix;
  const usernamePrefix = summary.usernamePrefix;
  return bindings.filter((binding) =>
    binding.subjects.some((subject) => {
      if (subject.kind === 'Group' && summary.groupsClaim) {
        return groupsPrefix ? subject.name.startsWith(groupsPrefix) : subject.name === adminGroup;
      }
      if (subject.kind === 'User' && usernamePrefix) return subject.name.startsWith(usernamePrefix);
      return false;
    }),
  );
}

function dig(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isRecord(current) ? current[step] : undefined;
  }
  return current;
}
