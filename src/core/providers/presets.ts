/**
 * What each OpenID provider needs for Kubernetes login: the issuer, the scopes and claims that
 * carry the username and groups, signing and PKCE: what the checks and generators use. Where the
 * kubelogin callback is registered, the traps users meet and the sources of these facts are in
 * guides.ts. Facts are from the providers' public documentation and source; check a preset
 * against its provider's current documentation when in doubt.
 */

export type ProviderId =
  'pocket-id' | 'authentik' | 'keycloak' | 'dex' | 'authelia' | 'zitadel' | 'kanidm' | 'gitlab' | 'google' | 'entra-id';

/** How the provider writes group membership into the groups claim. */
export type GroupsFormat =
  | 'names' // plain group names, e.g. `kubernetes`
  | 'paths' // group paths, e.g. `/admins` (Keycloak full path) or `parent/child` (GitLab)
  | 'ids' // opaque IDs (Entra object IDs)
  | 'spn' // Kanidm `name@domain`
  | 'none'; // no groups claim without extra set-up

export interface ProviderPreset {
  id: ProviderId;
  label: string;
  issuer: {
    /** The issuer URL with `<placeholders>`; the API server compares it with `iss` character for character. */
    pattern: string;
    example: string;
    /** What each placeholder stands for. */
    placeholders: Record<string, string>;
    /** True when the provider's issuer ends with `/` (it must then be written with the slash). */
    trailingSlash: boolean;
  };
  /** Scopes to request beyond `openid` (kubelogin adds `openid` itself) so the claims reach the ID token. */
  scopes: string[];
  /** The scope that adds the groups claim, when there is one. */
  groupsScope?: string;
  claims: {
    /** The recommended username claim: stable and present in the ID token. */
    username: string;
    /** Other usable username claims, with why one might pick them. */
    usernameAlternatives: { claim: string; note: string }[];
    /** The claim holding groups in the ID token; undefined when the provider has none by default. */
    groups?: string;
    groupsFormat: GroupsFormat;
  };
  /** True when `email_verified` reflects a real verification, so `email` is safe as the username claim. */
  emailVerifiedReliable: boolean;
  emailVerifiedNote: string;
  signing: {
    /** The algorithm tokens are signed with by default. */
    defaultAlg: string;
    /** Value for `oidc-signing-algs` when the default is not RS256 (the flags' default); undefined otherwise. */
    signingAlgs?: string[];
    note?: string;
  };
  /** Whether the provider requires PKCE for a public client. */
  pkce: 'required' | 'supported';
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'pocket-id',
    label: 'Pocket-ID',
    issuer: {
      pattern: 'https://<pocket-id-host>',
      example: 'https://id.example.com',
      placeholders: { 'pocket-id-host': 'the host name of your Pocket-ID instance (its APP_URL)' },
      trailingSlash: false,
    },
    scopes: ['groups'],
    groupsScope: 'groups',
    claims: {
      username: 'sub',
      usernameAlternatives: [
        { claim: 'preferred_username', note: 'readable, needs the profile scope; users may be able to change it' },
        { claim: 'email', note: 'needs the email scope and email_verified: true for every user' },
      ],
      groups: 'groups',
      groupsFormat: 'names',
    },
    emailVerifiedReliable: false,
    emailVerifiedNote:
      'email_verified is a per-user flag (since Pocket-ID 2.2); the "Emails Verified" application setting only sets its initial value. With `email` as the username claim, a user whose flag is false gets "oidc: email not verified".',
    signing: {
      defaultAlg: 'RS256',
      note: '`pocket-id key-rotate --alg` can switch to RS384/512, ES256/384/512 or EdDSA. The API server never accepts EdDSA: keep RSA or ECDSA, and set oidc-signing-algs to match.',
    },
    pkce: 'required',
  },
  {
    id: 'authentik',
    label: 'authentik',
    issuer: {
      pattern: 'https://<authentik-host>/application/o/<application-slug>/',
      example: 'https://authentik.example.com/application/o/kubernetes/',
      placeholders: {
        'authentik-host': 'the host name of authentik',
        'application-slug': 'the slug of the application that uses the OAuth2/OpenID provider',
      },
      trailingSlash: true,
    },
    scopes: ['profile', 'email'],
    groupsScope: 'profile',
    claims: {
      username: 'preferred_username',
      usernameAlternatives: [
        { claim: 'sub', note: 'stable; its form depends on the provider\'s "Subject mode" setting' },
        { claim: 'email', note: 'only with a custom email scope mapping that returns a real email_verified' },
      ],
      groups: 'groups',
      groupsFormat: 'names',
    },
    emailVerifiedReliable: false,
    emailVerifiedNote:
      'Since authentik 2025.10 the default email scope mapping returns email_verified: false (authentik cannot know); `email` as the username claim then fails with "oidc: email not verified" unless you add a custom scope mapping.',
    signing: {
      defaultAlg: 'RS256',
      note: 'Select a signing key on the provider; without one authentik signs with HS256, which the API server rejects.',
    },
    pkce: 'supported',
  },
  {
    id: 'keycloak',
    label: 'Keycloak',
    issuer: {
      pattern: 'https://<keycloak-host>/realms/<realm>',
      example: 'https://keycloak.example.com/realms/homelab',
      placeholders: { 'keycloak-host': 'the host name of Keycloak', realm: 'the realm name' },
      trailingSlash: false,
    },
    scopes: ['groups'],
    groupsScope: 'groups',
    claims: {
      username: 'preferred_username',
      usernameAlternatives: [
        { claim: 'sub', note: 'stable user UUID' },
        { claim: 'email', note: 'Keycloak tracks email_verified per user' },
      ],
      groups: 'groups',
      groupsFormat: 'names',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'Keycloak keeps an "Email verified" switch per user and reports it in email_verified.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
  {
    id: 'dex',
    label: 'Dex',
    issuer: {
      pattern: '<issuer from the Dex config>',
      example: 'https://dex.example.com/dex',
      placeholders: { 'issuer from the Dex config': 'the `issuer:` value of the Dex configuration, exactly' },
      trailingSlash: false,
    },
    scopes: ['groups', 'email', 'profile'],
    groupsScope: 'groups',
    claims: {
      username: 'email',
      usernameAlternatives: [
        { claim: 'sub', note: 'opaque, encodes the connector and the upstream user ID' },
        { claim: 'preferred_username', note: 'needs the profile scope; not every connector fills it' },
      ],
      groups: 'groups',
      groupsFormat: 'names',
    },
    emailVerifiedReliable: false,
    emailVerifiedNote: 'email_verified comes from the connector; some connectors always report true, others false.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
  {
    id: 'authelia',
    label: 'Authelia',
    issuer: {
      pattern: 'https://<authelia-host>',
      example: 'https://auth.example.com',
      placeholders: { 'authelia-host': 'the host name of the Authelia portal' },
      trailingSlash: false,
    },
    scopes: ['groups', 'profile', 'email'],
    groupsScope: 'groups',
    claims: {
      username: 'preferred_username',
      usernameAlternatives: [
        { claim: 'sub', note: 'an opaque UUID since Authelia 4.39' },
        { claim: 'email', note: 'needs the email scope and a claims policy that puts it into the ID token' },
      ],
      groups: 'groups',
      groupsFormat: 'names',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'email_verified comes from the authentication backend.',
    signing: {
      defaultAlg: 'RS256',
      note: 'Configure an RS256 JWK; other key types must be listed in oidc-signing-algs.',
    },
    pkce: 'supported',
  },
  {
    id: 'zitadel',
    label: 'ZITADEL',
    issuer: {
      pattern: 'https://<instance-domain>',
      example: 'https://my-instance.zitadel.cloud',
      placeholders: { 'instance-domain': 'the domain of your ZITADEL instance' },
      trailingSlash: false,
    },
    scopes: ['profile', 'email', 'urn:zitadel:iam:org:project:id:zitadel:aud'],
    claims: {
      username: 'email',
      usernameAlternatives: [
        { claim: 'sub', note: 'stable numeric user ID' },
        { claim: 'preferred_username', note: 'the login name' },
      ],
      groupsFormat: 'none',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'ZITADEL verifies email addresses and reports email_verified.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
  {
    id: 'kanidm',
    label: 'Kanidm',
    issuer: {
      pattern: 'https://<kanidm-host>/oauth2/openid/<client-id>',
      example: 'https://idm.example.com/oauth2/openid/kubernetes',
      placeholders: {
        'kanidm-host': 'the host name of Kanidm',
        'client-id': 'the OAuth2 client (resource server) name',
      },
      trailingSlash: false,
    },
    scopes: ['groups', 'profile'],
    groupsScope: 'groups',
    claims: {
      username: 'preferred_username',
      usernameAlternatives: [
        { claim: 'sub', note: 'the user UUID' },
        { claim: 'email', note: 'needs the email scope' },
      ],
      groups: 'groups',
      groupsFormat: 'spn',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'Kanidm reports email_verified for its mail attribute.',
    signing: {
      defaultAlg: 'ES256',
      signingAlgs: ['ES256'],
      note: 'Kanidm signs with ES256 by default; the API server flags accept only RS256 unless oidc-signing-algs says otherwise (RS256 needs `kanidm system oauth2 warning-enable-legacy-crypto`).',
    },
    pkce: 'required',
  },
  {
    id: 'gitlab',
    label: 'GitLab',
    issuer: {
      pattern: 'https://<gitlab-host>',
      example: 'https://gitlab.com',
      placeholders: { 'gitlab-host': 'gitlab.com or your GitLab instance' },
      trailingSlash: false,
    },
    scopes: ['profile', 'email'],
    claims: {
      username: 'sub',
      usernameAlternatives: [
        { claim: 'email', note: 'GitLab reports email_verified' },
        { claim: 'nickname', note: 'the GitLab username (can be renamed)' },
      ],
      groups: 'groups_direct',
      groupsFormat: 'paths',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'GitLab includes email and email_verified in the ID token.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
  {
    id: 'google',
    label: 'Google',
    issuer: {
      pattern: 'https://accounts.google.com',
      example: 'https://accounts.google.com',
      placeholders: {},
      trailingSlash: false,
    },
    scopes: ['email'],
    claims: {
      username: 'email',
      usernameAlternatives: [{ claim: 'sub', note: 'numeric account ID' }],
      groupsFormat: 'none',
    },
    emailVerifiedReliable: true,
    emailVerifiedNote: 'Google verifies account email addresses and reports email_verified.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
  {
    id: 'entra-id',
    label: 'Microsoft Entra ID',
    issuer: {
      pattern: 'https://login.microsoftonline.com/<tenant-id>/v2.0',
      example: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
      placeholders: { 'tenant-id': 'the directory (tenant) ID, a GUID' },
      trailingSlash: false,
    },
    scopes: ['profile', 'email'],
    claims: {
      username: 'oid',
      usernameAlternatives: [
        { claim: 'preferred_username', note: 'usually the UPN; can change and is not guaranteed unique' },
        { claim: 'upn', note: 'optional claim; must be added in Token configuration' },
      ],
      groups: 'groups',
      groupsFormat: 'ids',
    },
    emailVerifiedReliable: false,
    emailVerifiedNote:
      'Entra ID does not send email_verified by default and the email claim is not verified: do not use `email` as the username claim.',
    signing: { defaultAlg: 'RS256' },
    pkce: 'supported',
  },
];

export const DEFAULT_PROVIDER_ID: ProviderId = 'pocket-id';

export function isProviderId(value: string): value is ProviderId {
  return PROVIDER_PRESETS.some((preset) => preset.id === value);
}

export function getPreset(id: ProviderId): ProviderPreset {
  const preset = PROVIDER_PRESETS.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`unknown provider preset '${id}'`);
  return preset;
}

/** Fills `<placeholder>`s of the preset's issuer pattern; placeholders without a value stay as they are. */
export function issuerFromPattern(preset: ProviderPreset, values: Record<string, string>): string {
  return preset.issuer.pattern.replace(/<([^<>]+)>/g, (whole, name: string) => values[name] ?? whole);
}
