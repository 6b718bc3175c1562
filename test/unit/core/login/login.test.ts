import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFetch,
  type LoginError,
  runLogin,
  type LoginOptions,
  type LoginResult,
  type ListeningInfo,
} from '../../../../src/core/login';
import {
  driveLogin,
  ProviderErrorPage,
  startTestProvider,
  type DriveLoginResult,
  type TestProvider,
} from '../../../support/provider';

const plainFetch = createFetch({ allowHttpLoopback: true });

/** Resolves once nothing accepts connections at `address` any more. */
async function assertClosed(address: string): Promise<void> {
  await assert.rejects(
    plainFetch(`http://${address}/`),
    (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
  );
}

async function occupyPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('busy'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('runLogin against a real provider', () => {
  let op: TestProvider;
  before(async () => {
    op = await startTestProvider();
  });
  after(() => op.stop());

  const base = (): LoginOptions => ({
    issuerUrl: op.issuer,
    clientId: op.clients.public.clientId,
    caPem: op.caPem,
    extraScopes: ['profile', 'email', 'groups'],
    listenAddresses: ['127.0.0.1:0'],
  });

  /** Logs in as `login` with the HTTP driver as the browser; returns the result and what the browser saw. */
  async function loginAs(login: string, options: Partial<LoginOptions> = {}) {
    let browser: Promise<DriveLoginResult> | undefined;
    let listening: ListeningInfo | undefined;
    const result = await runLogin(
      { ...base(), ...options },
      {
        openBrowser: async (url) => {
          browser = driveLogin(url, { caPem: op.caPem, login });
        },
        onListening: (info) => (listening = info),
      },
    );
    return { result, page: await browser!, listening: listening! };
  }

  it('logs in a public client with PKCE and returns verified claims, header and the exact redirect URI', async () => {
    const alice = op.accounts.alice;
    const { result, page, listening } = await loginAs(alice.sub);
    assert.equal(result.verified, true, result.verificationError);
    assert.equal(result.claims.sub, alice.sub);
    assert.equal(result.claims.iss, op.issuer);
    assert.equal(result.claims.aud, op.clients.public.clientId);
    assert.deepEqual(result.claims.groups, ['cluster-admins', 'developers']);
    assert.equal(result.claims.email_verified, true);
    assert.deepEqual({ alg: result.header.alg, kid: result.header.kid }, { alg: 'RS256', kid: op.signingKey.kid });
    // kubelogin's form, no trailing slash: the token request must repeat it byte for byte.
    assert.match(result.redirectUri, /^http:\/\/localhost:\d+$/);
    assert.equal(result.redirectUri, `http://localhost:${listening.address.split(':')[1]}`);
    assert.ok(result.accessToken, 'an access token is returned');
    const authorization = new URL(listening.authorizationUrl);
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorization.searchParams.get('scope'), 'openid profile email groups');
    assert.equal(page.callbackStatus, 200);
    assert.match(page.callbackBody ?? '', /Logged in/);
    assert.doesNotMatch(page.callbackBody ?? '', /https?:\/\/(?!localhost)/, 'the page loads nothing from elsewhere');
    await assertClosed(listening.address);
  });

  it('logs in a confidential client with its secret', async () => {
    const { result } = await loginAs(op.accounts.alice.sub, {
      clientId: op.clients.confidential.clientId,
      clientSecret: op.clients.confidential.clientSecret,
    });
    assert.equal(result.verified, true, result.verificationError);
    assert.equal(result.claims.aud, op.clients.confidential.clientId);
  });

  it('shows email_verified false for a user whose email is not verified', async () => {
    const { result } = await loginAs(op.accounts.carol.sub);
    assert.equal(result.verified, true);
    assert.equal(result.claims.email, 'carol@example.test');
    assert.equal(result.claims.email_verified, false);
  });

  it('returns an empty groups claim for a user without groups', async () => {
    const { result } = await loginAs(op.accounts.bob.sub);
    assert.equal(result.verified, true);
    assert.deepEqual(result.claims.groups, []);
  });

  it('has no groups claim when the groups scope is not requested (the usual kubelogin mistake)', async () => {
    const { result } = await loginAs(op.accounts.alice.sub, { extraScopes: ['email'] });
    assert.equal(result.claims.groups, undefined);
  });

  it('explains a wrong client secret as invalid_client with the likely cause', async () => {
    let browser: Promise<DriveLoginResult> | undefined;
    await assert.rejects(
      runLogin(
        { ...base(), clientId: op.clients.confidential.clientId, clientSecret: 'not-the-secret' },
        {
          openBrowser: async (url) =>
            void (browser = driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub })),
        },
      ),
      (error: LoginError) => {
        assert.equal(error.code, 'token-error');
        assert.equal(error.details.providerError, 'invalid_client');
        assert.match(error.fix ?? '', /client secret is likely wrong/);
        return true;
      },
    );
    const page = await browser!;
    assert.equal(page.callbackStatus, 400);
    assert.match(page.callbackBody ?? '', /invalid_client/);
  });

  it('explains access_denied when the user cancels at the provider', async () => {
    await assert.rejects(
      runLogin(base(), { openBrowser: async (url) => void driveLogin(url, { caPem: op.caPem, abort: true }) }),
      (error: LoginError) => {
        assert.equal(error.code, 'provider-error');
        assert.equal(error.details.providerError, 'access_denied');
        assert.match(error.message, /refused the login/);
        assert.match(error.fix ?? '', /cancelled/);
        return true;
      },
    );
  });

  it('refuses a forged callback and a replayed one without ending the login', async () => {
    let listening: ListeningInfo | undefined;
    let browser: Promise<{ forgedError: number; forgedCode: number; firstAndReplay: number[] }> | undefined;
    let forgedErrorPage = '';
    const result = await runLogin(base(), {
      onListening: (info) => (listening = info),
      openBrowser: async (url) =>
        void (browser = (async () => {
          const { callbackUrl } = await driveLogin(url, {
            caPem: op.caPem,
            login: op.accounts.alice.sub,
            deliverCallback: false,
          });
          const forgedError = new URL(`${listening!.redirectUri}/?error=access_denied&state=forged`);
          const forgedCode = new URL(callbackUrl);
          forgedCode.searchParams.set('state', 'forged');
          const forgedErrorResponse = await plainFetch(forgedError);
          forgedErrorPage = await forgedErrorResponse.text();
          const forgedErrorStatus = forgedErrorResponse.status;
          const forgedCodeStatus = (await plainFetch(forgedCode)).status;
          // The genuine callback twice at once: the first one is taken, the replay refused.
          const both = await Promise.all([plainFetch(callbackUrl), plainFetch(callbackUrl)]);
          return {
            forgedError: forgedErrorStatus,
            forgedCode: forgedCodeStatus,
            firstAndReplay: both.map((r) => r.status).sort(),
          };
        })()),
    });
    assert.equal(result.verified, true);
    assert.deepEqual(await browser, { forgedError: 400, forgedCode: 400, firstAndReplay: [200, 400] });
    assert.match(forgedErrorPage, /reports the error &quot;access_denied&quot;, but it does not carry the state/);
  });

  it("reports a token whose nonce is not this login's as not verified, saying why", async () => {
    const result = await runLogin(base(), {
      openBrowser: async (url) =>
        void driveLogin(url, {
          caPem: op.caPem,
          login: op.accounts.alice.sub,
          tamper: (u) => u.searchParams.set('nonce', 'someone-elses'),
        }),
    });
    assert.equal(result.verified, false);
    assert.match(result.verificationError ?? '', /nonce differs/);
    assert.equal(result.claims.nonce, 'someone-elses');
  });

  it('times out with the callback URL to register, and closes the listener', async () => {
    let listening: ListeningInfo | undefined;
    await assert.rejects(
      runLogin(
        { ...base(), timeoutMs: 300 },
        { openBrowser: async () => {}, onListening: (info) => (listening = info) },
      ),
      (error: LoginError) => {
        assert.equal(error.code, 'timeout');
        assert.ok(error.message.includes(`No login callback arrived at ${listening!.redirectUri}`), error.message);
        assert.ok(
          error.fix?.includes(
            `register ${listening!.redirectUri} as a callback URL of client ${op.clients.public.clientId}`,
          ),
          error.fix,
        );
        return true;
      },
    );
    await assertClosed(listening!.address);
  });

  it('stops when cancelled and closes the listener', async () => {
    const controller = new AbortController();
    let listening: ListeningInfo | undefined;
    await assert.rejects(
      runLogin(
        { ...base(), signal: controller.signal },
        {
          openBrowser: async () => controller.abort(),
          onListening: (info) => (listening = info),
        },
      ),
      (error: LoginError) => error.code === 'cancelled',
    );
    await assertClosed(listening!.address);
  });

  it('does not open the browser when cancelled while discovery runs', async () => {
    let opened = false;
    const controller = new AbortController();
    const providerFetch = createFetch({ caPem: op.caPem });
    // Cancel right after the discovery document arrived, before the listener is bound.
    const fetch: typeof providerFetch = async (url, init) => {
      const response = await providerFetch(url, init);
      controller.abort();
      return response;
    };
    await assert.rejects(
      runLogin({ ...base(), signal: controller.signal, fetch }, { openBrowser: async () => void (opened = true) }),
      (error: LoginError) => error.code === 'cancelled',
    );
    assert.equal(opened, false);
  });

  it('moves on to the next listen address when the first port is busy', async () => {
    const busy = await occupyPort();
    try {
      let listening: ListeningInfo | undefined;
      let browser: Promise<DriveLoginResult> | undefined;
      const result: LoginResult = await runLogin(
        { ...base(), listenAddresses: [`127.0.0.1:${busy.port}`, '127.0.0.1:0'] },
        {
          onListening: (info) => (listening = info),
          openBrowser: async (url) =>
            void (browser = driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub })),
        },
      );
      await browser;
      assert.equal(result.verified, true);
      assert.deepEqual(listening!.skipped, [{ address: `127.0.0.1:${busy.port}`, reason: 'in use' }]);
      assert.notEqual(result.redirectUri, `http://localhost:${busy.port}`);
    } finally {
      await busy.close();
    }
  });

  it('names the callback URL to register when every listen address is busy', async () => {
    const first = await occupyPort();
    const second = await occupyPort();
    try {
      let opened = false;
      await assert.rejects(
        runLogin(
          { ...base(), listenAddresses: [`127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`] },
          { openBrowser: async () => void (opened = true) },
        ),
        (error: LoginError) => {
          assert.equal(error.code, 'ports-busy');
          assert.ok(
            error.message.includes(`127.0.0.1:${first.port} (in use), 127.0.0.1:${second.port} (in use)`),
            error.message,
          );
          assert.ok(
            error.fix?.includes(`http://localhost:${first.port} or http://localhost:${second.port}`),
            error.fix,
          );
          return true;
        },
      );
      assert.equal(opened, false, 'no browser opens without a listener');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('rejects bad options in words', async () => {
    const noBrowser = { openBrowser: async () => {} };
    await assert.rejects(
      runLogin({ ...base(), listenAddresses: ['8000'] }, noBrowser),
      /"8000" is not a listen address: use HOST:PORT/,
    );
    await assert.rejects(runLogin({ ...base(), clientId: '' }, noBrowser), /A client ID is needed/);
    await assert.rejects(runLogin({ ...base(), issuerUrl: 'id.example.com' }, noBrowser), /is not a URL/);
    await assert.rejects(
      runLogin({ ...base(), caPem: undefined }, noBrowser),
      (error: LoginError) => error.code === 'discovery' && /trusted CA/.test(error.message),
    );
  });
});

describe('runLogin against broken provider setups', () => {
  it('ends with the callback URL to register when the provider refuses the redirect URI', async () => {
    // Registered with an exact port, as the seed guide does; this login listens elsewhere.
    const op = await startTestProvider({ redirectUris: ['http://localhost:8000'] });
    try {
      let browser: Promise<unknown> | undefined;
      let listening: ListeningInfo | undefined;
      await assert.rejects(
        runLogin(
          {
            issuerUrl: op.issuer,
            clientId: op.clients.public.clientId,
            caPem: op.caPem,
            listenAddresses: ['127.0.0.1:0'],
            timeoutMs: 1000,
          },
          {
            onListening: (info) => (listening = info),
            openBrowser: async (url) =>
              void (browser = driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub }).catch(
                (error: unknown) => error,
              )),
          },
        ),
        (error: LoginError) => {
          assert.equal(error.code, 'timeout');
          assert.equal(error.details.callbackUrl, listening!.redirectUri);
          assert.ok(error.fix?.includes(`register ${listening!.redirectUri}`), error.fix);
          return true;
        },
      );
      const page = await browser;
      assert.ok(page instanceof ProviderErrorPage, 'the provider shows an error page instead of redirecting');
      assert.equal(page.error, 'invalid_redirect_uri');
    } finally {
      await op.stop();
    }
  });

  it('logs in against a provider whose issuer has a trailing slash but refuses to call the token verified under the slash-less issuer', async () => {
    const op = await startTestProvider({ trailingSlash: true });
    try {
      const result = await runLogin(
        {
          issuerUrl: op.origin,
          clientId: op.clients.public.clientId,
          caPem: op.caPem,
          listenAddresses: ['127.0.0.1:0'],
        },
        { openBrowser: async (url) => void driveLogin(url, { caPem: op.caPem, login: op.accounts.alice.sub }) },
      );
      assert.equal(result.claims.iss, op.issuer);
      assert.equal(result.verified, false);
      assert.match(result.verificationError ?? '', /differ only in a trailing slash/);
    } finally {
      await op.stop();
    }
  });
});
