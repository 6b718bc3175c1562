/**
 * Issue 13: a hostile provider (or a hostile workspace setting) gets a clear refusal. Tokens are
 * signed here with node:crypto; the discovery documents are served by a small loopback server;
 * the login itself runs against the real oidc-provider over https.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createFetch, type LoginError, runLogin, verifyIdToken, type JsonWebKeySet } from '../../../../src/core/login';
import { startTestProvider, type TestProvider } from '../../../support/provider';

const ISSUER = 'https://id.example.com';
const CLIENT = 'kubernetes';
const NOW = 1_800_000_000;

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function jwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject,
  hash: string | null,
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign(hash, Buffer.from(input), key).toString('base64url')}`;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
/** Keys published without `alg`, as many providers do: the token header then decides. */
const jwks: JsonWebKeySet = {
  keys: [
    {
      ...(rsa.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: 'rsa',
      use: 'sig',
    } as JsonWebKeySet['keys'][number],
    {
      ...(ed.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: 'ed',
      use: 'sig',
    } as JsonWebKeySet['keys'][number],
  ],
};
const claims = { iss: ISSUER, aud: CLIENT, sub: 'u-1', exp: NOW + 600, iat: NOW };
const verify = (token: string, extra: { allowEdDSA?: boolean } = {}) =>
  verifyIdToken(token, { issuer: ISSUER, clientId: CLIENT, jwks, now: NOW, ...extra });

async function serve(
  handler: http.RequestListener,
  host = '127.0.0.1',
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('hardening: ID token verification', () => {
  it('accepts RS256 from a key without alg (the baseline)', () => {
    assert.equal(verify(jwt({ alg: 'RS256', kid: 'rsa' }, claims, rsa.privateKey, 'sha256')).ok, true);
  });

  it('refuses RS1 and RS224 from a key without alg: not algorithms the API server accepts', () => {
    for (const [alg, hash] of [
      ['RS1', 'sha1'],
      ['RS224', 'sha224'],
    ]) {
      const result = verify(jwt({ alg, kid: 'rsa' }, claims, rsa.privateKey, hash));
      assert.equal(result.ok, false, alg);
      assert.match(result.ok ? '' : result.reason, /not accepted: the API server verifies only RS256/);
    }
  });

  it('refuses EdDSA unless asked for it', () => {
    const token = jwt({ alg: 'EdDSA', kid: 'ed' }, claims, ed.privateKey, null);
    assert.equal(verify(token).ok, false);
    assert.equal(verify(token, { allowEdDSA: true }).ok, true);
  });

  it('refuses a token that is not valid yet (nbf beyond 5 minutes of clock skew), as go-oidc does', () => {
    const future = verify(jwt({ alg: 'RS256', kid: 'rsa' }, { ...claims, nbf: NOW + 3600 }, rsa.privateKey, 'sha256'));
    assert.equal(future.ok, false);
    assert.match(future.ok ? '' : future.reason, /not valid before/);
    assert.equal(
      verify(jwt({ alg: 'RS256', kid: 'rsa' }, { ...claims, nbf: NOW + 60 }, rsa.privateKey, 'sha256')).ok,
      true,
    );
  });

  it('refuses an azp naming another client even with a single audience (OpenID Connect Core 3.1.3.7)', () => {
    const result = verify(
      jwt({ alg: 'RS256', kid: 'rsa' }, { ...claims, azp: 'someone-else' }, rsa.privateKey, 'sha256'),
    );
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /authorized party \(azp\)/);
  });

  it('refuses a critical header extension it does not understand (RFC 7515 4.1.11)', () => {
    const result = verify(jwt({ alg: 'RS256', kid: 'rsa', crit: ['exp'], exp: 1 }, claims, rsa.privateKey, 'sha256'));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /critical/);
  });
});

describe('hardening: the login refuses hostile endpoints and callbacks', function () {
  this.timeout(30_000);

  it('never opens a file: authorization endpoint from the discovery document in the browser', async () => {
    let issuer = '';
    const provider = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: 'file:///C:/Windows/System32/calc.exe',
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
        }),
      );
    });
    issuer = provider.url;
    const opened: string[] = [];
    try {
      await assert.rejects(
        runLogin(
          {
            issuerUrl: issuer,
            clientId: CLIENT,
            listenAddresses: ['127.0.0.1:0'],
            timeoutMs: 1500,
            allowHttpLoopback: true,
          },
          { openBrowser: async (url) => void opened.push(url) },
        ),
        (error: LoginError) => error.code === 'discovery' && /authorization_endpoint/.test(error.message),
      );
      assert.deepEqual(opened, []);
    } finally {
      await provider.close();
    }
  });

  it('refuses a plain-http issuer, on the network and on loopback alike unless a test allows it', async () => {
    const provider = await serve((_req, res) => res.end('{}'));
    try {
      for (const issuerUrl of ['http://id.example.com', provider.url]) {
        await assert.rejects(
          runLogin(
            { issuerUrl, clientId: CLIENT, listenAddresses: ['127.0.0.1:0'], timeoutMs: 1500 },
            { openBrowser: async () => {} },
          ),
          (error: LoginError) => error.code === 'invalid-options' && /https/.test(error.message),
          issuerUrl,
        );
      }
      await assert.rejects(createFetch()(`${provider.url}/.well-known/openid-configuration`), /plain http/);
    } finally {
      await provider.close();
    }
  });

  it('refuses a redirect URL or listen address off this machine, unless explicitly allowed (then it warns)', async () => {
    for (const options of [{ redirectUrl: 'http://attacker.example.com:8000' }, { listenAddresses: ['0.0.0.0:0'] }]) {
      await assert.rejects(
        runLogin(
          { issuerUrl: ISSUER, clientId: CLIENT, listenAddresses: ['127.0.0.1:0'], timeoutMs: 1500, ...options },
          { openBrowser: async () => {} },
        ),
        (error: LoginError) => error.code === 'invalid-options' && /not this machine's loopback/.test(error.message),
      );
    }
    const warnings: string[] = [];
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runLogin(
        {
          issuerUrl: ISSUER,
          clientId: CLIENT,
          redirectUrl: 'http://192.0.2.1:8000',
          allowNonLoopbackRedirect: true,
          signal: controller.signal,
        },
        { openBrowser: async () => {}, onWarning: (message) => warnings.push(message) },
      ),
      (error: LoginError) => error.code === 'cancelled',
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /redirect URL http:\/\/192\.0\.2\.1:8000 is not this machine's loopback/);
  });

  it('a request that gets no answer gives up at its deadline instead of hanging', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      await assert.rejects(
        createFetch({ timeoutMs: 500 })(`https://127.0.0.1:${port}/.well-known/openid-configuration`),
        (error: NodeJS.ErrnoException) => error.code === 'ETIMEDOUT',
      );
      assert.ok(Date.now() - started < 5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('hardening: the loopback callback against a squatter on the other family', function () {
  this.timeout(60_000);
  let op: TestProvider;
  before(async () => {
    op = await startTestProvider();
  });
  after(() => op.stop());

  it('a port whose ::1 side another program holds is skipped, so http://localhost cannot reach the squatter', async function () {
    let squatter: { url: string; close(): Promise<void> };
    try {
      squatter = await serve((_req, res) => res.end('squatter'), '::1');
    } catch {
      this.skip(); // this machine has no IPv6 loopback, so nothing can squat on it
    }
    const port = Number(new URL(squatter!.url).port);
    const controller = new AbortController();
    let address = '';
    let skipped: { address: string; reason: string }[] = [];
    try {
      await assert.rejects(
        runLogin(
          {
            issuerUrl: op.issuer,
            clientId: op.clients.public.clientId,
            caPem: op.caPem,
            listenAddresses: [`127.0.0.1:${port}`, '127.0.0.1:0'],
            signal: controller.signal,
          },
          {
            onListening: (info) => {
              address = info.address;
              skipped = info.skipped;
            },
            openBrowser: async () => controller.abort(),
          },
        ),
        (error: LoginError) => error.code === 'cancelled',
      );
      assert.notEqual(address, `127.0.0.1:${port}`);
      assert.deepEqual(
        skipped.map((entry) => entry.address),
        [`127.0.0.1:${port}`],
      );
      assert.match(skipped[0].reason, /in use on \[::1\]/);
    } finally {
      await squatter!.close();
    }
  });
});
