/**
 * The one rule for an issuer URL typed or passed by a user (the setup commands, the kubeconfig
 * user, the test login, the login preflight, `talos-oidc login` and `talos-oidc generate`): what
 * the API server accepts (validation.go's validateURL, parsed as Go's url.Parse does), plus what a
 * working login needs on top of it. Every caller shows the same message for the same mistake.
 */
import { parseGoURL } from './gourl';

/** The API server's own errors for `issuer.url` (`URL scheme must be https`, url.Parse's text, ...). */
export function apiServerUrlErrors(raw: string): string[] {
  const parsed = parseGoURL(raw);
  if (!parsed.url) return [parsed.error];
  const url = parsed.url;
  const errors: string[] = [];
  if (url.scheme !== 'https') errors.push('URL scheme must be https');
  if (url.hasUser) errors.push('URL must not contain a username or password');
  if (url.rawQuery.length > 0) errors.push('URL must not contain a query');
  if (url.fragment.length > 0) errors.push('URL must not contain a fragment');
  return errors;
}

export interface IssuerUrlProblem {
  /**
   * `unusable`: not an absolute URL at all (empty, a `<placeholder>`, unparsable, no scheme or
   * host): nothing can be fetched from it. Otherwise the URL is readable but refused.
   */
  kind: 'unusable' | 'scheme' | 'userinfo' | 'query' | 'fragment';
  /** One sentence for the user, the API server's own words in it where it has some. */
  message: string;
  fix: string;
}

const EXAMPLE = 'https://id.example.com';

/**
 * The first problem of an issuer URL, or undefined when the API server accepts it and discovery
 * can work. Stricter than the API server in one place, on purpose: a bare trailing `?` or `#`
 * (which it lets through, as an empty query or fragment) is refused too, since the discovery
 * document's URL is the issuer with `/.well-known/openid-configuration` appended and would then
 * land in the query or fragment. Surrounding spaces are ignored, as the input boxes trim them.
 */
export function issuerUrlProblem(value: string): IssuerUrlProblem | undefined {
  const raw = value.trim();
  if (!raw) return unusable('The issuer URL is empty.');
  if (/<[^<>]*>/.test(raw)) {
    return {
      kind: 'unusable',
      message: `"${raw}" still holds a <placeholder>.`,
      fix: "Put in your provider's address.",
    };
  }
  const parsed = parseGoURL(raw);
  if (!parsed.url) return unusable(`"${raw}" is not a URL (${parsed.error}).`);
  const url = parsed.url;
  if (!url.scheme || (!url.host && !url.opaque)) {
    return unusable(`"${raw}" is not an absolute URL; the API server needs one such as ${EXAMPLE}.`);
  }
  if (url.scheme !== 'https') {
    return {
      kind: 'scheme',
      message: `The API server accepts only https issuers; "${raw}" uses ${url.scheme} (its error: URL scheme must be https).`,
      fix: 'Serve the provider over https and use that URL.',
    };
  }
  if (!url.host) return unusable(`"${raw}" has no host name.`);
  if (url.hasUser) {
    return {
      kind: 'userinfo',
      message: 'The issuer URL contains a user name or password, which the API server rejects.',
      fix: 'Remove the credentials from the URL.',
    };
  }
  if (url.rawQuery.length > 0 || raw.includes('?')) {
    return {
      kind: 'query',
      message: 'The issuer URL has a query, which the API server rejects.',
      fix: 'Remove the query.',
    };
  }
  if (url.fragment.length > 0 || raw.includes('#')) {
    return {
      kind: 'fragment',
      message: 'The issuer URL has a fragment, which the API server rejects.',
      fix: 'Remove the fragment.',
    };
  }
  return undefined;
}

/** The problem as one line for an input box or an error message (undefined when there is none). */
export function describeIssuerUrlProblem(value: string): string | undefined {
  const problem = issuerUrlProblem(value);
  return problem && `${problem.message} ${problem.fix}`;
}

function unusable(message: string): IssuerUrlProblem {
  return { kind: 'unusable', message, fix: `Use the provider's public https URL, e.g. ${EXAMPLE}.` };
}
