/**
 * The loopback callback server alone, driven over real sockets on 127.0.0.1 as a browser would
 * drive it: which requests it refuses and with what page, the one callback it hands over, busy
 * ports, and stopping.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopbackCallbackServer, type StartedCallbackServer } from '../../../../src/core/login/callbackServer';
import { LoginError } from '../../../../src/core/login/errors';
import { parseListenAddress } from '../../../../src/core/login/listener';

const STATE = 'state-of-this-login';
const ANY_PORT = [parseListenAddress('127.0.0.1:0')];

interface Page {
  status: number;
  headers: Headers;
  body: string;
}

async function get(url: string, init: RequestInit = {}): Promise<Page> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** The page's visible title and outcome, read back from its HTML. */
function shown(page: Page): { outcome: string; title: string } {
  return {
    outcome: /data-outcome="(\w+)"/.exec(page.body)?.[1] ?? '',
    title: /<h1>([^<]*)<\/h1>/.exec(page.body)?.[1] ?? '',
  };
}

describe('loopback callback server', () => {
  const servers: LoopbackCallbackServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  });

  async function started(
    options: { redirectUrl?: string; addresses?: ReturnType<typeof parseListenAddress>[] } = {},
  ): Promise<{ server: LoopbackCallbackServer; info: StartedCallbackServer; base: string }> {
    const server = new LoopbackCallbackServer({ addresses: options.addresses ?? ANY_PORT, state: STATE, ...options });
    servers.push(server);
    const info = await server.start();
    return { server, info, base: `http://${info.address}` };
  }

  it("binds a free port and names kubelogin's redirect URI for it", async () => {
    const { info } = await started();
    const port = Number(info.address.split(':')[1]);
    assert.ok(port > 0);
    assert.equal(info.redirectUri, `http://localhost:${port}`);
    assert.deepEqual(info.skipped, []);
  });

  it('hands over the callback with its state, and the browser sees the page the caller chose', async () => {
    const { server, base } = await started();
    const browser = get(`${base}/?code=abc&state=${STATE}&iss=https%3A%2F%2Fid.example.com`);
    const callback = await server.waitForCallback();
    assert.equal(callback.params.get('code'), 'abc');
    assert.equal(callback.params.get('iss'), 'https://id.example.com');
    assert.equal(server.callbackReceived, true);
    await callback.respond(200, { ok: true, title: 'Logged in', message: 'Go back to the editor.' });
    const page = await browser;
    assert.equal(page.status, 200);
    assert.deepEqual(shown(page), { outcome: 'success', title: 'Logged in' });
    assert.match(page.body, /Go back to the editor\./);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.body, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('refuses a callback with another state (naming a reported error), and keeps waiting for the real one', async () => {
    const { server, base } = await started();
    const forged = await get(`${base}/?code=stolen&state=other`);
    assert.equal(forged.status, 400);
    assert.deepEqual(shown(forged), { outcome: 'failure', title: 'Unknown login' });
    assert.match(forged.body, /its state parameter differs/);
    const noState = await get(`${base}/?code=stolen`);
    assert.equal(noState.status, 400);
    const reported = await get(`${base}/?error=access_denied&state=other`);
    assert.match(reported.body, /reports the error &quot;access_denied&quot;, but it does not carry the state/);
    assert.equal(server.callbackReceived, false);

    const browser = get(`${base}/?code=real&state=${STATE}`);
    const callback = await server.waitForCallback();
    assert.equal(callback.params.get('code'), 'real');
    await callback.respond(200, { ok: true, title: 'Logged in', message: '' });
    assert.equal((await browser).status, 200);
  });

  it("hands over an error response from the provider that carries the login's state", async () => {
    const { server, base } = await started();
    const browser = get(`${base}/?error=invalid_request&error_description=bad+redirect_uri&state=${STATE}`);
    const callback = await server.waitForCallback();
    assert.equal(callback.params.get('error'), 'invalid_request');
    assert.equal(callback.params.get('error_description'), 'bad redirect_uri');
    assert.equal(callback.params.get('code'), null);
    await callback.respond(400, { ok: false, title: 'Login failed', message: 'The provider refused.', fix: 'Fix it.' });
    const page = await browser;
    assert.equal(page.status, 400);
    assert.deepEqual(shown(page), { outcome: 'failure', title: 'Login failed' });
    assert.match(page.body, /<p>Fix it\.<\/p>/);
  });

  it('takes one callback only: a replay of the same state is refused', async () => {
    const { server, base } = await started();
    const first = get(`${base}/?code=abc&state=${STATE}`);
    const callback = await server.waitForCallback();
    const replay = await get(`${base}/?code=abc&state=${STATE}`);
    assert.equal(replay.status, 400);
    assert.deepEqual(shown(replay), { outcome: 'failure', title: 'Already used' });
    await callback.respond(200, { ok: true, title: 'Logged in', message: '' });
    assert.equal((await first).status, 200);
  });

  it('answers only the redirect path, and only GET', async () => {
    const { server, base } = await started({ redirectUrl: 'http://localhost:8000/callback' });
    const other = await get(`${base}/?code=abc&state=${STATE}`);
    assert.equal(other.status, 404);
    assert.deepEqual(shown(other), { outcome: 'failure', title: 'Not found' });
    const posted = await get(`${base}/callback?code=abc&state=${STATE}`, { method: 'POST' });
    assert.equal(posted.status, 405);
    assert.equal(server.callbackReceived, false);
    const browser = get(`${base}/callback?code=abc&state=${STATE}`);
    const callback = await server.waitForCallback();
    await callback.respond(200, { ok: true, title: 'Logged in', message: '' });
    assert.equal((await browser).status, 200);
  });

  it('escapes what the request carries into the page', async () => {
    const { base } = await started();
    const page = await get(`${base}/?error=${encodeURIComponent('<script>alert(1)</script>')}&state=x`);
    assert.doesNotMatch(page.body, /<script>/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  describe('busy ports', () => {
    let busy: http.Server;
    let busyPort: number;
    before(async () => {
      busy = http.createServer((_req, res) => res.end('another program'));
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      busyPort = (busy.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

    it('moves on to the next address when a port is in use, and says which was skipped', async () => {
      const { info } = await started({ addresses: [parseListenAddress(`127.0.0.1:${busyPort}`), ...ANY_PORT] });
      assert.notEqual(info.address, `127.0.0.1:${busyPort}`);
      assert.deepEqual(info.skipped, [{ address: `127.0.0.1:${busyPort}`, reason: 'in use' }]);
    });

    it('every port in use: a ports-busy error naming the callback URL to register', async () => {
      const server = new LoopbackCallbackServer({
        addresses: [parseListenAddress(`127.0.0.1:${busyPort}`)],
        state: STATE,
      });
      await assert.rejects(server.start(), (error: LoginError) => {
        assert.equal(error.code, 'ports-busy');
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${busyPort} \\(in use\\)`));
        assert.equal(error.details.callbackUrl, `http://localhost:${busyPort}`);
        assert.match(error.fix ?? '', new RegExp(`http://localhost:${busyPort}`));
        return true;
      });
    });
  });

  it('stop before a callback: the wait ends as cancelled and the port is closed', async () => {
    const { server, base } = await started();
    const waiting = server.waitForCallback();
    await server.stop();
    await assert.rejects(waiting, (error: LoginError) => error instanceof LoginError && error.code === 'cancelled');
    await assert.rejects(fetch(`${base}/`), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.cause?.code, 'ECONNREFUSED');
      return true;
    });
    await server.stop();
  });

  it('stop while the browser waits on the callback closes its connection', async () => {
    const { server, base } = await started();
    const browser = get(`${base}/?code=abc&state=${STATE}`);
    await server.waitForCallback();
    await server.stop();
    await assert.rejects(browser);
  });
});
