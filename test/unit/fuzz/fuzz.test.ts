/**
 * Issue 13: a seeded, time-bounded fuzz of every entry point a file or a token reaches. Mutated
 * Talos configs, kubeconfigs, AuthenticationConfigurations, RBAC files, claims and tokens go
 * through lint (parse + checks), the token review, ID token verification, the generators (with
 * hostile setting values), the kubeconfig edit and the claims view model. Nothing may throw
 * unexpectedly (a crash), take longer than its budget (a hang), accept what it must refuse (a
 * wrong acceptance), or lose a byte of a user file: the atomic kubeconfig write is killed at
 * random points and between write and rename, in a child process, and the file must be the old
 * or the new content, never a mix.
 *
 * TALOS_OIDC_FUZZ_SEED picks the seed (default 13), TALOS_OIDC_FUZZ_MS the time for the mutation
 * rounds (default 20 s). A failure prints the seed and the input that failed.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { reviewToken } from '../../../src/core/authn/index';
import { checkFiles } from '../../../src/core/checks';
import {
  generateClusterRoleBinding,
  generateExtraArgs,
  generateKubeAuthenticationConfig,
  generateKubeconfigUser,
  setupWithDefaults,
} from '../../../src/core/generate/index';
import { KubeconfigEditError, setKubeconfigUser } from '../../../src/core/kubeconfig/edit';
import { decodeJwt, verifyIdToken, type JsonWebKeySet } from '../../../src/core/login';
import { talosAuthenticator } from '../../../src/core/talos/authenticator';
import { parseYamlFile } from '../../../src/core/workspace/parse';
import { claimRows, expiryCountdown, headerRows, payloadJson } from '../../../src/webview/claims/viewModel';
import { mutate, random } from '../../support/fuzzMutations';

const ROOT = join(__dirname, '..', '..', '..');
const SEED = Number(process.env.TALOS_OIDC_FUZZ_SEED ?? 13);
const ROUNDS_MS = Number(process.env.TALOS_OIDC_FUZZ_MS ?? 20_000);
/** One entry point on one input may take this long (the parse budget is 0.4 s of CPU; the machine may be busy). */
const HANG_MS = 3_000;
const NOW = 1_800_000_000;

function corpus(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name))
        files.push({ name: full.slice(ROOT.length + 1), text: readFileSync(full, 'utf8') });
    }
  };
  walk(join(ROOT, 'test', 'fixtures', 'configs'));
  walk(join(ROOT, 'test', 'fixtures', 'kubeconfigs'));
  return files;
}

interface Tally {
  inputs: number;
  crashes: string[];
  hangs: string[];
  wrongAcceptances: string[];
  bytesLost: string[];
}

/** Runs `work`, recording a throw as a crash and a slow run as a hang. */
function exercise(
  tally: Tally,
  what: string,
  input: string,
  work: () => void,
  allowed?: (error: unknown) => boolean,
): void {
  const started = Date.now();
  try {
    work();
  } catch (error) {
    if (!allowed?.(error))
      tally.crashes.push(
        `${what}: ${error instanceof Error ? error.stack?.split('\n').slice(0, 8).join(' | ') : String(error)} on ${JSON.stringify(input.slice(0, 300))}`,
      );
  }
  const elapsed = Date.now() - started;
  if (elapsed > HANG_MS) tally.hangs.push(`${what}: ${elapsed} ms on ${JSON.stringify(input.slice(0, 200))}`);
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWKS: JsonWebKeySet = {
  keys: [
    {
      ...(rsa.publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
      kid: 'k1',
      use: 'sig',
      alg: 'RS256',
    } as JsonWebKeySet['keys'][number],
  ],
};
function signToken(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
}

describe('hardening: seeded fuzz of every entry point', function () {
  this.timeout(ROUNDS_MS + 120_000);
  const tally: Tally = { inputs: 0, crashes: [], hangs: [], wrongAcceptances: [], bytesLost: [] };

  after(() => {
    console.log(
      `      fuzz (seed ${SEED}): ${tally.inputs} inputs, ${tally.crashes.length} crashes, ${tally.hangs.length} hangs, ${tally.wrongAcceptances.length} wrong acceptances, ${tally.bytesLost.length} files with bytes lost`,
    );
  });

  it(`files, claims, tokens and setting values (seed ${SEED}, ${ROUNDS_MS / 1000} s)`, () => {
    const next = random(SEED);
    const files = corpus();
    const deadline = Date.now() + ROUNDS_MS;
    const ISSUER = 'https://id.example.com';
    const baseClaims = {
      iss: ISSUER,
      aud: 'kubernetes',
      sub: 'u-1',
      email: 'a@example.com',
      email_verified: true,
      groups: ['kubernetes'],
      exp: NOW + 600,
      iat: NOW - 10,
    };
    const goodToken = signToken({ alg: 'RS256', kid: 'k1' }, baseClaims);
    const original = decodeJwt(goodToken);

    while (Date.now() < deadline) {
      const source = files[Math.floor(next() * files.length)];
      const text = mutate(source.text, next);
      tally.inputs++;

      // lint: parse and every check, with the other files of the corpus as the workspace.
      let parsed: ReturnType<typeof parseYamlFile> | undefined;
      exercise(tally, `lint ${source.name}`, text, () => {
        parsed = parseYamlFile(source.name, text);
        const findings = checkFiles([parsed, parseYamlFile('crb.yaml', files[0].text)]);
        for (const finding of findings) {
          if (finding.code === 'TOIDC000' && !parsed.notChecked) throw new Error(`a check failed: ${finding.message}`);
          if (finding.file === source.name && (finding.range.startOffset < 0 || finding.range.endOffset > text.length))
            throw new Error(`${finding.code} range outside the file`);
        }
      });

      // review: the model this file gives, and claims mutated around a valid token for it.
      if (parsed && (parsed.talos || parsed.authenticationConfig)) {
        exercise(tally, `review ${source.name}`, text, () => {
          const { model, problems } = talosAuthenticator(parsed!);
          if (!model || model.jwt.length === 0) return;
          // A configuration the API server refuses to load is reviewed "as if it loaded", with a note saying so: no oracle there.
          if (problems.some((problem) => problem.fatal)) {
            reviewToken(model, { claims: baseClaims }, NOW);
            return;
          }
          const jwt = model.jwt[0];
          const claims: Record<string, unknown> = { ...baseClaims, iss: jwt.issuer.url, aud: jwt.issuer.audiences[0] };
          const key = Object.keys(claims)[Math.floor(next() * Object.keys(claims).length)];
          claims[key] = [undefined, null, 42, '', [], {}, 'x'.repeat(10_000), ['a', 1], '\u0000', true][
            Math.floor(next() * 10)
          ];
          reviewToken(model, { claims }, NOW);
          const issuers = new Set(model.jwt.map((candidate) => candidate.issuer.url));
          const wrongIssuer = reviewToken(model, { claims: { ...claims, iss: `${jwt.issuer.url}/elsewhere` } }, NOW);
          if (wrongIssuer.authenticated === true && !issuers.has(`${jwt.issuer.url}/elsewhere`))
            tally.wrongAcceptances.push(`review accepted a token from another issuer (${source.name})`);
          const expired = reviewToken(model, { claims: { ...claims, iss: jwt.issuer.url, exp: NOW - 86_400 } }, NOW);
          if (expired.authenticated === true)
            tally.wrongAcceptances.push(`review accepted an expired token (${source.name})`);
          const stranger = reviewToken(
            model,
            { claims: { ...claims, iss: jwt.issuer.url, aud: 'not-an-audience-of-this-cluster' } },
            NOW,
          );
          if (
            stranger.authenticated === true &&
            !model.jwt.some((candidate) => candidate.issuer.audiences.includes('not-an-audience-of-this-cluster'))
          ) {
            tally.wrongAcceptances.push(
              `review accepted a token for another audience (${source.name}): ${JSON.stringify({ claims: { ...claims, aud: 'not-an-audience-of-this-cluster' }, text })}`,
            );
          }
        });
      }

      // the kubeconfig edit: either a clear refusal, or every other entry kept and the user written.
      if (/users|clusters|contexts|kind: Config/.test(source.text)) {
        exercise(
          tally,
          `kubeconfig edit ${source.name}`,
          text,
          () => {
            const exec = {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'kubectl',
              args: ['oidc-login', 'get-token', `--oidc-issuer-url=${ISSUER}`],
            };
            const result = setKubeconfigUser(text, { name: 'oidc', exec });
            const before = parseAllDocuments(text, { logLevel: 'error' });
            const after = parseYaml(result.text, { logLevel: 'error' }) as Record<string, unknown>;
            const user = (after.users as ({ name: string; user: { exec: unknown } } | null)[]).find(
              (entry) => entry?.name === 'oidc',
            );
            if (!user) throw new Error('the edit reported success without writing the user');
            const old = (Array.isArray(before) ? before[0] : before)?.toJS() as Record<string, unknown> | null;
            for (const section of ['clusters', 'contexts'] as const) {
              if (
                old &&
                Array.isArray(old[section]) &&
                JSON.stringify(old[section]) !== JSON.stringify(after[section])
              ) {
                tally.bytesLost.push(
                  `kubeconfig edit changed ${section} of ${source.name}: ${JSON.stringify(text.slice(0, 200))}`,
                );
              }
            }
          },
          (error) => error instanceof KubeconfigEditError,
        );
      }

      // the claims view model, with the mutated text as a claim value and mutated claims.
      exercise(tally, 'claims view model', text, () => {
        const claims: Record<string, unknown> = {
          ...baseClaims,
          [mutate('name', next)]: text.slice(0, 500),
          exp: [NOW, 'soon', -1, 1e308, null][Math.floor(next() * 5)],
        };
        claimRows(claims, NOW * 1000);
        headerRows({ alg: text.slice(0, 20), kid: text.slice(0, 40), typ: 1 });
        expiryCountdown(claims, NOW * 1000);
        payloadJson(claims);
      });

      // tokens: a mutated compact JWT never verifies unless it decodes to the same token.
      const mutatedToken = mutate(goodToken, next);
      exercise(tally, 'verify token', mutatedToken, () => {
        const result = verifyIdToken(mutatedToken, { issuer: ISSUER, clientId: 'kubernetes', jwks: JWKS, now: NOW });
        if (!result.ok) return;
        let same: boolean;
        try {
          const decoded = decodeJwt(mutatedToken);
          same =
            JSON.stringify(decoded.header) === JSON.stringify(original.header) &&
            JSON.stringify(decoded.claims) === JSON.stringify(original.claims) &&
            decoded.signature.equals(original.signature);
        } catch {
          same = false;
        }
        if (!same) tally.wrongAcceptances.push(`a mutated token verified: ${mutatedToken}`);
      });

      // generators with hostile setting values: the output parses back to exactly the values given.
      const hostile = mutate(`https://id.example.com/${source.name}`, next);
      exercise(tally, 'generators', hostile, () => {
        const setup = setupWithDefaults({
          issuerUrl: hostile,
          clientId: mutate('kubernetes', next),
          adminGroup: mutate('kubernetes', next),
          groupsClaim: 'groups',
        });
        const extraArgs = parseYaml(generateExtraArgs(setup)).cluster.apiServer.extraArgs;
        if (extraArgs['oidc-issuer-url'] !== setup.issuerUrl || extraArgs['oidc-client-id'] !== setup.clientId) {
          tally.wrongAcceptances.push(
            `generateExtraArgs wrote other values than given: ${JSON.stringify([setup.issuerUrl, setup.clientId])}`,
          );
        }
        const documents = parseAllDocuments(generateKubeAuthenticationConfig(setup));
        const issuerUrl = JSON.stringify(
          (Array.isArray(documents) ? documents : [documents]).map((document) => document.toJS()),
        ).includes(JSON.stringify(setup.issuerUrl));
        if (!issuerUrl)
          tally.wrongAcceptances.push(
            `generateKubeAuthenticationConfig lost the issuer URL ${JSON.stringify(setup.issuerUrl)}`,
          );
        const binding = parseYaml(generateClusterRoleBinding(setup));
        if (
          !binding.subjects.some(
            (subject: { name: string }) => subject.name === `${setup.groupsPrefix ?? ''}${setup.adminGroup}`,
          )
        ) {
          tally.wrongAcceptances.push(
            `generateClusterRoleBinding named another group than ${JSON.stringify(setup.adminGroup)}`,
          );
        }
        const kubeconfigUser = JSON.stringify(parseYaml(generateKubeconfigUser(setup, 'oidc')));
        if (!kubeconfigUser.includes(JSON.stringify(`--oidc-issuer-url=${setup.issuerUrl}`))) {
          tally.wrongAcceptances.push(
            `generateKubeconfigUser wrote another issuer than ${JSON.stringify(setup.issuerUrl)}`,
          );
        }
      });
    }

    const report = (label: string, list: string[]) =>
      list.length ? `\n${label} (seed ${SEED}):\n  ${list.slice(0, 5).join('\n  ')}` : '';
    assert.equal(
      tally.crashes.length + tally.hangs.length + tally.wrongAcceptances.length + tally.bytesLost.length,
      0,
      report('crashes', tally.crashes) +
        report('hangs', tally.hangs) +
        report('wrong acceptances', tally.wrongAcceptances) +
        report('bytes lost', tally.bytesLost),
    );
  });

  it('the atomic kubeconfig write, killed at random points and between write and rename, leaves the old or the new file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talos-oidc-fuzz-kill-'));
    const next = random(SEED + 1);
    try {
      const file = join(dir, 'config');
      // Big enough that a write takes a while, different in every byte position that matters.
      const versions = ['A', 'B'].map(
        (letter) => `apiVersion: v1\nkind: Config\n# ${letter}\n${`# ${letter.repeat(200)}\n`.repeat(2000)}`,
      );
      writeFileSync(file, versions[0]);
      const writer = join(__dirname, 'fuzzAtomicWriter.ts');
      let kills = 0;
      for (let round = 0; round < 24; round++) {
        const betweenWriteAndRename = round % 4 === 0;
        const delay = Math.floor(next() * 400);
        const before = readFileSync(file, 'utf8');
        const child = spawn(
          process.execPath,
          ['--require', 'tsx/cjs', writer, file, betweenWriteAndRename ? 'pause' : 'loop'],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        await new Promise<void>((resolve) => {
          let killed = false;
          const kill = () => {
            if (killed) return;
            killed = true;
            child.kill('SIGKILL');
            kills++;
          };
          child.stdout.on('data', (chunk: Buffer) => {
            const said = chunk.toString();
            if (betweenWriteAndRename && said.includes('before-rename')) kill();
            else if (!betweenWriteAndRename && said.includes('writing')) setTimeout(kill, delay);
          });
          child.on('exit', () => resolve());
        });
        tally.inputs++;
        const now = readFileSync(file, 'utf8');
        if (!versions.includes(now))
          tally.bytesLost.push(
            `round ${round}: after a kill the file is neither version (${now.length} bytes); ${stderr.slice(0, 200)}`,
          );
        if (betweenWriteAndRename && now !== before)
          tally.bytesLost.push(`round ${round}: killed before the rename, yet the file changed`);
        const backup = `${file}.bak`;
        if (existsSync(backup) && !versions.includes(readFileSync(backup, 'utf8')))
          tally.bytesLost.push(`round ${round}: the backup is neither version`);
      }
      assert.ok(kills >= 20, `only ${kills} kills happened`);
      assert.deepEqual(tally.bytesLost, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
