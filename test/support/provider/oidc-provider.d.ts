/**
 * The few parts of `oidc-provider` 8 (an ES module without bundled types) that the test provider
 * uses. Kept minimal on purpose: only what `index.ts` calls.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcAccount {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface OidcClientInstance {
    redirectUris: string[];
    redirectUriAllowed(value: string): boolean;
  }

  export interface OidcAdapter {
    upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void>;
    find(id: string): Promise<Record<string, unknown> | undefined>;
    findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
    findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface OidcErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface OidcContext {
    path: string;
    type: string;
    body: unknown;
    status: number;
  }

  export interface ProviderConfiguration {
    [key: string]: unknown;
    adapter?: new (name: string) => OidcAdapter;
    findAccount?(ctx: unknown, id: string): Promise<OidcAccount | undefined>;
    renderError?(ctx: OidcContext, out: OidcErrorOut, error: Error): Promise<void>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    readonly issuer: string;
    Client: { prototype: OidcClientInstance };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Adds a koa middleware in front of the provider's routes. */
    use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): this;
  }
}
