import * as assert from 'node:assert/strict';
import { summarizeConfig } from '../../../../src/extension/view/configSummary';
import { parseYamlFile } from '../../../../src/core/workspace/parse';

const FLAGS =
  'version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  apiServer:\n    image: registry.k8s.io/kube-apiserver:v1.36.1\n    extraArgs:\n      oidc-issuer-url: https://flags.example.com\n      oidc-client-id: from-flags\n';
const KAC =
  'apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  jwt:\n    - issuer:\n        url: https://document.example.com\n        audiences: [from-document]\n      claimMappings:\n        username: {claim: sub, prefix: ""}\n';
const API_SERVER_DOC =
  'apiVersion: v1alpha1\nkind: KubeAPIServerConfig\nimage: registry.k8s.io/kube-apiserver:v1.37.0\n';

describe('side panel layout line follows what Talos passes to the API server', () => {
  it('flags beside a KubeAuthenticationConfig (no KubeAPIServerConfig): the flags are shown, the document marked ignored', () => {
    const summary = summarizeConfig(parseYamlFile('/ws/cp.yaml', `${FLAGS}---\n${KAC}`));
    assert.equal(summary.issuer, 'https://flags.example.com');
    assert.equal(summary.layout, 'both');
    assert.equal(summary.kubeAuthenticationConfigIgnored, true);
  });

  it('a KubeAuthenticationConfig with a KubeAPIServerConfig is what the API server gets', () => {
    const summary = summarizeConfig(
      parseYamlFile(
        '/ws/cp.yaml',
        `version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  clusterName: demo\n---\n${API_SERVER_DOC}---\n${KAC}`,
      ),
    );
    assert.equal(summary.layout, 'KubeAuthenticationConfig');
    assert.equal(summary.issuer, 'https://document.example.com');
    assert.equal(summary.kubeAuthenticationConfigIgnored, undefined);
  });

  it('a KubeAuthenticationConfig alone in a whole legacy config is shown as ignored', () => {
    const summary = summarizeConfig(
      parseYamlFile('/ws/cp.yaml', `${FLAGS.replace(/ {4}extraArgs:\n.*\n.*\n/, '')}---\n${KAC}`),
    );
    assert.equal(summary.layout, 'KubeAuthenticationConfig');
    assert.equal(summary.kubeAuthenticationConfigIgnored, true);
  });
});
