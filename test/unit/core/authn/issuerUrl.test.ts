import assert from 'node:assert/strict';
import type { CommandIo } from '../../../../src/cli/command';
import { UsageError } from '../../../../src/cli/command';
import { generateCommand } from '../../../../src/cli/commands/generate';
import { loginCommand } from '../../../../src/cli/commands/login';
import { apiServerUrlErrors, describeIssuerUrlProblem, issuerUrlProblem } from '../../../../src/core/authn/issuerUrl';
import { preflight } from '../../../../src/core/login/preflight';

/** Issuer URLs people type, with what the API server says about each (validation.go validateURL). */
const CASES: { url: string; apiServer: string[]; kind?: string }[] = [
  { url: 'https://id.example.com', apiServer: [] },
  { url: 'https://id.example.com/', apiServer: [] },
  { url: 'https://auth.example.com/application/o/kubernetes/', apiServer: [] },
  { url: 'https://id.example.com:8443/realms/home', apiServer: [] },
  { url: 'http://id.example.com', apiServer: ['URL scheme must be https'], kind: 'scheme' },
  { url: 'HTTP://id.example.com', apiServer: ['URL scheme must be https'], kind: 'scheme' },
  { url: 'id.example.com', apiServer: ['URL scheme must be https'], kind: 'unusable' },
  {
    url: 'https://user:pw@id.example.com',
    apiServer: ['URL must not contain a username or password'],
    kind: 'userinfo',
  },
  { url: 'https://id.example.com?tenant=a', apiServer: ['URL must not contain a query'], kind: 'query' },
  { url: 'https://id.example.com#top', apiServer: ['URL must not contain a fragment'], kind: 'fragment' },
  // The API server lets an empty query or fragment through; discovery could not work with one.
  { url: 'https://id.example.com?', apiServer: [], kind: 'query' },
  { url: 'https://id.example.com#', apiServer: [], kind: 'fragment' },
  {
    url: 'https://<pocket-id-host>',
    apiServer: ['parse "https://<pocket-id-host>": invalid character "<" in host name'],
    kind: 'unusable',
  },
  {
    url: 'https://id.example.com:port',
    apiServer: ['parse "https://id.example.com:port": invalid port ":port" after host'],
    kind: 'unusable',
  },
  { url: '', apiServer: ['URL scheme must be https'], kind: 'unusable' },
];

describe('issuer URL rule', () => {
  it("refuses everything the API server refuses, with the API server's words", () => {
    for (const { url, apiServer, kind } of CASES) {
      assert.deepEqual(apiServerUrlErrors(url), apiServer, url);
      assert.equal(issuerUrlProblem(url)?.kind, kind, url);
      if (apiServer.length > 0) assert.ok(issuerUrlProblem(url), `${url} is accepted but the API server refuses it`);
    }
    assert.match(
      issuerUrlProblem('http://id.example.com')!.message,
      /accepts only https.*uses http.*URL scheme must be https/,
    );
  });

  it('reads what a user pasted: spaces around the URL do not matter, a placeholder is named as such', () => {
    assert.equal(issuerUrlProblem('  https://id.example.com \n'), undefined);
    assert.match(describeIssuerUrlProblem('https://<pocket-id-host>') ?? '', /<placeholder>.*provider's address/);
    assert.match(describeIssuerUrlProblem('') ?? '', /empty/);
  });

  it('the login preflight reports the same message and fix, and stops when nothing can be fetched', async () => {
    const refused = await preflight({ issuerUrl: 'https://user:pw@127.0.0.1:9' });
    const urlCheck = refused.find((check) => check.id === 'issuer-url');
    const problem = issuerUrlProblem('https://user:pw@127.0.0.1:9')!;
    assert.equal(urlCheck?.status, 'failed');
    assert.equal(urlCheck?.message, problem.message);
    assert.equal(urlCheck?.fix, problem.fix);

    const unusable = await preflight({ issuerUrl: 'id.example.com' });
    assert.equal(unusable[0].message, issuerUrlProblem('id.example.com')!.message);
    assert.ok(unusable.slice(1).every((check) => check.status === 'skipped'));
  });

  it('the command line says the same: login refuses an unusable issuer, generate warns about any problem', async () => {
    const stderr: string[] = [];
    const io: CommandIo = {
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
      readStdin: () => Promise.resolve(''),
      cwd: process.cwd(),
      env: {},
      signal: new AbortController().signal,
    };
    await assert.rejects(
      loginCommand.run(['--issuer', 'id.example.com', '--client-id', 'c'], io),
      (error) => error instanceof UsageError && error.message.includes(describeIssuerUrlProblem('id.example.com')!),
    );
    const code = await generateCommand.run(
      ['rbac', '--issuer', 'https://id.example.com?tenant=a', '--client-id', 'kubernetes'],
      io,
    );
    assert.equal(code, 0);
    assert.equal(
      stderr.join(''),
      `talos-oidc generate: warning: ${describeIssuerUrlProblem('https://id.example.com?tenant=a')}\n`,
    );
  });
});
