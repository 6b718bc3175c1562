/**
 * A real OpenID provider for tests (`oidc-provider` 8, in-process), configured like Pocket-ID.
 *
 *   const op = await startTestProvider({ host?: '127.0.0.2', port?: 0, trailingSlash?, signingAlg?,
 *                    redirectUris?, pkceMethods?, advertisePkce?, scopes?, accounts?, certNames? });
 *   op.issuer        'https://127.0.0.2:<port>' (no trailing slash unless trailingSlash: true)
 *   op.caPem/caFile  the CA made for this test process (pass it to the client under test)
 *   op.spkiSha256    the server key's hash for Chromium's --ignore-certificate-errors-spki-list
 *   op.clients.public        { clientId (UUID), tokenEndpointAuthMethod 'none' }  (PKCE required)
 *   op.clients.confidential  { clientId, clientSecret, 'client_secret_basic' }
 *   op.accounts.alice  groups [cluster-admins, developers], email_verified true
 *   op.accounts.bob    groups []  (no groups)
 *   op.accounts.carol  email_verified false
 *   op.signIdToken(claims, { header?, key? })  a JWT signed with the provider's key, or with
 *                    op.generateForeignKey() to forge one (signJwt() signs with any key)
 *   options for a long-lived demo (scripts/lib/playground): certificates, clientIds, demoLoginPage
 *   op.stop()          closes the server (the run's CA files go when the process exits)
 *
 *   driveLogin(authorizationUrl, { caPem, login: op.accounts.alice.sub, abort?, tamper?,
 *              deliverCallback? })   (./driver; returns { callbackUrl, callbackStatus, callbackBody })
 *     submits the provider's login and consent forms over HTTP like a browser, then requests the
 *     final redirect (the loopback callback). Throws ProviderErrorPage when the provider shows an
 *     error page instead of redirecting (e.g. an unregistered redirect_uri).
 *
 * Defaults mirror Pocket-ID: UUID client IDs, RS256 (RSA-2048), scopes openid profile email
 * groups offline_access, per-user email_verified, issuer without a trailing slash, PKCE S256
 * required for public clients, and a registered `http://localhost` matching any port (Pocket-ID's
 * loopback rule). Listens on 127.0.0.2 because code-server's openExternal rewrites URLs on
 * localhost/127.0.0.1 to its port proxy; the certificate names that address (and localhost).
 * Not simulated: Pocket-ID's `*`/`**` callback wildcards, passkeys, its admin UI.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type OidcAccount, type OidcAdapter, type OidcContext, type OidcErrorOut } from 'oidc-provider';
import { testCertificatesFor, type TestCertificates } from './certs';

export { driveLogin, ProviderErrorPage, type DriveLoginOptions, type DriveLoginResult } from './driver';

export type TestSigningAlg = 'RS256' | 'RS384' | 'PS256' | 'ES256' | 'EdDSA';

export interface TestAccount {
  /** The account ID: the `sub` claim, and the value to type into the login form. */
  sub: string;
  email: string;
  email_verified: boolean;
  /** Group names, as Pocket-ID puts them in the `groups` claim. */
  groups: string[];
  name: string;
  preferred_username: string;
}

export interface TestClient {
  clientId: string;
  clientSecret?: string;
  tokenEndpointAuthMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  redirectUris: string[];
}

export interface StartTestProviderOptions {
  /** Loopback address to listen on (default 127.0.0.2). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Serve the issuer with a trailing slash: the discovery `issuer` and the tokens' `iss` end in `/`. */
  trailingSlash?: boolean;
  /** The only ID token signing algorithm and key type (default RS256 with an RSA-2048 key). */
  signingAlg?: TestSigningAlg;
  /** Redirect URIs registered for both clients (default ['http://localhost']). */
  redirectUris?: string[];
  /** Advertised and accepted PKCE methods (default ['S256']). */
  pkceMethods?: ('S256' | 'plain')[];
  /**
   * False: leave code_challenge_methods_supported out of discovery while still requiring PKCE
   * from public clients (a real-world setup that trips kubelogin's --oidc-pkce-method auto).
   */
  advertisePkce?: boolean;
  /** Scopes besides openid (default profile email groups offline_access). */
  scopes?: string[];
  /** More accounts (or replacements for alice/bob/carol), by a short name. */
  accounts?: Record<string, Partial<TestAccount>>;
  /** Extra names for the server certificate (the host is always included, plus localhost). */
  certNames?: string[];
  /** Use these certificates instead of a CA made for this process (the playground keeps one between runs). */
  certificates?: TestCertificates;
  /** Fixed client IDs and secret instead of new ones (the playground's settings must stay valid between runs). */
  clientIds?: { public?: string; confidential?: string; confidentialSecret?: string };
  /**
   * Shows this notice on the login page with one "Sign in as" button per account, so a person
   * needs no account ID. The plain login form stays below it.
   */
  demoLoginPage?: { title: string; text: string };
}

export interface TestProvider {
  issuer: string;
  /** `https://host:port`, the issuer without path or trailing slash. */
  origin: string;
  host: string;
  port: number;
  caPem: string;
  caFile: string;
  spkiSha256: string;
  clients: { public: TestClient; confidential: TestClient };
  accounts: Record<'alice' | 'bob' | 'carol', TestAccount> & Record<string, TestAccount>;
  signingKey: { kid: string; alg: TestSigningAlg };
  /** Signs a JWT with the provider's key (default) or `options.key` (another key, to test rejection). */
  signIdToken(claims: Record<string, unknown>, options?: { header?: Record<string, unknown>; key?: KeyObject }): string;
  /** A fresh key of the provider's kind, not in its JWKS. */
  generateForeignKey(): KeyObject;
  stop(): Promise<void>;
}

/** Pocket-ID's scopes and the claims each adds. */
const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
  groups: ['groups'],
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Pocket-ID's callback URL rule for http loopback hosts: a registered URL without a port matches
 * every port on the same host (so one `http://localhost` covers kubelogin's 8000 and 18000).
 * Everything else must be equal as a string.
 */
export function pocketIdRedirectAllowed(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let want: URL;
  let got: URL;
  try {
    want = new URL(registered);
    got = new URL(requested);
  } catch {
    return false;
  }
  if (want.protocol !== 'http:' || !LOOPBACK_HOSTS.has(want.hostname) || want.port !== '') return false;
  if (got.protocol !== want.protocol || got.hostname !== want.hostname) return false;
  got.port = '';
  return got.href === want.href;
}

export async function startTestProvider(options: StartTestProviderOptions = {}): Promise<TestProvider> {
  const host = options.host ?? '127.0.0.2';
  const signingAlg = options.signingAlg ?? 'RS256';
  const redirectUris = options.redirectUris ?? ['http://localhost'];
  const scopes = options.scopes ?? ['profile', 'email', 'groups', 'offline_access'];
  const certificates =
    options.certificates ?? (await testCertificatesFor([host, 'localhost', ...(options.certNames ?? [])]));

  const { privateKey, kid } = makeSigningKey(signingAlg);
  const accounts = makeAccounts(options.accounts);
  const byId = new Map(Object.values(accounts).map((account) => [account.sub, account]));

  const clients = {
    public: {
      clientId: options.clientIds?.public ?? randomUUID(),
      tokenEndpointAuthMethod: 'none',
      redirectUris,
    } satisfies TestClient,
    confidential: {
      clientId: options.clientIds?.confidential ?? randomUUID(),
      clientSecret: options.clientIds?.confidentialSecret ?? randomBytes(24).toString('base64url'),
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris,
    } satisfies TestClient,
  };

  // The issuer needs the port, known only after listening: bind first, attach the provider after.
  // Assigned once the provider exists, after the server has started listening.
  // eslint-disable-next-line prefer-const
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = https.createServer({ key: certificates.keyPem, cert: certificates.certPem }, (req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const origin = `https://${hostInUrl}:${port}`;
  const issuer = options.trailingSlash ? `${origin}/` : origin;

  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: signingAlg, use: 'sig' };
  const provider = quietly(
    () =>
      new Provider(issuer, {
        adapter: makeMemoryAdapter(),
        clients: [
          {
            client_id: clients.public.clientId,
            token_endpoint_auth_method: 'none',
            redirect_uris: redirectUris,
          },
          {
            client_id: clients.confidential.clientId,
            client_secret: clients.confidential.clientSecret,
            token_endpoint_auth_method: 'client_secret_basic',
            redirect_uris: redirectUris,
          },
        ],
        clientDefaults: {
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          id_token_signed_response_alg: signingAlg,
        },
        responseTypes: ['code'],
        scopes: ['openid', ...scopes],
        // oidc-provider lists every claims key as a scope, so only the chosen scopes get one.
        claims: Object.fromEntries(
          Object.entries(SCOPE_CLAIMS).filter(([scope]) => scope === 'openid' || scopes.includes(scope)),
        ),
        // Pocket-ID puts the scope's claims in the ID token itself.
        conformIdTokenClaims: false,
        jwks: { keys: [privateJwk] },
        enabledJWA: { idTokenSigningAlgValues: [signingAlg] },
        pkce: {
          methods: options.pkceMethods ?? ['S256'],
          required: (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod === 'none',
        },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        features: { devInteractions: { enabled: true } },
        // Explicit lifetimes (seconds), as a real deployment has; the defaults print a notice each.
        ttl: {
          AccessToken: 3600,
          AuthorizationCode: 60,
          IdToken: 3600,
          Interaction: 600,
          Session: 3600,
          Grant: 3600,
          RefreshToken: 86400,
        },
        async findAccount(_ctx: unknown, id: string): Promise<OidcAccount | undefined> {
          const account = byId.get(id);
          if (!account) return undefined;
          return { accountId: id, claims: () => ({ ...account }) };
        },
        async renderError(ctx: OidcContext, out: OidcErrorOut) {
          ctx.type = 'html';
          ctx.body = errorPage(out);
        },
      }),
  );
  provider.Client.prototype.redirectUriAllowed = function (this: { redirectUris: string[] }, value: string) {
    return this.redirectUris.some((registered) => pocketIdRedirectAllowed(registered, value));
  };
  if (options.advertisePkce === false) {
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path.endsWith('/.well-known/openid-configuration') && ctx.body && typeof ctx.body === 'object') {
        delete (ctx.body as Record<string, unknown>).code_challenge_methods_supported;
      }
    });
  }
  if (options.demoLoginPage) {
    const notice = options.demoLoginPage;
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path.startsWith('/interaction/') && typeof ctx.body === 'string' && ctx.body.includes('name="login"')) {
        ctx.body = withDemoNotice(ctx.body, notice, Object.entries(accounts));
      }
    });
  }
  handler = provider.callback();

  let stopped = false;
  return {
    issuer,
    origin,
    host,
    port,
    caPem: certificates.caPem,
    caFile: certificates.caFile,
    spkiSha256: certificates.spkiSha256,
    clients,
    accounts,
    signingKey: { kid, alg: signingAlg },
    signIdToken: (claims, signOptions = {}) =>
      signJwt({ alg: signingAlg, typ: 'JWT', kid, ...signOptions.header }, claims, signOptions.key ?? privateKey),
    generateForeignKey: () => makeSigningKey(signingAlg).privateKey,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function makeAccounts(extra: Record<string, Partial<TestAccount>> = {}): TestProvider['accounts'] {
  const make = (name: string, fields: Partial<TestAccount>): TestAccount => ({
    sub: randomUUID(),
    email: `${name}@example.test`,
    email_verified: true,
    groups: [],
    name: name[0].toUpperCase() + name.slice(1),
    preferred_username: name,
    ...fields,
  });
  const accounts: Record<string, TestAccount> = {
    alice: make('alice', { groups: ['cluster-admins', 'developers'] }),
    bob: make('bob', { groups: [] }),
    carol: make('carol', { email_verified: false, groups: ['developers'] }),
  };
  for (const [name, fields] of Object.entries(extra)) accounts[name] = make(name, { ...accounts[name], ...fields });
  return accounts as TestProvider['accounts'];
}

function makeSigningKey(alg: TestSigningAlg): { privateKey: KeyObject; kid: string } {
  let privateKey: KeyObject;
  if (alg === 'EdDSA') privateKey = generateKeyPairSync('ed25519').privateKey;
  else if (alg === 'ES256') privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  else privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return { privateKey, kid: randomBytes(8).toString('hex') };
}

/** Signs a compact JWS the way a provider does (used to forge tokens in tests). */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: KeyObject,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const alg = String(header.alg);
  const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`;
  const signature = cryptoSign(hash, Buffer.from(input), {
    key: privateKey,
    ...(alg.startsWith('PS') ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(alg.slice(2)) / 8 } : {}),
    ...(alg.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${input}.${signature.toString('base64url')}`;
}

/** Runs `make` without oidc-provider's start-up notice about devInteractions (wanted here: it is the test login form). */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('oidc-provider WARNING: a quick start development-only feature devInteractions'))
      warn(...args);
  };
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}

/**
 * Adds the demo notice and one form per account to oidc-provider's login page: each posts the
 * same fields as the login form (the account ID as the login), so no script is needed.
 */
function withDemoNotice(
  page: string,
  notice: { title: string; text: string },
  accounts: [string, TestAccount][],
): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  if (!action) return page;
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = accounts
    .map(([name, account]) => {
      const facts = [
        `${escape(account.email)} (email ${account.email_verified ? 'verified' : '<strong>not verified</strong>'})`,
        account.groups.length ? `groups: ${account.groups.map(escape).join(', ')}` : '<strong>no groups</strong>',
        `sub: <code>${escape(account.sub)}</code>`,
      ].join('<br>');
      return (
        `<form class="demo-account" action="${action}" method="post" data-account="${escape(name)}">` +
        '<input type="hidden" name="prompt" value="login"/>' +
        `<input type="hidden" name="login" value="${escape(account.sub)}"/><input type="hidden" name="password" value="demo"/>` +
        `<button type="submit" class="login login-submit demo-login">Sign in as ${escape(name)}</button>` +
        `<p class="demo-facts">${facts}</p></form>`
      );
    })
    .join('');
  const block =
    `<section id="demo-notice" style="border:2px solid #c77d00;padding:8px 12px;margin-bottom:16px">` +
    `<h2 style="margin:4px 0">${escape(notice.title)}</h2><p>${escape(notice.text)}</p>${rows}</section>`;
  const at = page.indexOf('<form');
  return `${page.slice(0, at)}${block}${page.slice(at)}`;
}

/** A self-contained error page (the default one loads a web font) that still says what went wrong. */
function errorPage(out: OidcErrorOut): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = Object.entries(out)
    .map(
      ([key, value]) =>
        `<p><strong>${escape(key)}</strong>: <span data-key="${escape(key)}">${escape(String(value))}</span></p>`,
    )
    .join('');
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Error: ${escape(out.error)}</title></head>` +
    `<body><h1>Something went wrong</h1><div id="error" data-error="${escape(out.error)}">${rows}</div></body></html>`
  );
}

/** oidc-provider's in-memory storage, minus the "development only" warning it prints. */
function makeMemoryAdapter(): new (name: string) => OidcAdapter {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  const uidIndex = new Map<string, string>();
  const userCodeIndex = new Map<string, string>();
  const grantIndex = new Map<string, string[]>();
  const get = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MemoryAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
      const key = this.key(id);
      store.set(key, { payload, expiresAt: Date.now() + expiresIn * 1000 });
      if (typeof payload.uid === 'string' && this.model === 'Session') uidIndex.set(payload.uid, id);
      if (typeof payload.userCode === 'string') userCodeIndex.set(payload.userCode, id);
      if (typeof payload.grantId === 'string')
        grantIndex.set(payload.grantId, [...(grantIndex.get(payload.grantId) ?? []), key]);
    }
    async find(id: string) {
      return get(this.key(id));
    }
    async findByUid(uid: string) {
      const id = uidIndex.get(uid);
      return id === undefined ? undefined : get(this.key(id));
    }
    async findByUserCode(userCode: string) {
      const id = userCodeIndex.get(userCode);
      return id === undefined ? undefined : get(this.key(id));
    }
    async consume(id: string) {
      const payload = get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const key of grantIndex.get(grantId) ?? []) store.delete(key);
      grantIndex.delete(grantId);
    }
  };
}
