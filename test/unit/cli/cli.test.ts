/**
 * The `talos-oidc` command line as a user runs it: the esbuild bundle (built here the way
 * scripts/build.mjs builds dist/cli.js) spawned with node on fixture files; exit codes, output
 * formats, and one-line messages (never a stack trace) for bad input.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { parse, parseAllDocuments } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const CLIENT_ID = 'a60960a8-c856-43b7-add7-50d83bf7eeab';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let buildDir: string;
let cli: string;
let work: string;

function run(
  args: string[],
  options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? work,
      env: { ...process.env, TALOS_OIDC_DEBUG: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** A refusal is a short message that names the problem, not a stack trace. */
function assertCleanFailure(result: Run, code: number, pattern: RegExp) {
  assert.equal(result.code, code, `exit code (stderr: ${result.stderr})`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.ok(result.stderr.trim().split('\n').length <= 3, `short message: ${result.stderr}`);
}

const GENERATE = ['--issuer', 'https://id.example.com', '--client-id', CLIENT_ID];

describe('talos-oidc command line', function () {
  this.timeout(60000);

  before(async () => {
    buildDir = mkdtempSync(join(tmpdir(), 'talos-oidc-cli-build-'));
    cli = join(buildDir, 'cli.js');
    await esbuild.build({
      entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'silent',
    });
  });
  after(() => rmSync(buildDir, { recursive: true, force: true }));

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'talos-oidc-cli-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  describe('help and version', () => {
    it('--help lists every command; --version prints the package version', async () => {
      const help = await run(['--help']);
      assert.equal(help.code, 0);
      for (const name of ['lint', 'review-token', 'generate', 'kubeconfig', 'login'])
        assert.match(help.stdout, new RegExp(`\\n  ${name} `));
      const version = await run(['--version']);
      assert.equal(version.code, 0);
      assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    });

    it('no command or an unknown one is bad usage (2)', async () => {
      const bare = await run([]);
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /^Usage: talos-oidc <command>/);
      assertCleanFailure(await run(['lnt']), 2, /unknown command 'lnt'/);
    });

    it('each command has its own --help', async () => {
      for (const name of ['lint', 'review-token', 'generate', 'login']) {
        const result = await run([name, '--help']);
        assert.equal(result.code, 0, name);
        assert.match(result.stdout, new RegExp(`Usage: talos-oidc ${name}`));
      }
      const setUser = await run(['kubeconfig', 'set-user', '--help']);
      assert.equal(setUser.code, 0);
      assert.match(setUser.stdout, /--use-context/);
    });
  });

  describe('lint', () => {
    it('the seed guide files: errors, exit 1, JSON with 1-based positions that point at the text', async () => {
      const result = await run(['lint', join(FIXTURES, 'configs', 'guide'), '--format', 'json']);
      assert.equal(result.code, 1, result.stderr);
      const records = JSON.parse(result.stdout) as Record<string, unknown>[];
      assert.ok(records.length > 0);
      for (const record of records) {
        assert.deepEqual(Object.keys(record).sort(), [
          'code',
          'column',
          'endColumn',
          'endLine',
          'file',
          'line',
          'message',
          'severity',
        ]);
        assert.ok(['error', 'warning', 'info'].includes(record.severity as string));
      }
      const placeholder = records.find((record) => String(record.message).includes('<url of pocket-id>'));
      assert.ok(placeholder, 'the placeholder issuer is reported');
      const lines = readFileSync(String(placeholder.file), 'utf8').split('\n');
      const line = lines[Number(placeholder.line) - 1];
      assert.equal(line.slice(Number(placeholder.column) - 1, Number(placeholder.endColumn) - 1), '<url of pocket-id>');
    });

    it('text format: file:line:column: severity code: message, and a summary', async () => {
      const result = await run(['lint', join(FIXTURES, 'configs', 'guide', 'controlplane.yaml')]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /controlplane\.yaml:\d+:\d+: error TOIDC\d{3}: /);
      assert.match(result.stdout, /\d+ errors?, \d+ warnings?, \d+ info in 1 file\n$/);
    });

    it('generated files lint clean: exit 0', async () => {
      const write = async (name: string, args: string[]) => {
        const result = await run(['generate', ...args, ...GENERATE]);
        assert.equal(result.code, 0, result.stderr);
        writeFileSync(join(work, name), result.stdout);
      };
      await write('patch.yaml', ['patch']);
      await write('crb.yaml', ['rbac']);
      const result = await run(['lint', '.', '--format', 'json']);
      assert.equal(result.code, 0, result.stdout);
      assert.deepEqual(
        (JSON.parse(result.stdout) as { severity: string }[]).filter((r) => r.severity === 'error'),
        [],
      );
    });

    it('directories: *.yaml and *.yml, skipping node_modules and .git; files that are not ours give nothing', async () => {
      mkdirSync(join(work, 'node_modules', 'pkg'), { recursive: true });
      mkdirSync(join(work, '.git'), { recursive: true });
      mkdirSync(join(work, 'talos'), { recursive: true });
      cpSync(
        join(FIXTURES, 'configs', 'guide', 'controlplane.yaml'),
        join(work, 'node_modules', 'pkg', 'controlplane.yaml'),
      );
      cpSync(join(FIXTURES, 'configs', 'guide', 'controlplane.yaml'), join(work, '.git', 'controlplane.yaml'));
      cpSync(join(FIXTURES, 'configs', 'misc', 'deployment.yaml'), join(work, 'talos', 'deployment.yml'));
      writeFileSync(
        join(work, 'talos', 'notes.txt'),
        'cluster: {apiServer: {extraArgs: {oidc-issuer-url: "http://x"}}}\n',
      );
      const clean = await run(['lint', '.', '--format', 'json']);
      assert.equal(clean.code, 0, clean.stderr);
      assert.deepEqual(JSON.parse(clean.stdout), []);
      cpSync(join(FIXTURES, 'configs', 'guide', 'controlplane.yaml'), join(work, 'talos', 'controlplane.yml'));
      const found = await run(['lint', '.', '--format', 'json']);
      assert.equal(found.code, 1);
      const files = new Set((JSON.parse(found.stdout) as { file: string }[]).map((record) => record.file));
      assert.deepEqual([...files], [join('talos', 'controlplane.yml')]);
    });

    it('--talos-version decides version-specific findings for configs that name no version', async () => {
      writeFileSync(
        join(work, 'kac.yaml'),
        'apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  anonymous: {enabled: false}\n  jwt: []\n',
      );
      const old = await run(['lint', 'kac.yaml', '--talos-version', 'v1.13', '--format', 'json']);
      assert.equal(old.code, 1);
      assert.deepEqual(
        (JSON.parse(old.stdout) as { code: string }[]).map((record) => record.code),
        ['TOIDC122'],
      );
      assert.equal((await run(['lint', 'kac.yaml', '--talos-version', 'v1.14'])).code, 0);
      assertCleanFailure(
        await run(['lint', 'kac.yaml', '--talos-version', 'latest']),
        2,
        /--talos-version latest: give a Talos release such as v1\.13/,
      );
    });

    it('bad input: missing file, binary file, not YAML, huge file, bad flags: one line and exit 2', async () => {
      assertCleanFailure(await run(['lint', 'missing.yaml']), 2, /missing\.yaml: no such file/);
      writeFileSync(join(work, 'bin.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
      assertCleanFailure(await run(['lint', 'bin.yaml']), 2, /bin\.yaml: a binary file/);
      writeFileSync(join(work, 'broken.yaml'), 'a: [\n  b: {\n');
      assertCleanFailure(await run(['lint', 'broken.yaml']), 2, /broken\.yaml:\d+:\d+: not valid YAML/);
      writeFileSync(join(work, 'huge.yaml'), Buffer.alloc(9 * 1024 * 1024, 'a'));
      assertCleanFailure(await run(['lint', 'huge.yaml']), 2, /huge\.yaml: too large/);
      assertCleanFailure(await run(['lint']), 2, /at least one file/);
      assertCleanFailure(
        await run(['lint', '.', '--formt', 'json']),
        2,
        /unknown option '--formt' \(did you mean '--format'\?\)/,
      );
      assertCleanFailure(await run(['lint', '.', '--format', 'xml']), 2, /must be 'text' or 'json'/);
    });
  });

  describe('review-token', () => {
    const legacy = join(FIXTURES, 'configs', 'legacy', 'controlplane.yaml');
    const claims = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        iss: 'https://id.example.com',
        aud: CLIENT_ID,
        sub: 'u-1',
        groups: ['kubernetes'],
        exp: 1_800_000_000,
        ...extra,
      });

    it('an accepted token: JSON verdict, username and prefixed groups, exit 0', async () => {
      writeFileSync(join(work, 'claims.json'), claims());
      const result = await run([
        'review-token',
        '--config',
        legacy,
        '--claims',
        'claims.json',
        '--now',
        '1700000000',
        '--format',
        'json',
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {
        authenticated: true,
        username: 'oidc:u-1',
        groups: ['oidc:kubernetes'],
        error: null,
      });
    });

    it('an expired token read from stdin: rejected with the API server text, exit 1', async () => {
      const result = await run(
        ['review-token', '--config', legacy, '--claims', '-', '--now', '1900000000', '--format', 'json'],
        { stdin: claims() },
      );
      assert.equal(result.code, 1);
      const output = JSON.parse(result.stdout) as { authenticated: boolean; error: string };
      assert.equal(output.authenticated, false);
      assert.match(output.error, /^oidc: verify token: oidc: token is expired \(Token Expiry: /);
    });

    it('a compact JWT signed with EdDSA: decoded (not verified) and rejected for its algorithm', async () => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const jwt = `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(JSON.parse(claims()))}.c2ln`;
      const result = await run(['review-token', '--config', legacy, '--claims', '-', '--now', '1700000000'], {
        stdin: `${jwt}\n`,
      });
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^rejected\n/);
      assert.match(result.stdout, /unsupported algorithm, expected \["RS256"\] got "EdDSA"/);
    });

    it('a bearer token that is no compact JWT (two or five parts) is not authenticated, as in the API server, not a usage error', async () => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const header = part({ alg: 'RS256', typ: 'JWT' });
      const payload = part(JSON.parse(claims()));
      for (const token of [`${header}.${payload}`, `${header}.${payload}.${part('iv')}.c2ln.${part('tag')}`, 'hello']) {
        const result = await run(
          ['review-token', '--config', legacy, '--claims', '-', '--now', '1700000000', '--format', 'json'],
          { stdin: `${token}\n` },
        );
        assert.equal(result.code, 1, result.stderr);
        const output = JSON.parse(result.stdout);
        assert.equal(output.authenticated, false);
        assert.equal(output.error, 'invalid bearer token');
      }
    });

    it('bad input: missing flags, a config without OIDC, claims that are not valid JSON, a bad --now', async () => {
      assertCleanFailure(await run(['review-token', '--config', legacy]), 2, /'--claims' is required/);
      assertCleanFailure(
        await run(['review-token', '--config', join(FIXTURES, 'configs', 'guide', 'crb.yaml'), '--claims', '-'], {
          stdin: claims(),
        }),
        2,
        /no OIDC settings found/,
      );
      assertCleanFailure(
        await run(['review-token', '--config', legacy, '--claims', '-'], { stdin: '{"iss": ' }),
        2,
        /standard input: /,
      );
      assertCleanFailure(
        await run(['review-token', '--config', legacy, '--claims', '-', '--now', 'soon'], { stdin: claims() }),
        2,
        /Unix seconds/,
      );
      assertCleanFailure(
        await run(['review-token', '--config', 'nope.yaml', '--claims', '-'], { stdin: claims() }),
        2,
        /nope\.yaml: no such file/,
      );
    });
  });

  describe('generate', () => {
    it('each kind prints valid YAML (a shell command for setup-command)', async () => {
      for (const kind of ['extra-args', 'auth-config', 'patch', 'rbac', 'kubeconfig-user']) {
        const result = await run(['generate', kind, ...GENERATE]);
        assert.equal(result.code, 0, `${kind}: ${result.stderr}`);
        const docs = parseAllDocuments(result.stdout);
        assert.ok(Array.isArray(docs) && docs.every((doc) => doc.errors.length === 0), kind);
      }
      const user = parse((await run(['generate', 'kubeconfig-user', ...GENERATE, '--name', 'pass-key'])).stdout)
        .users[0];
      assert.equal(user.name, 'pass-key');
      assert.ok(user.user.exec.args.includes(`--oidc-client-id=${CLIENT_ID}`));
      const setup = await run(['generate', 'setup-command', ...GENERATE]);
      assert.equal(
        setup.stdout,
        `kubectl oidc-login setup --oidc-issuer-url=https://id.example.com --oidc-client-id=${CLIENT_ID} --oidc-extra-scope=groups\n`,
      );
      const multi = parse((await run(['generate', 'patch', '--layout', 'multi-document', ...GENERATE])).stdout);
      assert.equal(multi.kind, 'KubeAuthenticationConfig');
    });

    it('bad usage: unknown kind, missing issuer, a URL as client ID, an unsupported algorithm', async () => {
      assertCleanFailure(await run(['generate', 'helm', ...GENERATE]), 2, /cannot generate 'helm'/);
      assertCleanFailure(await run(['generate', 'rbac', '--client-id', 'x']), 2, /'--issuer' is required/);
      assertCleanFailure(
        await run(['generate', 'rbac', '--issuer', 'https://id.example.com', '--client-id', 'https://id.example.com']),
        2,
        /not a URL/,
      );
      assertCleanFailure(
        await run(['generate', 'extra-args', ...GENERATE, '--signing-algs', 'EdDSA']),
        2,
        /does not accept signing algorithm 'EdDSA'/,
      );
      assertCleanFailure(
        await run(['generate', 'patch', ...GENERATE, '--layout', 'v2']),
        2,
        /legacy or multi-document/,
      );
      const truncated = join(work, 'truncated-ca.pem');
      writeFileSync(truncated, '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n');
      assertCleanFailure(
        await run(['generate', 'auth-config', ...GENERATE, '--ca-pem', truncated]),
        2,
        /--ca-pem .*truncated-ca\.pem: no PEM certificate in the file/,
      );
    });
  });

  describe('kubeconfig set-user', () => {
    const setUser = [
      'kubeconfig',
      'set-user',
      '--name',
      'pass-key',
      '--issuer',
      'https://id.example.com',
      '--client-id',
      CLIENT_ID,
    ];

    it('writes the user and context, keeps a backup, and the second run changes nothing', async () => {
      const file = join(work, 'config');
      const original = readFileSync(join(FIXTURES, 'kubeconfigs', 'comments.yaml'), 'utf8');
      writeFileSync(file, original, { mode: 0o600 });
      const first = await run([
        ...setUser,
        '--kubeconfig',
        file,
        '--context',
        'oidc',
        '--cluster',
        'lab',
        '--use-context',
      ]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /wrote user "pass-key" and context "oidc"/);
      assert.equal(readFileSync(`${file}.bak`, 'utf8'), original);
      const written = readFileSync(file, 'utf8');
      const lastUserLine = '      token: ci-token # trailing comment on the last user\n';
      assert.ok(
        written.startsWith(original.slice(0, original.indexOf(lastUserLine) + lastUserLine.length)),
        'everything up to the new user is kept',
      );
      assert.ok(written.endsWith('# end of file comment\n'));
      const kc = new KubeConfig();
      kc.loadFromString(written);
      assert.equal(kc.getCurrentContext(), 'oidc');
      assert.deepEqual(kc.getUser('pass-key')?.exec?.args, [
        'oidc-login',
        'get-token',
        '--oidc-issuer-url=https://id.example.com',
        `--oidc-client-id=${CLIENT_ID}`,
        '--oidc-extra-scope=groups',
      ]);
      const second = await run([
        ...setUser,
        '--kubeconfig',
        file,
        '--context',
        'oidc',
        '--cluster',
        'lab',
        '--use-context',
      ]);
      assert.equal(second.code, 0);
      assert.match(second.stdout, /already up to date/);
      assert.equal(readFileSync(file, 'utf8'), written);
    });

    it('uses the first KUBECONFIG path and creates a missing file; --dry-run writes nothing', async () => {
      const file = join(work, 'kube', 'config');
      const dry = await run([...setUser, '--dry-run'], { env: { KUBECONFIG: `${file}:${join(work, 'other')}` } });
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /name: pass-key/);
      assert.ok(!existsSync(file));
      const real = await run(setUser, { env: { KUBECONFIG: `${file}:${join(work, 'other')}` } });
      assert.equal(real.code, 0, real.stderr);
      assert.match(real.stdout, /created with user "pass-key"/);
      assert.ok(!existsSync(join(work, 'other')));
      new KubeConfig().loadFromString(readFileSync(file, 'utf8'));
    });

    it('KUBECONFIG with several files: writes to the first that exists, as kubectl does; ~ in --kubeconfig is home', async () => {
      const missing = join(work, 'missing', 'config');
      const existing = join(work, 'second-config');
      writeFileSync(existing, readFileSync(join(FIXTURES, 'kubeconfigs', 'kubectl-style.yaml')));
      const result = await run(setUser, { env: { KUBECONFIG: `${missing}:${existing}` } });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!existsSync(missing));
      const kc = new KubeConfig();
      kc.loadFromString(readFileSync(existing, 'utf8'));
      assert.ok(kc.getUser('pass-key'), 'the new user is in the existing file');

      const home = join(work, 'home');
      const tilde = await run([...setUser, '--kubeconfig=~/kube/talos'], { env: { HOME: home } });
      assert.equal(tilde.code, 0, tilde.stderr);
      assert.match(readFileSync(join(home, 'kube', 'talos'), 'utf8'), /name: pass-key/);
      assert.ok(!existsSync(join(work, '~')));
    });

    it('refuses invalid YAML and duplicate users without touching the file (exit 1)', async () => {
      for (const fixture of ['invalid.yaml', 'duplicate-users.yaml']) {
        const file = join(work, fixture);
        const original = readFileSync(join(FIXTURES, 'kubeconfigs', fixture), 'utf8');
        writeFileSync(file, original);
        const result = await run([...setUser, '--kubeconfig', file]);
        assertCleanFailure(result, 1, fixture === 'invalid.yaml' ? /not valid YAML/ : /2 users named "pass-key"/);
        assert.equal(readFileSync(file, 'utf8'), original);
        assert.ok(!existsSync(`${file}.bak`));
      }
    });

    it('bad usage: missing name, context without cluster, a URL as client ID, an unknown subcommand', async () => {
      assertCleanFailure(
        await run(['kubeconfig', 'set-user', '--issuer', 'https://x', '--client-id', 'y']),
        2,
        /'--name' is required/,
      );
      assertCleanFailure(await run([...setUser, '--context', 'c']), 2, /--context and --cluster go together/);
      assertCleanFailure(
        await run(['kubeconfig', 'set-user', '--name', 'n', '--issuer', 'https://x', '--client-id', 'https://x']),
        2,
        /not a URL/,
      );
      assertCleanFailure(await run(['kubeconfig', 'delete-user']), 2, /unknown subcommand 'delete-user'/);
      const file = join(work, 'config');
      writeFileSync(file, readFileSync(join(FIXTURES, 'kubeconfigs', 'kubectl-style.yaml')));
      assertCleanFailure(
        await run([...setUser, '--kubeconfig', file, '--context', 'c', '--cluster', 'nope']),
        1,
        /cluster "nope" is not in the kubeconfig/,
      );
    });
  });
});
