/** Talos config patches (legacy `extraArgs` or a `KubeAuthenticationConfig` document). */
import { Scalar } from 'yaml';
import { getPreset } from '../providers/presets';
import { authenticationConfiguration, signingAlgsComment } from './authenticationConfig';
import { extraArgsObject, QUOTED_FLAG_KEYS } from './extraArgs';
import type { OidcSetup } from './setup';
import { toYaml } from './yaml';

export type PatchLayout = 'legacy' | 'multi-document';

/** A strategic-merge patch for `talosctl patch machineconfig -p @patch.yaml` / `--config-patch`. */
export function generatePatch(setup: OidcSetup, layout: PatchLayout): string {
  const usage = [
    `Talos config patch: OIDC login for kube-apiserver (${getPreset(setup.provider).label}).`,
    'Create the ClusterRoleBinding first, then apply to every control-plane node:',
    '  talosctl patch machineconfig -n <node> -p @<this file> --dry-run',
    '  talosctl patch machineconfig -n <node> -p @<this file>',
  ];
  if (layout === 'legacy') {
    const apiServer: Record<string, unknown> = { extraArgs: extraArgsObject(setup) };
    const patch: Record<string, unknown> = { cluster: { apiServer } };
    const notes = [
      'Layout: cluster.apiServer.extraArgs, for configs made by Talos 1.13 or earlier (also after an upgrade to 1.14).',
      "Talos rejects it on a config that has a KubeAPIServerConfig document (made by Talos 1.14's gen config).",
    ];
    if (setup.caFile) {
      // The API server runs in a container: the CA file must be mounted, and written on the node.
      const directory = setup.caFile.slice(0, setup.caFile.lastIndexOf('/')) || '/';
      apiServer.extraVolumes = [{ hostPath: directory, mountPath: directory, readonly: true }];
      if (setup.caPem) {
        const permissions = new Scalar(0o644);
        permissions.format = 'OCT';
        patch.machine = {
          files: [
            {
              content: setup.caPem.endsWith('\n') ? setup.caPem : `${setup.caPem}\n`,
              permissions,
              path: setup.caFile,
              op: 'create',
            },
          ],
        };
      } else {
        notes.push(
          `Write ${setup.caFile} on each control-plane node (a machine.files entry with the issuer's CA PEM).`,
        );
      }
    }
    return toYaml(patch, { quotedKeys: QUOTED_FLAG_KEYS, comment: [...usage, ...notes].join('\n') });
  }
  const algs = signingAlgsComment(setup);
  return toYaml(
    { apiVersion: 'v1alpha1', kind: 'KubeAuthenticationConfig', configuration: authenticationConfiguration(setup) },
    {
      quotedKeys: QUOTED_FLAG_KEYS,
      comment: [
        ...usage,
        'Layout: Talos 1.14+ (KubeAuthenticationConfig). Talos reads it only on configs with a KubeAPIServerConfig',
        "document (made by Talos 1.14's gen config); on a config made by 1.13 or earlier it is added and ignored.",
        'The patch replaces `configuration` whole,',
        "so it repeats Talos's default anonymous block; add any other jwt issuers you already have.",
        ...(algs ? [algs] : []),
      ].join('\n'),
    },
  );
}
