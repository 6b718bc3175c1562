/** Advice worded for the provider the issuer belongs to, and what the repository's own provider set-up says. */
import { inferProvider } from '../providers/infer';
import type { ParsedFile } from '../workspace/types';
import { configuresApiServer, hostFile } from '../workspace/scope';

export interface EmailVerifiedMapping {
  file: string;
  line: number;
  value: boolean;
}

const EMAIL_VERIFIED = /["']?\bemail_verified\b["']?\s*[:=]\s*["']?(true|false)\b/i;

/**
 * A provider mapping in the repository that sets `email_verified` (an authentik scope mapping's
 * expression `"email_verified": False`, a Dex/Zitadel config…). Comments do not count, nor do the
 * API server configurations themselves.
 */
export function emailVerifiedMapping(files: ParsedFile[]): EmailVerifiedMapping | undefined {
  for (const file of files) {
    if (configuresApiServer(file) || file.host || !file.text.includes('email_verified')) continue;
    const lines = file.text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      if (/^\s*#/.test(line)) continue;
      const match = EMAIL_VERIFIED.exec(line.replace(/\s#.*$/, ''));
      if (match) return { file: hostFile(file), line: index, value: match[1].toLowerCase() === 'true' };
    }
  }
  return undefined;
}

const GENERIC_EMAIL_ADVICE =
  "Make sure the provider sends `email_verified: true` for every user (in Pocket-ID it is a per-user flag; authentik's default email mapping sends false), or use `sub` or `preferred_username` as the username claim.";

/** TOIDC108's message for this issuer, or undefined when the provider verifies every email (Google). */
export function emailClaimMessage(issuer: string | undefined): string | undefined {
  const provider = inferProvider(issuer);
  if (provider?.emailVerified === 'always') return undefined;
  const base =
    'With `email` as the username claim the API server rejects every token whose `email_verified` is false (`oidc: email not verified`).';
  if (!provider) return `${base} ${GENERIC_EMAIL_ADVICE}`;
  return `${base} ${provider.label}: ${provider.emailVerifiedNote} Otherwise use \`sub\` or \`preferred_username\` as the username claim.`;
}
