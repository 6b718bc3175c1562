/**
 * Pure presentation logic of the claims webview (no DOM): what each claim means, readable times,
 * the expiry countdown. Tested directly in test/unit/webview/claims.
 */

export interface ClaimRow {
  name: string;
  /** The value as the user should read it (JSON for non-strings). */
  value: string;
  meaning: string;
  /** For time claims: the time in UTC and how far from now. */
  time?: { utc: string; relative: string };
  /** Claims that decide the API server's verdict are highlighted. */
  decisive: boolean;
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

const MEANINGS: Record<string, string> = {
  iss: 'Issuer: must equal the API server’s issuer URL character for character (trailing slash included).',
  sub: 'Subject: the user’s stable ID at the provider (Pocket-ID: the user UUID). The default username claim.',
  aud: 'Audience: the client ID the token was issued for; must contain the API server’s client ID.',
  exp: 'Expiry: the API server rejects the token from this moment, with no leeway.',
  iat: 'Issued at (not checked by the API server).',
  nbf: 'Not before: the API server accepts the token from one minute before this time.',
  auth_time: 'When the user last authenticated at the provider.',
  nonce: 'Nonce: ties the token to this login request (checked here, not by the API server).',
  email: 'Email address. As username claim it needs email_verified to be true (or absent).',
  email_verified: 'Whether the provider verified the email. Checked only when the username claim is email.',
  groups: 'Groups: with a groups claim configured, each becomes a Kubernetes group (after the groups prefix).',
  name: 'Display name.',
  given_name: 'Given name.',
  family_name: 'Family name.',
  preferred_username: 'The user’s preferred handle (scope profile); may change, so a risky username claim.',
  picture: 'Profile picture URL.',
  locale: 'Preferred locale.',
  updated_at: 'When the profile was last changed.',
  at_hash: 'Hash of the access token (binds it to this ID token).',
  c_hash: 'Hash of the authorization code.',
  azp: 'Authorized party: the client the token was issued to (ignored by the API server).',
  jti: 'Token ID; Kubernetes 1.32+ records it as the credential ID in audit logs.',
  sid: 'Session ID at the provider.',
  acr: 'Authentication context class (how strong the login was).',
  amr: 'Authentication methods used (e.g. passkey, pwd).',
};

const HEADER_MEANINGS: Record<string, string> = {
  alg: 'Signing algorithm. The API server accepts RS256 by default with flags (oidc-signing-algs); RS/ES/PS with a config file; never EdDSA.',
  kid: 'Key ID: which key of the provider’s JWKS signed the token.',
  typ: 'Token type.',
};

/** Claims that the API server's decision depends on, given the configured claims. */
export function decisiveClaimNames(usernameClaim?: string, groupsClaim?: string): Set<string> {
  const names = new Set(['iss', 'aud', 'exp', 'nbf']);
  if (usernameClaim) names.add(usernameClaim);
  if (usernameClaim === 'email') names.add('email_verified');
  if (groupsClaim) names.add(groupsClaim);
  return names;
}

export function claimRows(
  claims: Record<string, unknown>,
  nowMs: number,
  decisive: Set<string> = decisiveClaimNames(),
): ClaimRow[] {
  const order = Object.keys(MEANINGS);
  const names = Object.keys(claims).sort((a, b) => rank(a, order) - rank(b, order) || a.localeCompare(b));
  return names.map((name) => {
    const raw = claims[name];
    const row: ClaimRow = {
      name,
      value: typeof raw === 'string' ? raw : JSON.stringify(raw),
      meaning:
        MEANINGS[name] ?? (name.startsWith('_claim_') ? 'Distributed claims reference.' : 'Provider-specific claim.'),
      decisive: decisive.has(name),
    };
    if (TIME_CLAIMS.has(name) && typeof raw === 'number' && Number.isFinite(raw)) {
      row.time = { utc: formatUtc(raw * 1000), relative: formatRelative(raw * 1000 - nowMs) };
    }
    return row;
  });
}

export function headerRows(header: Record<string, unknown>): ClaimRow[] {
  return Object.keys(header).map((name) => {
    const raw = header[name];
    return {
      name,
      value: typeof raw === 'string' ? raw : JSON.stringify(raw),
      meaning: HEADER_MEANINGS[name] ?? 'JOSE header parameter.',
      decisive: name === 'alg',
    };
  });
}

function rank(name: string, order: string[]): number {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}

/** `2026-11-28 17:04:05 UTC`: the same text in every time zone, so screenshots and logs agree. */
export function formatUtc(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return String(epochMs);
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return String(epochMs);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `in 59 min`, `3 h ago`, `just now`: coarse on purpose, for reading. */
export function formatRelative(deltaMs: number): string {
  const seconds = Math.round(Math.abs(deltaMs) / 1000);
  if (seconds < 5) return 'just now';
  let amount: string;
  if (seconds < 60) amount = `${seconds} s`;
  else if (seconds < 3600) amount = `${Math.floor(seconds / 60)} min`;
  else if (seconds < 86_400 * 2) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    amount = minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  } else amount = `${Math.floor(seconds / 86_400)} days`;
  return deltaMs >= 0 ? `in ${amount}` : `${amount} ago`;
}

export interface ExpiryCountdown {
  expired: boolean;
  /** `expires in 59:48`, `expired 3 min ago`, or `no exp claim: the API server treats it as expired`. */
  text: string;
}

export function expiryCountdown(claims: Record<string, unknown>, nowMs: number): ExpiryCountdown {
  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    return { expired: true, text: 'no valid exp claim: the API server treats the token as expired' };
  }
  const remainingMs = exp * 1000 - nowMs;
  // The API server rejects when exp is before now (no leeway), so exp == now is still valid.
  if (remainingMs < 0) return { expired: true, text: `expired ${formatRelative(remainingMs)}` };
  const totalSeconds = Math.floor(remainingMs / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const clock = hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
  return { expired: false, text: `expires in ${clock}` };
}

function pad(value: number): string {
  return value.toString().padStart(2, '0');
}

/** The verdict's headline, e.g. `Accepted as oidc:jane in groups oidc:kubernetes`. */
export function verdictHeadline(verdict: {
  status: 'accepted' | 'rejected' | 'unknown' | 'no-config';
  username: string | null;
  groups: string[];
  error: string | null;
}): string {
  switch (verdict.status) {
    case 'accepted': {
      const groups = verdict.groups.length ? `in groups ${verdict.groups.join(', ')}` : 'in no groups';
      return `Accepted as ${verdict.username ?? ''} ${groups}`;
    }
    case 'rejected':
      return `Rejected: ${verdict.error ?? 'invalid bearer token'}`;
    case 'unknown':
      return `Cannot predict: ${verdict.error ?? 'the configuration could not be evaluated'}`;
    case 'no-config':
      return 'No Talos config to review against';
  }
}

/** The payload as the user copies it: pretty JSON, stable key order as received. */
export function payloadJson(claims: Record<string, unknown>): string {
  return JSON.stringify(claims, null, 2);
}
