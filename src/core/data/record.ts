/**
 * Checks on plain data parsed from YAML or JSON (kubeconfigs, token claims, kept panel state),
 * where any value can be anything.
 */

/** A mapping (`{...}`): an object that is neither `null` nor an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
