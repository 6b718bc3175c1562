/**
 * Where a parsed file keeps its structured authentication settings: the `configuration` of a
 * Talos `KubeAuthenticationConfig` document and a plain `AuthenticationConfiguration`. Shared by
 * the checks that read them (talos.ts, identity.ts, mistakes.ts); no check lives here.
 */
import type { SourceRange } from '../text/range';
import type { ParsedFile } from '../workspace/types';

/** Each authentication body of the file, with the document and path it sits at. */
export function authBodies(
  parsed: ParsedFile,
): { documentIndex: number; prefix: (string | number)[]; body: unknown }[] {
  const bodies: { documentIndex: number; prefix: (string | number)[]; body: unknown }[] = [];
  const kac = parsed.talos?.kubeAuthenticationConfig;
  if (kac) bodies.push({ documentIndex: kac.documentIndex, prefix: ['configuration'], body: kac.configuration });
  if (parsed.authenticationConfig)
    bodies.push({
      documentIndex: parsed.authenticationConfig.documentIndex,
      prefix: [],
      body: parsed.authenticationConfig.body,
    });
  return bodies;
}

/** The `jwt[].issuer.url` values of the file's authentication bodies, with their ranges. */
export function bodyIssuerUrls(parsed: ParsedFile): { value: string; range: SourceRange; jwtIndex: number }[] {
  const out: { value: string; range: SourceRange; jwtIndex: number }[] = [];
  for (const { documentIndex, prefix, body } of authBodies(parsed)) {
    const jwt = (body as { jwt?: unknown } | null | undefined)?.jwt;
    if (!Array.isArray(jwt)) continue;
    jwt.forEach((entry, index) => {
      const url = (entry as { issuer?: { url?: unknown } } | null)?.issuer?.url;
      const range = parsed.rangeOf(documentIndex, [...prefix, 'jwt', index, 'issuer', 'url']);
      if (typeof url === 'string' && range) out.push({ value: url, range, jwtIndex: index });
    });
  }
  return out;
}
