// The seed guide's story end to end, with real parts: the test OpenID provider configured like
// Pocket-ID, etcd and the real kube-apiserver started with exactly what `talos-oidc generate patch`
// writes for a Talos config (both layouts), the generated ClusterRoleBinding applied with admin
// credentials, the kubeconfig user written by `talos-oidc kubeconfig set-user`, and real kubectl
// running real kubelogin, which logs in through headless Chromium on the provider's page.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCluster, freePort, type LocalCluster } from '../../scripts/lib/kube-cluster.mjs';
import { makeTempDir } from '../../scripts/lib/processes.mjs';
import { effectiveGroups } from '../../src/core/cluster/identity';
import { cleanTokenCache } from '../../src/core/kubelogin/cache';
import { nodeProcessRunner } from '../../src/core/kubelogin/process';
import { startTestProvider, type TestProvider } from '../support/provider';
import {
  apiServerInputFromTalos,
  buildClientTools,
  Person,
  presentToken,
  runProgram,
  talosOidc,
  type E2eTools,
} from './lib/harness';

const log = (line: string) => console.log(`      [e2e] ${line}`);

interface Review {
  authenticated: boolean | null;
  username: string | null;
  groups: string[];
  error: string | null;
}

/** `talos-oidc review-token` on a token, against the Talos config the API server was started from. */
async function reviewToken(talosConfigFile: string, token: string): Promise<Review> {
  const result = await talosOidc(['review-token', '--config', talosConfigFile, '--claims', '-', '--format', 'json'], {
    input: token,
  });
  assert.notEqual(result.code, 2, `review-token refused its input: ${result.stderr}`);
  return JSON.parse(result.stdout) as Review;
}

/** A token as the provider signs it after a login (its own key, its issuer, the public client). */
function goodToken(provider: TestProvider, sub: string, overrides: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return provider.signIdToken({
    iss: provider.issuer,
    aud: provider.clients.public.clientId,
    sub,
    groups: ['kubernetes'],
    iat: now,
    exp: now + 600,
    ...overrides,
  });
}

interface WhoAmI {
  status: { userInfo: { username: string; groups?: string[] } };
}

describe('e2e: kubectl and kubelogin against the real kube-apiserver', function () {
  this.timeout(20 * 60_000);
  let tools: E2eTools;
  let provider: TestProvider;
  let work: string;

  before(async function () {
    tools = await buildClientTools(log);
    if (!tools.kubectl) throw new Error(`kubectl could not be built:\n${tools.errors.kubectl}`);
    if (!tools.kubelogin)
      log(`kubelogin could not be built; the login tests fail with go build's output:\n${tools.errors.kubelogin}`);
    // Pocket-ID-like: UUID client, RS256, groups scope, PKCE; alice is in the admin group "kubernetes".
    provider = await startTestProvider({
      accounts: {
        alice: { groups: ['kubernetes', 'developers'] },
        bob: { groups: ['developers'] },
      },
    });
    work = makeTempDir('talos-oidc-e2e-');
  });

  after(async () => {
    await provider?.stop();
  });

  function requireKubelogin(): void {
    assert.ok(
      tools.kubelogin,
      `kubelogin could not be built here, so kubectl cannot log in through it:\n${tools.errors.kubelogin}`,
    );
  }

  for (const layout of ['legacy', 'multi-document'] as const) {
    const title =
      layout === 'legacy'
        ? 'Talos up to 1.13: cluster.apiServer.extraArgs as kube-apiserver flags'
        : 'Talos 1.14+: KubeAuthenticationConfig passed with --authentication-config';

    describe(title, function () {
      let cluster: LocalCluster;
      let talosConfigFile: string;
      let alice: Person;
      let bob: Person;

      /** A person whose kubeconfig has the cluster and the user `talos-oidc kubeconfig set-user` writes. */
      async function personWithOidcUser(account: string): Promise<Person> {
        const person = Person.create(account, { kubectl: tools.kubectl!, kubelogin: tools.kubelogin });
        person.writeClusterOnlyKubeconfig(cluster);
        const port = await freePort();
        const written = await talosOidc([
          'kubeconfig',
          'set-user',
          '--kubeconfig',
          person.kubeconfig,
          '--name',
          'oidc',
          '--issuer',
          provider.issuer,
          '--client-id',
          provider.clients.public.clientId,
          '--ca-file',
          provider.caFile,
          '--listen-address',
          `127.0.0.1:${port}`,
          '--context',
          'oidc@local',
          '--cluster',
          'local',
          '--use-context',
        ]);
        assert.equal(written.code, 0, `set-user failed: ${written.stderr}`);
        return person;
      }

      before(async function () {
        const generated = await talosOidc([
          'generate',
          'patch',
          '--layout',
          layout,
          '--issuer',
          provider.issuer,
          '--client-id',
          provider.clients.public.clientId,
          ...(layout === 'legacy' ? ['--ca-file', provider.caFile] : ['--ca-pem', provider.caFile]),
        ]);
        assert.equal(generated.code, 0, generated.stderr);
        talosConfigFile = join(work, `talos-${layout}.yaml`);
        writeFileSync(talosConfigFile, generated.stdout);

        const started = Date.now();
        cluster = await startLocalCluster({ ...apiServerInputFromTalos(generated.stdout), log });
        log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // /readyz does not wait for the OIDC authenticator, which loads the issuer's keys in the background.
        const ready = await presentToken(tools.kubectl!, cluster, goodToken(provider, provider.accounts.alice.sub));
        assert.equal(ready.code, 0, `the API server did not accept a good token: ${ready.stderr}\n${ready.logged}`);

        // The binding goes in first, with admin credentials, as the guide says.
        const rbac = await talosOidc([
          'generate',
          'rbac',
          '--issuer',
          provider.issuer,
          '--client-id',
          provider.clients.public.clientId,
        ]);
        assert.equal(rbac.code, 0, rbac.stderr);
        const rbacFile = join(work, `rbac-${layout}.yaml`);
        writeFileSync(rbacFile, rbac.stdout);
        const applied = await runProgram(tools.kubectl!, [
          '--kubeconfig',
          cluster.adminKubeconfig,
          'apply',
          '-f',
          rbacFile,
        ]);
        assert.equal(applied.code, 0, `kubectl apply of the generated binding failed: ${applied.stderr}`);

        alice = await personWithOidcUser(provider.accounts.alice.sub);
        bob = await personWithOidcUser(provider.accounts.bob.sub);
      });

      after(async () => {
        await cluster?.stop();
      });

      afterEach(function () {
        if (this.currentTest?.state === 'failed' && cluster) {
          console.log(
            `      --- kube-apiserver log (last lines) ---\n${cluster.logs().trim().split('\n').slice(-30).join('\n')}`,
          );
        }
      });

      it('kubectl auth whoami prints exactly the user and groups review-token predicts for the token kubelogin got', async function () {
        requireKubelogin();
        const whoami = await alice.kubectl(['auth', 'whoami', '-o', 'json'], 180_000);
        assert.equal(whoami.code, 0, `kubectl auth whoami failed:\n${whoami.stderr}`);
        assert.equal(alice.logins(), 1, 'kubelogin opened the browser once');
        const token = alice.cachedIdToken();
        assert.ok(token, 'kubelogin cached the ID token');

        const review = await reviewToken(talosConfigFile, token);
        assert.equal(review.authenticated, true, `review-token: ${review.error}`);
        const userInfo = (JSON.parse(whoami.stdout) as WhoAmI).status.userInfo;
        assert.equal(userInfo.username, review.username);
        assert.equal(userInfo.username, `oidc:${provider.accounts.alice.sub}`);
        assert.deepEqual(
          [...(userInfo.groups ?? [])].sort(),
          effectiveGroups({ username: review.username!, groups: review.groups }).sort(),
        );
        assert.ok(userInfo.groups?.includes('oidc:kubernetes'));
      });

      it('kubectl get pods -A is allowed for a member of the bound group', async function () {
        requireKubelogin();
        const pods = await alice.kubectl(['get', 'pods', '-A'], 180_000);
        assert.equal(pods.code, 0, `kubectl get pods -A failed:\n${pods.stderr}`);
        assert.match(pods.stderr + pods.stdout, /No resources found|NAMESPACE/);
      });

      it('kubectl get pods -A is Forbidden for a user outside the group, named as review-token predicts', async function () {
        requireKubelogin();
        const pods = await bob.kubectl(['get', 'pods', '-A'], 180_000);
        assert.notEqual(pods.code, 0, 'bob is not in the group the binding names');
        const token = bob.cachedIdToken();
        assert.ok(token, "kubelogin cached bob's ID token");
        const review = await reviewToken(talosConfigFile, token);
        assert.equal(review.authenticated, true);
        assert.deepEqual(review.groups, ['oidc:developers']);
        assert.ok(
          pods.stderr.includes(
            `pods is forbidden: User "${review.username}" cannot list resource "pods" in API group "" at the cluster scope`,
          ),
          pods.stderr,
        );
      });

      it('a token issued to another client ID is refused, and the API server logs the error review-token quotes', async function () {
        const token = goodToken(provider, provider.accounts.alice.sub, { aud: provider.clients.confidential.clientId });
        const review = await reviewToken(talosConfigFile, token);
        assert.equal(review.authenticated, false);
        assert.match(review.error ?? '', /audience/);
        const attempt = await presentToken(tools.kubectl!, cluster, token);
        assert.notEqual(attempt.code, 0);
        assert.match(attempt.stderr, /Unauthorized/);
        assert.ok(
          attempt.loggedErrors.some((error) => error.includes(review.error!)),
          `review-token: ${review.error}\nthe API server logged:\n${attempt.logged}`,
        );
      });

      it('Clear kubelogin Token Cache makes the next kubectl log in again', async function () {
        requireKubelogin();
        const before = alice.logins();
        assert.ok(before >= 1, 'alice logged in earlier in this suite');
        const cached = await alice.kubectl(['auth', 'whoami'], 180_000);
        assert.equal(cached.code, 0, cached.stderr);
        assert.equal(alice.logins(), before, 'with a cached token kubelogin does not open the browser');

        // The command's own code, running `kubectl oidc-login clean` in alice's environment.
        const cleaned = await cleanTokenCache({
          runner: (command, args, options) => nodeProcessRunner(command, args, { ...options, env: alice.env }),
        });
        assert.equal(cleaned.ok, true, cleaned.message);
        assert.equal(alice.cachedIdToken(), undefined, 'the cache is empty');

        const again = await alice.kubectl(['auth', 'whoami'], 180_000);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(alice.logins(), before + 1, 'the next kubectl logged in through the browser again');
      });
    });
  }
});
