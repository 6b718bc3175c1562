import * as assert from 'node:assert/strict';
import { createFetch } from '../../../src/core/login';
import {
  driveLogin,
  pocketIdRedirectAllowed,
  ProviderErrorPage,
  startTestProvider,
  type TestProvider,
} from '../../support/provider';

describe('the test provider (Pocket-ID stand-in)', () => {
  describe("Pocket-ID's loopback callback rule", () => {
    it('lets a registered http://localhost without a port match every port on localhost', () => {
      assert.equal(pocketIdRedirectAllowed('http://localhost', 'http://localhost:8000'), true);
      assert.equal(pocketIdRedirectAllowed('http://localhost', 'http://localhost:18000'), true);
      assert.equal(pocketIdRedirectAllowed('http://127.0.0.1', 'http://127.0.0.1:8000'), true);
    });

    it('keeps host, path and an explicit port strict', () => {
      assert.equal(pocketIdRedirectAllowed('http://localhost', 'http://127.0.0.1:8000'), false);
      assert.equal(pocketIdRedirectAllowed('http://localhost', 'http://localhost:8000/callback'), false);
      assert.equal(pocketIdRedirectAllowed('http://localhost:8000', 'http://localhost:18000'), false);
      assert.equal(pocketIdRedirectAllowed('https://app.example.com', 'https://app.example.com:8443'), false);
    });
  });

  describe('serving', () => {
    let op: TestProvider;
    before(async () => {
      op = await startTestProvider();
    });
    after(() => op.stop());

    it('answers discovery over TLS with a CA made for the run, shaped like Pocket-ID', async () => {
      const response = await createFetch({ caPem: op.caPem })(`${op.issuer}/.well-known/openid-configuration`);
      const discovery = (await response.json()) as Record<string, unknown>;
      assert.equal(discovery.issuer, op.issuer);
      assert.match(
        op.issuer,
        /^https:\/\/127\.0\.0\.2:\d+$/,
        'loopback address other than 127.0.0.1, no trailing slash',
      );
      assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
      assert.deepEqual(discovery.scopes_supported, ['openid', 'profile', 'email', 'groups', 'offline_access']);
      assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
      assert.match(op.clients.public.clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('is not trusted without its CA', async () => {
      await assert.rejects(
        createFetch()(`${op.issuer}/.well-known/openid-configuration`),
        (error: NodeJS.ErrnoException) =>
          /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/.test(
            String(error.code),
          ),
      );
    });

    it('shows an error page, not a redirect, for an unregistered redirect URI; the driver reports it', async () => {
      const url = new URL(`${op.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: op.clients.public.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'http://127.0.0.1:8000',
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      }).toString();
      await assert.rejects(
        driveLogin(url.href, { caPem: op.caPem, login: op.accounts.alice.sub }),
        (error: ProviderErrorPage) => {
          assert.ok(error instanceof ProviderErrorPage);
          assert.equal(error.status, 400);
          assert.equal(error.error, 'invalid_redirect_uri');
          return true;
        },
      );
    });

    it('requires PKCE from the public client, as Pocket-ID does', async () => {
      const url = new URL(`${op.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: op.clients.public.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: 'http://localhost:8000',
        state: 's',
      }).toString();
      const { callbackUrl } = await driveLogin(url.href, {
        caPem: op.caPem,
        login: op.accounts.alice.sub,
        deliverCallback: false,
      });
      const params = new URL(callbackUrl).searchParams;
      assert.equal(params.get('error'), 'invalid_request');
      assert.match(params.get('error_description') ?? '', /requires PKCE/);
    });
  });
});
