/**
 * What a person reads to set each provider up for kubelogin: where the callback URL is registered,
 * the traps users meet, and where the facts come from. Shown by Show Provider Setup; kept apart
 * from presets.ts (what the checks and generators use) so that the editor loads it with the
 * commands, not at start-up.
 */
import type { ProviderId } from './presets';

export interface ProviderGuide {
  callback: {
    /** Where in the provider's UI or config the redirect URL is registered. */
    where: string;
    /** What to register for kubelogin's default listen addresses. */
    register: string[];
    /** True when one registered URL covers every loopback port (so kubelogin's fallback port 18000 works). */
    anyLoopbackPort: boolean;
    note?: string;
  };
  /** Provider-specific traps, one sentence each. */
  hints: string[];
  /** Where the facts come from. */
  sources: string[];
}

const loopback8000 = ['http://localhost:8000', 'http://localhost:18000'];

const GUIDES: Record<ProviderId, ProviderGuide> = {
  'pocket-id': {
    callback: {
      where: 'Pocket-ID > OIDC Clients > your client > Callback URLs',
      register: ['http://localhost'],
      anyLoopbackPort: true,
      note: "For http loopback hosts a callback URL without a port matches every port, so `http://localhost` covers kubelogin's 8000 and its fallback 18000.",
    },
    hints: [
      'Request the `groups` scope (kubelogin: --oidc-extra-scope=groups); without it the token has no groups claim and no group binding matches.',
      'Add the user to the group and allow the group on the OIDC client, else login is refused.',
      'The issuer is the APP_URL without a trailing slash; a trailing slash in APP_URL broke discovery in past versions ("issuer mismatch").',
      'A public client (no secret) must use PKCE, which kubelogin does by default.',
      'EdDSA signing keys are not accepted by the API server; rotate to RS256 or ES256 if you switched.',
      '`sub` is the user UUID: bind groups rather than users, or use a username prefix so the user name reads `oidc:<uuid>`.',
    ],
    sources: [
      'pocket-id/pocket-id (v2.x) source and docs: callback URL patterns, claims, signing keys',
      'pocket-id.org documentation: OIDC clients, callback URLs, Talos client example',
    ],
  },
  authentik: {
    callback: {
      where: 'Applications > Providers > your OAuth2/OpenID provider > Redirect URIs/Origins',
      register: loopback8000,
      anyLoopbackPort: false,
      note: 'Register each port kubelogin may use (strict match), or a regular-expression entry such as `http://localhost:(8000|18000)`.',
    },
    hints: [
      'The issuer ends with a slash; write it exactly so, the API server compares it character for character.',
      'The `groups` claim comes from the default `profile` scope mapping.',
      'Choose a signing key (RSA or EC) on the provider; HS256 tokens are rejected by the API server.',
    ],
    sources: ['docs.goauthentik.io: OAuth2 provider, property mappings, 2025.10 release notes (email_verified)'],
  },
  keycloak: {
    callback: {
      where: 'Clients > your client > Settings > Valid redirect URIs',
      register: ['http://localhost:8000/*', 'http://localhost:18000/*'],
      anyLoopbackPort: false,
      note: 'Keycloak matches redirect URIs exactly unless they end in `*`.',
    },
    hints: [
      'Keycloak has no groups claim by default: create a client scope `groups` with a "Group Membership" mapper (claim name `groups`, "Add to ID token" on, "Full group path" off for plain names) and add it to the client.',
      'Keycloak versions before 17 used the issuer path /auth/realms/<realm>.',
    ],
    sources: ['keycloak.org documentation: server admin guide (protocol mappers, client scopes)'],
  },
  dex: {
    callback: {
      where: 'the Dex configuration: staticClients[].redirectURIs (or the gRPC API)',
      register: loopback8000,
      anyLoopbackPort: false,
      note: 'A static client with `public: true` accepts any http://localhost redirect.',
    },
    hints: ['Groups come from the upstream connector; not every connector supports groups.'],
    sources: ['dexidp.io documentation: scopes and claims, static clients'],
  },
  authelia: {
    callback: {
      where: 'configuration: identity_providers.oidc.clients[].redirect_uris',
      register: loopback8000,
      anyLoopbackPort: false,
    },
    hints: [
      "Since Authelia 4.39 the ID token holds only a minimal set of claims; kubelogin sends the ID token, so add a claims policy (identity_providers.oidc.claims_policies.<name>.id_token: [groups, preferred_username, email, email_verified]) and set the client's claims_policy.",
    ],
    sources: ['authelia.com: OpenID Connect 1.0 claims guide, 4.39 release notes'],
  },
  zitadel: {
    callback: {
      where:
        'Projects > your project > Applications > your application > Redirect URIs (enable "Development Mode" for http URLs)',
      register: loopback8000,
      anyLoopbackPort: false,
    },
    hints: [
      'Roles arrive in `urn:zitadel:iam:org:project:roles`, an object, not a list of strings: as a groups claim the API server rejects it. Add an Action that writes a flat `groups` list, or use a KubeAuthenticationConfig with a CEL groups expression.',
      'Enable "User roles inside ID Token" on the application so the roles reach the ID token.',
    ],
    sources: ['zitadel.com documentation: claims, actions, OIDC application settings'],
  },
  kanidm: {
    callback: {
      where: '`kanidm system oauth2 add-redirect-url <client> <url>`',
      register: loopback8000,
      anyLoopbackPort: false,
      note: 'A public client needs `kanidm system oauth2 enable-localhost-redirects <client>` for http://localhost redirects.',
    },
    hints: [
      'Set oidc-signing-algs: ES256, or every token is rejected with "id token signed with unsupported algorithm".',
      'Groups are written as `name@domain` (SPN): bind the prefixed SPN, e.g. `oidc:kubernetes@idm.example.com`.',
      'Map the scopes to a group with `kanidm system oauth2 update-scope-map <client> <group> openid profile groups`.',
    ],
    sources: [
      'kanidm.github.io/kanidm book: OAuth2 integrations; kanidm_proto constants (groups, groups_spn scopes, legacy crypto)',
    ],
  },
  gitlab: {
    callback: {
      where: 'User/Group/Admin settings > Applications > your application > Redirect URI (scope `openid` selected)',
      register: loopback8000,
      anyLoopbackPort: false,
    },
    hints: [
      'Only `groups_direct` is in the ID token (`groups` is in userinfo, which the API server never reads): use groups_direct as the groups claim.',
      'Group values are full paths such as `my-group/sub-group`.',
    ],
    sources: ['docs.gitlab.com: GitLab as OpenID Connect identity provider (shared information table)'],
  },
  google: {
    callback: {
      where: 'Google Cloud console > APIs & Services > Credentials > OAuth client ID of type "Desktop app"',
      register: [],
      anyLoopbackPort: true,
      note: 'A "Desktop app" client accepts any http://localhost port without registering it; it still has a client secret (not confidential for desktop apps).',
    },
    hints: [
      'Google ID tokens carry no groups: bind users (`email`) instead of groups, or use a different provider in front.',
      'A Desktop app client needs --oidc-client-secret in the kubelogin arguments.',
    ],
    sources: ['developers.google.com/identity/protocols/oauth2/native-app (loopback redirect), OpenID Connect docs'],
  },
  'entra-id': {
    callback: {
      where:
        'App registrations > your app > Authentication > Mobile and desktop applications > Redirect URIs (and "Allow public client flows")',
      register: ['http://localhost:8000'],
      anyLoopbackPort: true,
      note: 'For localhost redirect URIs Entra ID ignores the port when matching.',
    },
    hints: [
      'Enable group claims (Token configuration > Add groups claim); the groups claim holds group object IDs, not names, so bind `oidc:<object-id>`.',
      'Past about 200 groups Entra ID sends a distributed-claims reference instead of the list; assign only the needed groups to the application.',
      'Use the v2.0 issuer and make sure the token version matches (accessTokenAcceptedVersion / ID tokens are v2.0 for this issuer).',
    ],
    sources: [
      'learn.microsoft.com: redirect URI restrictions (localhost port), ID token claims reference, group claims',
    ],
  },
};

export function getProviderGuide(id: ProviderId): ProviderGuide {
  return GUIDES[id];
}
