/**
 * The PEM check shared by every place that takes a CA certificate: the CLI's `--ca-pem` and
 * `--ca-file`, the extension's `talosOidc.caFile`, and `issuer.certificateAuthority` in
 * `AuthenticationConfiguration` (the API server's own check, see core/authn/validate.ts).
 */

/** Text framed as PEM at all: a `-----BEGIN` line (of any kind, certificate or not). */
export function looksLikePem(text: string): boolean {
  return text.includes('-----BEGIN');
}

/**
 * Holds at least one whole certificate block, BEGIN through END. A file cut short after its
 * BEGIN line is refused here, as the API server refuses it, not later by the TLS stack.
 */
export function hasPemCertificate(text: string): boolean {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text);
}
