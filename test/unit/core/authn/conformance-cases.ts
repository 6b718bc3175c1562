/**
 * Cases ported from the Kubernetes API server's own table-driven JWT authenticator test
 * (`TestToken` in staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc_test.go,
 * read at kubernetes/apiserver 24a394e5), in this project's data format. Each case names its
 * upstream case (`upstream`); config, claims and wanted user or error are upstream's, with:
 * - "now" fixed at upstream's 2009-11-10T23:00:00Z (1257894000), exp values as unix seconds;
 * - the test server's URL (`{{.URL}}`) replaced by a fixed https URL;
 * - times in errors printed in UTC (upstream formats `{{.Expired}}` in the test's local zone);
 * - `alg`: the JWS algorithm of upstream's signing key (the token header's alg);
 * - `initError`: what `oidc.New` returns (field paths without `jwt[i].`).
 * Cases whose upstream outcome needs a network fetch (distributed claims) carry `distributedResponses`.
 */
import type { JWTAuthenticator } from '../../../../src/core/authn/types';

export interface ConformanceUser {
  username: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface ConformanceCase {
  upstream: string;
  authenticator: JWTAuthenticator;
  signingAlgs?: string[];
  disallowedIssuers?: string[];
  alg?: string;
  claims?: Record<string, unknown>;
  expect:
    { user: ConformanceUser } | { error: string } | { skip: true } | { initError: string } | { unpredictable: string };
  /** Upstream serves distributed claims for this case from its test server. */
  distributedResponses?: boolean;
  /** Why our expectation differs from upstream's, when it does. */
  differs?: string;
  /** Upstream's expectation, kept when ours differs. */
  upstreamExpect?: { user: ConformanceUser } | { error: string };
}

export const UPSTREAM_NOW = 1257894000;

export const CONFORMANCE_CASES: ConformanceCase[] = [
  {
    upstream: 'token',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'no-username',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: parse username claims "username": claim not present',
    },
  },
  {
    upstream: 'email',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'email',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      email: 'jane@example.com',
      email_verified: true,
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane@example.com',
      },
    },
  },
  {
    upstream: 'email-not-verified',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'email',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      email: 'jane@example.com',
      email_verified: false,
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: email not verified',
    },
  },
  {
    upstream: 'no-email-verified-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'email',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      email: 'jane@example.com',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane@example.com',
      },
    },
  },
  {
    upstream: 'invalid-email-verified-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'email',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      email: 'jane@example.com',
      email_verified: 'false',
      exp: 1257897600,
    },
    expect: {
      error: "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
    },
  },
  {
    upstream: 'groups',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
      },
    },
  },
  {
    upstream: 'groups-distributed',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
      },
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'groups-distributed-malformed-claim-names',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'nonexistent-claim-source',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: source does not exist',
    },
    distributedResponses: true,
  },
  {
    upstream: 'groups-distributed-malformed-names-and-sources',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: source does not exist',
    },
    distributedResponses: true,
  },
  {
    upstream: 'groups-distributed-malformed-distributed-claim',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      error:
        'oidc: could not expand distributed claims: jwt returned by distributed claim endpoint "https://oidc.upstream-test-server.invalid/groups" did not contain claim: groups',
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'groups-distributed-unusual-name',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'rabbits',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        rabbits: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/rabbits',
          access_token: 'rabbits_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
      },
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'groups-distributed-wrong-audience',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      error:
        'oidc: could not expand distributed claims: verify distributed claim token: oidc: expected audience "my-client" got ["your-client"]',
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'groups-distributed-expired-token',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      error:
        'oidc: could not expand distributed claims: verify distributed claim token: oidc: token is expired (Token Expiry: 2009-11-10 22:00:00 +0000 UTC)',
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'groups-distributed-normal-claim-wins',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      groups: 'team1',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1'],
      },
    },
    distributedResponses: true,
  },
  {
    upstream: 'group-string-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: 'team1',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1'],
      },
    },
  },
  {
    upstream: 'group-string-claim-distributed',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      user: {
        username: 'jane',
        groups: ['team1'],
      },
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'group-string-claim-aggregated-not-supported',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          JWT: 'some.jwt.token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'no-groups-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'invalid-groups-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: 42,
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: parse groups claim "groups": json: cannot unmarshal number into Go value of type string',
    },
  },
  {
    upstream: 'required-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          claim: 'hd',
          requiredValue: 'example.com',
        },
        {
          claim: 'sub',
          requiredValue: 'test',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      hd: 'example.com',
      sub: 'test',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'no-required-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          claim: 'hd',
          requiredValue: 'example.com',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: required claim hd not present in ID token',
    },
  },
  {
    upstream: 'invalid-required-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          claim: 'hd',
          requiredValue: 'example.com',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          claim: 'groups',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      hd: 'example.org',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: required claim hd value does not match. Got = example.org, want = example.com',
    },
  },
  {
    upstream: 'expired',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257890400,
    },
    expect: {
      error: 'oidc: verify token: oidc: token is expired (Token Expiry: 2009-11-10 22:00:00 +0000 UTC)',
    },
  },
  {
    upstream: 'invalid-aud',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: expected audience "my-client" got ["not-my-client"]',
    },
  },
  {
    upstream: 'multiple-audiences',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['not-my-client', 'my-client'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'multiple-audiences in authentication config',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['random-client', 'my-client'],
        audienceMatchPolicy: 'MatchAny',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['not-my-client', 'my-client'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'multiple-audiences in authentication config, multiple matches',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['random-client', 'my-client', 'other-client'],
        audienceMatchPolicy: 'MatchAny',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['not-my-client', 'my-client', 'other-client'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'multiple-audiences in authentication config, no match',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['random-client', 'my-client'],
        audienceMatchPolicy: 'MatchAny',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['not-my-client'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: expected audience in ["my-client" "random-client"] got ["not-my-client"]',
    },
  },
  {
    upstream: 'nuanced audience validation using claim validation rules',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['bar', 'foo', 'baz'],
        audienceMatchPolicy: 'MatchAny',
      },
      claimValidationRules: [
        {
          expression: 'sets.equivalent(claims.aud, ["bar", "foo", "baz"])',
          message: 'audience must exactly contain [bar, foo, baz]',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['foo', 'bar', 'baz'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'audience validation using claim validation rules fails',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['bar', 'foo', 'baz'],
        audienceMatchPolicy: 'MatchAny',
      },
      claimValidationRules: [
        {
          expression: 'sets.equivalent(claims.aud, ["bar", "foo", "baz"])',
          message: 'audience must exactly contain [bar, foo, baz]',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: ['foo', 'baz'],
      azp: 'not-my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error:
        'oidc: error evaluating claim validation expression: validation expression \'sets.equivalent(claims.aud, ["bar", "foo", "baz"])\' failed: audience must exactly contain [bar, foo, baz]',
    },
  },
  {
    upstream: 'invalid-issuer',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      skip: true,
    },
  },
  {
    upstream: 'username-prefix',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'oidc:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'oidc:jane',
      },
    },
  },
  {
    upstream: 'groups-prefix',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'oidc:',
        },
        groups: {
          claim: 'groups',
          prefix: 'groups:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'oidc:jane',
        groups: ['groups:team1', 'groups:team2'],
      },
    },
  },
  {
    upstream: 'groups-prefix-distributed',
    authenticator: {
      issuer: {
        url: 'https://oidc.upstream-test-server.invalid',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'oidc:',
        },
        groups: {
          claim: 'groups',
          prefix: 'groups:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://oidc.upstream-test-server.invalid',
      aud: 'my-client',
      username: 'jane',
      _claim_names: {
        groups: 'src1',
      },
      _claim_sources: {
        src1: {
          endpoint: 'https://oidc.upstream-test-server.invalid/groups',
          access_token: 'groups_token',
        },
      },
      exp: 1257897600,
    },
    expect: {
      unpredictable: 'is a distributed claim',
    },
    distributedResponses: true,
    upstreamExpect: {
      user: {
        username: 'oidc:jane',
        groups: ['groups:team1', 'groups:team2'],
      },
    },
    differs:
      'upstream fetches the distributed groups claim from its test server; a review does not fetch, so it cannot predict',
  },
  {
    upstream: 'invalid-signing-alg',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'PS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "PS256"',
    },
  },
  {
    upstream: 'ps256',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    signingAlgs: ['PS256'],
    alg: 'PS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'es512',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    signingAlgs: ['ES512'],
    alg: 'ES512',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'not-https',
    authenticator: {
      issuer: {
        url: 'http://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    expect: {
      initError: 'issuer.url: Invalid value: "http://auth.example.com": URL scheme must be https',
    },
  },
  {
    upstream: 'no-username-claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    expect: {
      initError: 'claimMappings.username: Required value: claim or expression is required',
    },
  },
  {
    upstream: 'invalid-sig-alg',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    signingAlgs: ['HS256'],
    expect: {
      initError: 'oidc: unsupported signing alg: "HS256"',
    },
  },
  {
    upstream: 'accounts.google.com issuer',
    authenticator: {
      issuer: {
        url: 'https://accounts.google.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'email',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'accounts.google.com',
      email: 'thomas.jefferson@gmail.com',
      aud: 'my-client',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'thomas.jefferson@gmail.com',
      },
    },
  },
  {
    upstream: 'good token with bad client id',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'prefix:',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-wrong-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error: 'oidc: verify token: oidc: expected audience "my-client" got ["my-wrong-client"]',
    },
  },
  {
    upstream: 'user validation rule fails for user.username',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'system:',
        },
      },
      userValidationRules: [
        {
          expression: "!user.username.startsWith('system:')",
          message: 'username cannot used reserved system: prefix',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error:
        "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' failed: username cannot used reserved system: prefix",
    },
  },
  {
    upstream: 'user validation rule fails for user.groups',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          claim: 'groups',
          prefix: 'system:',
        },
      },
      userValidationRules: [
        {
          expression: "user.groups.all(group, !group.startsWith('system:'))",
          message: 'groups cannot used reserved system: prefix',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      groups: ['team1', 'team2'],
    },
    expect: {
      error:
        "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(group, !group.startsWith('system:'))' failed: groups cannot used reserved system: prefix",
    },
  },
  {
    upstream: 'claim validation rule with expression fails',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.hd == "example.com"',
          message: 'hd claim must be example.com',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      error:
        'oidc: error evaluating claim validation expression: expression \'claims.hd == "example.com"\' resulted in error: no such key: hd',
    },
  },
  {
    upstream: 'claim validation rule with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.hd == "example.com"',
          message: 'hd claim must be example.com',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      hd: 'example.com',
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'claim validation rule with expression and nested claims',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.foo.bar == "baz"',
          message: 'foo.bar claim must be baz',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      hd: 'example.com',
      foo: {
        bar: 'baz',
      },
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'claim validation rule with mix of expression and claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.foo.bar == "baz"',
          message: 'foo.bar claim must be baz',
        },
        {
          claim: 'hd',
          requiredValue: 'example.com',
        },
      ],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      hd: 'example.com',
      foo: {
        bar: 'baz',
      },
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'username claim mapping with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'username claim mapping with expression and nested claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.foo.username',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      foo: {
        username: 'jane',
      },
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'claim mappings with expressions and deeply nested claim - success',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.turtle.foo.other1.bit1 && !claims.turtle.foo.bar.other1.bit2',
        },
      ],
      claimMappings: {
        username: {
          expression: 'claims.turtle.foo.bar.baz.panda[0]',
        },
        groups: {
          expression: 'claims.turtle.foo.bar.baz.panda',
        },
        uid: {
          expression: 'claims.turtle.foo.bar.baz.panda[1]',
        },
        extra: [
          {
            key: 'bio.snorlax.org/1',
            valueExpression: 'string(claims.turtle.foo.bar.other1.bit2)',
          },
          {
            key: 'bio.snorlax.org/2',
            valueExpression: 'string(claims.turtle.foo.bar.baz.other1.bit3)',
          },
          {
            key: 'bio.snorlax.org/3',
            valueExpression: "[string(claims.turtle.foo.bar.baz.other1.bit1)] + ['a', 'b', 'c']",
          },
        ],
      },
      userValidationRules: [
        {
          expression: 'user.username != "bad"',
        },
        {
          expression: 'user.uid == "007"',
        },
        {
          expression: '"claus" in user.groups',
        },
        {
          expression: 'user.extra.bio__dot__snorlax__dot__org__slash__3.size() == 4',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      exp: 1257897600,
      turtle: {
        foo: {
          '1': 'a',
          '2': 'b',
          other1: {
            bit1: true,
            bit2: false,
            bit3: 1,
          },
          bar: {
            '3': 'c',
            '4': 'd',
            other1: {
              bit1: true,
              bit2: false,
              bit3: 1,
            },
            baz: {
              '5': 'e',
              '6': 'f',
              panda: ['snorlax', '007', 'santa', 'claus'],
              other1: {
                bit1: true,
                bit2: false,
                bit3: 1,
              },
            },
          },
        },
      },
    },
    expect: {
      user: {
        username: 'snorlax',
        groups: ['snorlax', '007', 'santa', 'claus'],
        uid: '007',
        extra: {
          'bio.snorlax.org/1': ['false'],
          'bio.snorlax.org/2': ['1'],
          'bio.snorlax.org/3': ['true', 'a', 'b', 'c'],
        },
      },
    },
  },
  {
    upstream: 'claim mappings with expressions and deeply nested claim - success via optional',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.turtle.foo.other1.bit1 && !claims.turtle.foo.bar.other1.bit2',
        },
      ],
      claimMappings: {
        username: {
          expression: 'claims.turtle.foo.bar.baz.panda[0]',
        },
        groups: {
          expression: "claims.turtle.foo.bar.baz.?a.b.c.d.orValue([ 'claus' ])",
        },
        uid: {
          expression: 'claims.turtle.foo.bar.baz.panda[1]',
        },
        extra: [
          {
            key: 'bio.snorlax.org/1',
            valueExpression: 'string(claims.turtle.foo.bar.other1.bit2)',
          },
          {
            key: 'bio.snorlax.org/2',
            valueExpression: 'string(claims.turtle.foo.bar.baz.other1.bit3)',
          },
          {
            key: 'bio.snorlax.org/3',
            valueExpression: "[string(claims.turtle.foo.bar.baz.other1.bit1)] + ['a', 'b', 'c']",
          },
        ],
      },
      userValidationRules: [
        {
          expression: 'user.username != "bad"',
        },
        {
          expression: 'user.uid == "007"',
        },
        {
          expression: '"claus" in user.groups',
        },
        {
          expression: 'user.extra.bio__dot__snorlax__dot__org__slash__3.size() == 4',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      exp: 1257897600,
      turtle: {
        foo: {
          '1': 'a',
          '2': 'b',
          other1: {
            bit1: true,
            bit2: false,
            bit3: 1,
          },
          bar: {
            '3': 'c',
            '4': 'd',
            other1: {
              bit1: true,
              bit2: false,
              bit3: 1,
            },
            baz: {
              '5': 'e',
              '6': 'f',
              panda: ['snorlax', '007', 'santa', 'claus'],
              other1: {
                bit1: true,
                bit2: false,
                bit3: 1,
              },
            },
          },
        },
      },
    },
    expect: {
      user: {
        username: 'snorlax',
        groups: ['claus'],
        uid: '007',
        extra: {
          'bio.snorlax.org/1': ['false'],
          'bio.snorlax.org/2': ['1'],
          'bio.snorlax.org/3': ['true', 'a', 'b', 'c'],
        },
      },
    },
  },
  {
    upstream: 'claim mappings with expressions and deeply nested claim - failure without optional',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'claims.turtle.foo.other1.bit1 && !claims.turtle.foo.bar.other1.bit2',
        },
      ],
      claimMappings: {
        username: {
          expression: 'claims.turtle.foo.bar.baz.panda[0]',
        },
        groups: {
          expression: 'claims.turtle.foo.bar.baz.a.b.c.d',
        },
        uid: {
          expression: 'claims.turtle.foo.bar.baz.panda[1]',
        },
        extra: [
          {
            key: 'bio.snorlax.org/1',
            valueExpression: 'string(claims.turtle.foo.bar.other1.bit2)',
          },
          {
            key: 'bio.snorlax.org/2',
            valueExpression: 'string(claims.turtle.foo.bar.baz.other1.bit3)',
          },
          {
            key: 'bio.snorlax.org/3',
            valueExpression: "[string(claims.turtle.foo.bar.baz.other1.bit1)] + ['a', 'b', 'c']",
          },
        ],
      },
      userValidationRules: [
        {
          expression: 'user.username != "bad"',
        },
        {
          expression: 'user.uid == "007"',
        },
        {
          expression: '"claus" in user.groups',
        },
        {
          expression: 'user.extra.bio__dot__snorlax__dot__org__slash__3.size() == 4',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      exp: 1257897600,
      turtle: {
        foo: {
          '1': 'a',
          '2': 'b',
          other1: {
            bit1: true,
            bit2: false,
            bit3: 1,
          },
          bar: {
            '3': 'c',
            '4': 'd',
            other1: {
              bit1: true,
              bit2: false,
              bit3: 1,
            },
            baz: {
              '5': 'e',
              '6': 'f',
              panda: ['snorlax', '007', 'santa', 'claus'],
              other1: {
                bit1: true,
                bit2: false,
                bit3: 1,
              },
            },
          },
        },
      },
    },
    expect: {
      error:
        "oidc: error evaluating group claim expression: expression 'claims.turtle.foo.bar.baz.a.b.c.d' resulted in error: no such key: a",
    },
  },
  {
    upstream: 'claim mappings with expressions and deeply nested claim - success - service account payload',
    authenticator: {
      issuer: {
        url: 'https://kubernetes.default.svc',
        audiences: ['https://kubernetes.default.svc'],
      },
      claimValidationRules: [
        {
          expression:
            'claims.sub == ("system:serviceaccount:" + claims.kubernetes__dot__io.namespace + ":" + claims.kubernetes__dot__io.serviceaccount.name)',
        },
        {
          expression: 'has(claims.kubernetes__dot__io.pod.uid)',
        },
        {
          expression: 'claims["kubernetes.io"]["node"]["uid"] != ""',
        },
        {
          expression: 'claims[?"kubernetes.io"]["node"]["ip"].orValue(true)',
        },
      ],
      claimMappings: {
        username: {
          expression:
            '"system:serviceaccount:" + claims.kubernetes__dot__io.namespace + ":" + claims.kubernetes__dot__io.serviceaccount.name',
        },
        groups: {
          expression: '[ "system:serviceaccounts", "system:serviceaccounts:" + claims.kubernetes__dot__io.namespace ]',
        },
        uid: {
          expression: 'claims.kubernetes__dot__io.serviceaccount.uid',
        },
        extra: [
          {
            key: 'authentication.x-kubernetes.io/pod-name',
            valueExpression: 'claims.kubernetes__dot__io.pod.name',
          },
          {
            key: 'authentication.x-kubernetes.io/pod-uid',
            valueExpression: 'claims.kubernetes__dot__io.pod.uid',
          },
          {
            key: 'authentication.x-kubernetes.io/node-name',
            valueExpression: 'claims.kubernetes__dot__io.node.name',
          },
          {
            key: 'authentication.x-kubernetes.io/node-uid',
            valueExpression: 'claims.kubernetes__dot__io.node.uid',
          },
          {
            key: 'authentication.x-kubernetes.io/credential-id',
            valueExpression: '"JTI=" + claims.jti',
          },
          {
            key: 'test.x-kubernetes.io/warnafter',
            valueExpression: 'string(int(claims.kubernetes__dot__io.warnafter))',
          },
          {
            key: 'test.x-kubernetes.io/namespace',
            valueExpression: 'claims.kubernetes__dot__io.namespace',
          },
        ],
      },
      userValidationRules: [
        {
          expression:
            'user.username.startsWith("system:serviceaccount:" + user.extra["test.x-kubernetes.io/namespace"][0] + ":")',
        },
        {
          expression: 'user.uid != ""',
        },
        {
          expression: '"system:serviceaccounts" in user.groups && user.groups.size() == 2',
        },
        {
          expression:
            'user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__node__dash__name[0] == "127.0.0.1"',
        },
        {
          expression:
            'user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__credential__dash__id[0] == user.extra.authentication__dot__kubernetes__dot__io__slash__credential__dash__id[0]',
        },
        {
          expression: 'user.extra["test.x-kubernetes.io/warnafter"][0] == "1700081020"',
        },
        {
          expression: 'has(user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__pod__dash__name)',
        },
        {
          expression: 'user.extra[?"test.x-kubernetes.io/missing"].orValue([]) == []',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      aud: ['https://kubernetes.default.svc'],
      exp: 1257897600,
      iat: 1700077413,
      iss: 'https://kubernetes.default.svc',
      jti: 'ea28ed49-2e11-4280-9ec5-bc3d1d84661a',
      'kubernetes.io': {
        namespace: 'kube-system',
        node: {
          name: '127.0.0.1',
          uid: '58456cb0-dd00-45ed-b797-5578fdceaced',
        },
        pod: {
          name: 'coredns-69cbfb9798-jv9gn',
          uid: '778a530c-b3f4-47c0-9cd5-ab018fb64f33',
        },
        serviceaccount: {
          name: 'coredns',
          uid: 'a087d5a0-e1dd-43ec-93ac-f13d89cd13af',
        },
        warnafter: 1700081020,
      },
      nbf: 1257894000,
      sub: 'system:serviceaccount:kube-system:coredns',
    },
    expect: {
      user: {
        username: 'system:serviceaccount:kube-system:coredns',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
        uid: 'a087d5a0-e1dd-43ec-93ac-f13d89cd13af',
        extra: {
          'authentication.x-kubernetes.io/pod-name': ['coredns-69cbfb9798-jv9gn'],
          'authentication.x-kubernetes.io/pod-uid': ['778a530c-b3f4-47c0-9cd5-ab018fb64f33'],
          'authentication.x-kubernetes.io/node-name': ['127.0.0.1'],
          'authentication.x-kubernetes.io/node-uid': ['58456cb0-dd00-45ed-b797-5578fdceaced'],
          'authentication.kubernetes.io/credential-id': ['JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a'],
          'authentication.x-kubernetes.io/credential-id': ['JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a'],
          'test.x-kubernetes.io/warnafter': ['1700081020'],
          'test.x-kubernetes.io/namespace': ['kube-system'],
        },
      },
    },
  },
  {
    upstream:
      'claim mappings with expressions and deeply nested claim - success - claims payload with deep use of __dot__',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [
        {
          expression: 'has(claims.turtle.foo.bar.baz.username__dot__io)',
        },
        {
          expression: 'has(claims.turtle.foo.bar.baz.link[0].uid__dot__io)',
        },
        {
          expression: 'has(claims.data[0].groups__dot__io)',
        },
        {
          expression: 'claims.turtle.foo.bar.bee.username__dot__io.company__dot__io == "fun-corp"',
        },
      ],
      claimMappings: {
        username: {
          expression: 'claims.turtle.foo.bar.baz.username__dot__io',
        },
        groups: {
          expression: 'claims.data[0].groups__dot__io',
        },
        uid: {
          expression: 'claims.turtle.foo.bar.baz.link[0].uid__dot__io',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      exp: 1257897600,
      data: [
        {
          'groups.io': 'gen1',
        },
      ],
      turtle: {
        foo: {
          '1': 'a',
          '2': 'b',
          other1: {
            bit1: true,
            bit2: false,
            bit3: 1,
          },
          bar: {
            '3': 'c',
            '4': 'd',
            other1: {
              bit1: true,
              bit2: false,
              bit3: 1,
            },
            bee: {
              'username.io': {
                'company.io': 'fun-corp',
              },
            },
            baz: {
              '5': 'e',
              '6': 'f',
              panda: ['snorlax', '007', 'santa', 'claus'],
              other1: {
                bit1: true,
                bit2: false,
                bit3: 1,
              },
              'username.io': 'snorlax.io',
              link: [
                {
                  'uid.io': '143',
                },
              ],
            },
          },
        },
      },
    },
    expect: {
      user: {
        username: 'snorlax.io',
        groups: ['gen1'],
        uid: '143',
      },
    },
  },
  {
    upstream: 'groups claim mapping with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
      },
    },
  },
  {
    upstream: 'groups claim with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: 'oidc:',
        },
        groups: {
          expression: '(claims.roles.split(",") + claims.other_roles.split(",")).map(role, "groups:" + role)',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      roles: 'foo,bar',
      other_roles: 'baz,qux',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'oidc:jane',
        groups: ['groups:foo', 'groups:bar', 'groups:baz', 'groups:qux'],
      },
    },
  },
  {
    upstream: 'uid claim mapping with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
        uid: '1234',
      },
    },
  },
  {
    upstream: 'uid claim mapping with claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          claim: 'uid',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
        uid: '1234',
      },
    },
  },
  {
    upstream: 'extra claim mapping with expression',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
        uid: '1234',
        extra: {
          'example.org/foo': ['bar'],
          'example.org/bar': ['baz', 'qux'],
        },
      },
    },
  },
  {
    upstream: 'extra claim mapping, value derived from claim value',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        extra: [
          {
            key: 'example.org/admin',
            valueExpression: '(has(claims.is_admin) && claims.is_admin) ? "true":""',
          },
          {
            key: 'example.org/admin_1',
            valueExpression: 'claims.?is_admin.orValue(false) == true ? "true":""',
          },
          {
            key: 'example.org/non_existent',
            valueExpression: 'claims.?non_existent.orValue("default") == "default" ? "true":""',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      is_admin: true,
    },
    expect: {
      user: {
        username: 'jane',
        extra: {
          'example.org/admin': ['true'],
          'example.org/admin_1': ['true'],
          'example.org/non_existent': ['true'],
        },
      },
    },
  },
  {
    upstream: 'hardcoded extra claim mapping',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        extra: [
          {
            key: 'example.org/admin',
            valueExpression: '"true"',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      is_admin: true,
    },
    expect: {
      user: {
        username: 'jane',
        extra: {
          'example.org/admin': ['true'],
        },
      },
    },
  },
  {
    upstream: 'extra claim mapping, multiple expressions for same key',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
          {
            key: 'example.org/foo',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    },
    expect: {
      initError: 'claimMappings.extra[2].key: Duplicate value: "example.org/foo"',
    },
  },
  {
    upstream: 'disallowed issuer via configured value',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    disallowedIssuers: ['https://auth.example.com'],
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    },
    expect: {
      initError:
        'issuer.url: Invalid value: "https://auth.example.com": URL must not overlap with disallowed issuers: [https://auth.example.com]',
    },
  },
  {
    upstream: 'invalid egress type',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
        egressSelectorType: 'etcd',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    },
    expect: {
      initError:
        'issuer.egressSelectorType: Invalid value: "etcd": egress selector must be either controlplane or cluster',
    },
  },
  {
    upstream: 'valid egress type with working dialer',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/.well-known/openid-configuration',
        egressSelectorType: 'cluster',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'extra claim mapping, empty string value for key',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      foo: '',
      bar: ['baz', 'qux'],
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
        uid: '1234',
        extra: {
          'example.org/bar': ['baz', 'qux'],
        },
      },
    },
  },
  {
    upstream: 'extra claim mapping with user validation rule succeeds',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
        uid: {
          expression: 'claims.uid',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: "'bar'",
          },
          {
            key: 'example.org/baz',
            valueExpression: 'claims.baz',
          },
        ],
      },
      userValidationRules: [
        {
          expression: "'bar' in user.extra['example.org/foo'] && 'qux' in user.extra['example.org/baz']",
          message: 'example.org/foo must be bar and example.org/baz must be qux',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: ['team1', 'team2'],
      exp: 1257897600,
      uid: '1234',
      baz: 'qux',
    },
    expect: {
      user: {
        username: 'jane',
        groups: ['team1', 'team2'],
        uid: '1234',
        extra: {
          'example.org/foo': ['bar'],
          'example.org/baz': ['qux'],
        },
      },
    },
  },
  {
    upstream: 'groups expression returns null',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      groups: null,
      exp: 1257897600,
      uid: '1234',
      baz: 'qux',
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: "test user validation rule doesn't fail when user info is empty except username",
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        groups: {
          expression: 'claims.groups',
        },
      },
      userValidationRules: [
        {
          expression: 'user.username == " "',
          message: 'username must be single space',
        },
        {
          expression: 'user.uid == ""',
          message: 'uid must be empty string',
        },
        {
          expression: "!('bar' in user.groups)",
          message: 'groups must not contain bar',
        },
        {
          expression: "!('bar' in user.extra)",
          message: 'extra must not contain bar',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: ' ',
      groups: null,
      exp: 1257897600,
      baz: 'qux',
    },
    expect: {
      user: {
        username: ' ',
      },
    },
  },
  {
    upstream: 'empty username is allowed via claim',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
        groups: {
          expression: 'claims.groups',
        },
      },
      userValidationRules: [
        {
          expression: 'user.username == ""',
          message: 'username must be empty string',
        },
        {
          expression: 'user.uid == ""',
          message: 'uid must be empty string',
        },
        {
          expression: "!('bar' in user.groups)",
          message: 'groups must not contain bar',
        },
        {
          expression: "!('bar' in user.extra)",
          message: 'extra must not contain bar',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: '',
      groups: null,
      exp: 1257897600,
      baz: 'qux',
    },
    expect: {
      user: {
        username: '',
      },
    },
  },
  {
    upstream: 'minimum valid jwt payload',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.user',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      user: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'discovery-url',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/.well-known/openid-configuration',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'discovery url, issuer has a path',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com/a/b/foo',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/.well-known/openid-configuration',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com/a/b/foo',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'discovery url has a path, issuer url has no path',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/c/d/bar/.well-known/openid-configuration',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'discovery url and issuer url have paths',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com/a/b/foo',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/c/d/bar/.well-known/openid-configuration',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com/a/b/foo',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'discovery url and issuer url have paths, issuer url has trailing slash',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com/a/b/foo/',
        audiences: ['my-client'],
        discoveryURL: 'https://oidc.upstream-test-server.invalid/c/d/bar/.well-known/openid-configuration',
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          claim: 'username',
          prefix: '',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com/a/b/foo/',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'credential id set in extra even when no extra claim mappings are defined',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      jti: '1234',
    },
    expect: {
      user: {
        username: 'jane',
        extra: {
          'authentication.kubernetes.io/credential-id': ['JTI=1234'],
        },
      },
    },
  },
  {
    upstream: 'credential id set in extra when extra claim mappings are defined',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
        extra: [
          {
            key: 'example.org/foo',
            valueExpression: 'claims.foo',
          },
          {
            key: 'example.org/bar',
            valueExpression: 'claims.bar',
          },
        ],
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      jti: '1234',
      foo: 'bar',
      bar: ['baz', 'qux'],
    },
    expect: {
      user: {
        username: 'jane',
        extra: {
          'authentication.kubernetes.io/credential-id': ['JTI=1234'],
          'example.org/foo': ['bar'],
          'example.org/bar': ['baz', 'qux'],
        },
      },
    },
  },
  {
    upstream: 'non-string jti claim does not set credential id in extra or error',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      jti: 1234,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'missing jti claim does not set credential id in extra or error',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
      },
      userValidationRules: [],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
    },
    expect: {
      user: {
        username: 'jane',
      },
    },
  },
  {
    upstream: 'using credential id and user validation rule to simulate revocation',
    authenticator: {
      issuer: {
        url: 'https://auth.example.com',
        audiences: ['my-client'],
      },
      claimValidationRules: [],
      claimMappings: {
        username: {
          expression: 'claims.username',
        },
      },
      userValidationRules: [
        {
          expression:
            "!(user.extra[?'authentication.kubernetes.io/credential-id'][0].orValue('') in [\"JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a\"])",
          message: 'credential is revoked',
        },
      ],
    },
    alg: 'RS256',
    claims: {
      iss: 'https://auth.example.com',
      aud: 'my-client',
      username: 'jane',
      exp: 1257897600,
      jti: 'ea28ed49-2e11-4280-9ec5-bc3d1d84661a',
    },
    expect: {
      error:
        "oidc: error evaluating user info validation rule: validation expression '!(user.extra[?'authentication.kubernetes.io/credential-id'][0].orValue('') in [\"JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a\"])' failed: credential is revoked",
    },
  },
];

/** Upstream cases not ported, and why. */
export const NOT_PORTED: { upstream: string; reason: string }[] = [
  {
    upstream: 'groups-distributed invalid client',
    reason: 'sets a Go HTTP client or key set on the authenticator (programmatic, not configuration)',
  },
  {
    upstream: 'invalid-signature',
    reason: 'depends on signature verification with keys (the review does not verify signatures)',
  },
  {
    upstream: 'client and ca mutually exclusive',
    reason: 'sets a Go HTTP client or key set on the authenticator (programmatic, not configuration)',
  },
  {
    upstream: 'keyset and discovery URL mutually exclusive',
    reason: 'sets a Go HTTP client or key set on the authenticator (programmatic, not configuration)',
  },
  {
    upstream: 'health check failure',
    reason: 'asserts the discovery/JWKS health check over the network',
  },
  {
    upstream: 'valid egress type with error',
    reason: 'asserts errors of the egress dialer wiring, not of the configuration',
  },
  {
    upstream: 'valid egress type with error - again',
    reason: 'asserts errors of the egress dialer wiring, not of the configuration',
  },
  {
    upstream: 'valid egress type with no egress config',
    reason: 'asserts errors of the egress dialer wiring, not of the configuration',
  },
  {
    upstream: 'valid egress type with no egress config for the given type',
    reason: 'asserts errors of the egress dialer wiring, not of the configuration',
  },
  {
    upstream: 'valid egress type with broken dialer',
    reason: 'asserts the discovery/JWKS health check over the network',
  },
];
