/**
 * Which OpenID provider an issuer URL belongs to, from the shape providers give their issuers
 * (authentik `/application/o/<slug>/`, Keycloak `/realms/<realm>`, Auth0 `<tenant>.auth0.com/` …).
 * Advice then names what that provider does instead of what Pocket-ID does. Template parts
 * (`${SECRET_DOMAIN}`) do not matter: the shape is in the literal parts.
 */
import { getPreset, type ProviderId } from './presets';

export interface InferredProvider {
  /** The preset, for providers the extension has one for. */
  id?: ProviderId;
  label: string;
  /** Whether the provider's issuer ends with `/`; undefined when it is whatever the operator configured (Dex). */
  trailingSlash?: boolean;
  /** The scope that puts `groups` into the ID token. */
  groupsScope?: string;
  /** `always`: every account's email is verified (Google); otherwise `email` as the username claim can fail. */
  emailVerified: 'always' | 'varies';
  emailVerifiedNote: string;
}

function fromPreset(id: ProviderId): InferredProvider {
  const preset = getPreset(id);
  return {
    id,
    label: preset.label,
    trailingSlash: preset.issuer.trailingSlash,
    groupsScope: preset.groupsScope,
    emailVerified: id === 'google' ? 'always' : 'varies',
    emailVerifiedNote: preset.emailVerifiedNote,
  };
}

const RULES: { test: (url: URL, raw: string) => boolean; provider: () => InferredProvider }[] = [
  { test: (url) => /\/application\/o\/[^/]+\/?$/.test(url.pathname), provider: () => fromPreset('authentik') },
  { test: (url) => /\/realms\/[^/]+\/?$/.test(url.pathname), provider: () => fromPreset('keycloak') },
  { test: (url) => url.hostname === 'accounts.google.com', provider: () => fromPreset('google') },
  { test: (url) => url.hostname === 'login.microsoftonline.com', provider: () => fromPreset('entra-id') },
  // Entra ID's v1 issuer (`https://sts.windows.net/<tenant>/`) ends with a slash.
  {
    test: (url) => url.hostname === 'sts.windows.net',
    provider: () => ({ ...fromPreset('entra-id'), trailingSlash: true }),
  },
  { test: (url) => /\/oauth2\/openid\/[^/]+\/?$/.test(url.pathname), provider: () => fromPreset('kanidm') },
  {
    test: (url) => url.hostname === 'gitlab.com' || /^gitlab\./.test(url.hostname),
    provider: () => fromPreset('gitlab'),
  },
  { test: (url) => /(^|\.)zitadel\.(cloud|ch)$|^zitadel\./.test(url.hostname), provider: () => fromPreset('zitadel') },
  // Dex's issuer is exactly what its config says, slash or not.
  {
    test: (url) => /^dex\./.test(url.hostname) || /^\/dex\/?$/.test(url.pathname),
    provider: () => ({ ...fromPreset('dex'), trailingSlash: undefined }),
  },
  { test: (url) => /^authelia\./.test(url.hostname), provider: () => fromPreset('authelia') },
  { test: (url) => /^(pocket-?id|pid)\./.test(url.hostname), provider: () => fromPreset('pocket-id') },
  {
    test: (url) => /\.auth0\.com$/.test(url.hostname),
    provider: () => ({
      label: 'Auth0',
      trailingSlash: true,
      emailVerified: 'varies',
      emailVerifiedNote:
        'Auth0 sends email_verified: false for database users until they follow the verification email, and some social connections never verify.',
    }),
  },
  {
    test: (url) => /\.okta\.com$/.test(url.hostname),
    provider: () => ({
      label: 'Okta',
      trailingSlash: false,
      groupsScope: 'groups',
      emailVerified: 'varies',
      emailVerifiedNote: 'Okta sends email_verified from the user profile.',
    }),
  },
];

export function inferProvider(issuer: string | undefined): InferredProvider | undefined {
  if (!issuer) return undefined;
  let url: URL;
  try {
    // Template parts are not valid in a host name; a stand-in keeps the rest of the URL readable.
    url = new URL(issuer.trim().replace(/\$\{[^}]*\}|\{\{[^}]*\}\}/g, 'template'));
  } catch {
    return undefined;
  }
  for (const rule of RULES) if (rule.test(url, issuer)) return rule.provider();
  return undefined;
}
