/** Whole fixture sets, linted together as the command line does: the exact findings. */
import * as assert from 'node:assert/strict';
import { checkFiles } from '../../../../src/core/checks';
import { fixture, summary } from './helpers';

function lint(paths: string[]) {
  const files = paths.map(fixture);
  const findings = checkFiles(files);
  return Object.fromEntries(
    files.map((file, index) => [paths[index], summary(findings.filter((finding) => finding.file === file.file))]),
  );
}

describe('fixture sets', () => {
  it('the seed guide: placeholders, the sub/prefix note, and the kubeconfig mistakes', () => {
    assert.deepEqual(lint(['guide/controlplane.yaml', 'guide/crb.yaml', 'guide/kubeconfig.yaml']), {
      'guide/controlplane.yaml': ['TOIDC003@22:29-22:47', 'TOIDC003@23:28-23:54', 'TOIDC109@24:33-24:36'],
      // The guide's binding names the prefixed group, so the lockout guard is satisfied.
      'guide/crb.yaml': [],
      'guide/kubeconfig.yaml': [
        'TOIDC410@23:8-23:18',
        'TOIDC003@25:26-25:41',
        'TOIDC401@26:25-26:40',
        'TOIDC402@27:29-27:44',
        'TOIDC408@31:25-31:39',
      ],
    });
  });

  it('a correct legacy config with its binding and kubeconfig is clean', () => {
    assert.deepEqual(lint(['legacy/controlplane.yaml', 'legacy/crb.yaml', 'legacy/kubeconfig.yaml']), {
      'legacy/controlplane.yaml': [],
      'legacy/crb.yaml': [],
      'legacy/kubeconfig.yaml': [],
    });
  });

  it('a correct Talos 1.14 multi-document config with a List of bindings is clean', () => {
    assert.deepEqual(lint(['multidoc/controlplane.yaml', 'multidoc/rbac.yaml', 'legacy/kubeconfig.yaml']), {
      'multidoc/controlplane.yaml': [],
      'multidoc/rbac.yaml': [],
      'legacy/kubeconfig.yaml': [],
    });
  });

  it('the patches: email claim, lost anonymous block, and no binding', () => {
    assert.deepEqual(lint(['patches/oidc.yaml', 'patches/auth-1.14.yaml']), {
      'patches/oidc.yaml': ['TOIDC301@4:6-4:21', 'TOIDC108@6:27-6:32'],
      'patches/auth-1.14.yaml': ['TOIDC114@2:0-2:13', 'TOIDC301@5:13-5:35'],
    });
  });

  it('with the binding beside them, the patches no longer risk a lockout', () => {
    const result = lint(['patches/oidc.yaml', 'patches/auth-1.14.yaml', 'legacy/crb.yaml']);
    assert.deepEqual(result['patches/oidc.yaml'], ['TOIDC108@6:27-6:32']);
    assert.deepEqual(result['patches/auth-1.14.yaml'], ['TOIDC114@2:0-2:13']);
  });

  it('a worker config: one finding, that it has no effect', () => {
    assert.deepEqual(lint(['misc/worker.yaml']), { 'misc/worker.yaml': ['TOIDC113@11:6-11:21'] });
  });

  it('a Deployment and a compose file yield nothing, even with OIDC-looking values', () => {
    assert.deepEqual(lint(['misc/deployment.yaml', 'misc/compose.yaml', 'guide/controlplane.yaml']), {
      'misc/deployment.yaml': [],
      'misc/compose.yaml': [],
      'guide/controlplane.yaml': [
        'TOIDC301@22:12-22:27',
        'TOIDC003@22:29-22:47',
        'TOIDC003@23:28-23:54',
        'TOIDC109@24:33-24:36',
      ],
    });
  });
});
