/**
 * The playground's demo OpenID provider: the tests' real oidc-provider (test/support/provider),
 * configured like Pocket-ID, kept stable between runs so the sample workspace's settings stay
 * valid: the CA and server certificate, the client ID and the users' `sub` values are made on
 * the first run and kept in the state folder (.cache/playground).
 *
 * Users: alice (group `kubernetes`, verified email), carol (group `kubernetes`, email NOT
 * verified: the guide's "email not verified" error), bob (no group).
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createTestCertificates, type TestCertificates } from '../../../test/support/provider/certs';
import { startTestProvider, type TestAccount, type TestProvider } from '../../../test/support/provider/index';

/** The provider listens here: code-server rewrites URLs on localhost/127.0.0.1 to its port proxy. */
export const PLAYGROUND_PROVIDER_HOST = '127.0.0.2';
export const PLAYGROUND_PROVIDER_PORT = 9443;
/** The group the sample workspace's binding and settings use (the guide's `kubernetes`). */
export const PLAYGROUND_GROUP = 'kubernetes';

interface PlaygroundState {
  clientId: string;
  subs: Record<DemoUserName, string>;
}

export type DemoUserName = 'alice' | 'carol' | 'bob';

export interface DemoUser extends TestAccount {
  /** What this user shows in the walkthrough. */
  role: string;
}

export interface PlaygroundProvider {
  issuer: string;
  clientId: string;
  caFile: string;
  users: Record<DemoUserName, DemoUser>;
  provider: TestProvider;
  stop(): Promise<void>;
}

const ROLES: Record<DemoUserName, string> = {
  alice: `in group ${PLAYGROUND_GROUP}, email verified: accepted, cluster-admin through the binding`,
  carol: `in group ${PLAYGROUND_GROUP}, email NOT verified: rejected when the username claim is email`,
  bob: 'in no group: accepted, but no binding gives him rights',
};

function loadState(stateDir: string): PlaygroundState {
  const file = join(stateDir, 'provider.json');
  if (existsSync(file)) {
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as PlaygroundState;
      if (state.clientId && state.subs?.alice && state.subs.bob && state.subs.carol) return state;
    } catch {
      // A damaged state file is replaced below; the workspace settings are rewritten from it.
    }
  }
  const state: PlaygroundState = {
    clientId: randomUUID(),
    subs: { alice: randomUUID(), carol: randomUUID(), bob: randomUUID() },
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

/** The certificates from an earlier run, when they are there, name the host and are valid for another day. */
function reuseCertificates(dir: string, host: string): TestCertificates | undefined {
  const file = (name: string) => join(dir, name);
  if (!['ca.pem', 'server.pem', 'server.key'].every((name) => existsSync(file(name)))) return undefined;
  try {
    const [caPem, certPem, keyPem] = ['ca.pem', 'server.pem', 'server.key'].map((name) =>
      readFileSync(file(name), 'utf8'),
    );
    const cert = new X509Certificate(certPem);
    const wanted = isIP(host) ? `IP Address:${host}` : `DNS:${host}`;
    if (!(cert.subjectAltName ?? '').includes(wanted)) return undefined;
    if (new Date(cert.validTo).getTime() < Date.now() + 24 * 3600_000) return undefined;
    if (!cert.checkIssued(new X509Certificate(caPem))) return undefined;
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    return {
      dir,
      caPem,
      caFile: file('ca.pem'),
      certPem,
      keyPem,
      spkiSha256: createHash('sha256').update(spki).digest('base64'),
    };
  } catch {
    return undefined;
  }
}

async function playgroundCertificates(stateDir: string, host: string): Promise<TestCertificates> {
  const dir = join(stateDir, 'ca');
  const kept = reuseCertificates(dir, host);
  if (kept) return kept;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return createTestCertificates([host, 'localhost'], {
    dir,
    days: 365,
    caName: 'talos-oidc playground CA (demo only)',
  });
}

export async function startPlaygroundProvider(options: {
  stateDir: string;
  host?: string;
  port?: number;
}): Promise<PlaygroundProvider> {
  const host = options.host ?? PLAYGROUND_PROVIDER_HOST;
  const state = loadState(options.stateDir);
  const certificates = await playgroundCertificates(options.stateDir, host);
  const provider = await startTestProvider({
    host,
    port: options.port ?? PLAYGROUND_PROVIDER_PORT,
    certificates,
    clientIds: { public: state.clientId },
    accounts: {
      alice: { sub: state.subs.alice, groups: [PLAYGROUND_GROUP], email_verified: true },
      carol: { sub: state.subs.carol, groups: [PLAYGROUND_GROUP], email_verified: false },
      bob: { sub: state.subs.bob, groups: [] },
    },
    demoLoginPage: {
      title: 'Talos OIDC playground: demo provider',
      text:
        'This is a local demo OpenID provider configured like Pocket-ID, not a real login. ' +
        'Pick a user; no password is needed.',
    },
  });
  const users = Object.fromEntries(
    (Object.keys(ROLES) as DemoUserName[]).map((name) => [name, { ...provider.accounts[name], role: ROLES[name] }]),
  ) as Record<DemoUserName, DemoUser>;
  return {
    issuer: provider.issuer,
    clientId: state.clientId,
    caFile: certificates.caFile,
    users,
    provider,
    stop: () => provider.stop(),
  };
}
