// The seed guide's failures, on the real kube-apiserver: each one fails the way `review-token`
// predicts, and the API server's own log carries the text the tool quotes. One API server serves
// them all: an AuthenticationConfiguration may list several issuers, so each broken setup gets its
// own provider (issuer) and the `jwt` entry `talos-oidc generate` writes for it.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { freePort, startLocalCluster, type LocalCluster } from '../../scripts/lib/kube-cluster.mjs';
import { makeTempDir } from '../../scripts/lib/processes.mjs';
import { startTestProvider, type TestProvider } from '../support/provider';
import { apiServerInputFromTalos, buildClientTools, Person, presentToken, talosOidc, type E2eTools } from './lib/harness';

const log = (line: string) => console.log(`      [e2e] ${line}`);

interface Review {
  authenticated: boolean | null;
  username: string | null;
  groups: string[];
  error: string | null;
}

describe('e2e: the seed guide\'s failures on the real kube-apiserver', function () {
  this.timeout(20 * 60_000);
  let tools: E2eTools;
  let cluster: LocalCluster;
  let talosConfigFile: string;
  /** `oidc-username-claim: email`, and carol has not verified her email. */
  let emailProvider: TestProvider;
  /** Issues `iss` with a trailing slash; the config has the URL without it. */
  let slashProvider: TestProvider;
  /** Signs with EdDSA (Pocket-ID's former default key type). */
  let eddsaProvider: TestProvider;

  async function reviewToken(token: string): Promise<Review> {
    const result = await talosOidc(['review-token', '--config', talosConfigFile, '--claims', '-', '--format', 'json'], { input: token });
    assert.notEqual(result.code, 2, `review-token refused its input: ${result.stderr}`);
    return JSON.parse(result.stdout) as Review;
  }

  /** A person logged in through kubelogin with the user set-user writes for `provider`. */
  async function personFor(provider: TestProvider, account: string, extraArgs: string[] = []): Promise<Person> {
    assert.ok(tools.kubelogin, `kubelogin could not be built here, so kubectl cannot log in through it:\n${tools.errors.kubelogin}`);
    const person = Person.create(account, { kubectl: tools.kubectl!, kubelogin: tools.kubelogin });
    person.writeClusterOnlyKubeconfig(cluster);
    const written = await talosOidc([
      'kubeconfig', 'set-user', '--kubeconfig', person.kubeconfig, '--name', 'oidc',
      '--issuer', provider.issuer, '--client-id', provider.clients.public.clientId,
      '--ca-file', provider.caFile, '--listen-address', `127.0.0.1:${await freePort()}`,
      '--context', 'oidc@local', '--cluster', 'local', '--use-context', ...extraArgs,
    ]);
    assert.equal(written.code, 0, `set-user failed: ${written.stderr}`);
    return person;
  }

  /**
   * kubectl as the person: refused; the token kubelogin got is judged by review-token; the API
   * server's log of that request carries review-token's error text.
   */
  async function expectRefusedAsPredicted(person: Person): Promise<Review> {
    const attempt = await person.kubectl(['get', 'pods', '-A'], 180_000);
    assert.notEqual(attempt.code, 0, 'kubectl was let in');
    assert.match(attempt.stderr, /Unauthorized|must be logged in/);
    assert.ok(person.logins() >= 1, 'kubelogin logged in through the browser');
    const token = person.cachedIdToken();
    assert.ok(token, 'kubelogin got and cached an ID token');
    const review = await reviewToken(token);
    assert.equal(review.authenticated, false, `review-token accepted it: ${JSON.stringify(review)}`);
    // The API server's verdict on the very same token, with its log of that request.
    const replay = await presentToken(tools.kubectl!, cluster, token);
    assert.notEqual(replay.code, 0);
    assert.ok(replay.loggedErrors.some((error) => error.includes(review.error!)), `review-token says: ${review.error}\nthe API server logged:\n${replay.logged}`);
    return review;
  }

  before(async function () {
    tools = await buildClientTools(log);
    if (!tools.kubectl) throw new Error(`kubectl could not be built:\n${tools.errors.kubectl}`);
    emailProvider = await startTestProvider({ accounts: { carol: { email_verified: false, groups: ['kubernetes'] } } });
    slashProvider = await startTestProvider({ trailingSlash: true, accounts: { alice: { groups: ['kubernetes'] } } });
    eddsaProvider = await startTestProvider({ signingAlg: 'EdDSA', accounts: { alice: { groups: ['kubernetes'] } } });

    const generate = async (provider: TestProvider, what: string, issuer: string, extra: string[] = []) => {
      const result = await talosOidc(['generate', what, '--layout', 'multi-document', '--issuer', issuer,
        '--client-id', provider.clients.public.clientId, '--ca-pem', provider.caFile, ...extra]);
      assert.equal(result.code, 0, result.stderr);
      return result.stdout;
    };
    // The guide's reader: the email as the user name.
    const patch = await generate(emailProvider, 'patch', emailProvider.issuer, ['--username-claim', 'email']);
    // The issuer typed without the slash the provider puts in `iss`.
    const slashEntry = await generate(slashProvider, 'auth-config', slashProvider.origin);
    const eddsaEntry = await generate(eddsaProvider, 'auth-config', eddsaProvider.issuer);

    const documents = parseAllDocuments(patch);
    const main = documents.find((document) => document.get('kind') === 'KubeAuthenticationConfig');
    assert.ok(main, 'the patch has a KubeAuthenticationConfig document');
    for (const text of [slashEntry, eddsaEntry]) {
      const other = parseAllDocuments(text).find((document) => document.get('kind') === 'KubeAuthenticationConfig');
      main.addIn(['configuration', 'jwt'], main.createNode(other?.toJS().configuration.jwt[0]));
    }
    const merged = documents.map((document) => document.toString()).join('');
    talosConfigFile = join(makeTempDir('talos-oidc-e2e-seed-'), 'talos-1.14-patch.yaml');
    writeFileSync(talosConfigFile, merged);

    const started = Date.now();
    cluster = await startLocalCluster({ ...apiServerInputFromTalos(merged), log });
    log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await cluster?.stop();
    await Promise.all([emailProvider?.stop(), slashProvider?.stop(), eddsaProvider?.stop()]);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cluster) {
      console.log(`      --- kube-apiserver log (last lines) ---\n${cluster.logs().trim().split('\n').slice(-30).join('\n')}`);
    }
  });

  it('email as the username claim with an unverified email: "oidc: email not verified"', async function () {
    // The guide's kubeconfig asks for the email scope too; without it the token has no email claim.
    const carol = await personFor(emailProvider, emailProvider.accounts.carol.sub, ['--extra-scope', 'groups', '--extra-scope', 'email']);
    const review = await expectRefusedAsPredicted(carol);
    assert.equal(review.error, 'oidc: email not verified');
  });

  it('issuer with a trailing slash in iss but not in the config: "invalid bearer token", and discovery fails on the mismatch', async function () {
    const alice = await personFor(slashProvider, slashProvider.accounts.alice.sub);
    const review = await expectRefusedAsPredicted(alice);
    assert.equal(review.error, 'invalid bearer token');
    // The API server cannot even load the issuer's keys: its discovery document names the other URL.
    assert.ok(cluster.logs().includes(`expected "${slashProvider.origin}" got "${slashProvider.issuer}"`), 'the API server logged the issuer mismatch');
  });

  it('a provider that signs with EdDSA: refused with the algorithm error review-token quotes', async function () {
    const alice = await personFor(eddsaProvider, eddsaProvider.accounts.alice.sub);
    const review = await expectRefusedAsPredicted(alice);
    assert.match(review.error ?? '', /EdDSA|signing alg|algorithm/i);
  });
});
