/**
 * A throwaway CA and a server certificate for one test run, made with the `openssl` command
 * (Debian's `openssl` package; no npm dependency). P-256 keys keep it fast.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** Folder holding ca.pem, server.pem, server.key. */
  dir: string;
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
  /** base64 SHA-256 of the server certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiSha256: string;
}

const perRun = new Map<string, Promise<TestCertificates>>();

/**
 * One CA and server certificate per test process and set of names (making them costs a second
 * on a busy machine, and every provider of the run can share them). Removed when the process exits.
 */
export function testCertificatesFor(names: string[]): Promise<TestCertificates> {
  const key = names.join(',');
  let certificates = perRun.get(key);
  if (!certificates) {
    certificates = createTestCertificates(names);
    perRun.set(key, certificates);
    certificates.then(
      ({ dir }) => process.once('exit', () => rmSync(dir, { recursive: true, force: true })),
      () => perRun.delete(key),
    );
  }
  return certificates;
}

/** Creates a CA and a server certificate whose subjectAltName lists `names` (IP addresses or DNS names). */
export async function createTestCertificates(
  names: string[],
  options: { dir?: string; days?: number; caName?: string } = {},
): Promise<TestCertificates> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'talos-oidc-test-ca-')));
  const days = String(options.days ?? 2);
  const file = (name: string) => join(dir, name);
  const openssl = async (args: string[]) => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr ?? String(error);
      if ((error as { code?: string }).code === 'ENOENT') {
        throw new Error(
          'the test provider needs the `openssl` command (Debian package openssl) to make its certificates',
          { cause: error },
        );
      }
      throw new Error(`openssl ${args[0]} failed: ${detail}`, { cause: error });
    }
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    days,
    '-subj',
    `/CN=${options.caName ?? 'talos-oidc test CA'}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl([
    'req',
    ...ecKey,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${names[0]}`,
  ]);
  const altNames = names.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  await writeFile(
    file('server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${altNames}`,
      '',
    ].join('\n'),
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    days,
    '-extfile',
    file('server.ext'),
  ]);

  const [caPem, certPem, keyPem] = await Promise.all(
    ['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(file(name), 'utf8')),
  );
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return {
    dir,
    caPem,
    caFile: file('ca.pem'),
    certPem,
    keyPem,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}
