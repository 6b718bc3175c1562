/**
 * The loopback server that receives the browser's redirect after the user logs in at the
 * provider: bound like kubelogin's listener (the first free address of a list), it hands over
 * the first callback that carries this login's `state`, once, and answers everything else with
 * a page that says why it was refused. The browser's request for the accepted callback stays
 * open until the caller has redeemed the code and says what the page should show.
 *
 * What the callback means (a code, or an error from the provider) is the login flow's business
 * (login.ts); this unit knows HTTP, the state and the one-callback rule.
 */
import type * as http from 'node:http';
import { LoginError } from './errors';
import {
  closeServer,
  formatListenAddress,
  listenOnFirstFree,
  type BoundListener,
  type ListenAddress,
} from './listener';
import { renderCallbackPage, type CallbackPage } from './page';

export interface CallbackServerOptions {
  /** Tried in order; the first free one is bound. */
  addresses: readonly ListenAddress[];
  /** The login's `state`: a callback that does not carry it is refused, and the wait goes on. */
  state: string;
  /** Sent to the provider as is; default `http://localhost:<bound port>` (kubelogin's). */
  redirectUrl?: string;
}

export interface StartedCallbackServer {
  /** The bound `HOST:PORT`. */
  address: string;
  redirectUri: string;
  /** Addresses that were busy before this one, with why. */
  skipped: { address: string; reason: string }[];
}

export interface ReceivedCallback {
  /** The redirect's query: `code` (or `error`), `state`, and whatever else the provider sent. */
  params: URLSearchParams;
  /** Answers the browser, which waits on the callback request until then. */
  respond(status: number, page: CallbackPage): Promise<void>;
}

export class LoopbackCallbackServer {
  private bound: BoundListener | undefined;
  private callbackPath: string | undefined;
  private received = false;
  private stopped = false;
  private readonly callback: Promise<ReceivedCallback>;
  private deliver!: (callback: ReceivedCallback) => void;
  private fail!: (error: unknown) => void;

  constructor(private readonly options: CallbackServerOptions) {
    this.callback = new Promise<ReceivedCallback>((resolve, reject) => {
      this.deliver = resolve;
      this.fail = reject;
    });
    // Stopping before any callback rejects the wait; that is no error when nobody waits.
    this.callback.catch(() => undefined);
  }

  /** Binds the first free address; every one busy is a LoginError('ports-busy') naming them. */
  async start(): Promise<StartedCallbackServer> {
    if (this.bound || this.stopped) throw new Error('The callback server was already started.');
    // Both loopback families are bound, so that `localhost` cannot lead the browser to another program on the other one.
    this.bound = await listenOnFirstFree(this.options.addresses, (req, res) => this.handle(req, res), {
      bothLoopbackFamilies: true,
    });
    const redirectUri = this.options.redirectUrl ?? `http://localhost:${this.bound.address.port}`;
    this.callbackPath = new URL(redirectUri).pathname || '/';
    return { address: formatListenAddress(this.bound.address), redirectUri, skipped: this.bound.skipped };
  }

  /** The first callback with this login's state; rejected when the server stops before one arrives. */
  waitForCallback(): Promise<ReceivedCallback> {
    return this.callback;
  }

  /** Whether the callback arrived (a timeout after it is the token endpoint's, not the user's). */
  get callbackReceived(): boolean {
    return this.received;
  }

  /** Closes every socket, an unanswered browser request included. Safe to call more than once. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.fail(new LoginError('cancelled', 'The login callback server was stopped before a callback arrived.'));
    }
    await Promise.all((this.bound?.servers ?? []).map(closeServer));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.callbackPath === undefined) {
      // Bound, but the redirect URI (which depends on the port) is not known yet.
      res.writeHead(503).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://callback.invalid');
    if (url.pathname !== this.callbackPath) {
      void sendPage(res, 404, {
        ok: false,
        title: 'Not found',
        message: 'This address only receives the login callback.',
      });
      return;
    }
    if (req.method !== 'GET') {
      void sendPage(res, 405, {
        ok: false,
        title: 'Method not allowed',
        message: 'The login callback is a GET request.',
      });
      return;
    }
    // A callback that does not carry this login's state is not for us: refuse it, keep waiting.
    if (url.searchParams.get('state') !== this.options.state) {
      const reported = url.searchParams.get('error');
      void sendPage(res, 400, {
        ok: false,
        title: 'Unknown login',
        message: reported
          ? `The callback reports the error "${reported}", but it does not carry the state of the login in progress, so it was ignored.`
          : 'This callback does not belong to the login in progress (its state parameter differs). It was ignored.',
      });
      return;
    }
    if (this.received || this.stopped) {
      void sendPage(res, 400, {
        ok: false,
        title: 'Already used',
        message: 'This login callback was already used; it works only once.',
      });
      return;
    }
    this.received = true;
    this.deliver({ params: url.searchParams, respond: (status, page) => sendPage(res, status, page) });
  }
}

function sendPage(res: http.ServerResponse, status: number, page: CallbackPage): Promise<void> {
  return new Promise<void>((done) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(renderCallbackPage(page), () => done());
  });
}
