/**
 * `email` as the username claim, worded for the provider the issuer belongs to and for the
 * repository's own `email_verified` mapping. Called by talos.ts where it reads the claim settings
 * (flags and `claimMappings`).
 * Codes: TOIDC108, TOIDC117.
 */
import { basename } from 'node:path';
import type { SourceRange } from '../text/range';
import { report, type CheckContext } from './context';
import { emailClaimMessage, emailVerifiedMapping } from './provider';

/** TOIDC108, or TOIDC117 when the repository's own provider mapping sends email_verified: false. */
export function reportEmailClaim(context: CheckContext, issuer: string | undefined, range: SourceRange): void {
  const mapping = emailVerifiedMapping(context.files);
  if (mapping?.value === true) return;
  if (mapping?.value === false) {
    report(
      context,
      'TOIDC117',
      `The repository's provider mapping sets \`email_verified\` to false (${basename(mapping.file)}, line ${mapping.line + 1}), and this username claim is \`email\`: the API server refuses every token (\`oidc: email not verified\`). Use \`preferred_username\` or \`sub\` as the username claim, or make the mapping send the real verification state.`,
      range,
    );
    return;
  }
  const message = emailClaimMessage(issuer);
  if (message) report(context, 'TOIDC108', message, range);
}
