/**
 * Real users' files: Talos patches (strategic merge and JSON patch), talhelper talconfig.yaml with
 * inline and `@file` patches, a Jinja machine config, kubeconfigs and bindings from 16 public
 * repositories, kept in `<project>/../shared/real-world/` (one folder per repository, `/` in a
 * file's path written as `__`). The files are read where they lie; none is copied here.
 *
 * Every file must be understood (a kind, no parse problem), every finding must be one listed
 * below with the reason it is right, and nothing else may be reported (a false alarm).
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checkFiles, type Finding } from '../../../src/core/checks';
import { identitiesOf } from '../../../src/core/checks/identity';
import { samePath } from '../../../src/core/talhelper/config';
import { parseYamlFile } from '../../../src/core/workspace/parse';
import type { FileKind, ParsedFile } from '../../../src/core/workspace/types';
import { CORPUS, realWorldFiles } from '../../support/realWorld';

interface Expected {
  /** `<folder>/<file as saved>` */
  file: string;
  code: string;
  /** 1-based line of the finding's start. */
  line: number;
  reason: string;
}

const NO_BINDING_SAVED =
  'the corpus holds no ClusterRoleBinding from this repository, so nothing in view grants the OIDC identity anything (the lockout guard says what it can see)';

const EXPECTED: Expected[] = [
  {
    file: '01-scottmckendry-axis/talos__patches__oidc.yaml',
    code: 'TOIDC111',
    line: 8,
    reason:
      'oidc-groups-claim without oidc-groups-prefix: a provider group named system:masters would be cluster admin',
  },
  {
    file: '02-AkatukiSora-k8s-deploys/talos__patches__roles__controlplane.yaml',
    code: 'TOIDC109',
    line: 6,
    reason: 'no username prefix: users are named <issuer>#<username> (info; the repo binds a group, so it works)',
  },
  {
    file: '03-Almothana12-homelab/talos__oidc.yaml',
    code: 'TOIDC109',
    line: 6,
    reason: 'no username prefix: users are <issuer>#<sub> (info)',
  },
  {
    file: '03-Almothana12-homelab/talos__oidc.yaml',
    code: 'TOIDC111',
    line: 7,
    reason: 'groups claim without groups prefix',
  },
  {
    file: '03-Almothana12-homelab/infrastructure__openunison__clusterrolebinding-cluster-admins.yaml',
    code: 'TOIDC303',
    line: 7,
    reason: 'cluster-admin for the generic group k8s-admins while groups arrive unprefixed',
  },
  {
    file: '04-stianfro-lab/talos__patches__apiserver-oidc.yaml',
    code: 'TOIDC108',
    line: 6,
    reason: 'JSON patch: email username claim with Dex, whose email_verified depends on the connector',
  },
  {
    file: '04-stianfro-lab/talos__patches__apiserver-oidc.yaml',
    code: 'TOIDC111',
    line: 7,
    reason: 'JSON patch: groups claim without groups prefix',
  },
  {
    file: '05-mrwulf-home-cluster/talos__talconfig.yaml',
    code: 'TOIDC004',
    line: 450,
    reason:
      'inline controlPlane patch: issuer https://id.${SECRET_DOMAIN} is substituted by talhelper, so it cannot be checked (not an error)',
  },
  {
    file: '05-mrwulf-home-cluster/talos__talconfig.yaml',
    code: 'TOIDC108',
    line: 451,
    reason: 'inline patch: email username claim with Pocket-ID (per-user email_verified flag)',
  },
  {
    file: '06-azuki774-mistship-bootstrap/patches__controlplane.yaml',
    code: 'TOIDC116',
    line: 7,
    reason: 'oidc-groups-prefix "-" is literal for groups: groups become -<name>',
  },
  {
    file: '06-azuki774-mistship-bootstrap/patches__controlplane.yaml',
    code: 'TOIDC301',
    line: 8,
    reason: NO_BINDING_SAVED,
  },
  {
    file: '06-azuki774-mistship-bootstrap/patches__controlplane.yaml',
    code: 'TOIDC108',
    line: 9,
    reason: 'email username claim with Auth0 (database users unverified until they confirm)',
  },
  {
    file: '07-MatherlyNet-talos-cluster/talos__patches__controller__cluster.yaml',
    code: 'TOIDC108',
    line: 15,
    reason: 'email username claim with Keycloak (per-user "Email verified" switch)',
  },
  {
    file: '09-Subbeh-home-ops/kubernetes__talos__machineconfig.yaml.j2',
    code: 'TOIDC004',
    line: 140,
    reason: 'Jinja {{ google_oauth_client_id }} as the client ID: rendered by Ansible, cannot be checked',
  },
  { file: '10-jfroy-flatops/talos__talconfig.yaml', code: 'TOIDC301', line: 358, reason: NO_BINDING_SAVED },
  {
    file: '10-jfroy-flatops/talos__talconfig.yaml',
    code: 'TOIDC108',
    line: 359,
    reason: 'inline patch: email username claim with Pocket-ID',
  },
  {
    file: '11-vrozaksen-home-ops/talos__patches__controller__cluster.yaml',
    code: 'TOIDC109',
    line: 14,
    reason: 'no username prefix (info)',
  },
  {
    file: '11-vrozaksen-home-ops/talos__patches__controller__cluster.yaml',
    code: 'TOIDC111',
    line: 15,
    reason: 'groups claim without groups prefix',
  },
  {
    file: '11-vrozaksen-home-ops/kubernetes__core__flux-system__headlamp__rbac.yaml',
    code: 'TOIDC303',
    line: 45,
    reason: 'cluster-admin for the group `admin` while groups arrive unprefixed',
  },
  {
    file: '13-1activegeek-home-ops/talos__patches__controller__cluster.yaml',
    code: 'TOIDC004',
    line: 15,
    reason: 'issuer with ${SECRET_DOMAIN}: substituted before Talos, not checkable (it used to be a TOIDC201 error)',
  },
  {
    file: '13-1activegeek-home-ops/talos__patches__controller__cluster.yaml',
    code: 'TOIDC108',
    line: 17,
    reason: 'email username claim with authentik, whose default email mapping sends email_verified: false',
  },
  {
    file: '13-1activegeek-home-ops/talos__patches__controller__cluster.yaml',
    code: 'TOIDC111',
    line: 18,
    reason: 'groups claim without groups prefix',
  },
  { file: '14-Mafyuh-iac/kubernetes__talos__talconfig.yaml', code: 'TOIDC301', line: 107, reason: NO_BINDING_SAVED },
  {
    file: '14-Mafyuh-iac/kubernetes__talos__talconfig.yaml',
    code: 'TOIDC108',
    line: 108,
    reason: 'inline patch: email username claim with authentik (email_verified false by default)',
  },
  {
    file: '15-mirceanton-home-ops/talos__talconfig.yaml',
    code: 'TOIDC109',
    line: 103,
    reason: 'inline patch: no username prefix (info)',
  },
  {
    file: '15-mirceanton-home-ops/talos__talconfig.yaml',
    code: 'TOIDC111',
    line: 104,
    reason: 'inline patch: groups claim without groups prefix',
  },
  {
    file: '15-mirceanton-home-ops/apps__flux-system__headlamp__app__cluster-role-binding.yaml',
    code: 'TOIDC303',
    line: 9,
    reason: 'cluster-admin for the generic group k8s-admins, groups unprefixed',
  },
  {
    file: '15-mirceanton-home-ops/apps__flux-system__headlamp__app__cluster-role-binding.yaml',
    code: 'TOIDC303',
    line: 23,
    reason: 'view for the generic group k8s-viewers, groups unprefixed',
  },
  {
    file: '16-DiverOfDark-homelab/talos__talconfig.yaml',
    code: 'TOIDC004',
    line: 436,
    reason: 'client ID ${HEADLAMP_OIDC_CLIENT_ID}: substituted by talhelper (envsubst), not checkable',
  },
  {
    file: '16-DiverOfDark-homelab/talos__talconfig.yaml',
    code: 'TOIDC108',
    line: 437,
    reason:
      'inline patch: email username claim (Zitadel on a custom domain, not recognisable by the issuer: generic advice)',
  },
];

/** What each file must be understood as. */
const KINDS: Record<string, FileKind> = {
  'talos__talconfig.yaml': 'talhelper',
  'kubernetes__talos__talconfig.yaml': 'talhelper',
  'talos__patches__apiserver-oidc.yaml': 'talos-json-patch',
  'kubernetes__talos__machineconfig.yaml.j2': 'talos-config',
  'setup-template__kubeconfig-oidc.yaml': 'kubeconfig',
};

interface CorpusFile {
  /** `<folder>/<file as saved>` */
  key: string;
  parsed: ParsedFile;
}

/** The corpus with each file at its path in its repository, so `@./patches/...` references resolve. */
function loadCorpus(): CorpusFile[] {
  return realWorldFiles().map((entry) => ({ key: entry.key, parsed: parseYamlFile(entry.path, entry.text) }));
}

const line = (finding: Finding) => finding.range.start.line + 1;

describe('real-world repositories (../shared/real-world)', function () {
  let corpus: CorpusFile[] = [];
  let findings: { key: string; finding: Finding }[] = [];

  before(function () {
    // The corpus is other people's files, kept beside the project (CI has it); without it there is nothing to run.
    if (!existsSync(CORPUS)) {
      console.log(`    real-world corpus not found at ${CORPUS}: suite skipped`);
      this.skip();
    }
    corpus = loadCorpus();
    const byFile = new Map(corpus.map((entry) => [entry.parsed.file, entry.key]));
    findings = checkFiles(corpus.map((entry) => entry.parsed)).map((finding) => ({
      key: byFile.get(finding.file) ?? finding.file,
      finding,
    }));
  });

  it('understands every file: a kind, no YAML problem, no check that failed', () => {
    assert.ok(corpus.length >= 30, `only ${corpus.length} files found`);
    for (const { key, parsed } of corpus) {
      assert.ok(parsed.kinds.size > 0, `${key}: not recognised`);
      assert.deepEqual(parsed.yamlProblems, [], `${key}: parse problems`);
      const expectedKind = KINDS[key.split('/')[1]];
      if (expectedKind)
        assert.ok(
          parsed.kinds.has(expectedKind),
          `${key}: expected ${expectedKind}, got ${[...parsed.kinds].join(', ')}`,
        );
      for (const embedded of parsed.embedded ?? [])
        assert.deepEqual(embedded.parsed.yamlProblems, [], `${key} ${embedded.label}: parse problems`);
    }
    assert.deepEqual(
      findings.filter(({ finding }) => finding.code === 'TOIDC000').map(({ key }) => key),
      [],
    );
  });

  it('reads talhelper inline patches and follows @file patches to the patch files of the same cluster', () => {
    const talconfig = (folder: string) =>
      corpus.find((entry) => entry.key.startsWith(folder) && entry.parsed.talhelper)!.parsed;
    // 10-jfroy: the OIDC flags are in the third controlPlane patch (a block string).
    const jfroy = talconfig('10-').embedded!.find((entry) =>
      entry.parsed.talos?.extraArgs.some((arg) => arg.name === 'oidc-issuer-url'),
    )!;
    assert.equal(jfroy.label, 'controlPlane.patches[2]');
    assert.equal(jfroy.role, 'controlPlane');
    assert.equal(identitiesOf(jfroy.parsed)[0].issuer, 'https://pid.kantai.xyz');
    // 13-1activegeek: controlPlane.patches names @./patches/controller/cluster.yaml, which is in the corpus.
    const activegeek = talconfig('13-');
    const reference = activegeek.talhelper!.references.find((entry) =>
      entry.path.endsWith('patches/controller/cluster.yaml'),
    )!;
    assert.equal(reference.role, 'controlPlane');
    assert.ok(
      corpus.some((entry) => samePath(entry.parsed.file, reference.path)),
      'the @file patch resolves to the corpus file',
    );
  });

  it('reads the AuthenticationConfiguration that machine.files writes to a host path mounted elsewhere (08)', () => {
    const patch = corpus.find((entry) => entry.key.startsWith('08-') && entry.parsed.talos)!.parsed;
    const written = patch.embedded?.find((entry) => entry.parsed.authenticationConfig);
    assert.ok(written, 'machine.files content checked as an AuthenticationConfiguration');
    assert.deepEqual(
      identitiesOf(written!.parsed).map((identity) => identity.issuer),
      ['https://sso.chelonianlabs.com/application/o/kubectl/', 'https://sso.chelonianlabs.com/application/o/headlamp/'],
    );
  });

  it('compares each kubeconfig and binding only with its own repository and names the cluster', () => {
    const kubeconfigFindings = findings.filter(({ key }) => key.includes('kubeconfig'));
    assert.deepEqual(
      kubeconfigFindings.map(({ key, finding }) => `${key} ${finding.code}`),
      [],
    );
    for (const { key, finding } of findings)
      assert.ok(
        finding.message.includes(`[cluster `) && finding.message.includes(key.split('/')[0]),
        `${key} ${finding.code}: no cluster named`,
      );
  });

  it('reports each expected finding, and nothing else', () => {
    const keyOf = (key: string, code: string, at: number) => `${key} ${code} line ${at}`;
    const actual = findings.map(({ key, finding }) => keyOf(key, finding.code, line(finding)));
    const missing = EXPECTED.filter((expected) => !actual.includes(keyOf(expected.file, expected.code, expected.line)));
    const unexpected = findings.filter(
      ({ key, finding }) =>
        !EXPECTED.some(
          (expected) => keyOf(expected.file, expected.code, expected.line) === keyOf(key, finding.code, line(finding)),
        ),
    );
    const errors = findings.filter(({ finding }) => finding.severity === 'error');
    console.log(
      `    real-world: ${corpus.length} files, ${findings.length} findings, ${EXPECTED.length - missing.length}/${EXPECTED.length} expected, ${unexpected.length} unexpected, ${errors.length} errors`,
    );
    assert.deepEqual(
      missing.map((entry) => `${keyOf(entry.file, entry.code, entry.line)} (${entry.reason})`),
      [],
      'expected findings not reported',
    );
    assert.deepEqual(
      unexpected.map(({ key, finding }) => `${keyOf(key, finding.code, line(finding))}: ${finding.message}`),
      [],
      'false alarms',
    );
    // Working repositories must not exit 1: no finding on these files is an error.
    assert.deepEqual(
      errors.map(({ key, finding }) => `${key} ${finding.code}`),
      [],
    );
  });
});
