/** The identities the API server's OIDC authenticators produce, as far as RBAC sees them. */
import type { JWTAuthenticator } from '../authn';
import { talosAuthenticator } from '../talos/authenticator';
import type { SourceRange } from '../text/range';
import type { ExtraArg, ParsedFile, RbacSubject } from '../workspace/types';
import { findPlaceholder } from './context';
import { bodyIssuerUrls } from './authBodies';

export interface OidcIdentity {
  file: ParsedFile;
  jwtIndex: number;
  authenticator: JWTAuthenticator;
  issuer: string;
  audiences: string[];
  /** undefined when the username comes from a CEL expression (cannot be predicted here). */
  usernamePrefix?: string;
  usernameClaim?: string;
  /** undefined: no groups mapping. */
  groups?: { claim?: string; prefix: string; expression?: string };
  /** Where the issuer is set (for findings on the config). */
  anchor: SourceRange;
}

/** Files that configure the API server of control-plane nodes (workers run none). */
export function isControlPlaneAuthFile(parsed: ParsedFile): boolean {
  if (parsed.talos?.machineType?.value === 'worker') return false;
  return (
    parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('authentication-config')
  );
}

const identitiesOfFile = new WeakMap<ParsedFile, readonly OidcIdentity[]>();

/** Each file's checks ask for the identities of every file of the workspace: they are worked out once per parse. */
export function identitiesOf(parsed: ParsedFile): readonly OidcIdentity[] {
  let found = identitiesOfFile.get(parsed);
  if (!found) identitiesOfFile.set(parsed, (found = readIdentities(parsed)));
  return found;
}

function readIdentities(parsed: ParsedFile): OidcIdentity[] {
  if (!isControlPlaneAuthFile(parsed)) return [];
  const { model } = talosAuthenticator(parsed);
  if (!model) return [];
  const bodyUrls = bodyIssuerUrls(parsed);
  const issuerArg = lastArg(parsed.talos?.extraArgs ?? [], 'oidc-issuer-url');
  return model.jwt.flatMap((authenticator, jwtIndex) => {
    const issuer = authenticator.issuer?.url ?? '';
    if (issuer === '') return [];
    const anchor =
      (model.source === 'authentication-config'
        ? bodyUrls.find((entry) => entry.jwtIndex === jwtIndex)?.range
        : issuerArg?.keyRange) ??
      issuerArg?.keyRange ??
      parsed.lines.range(0, 0);
    const username = authenticator.claimMappings?.username ?? {};
    const groups = authenticator.claimMappings?.groups;
    const identity: OidcIdentity = {
      file: parsed,
      jwtIndex,
      authenticator,
      issuer,
      audiences: authenticator.issuer.audiences ?? [],
      usernamePrefix: username.expression !== undefined ? undefined : (username.prefix ?? ''),
      usernameClaim: username.claim,
      anchor,
    };
    if (groups && (groups.claim || groups.expression))
      identity.groups = {
        claim: groups.claim,
        prefix: groups.expression !== undefined ? '' : (groups.prefix ?? ''),
        expression: groups.expression,
      };
    return [identity];
  });
}

/** Whether a binding subject can be a user or group this identity yields. */
export function subjectMatches(identity: OidcIdentity, subject: RbacSubject): boolean {
  if (findPlaceholder(subject.name)) return false;
  if (subject.kind === 'User') {
    if (identity.usernamePrefix === undefined) return true;
    const prefix = identity.usernamePrefix;
    if (prefix === '') return !subject.name.startsWith('system:');
    return subject.name.startsWith(prefix) && subject.name.length > prefix.length;
  }
  if (subject.kind === 'Group') {
    if (!identity.groups) return false;
    if (identity.groups.expression !== undefined) return true;
    const prefix = identity.groups.prefix;
    if (prefix === '') return !subject.name.startsWith('system:');
    return subject.name.startsWith(prefix) && subject.name.length > prefix.length;
  }
  return false;
}

function lastArg(args: ExtraArg[], name: string): ExtraArg | undefined {
  return [...args].reverse().find((arg) => arg.name === name && arg.origin === 'cluster.apiServer');
}

export function workspaceIdentities(files: ParsedFile[]): OidcIdentity[] {
  return files.flatMap(identitiesOf);
}
