/**
 * The API server's verdict on a token, for one Talos config (or AuthenticationConfiguration):
 * the core's authenticator model and token review, gathered in one place.
 */
import { reviewToken } from '../../core/authn/index';
import type { AuthenticatorModel, TokenInput, TokenReview } from '../../core/authn/types';
import { talosAuthenticator } from '../../core/talos/authenticator';
import type { ParsedFile } from '../../core/workspace/types';

export interface ConfigReview {
  model: AuthenticatorModel;
  review: TokenReview;
}

/** The authenticator a file configures, or undefined when it configures none. */
export function authenticatorOf(parsed: ParsedFile): AuthenticatorModel | undefined {
  const result = talosAuthenticator(parsed);
  return result.model && result.model.jwt.length > 0 ? result.model : undefined;
}

export function reviewAgainst(parsed: ParsedFile, input: TokenInput, nowMs: number): ConfigReview | undefined {
  const model = authenticatorOf(parsed);
  if (!model) return undefined;
  return { model, review: reviewToken(model, input, Math.floor(nowMs / 1000)) };
}
