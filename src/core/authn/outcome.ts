/** The outcomes of a token review that end it early: rejected, or beyond prediction. */
import type { TokenReview } from './types';

/** A review's verdict; the helpers build the two that are not an acceptance. */
export type Outcome = TokenReview;

export function rejected(error: string, notes: string[] = []): Outcome {
  const r: Outcome = { authenticated: false, username: null, groups: [], error };
  if (notes.length) r.notes = notes;
  return r;
}

export function unpredictable(reason: string, notes: string[] = []): Outcome {
  const r: Outcome = { authenticated: null, username: null, groups: [], error: `cannot predict: ${reason}` };
  if (notes.length) r.notes = notes;
  return r;
}
