import {
  generateClusterRoleBinding,
  generateExtraArgs,
  generateKubeAuthenticationConfig,
  generateKubeconfigUser,
  generatePatch,
  kubeloginSetupCommand,
  type PatchLayout,
} from '../../core/generate/index';
import { parseArgs } from '../args';
import { ExitCode, UsageError, type Command } from '../command';
import { readTextFile } from '../input';
import { SETUP_FLAGS, SETUP_FLAGS_HELP, setupFromFlags } from '../setupFlags';
import { describeIssuerUrlProblem } from '../../core/authn/issuerUrl';

const WHAT = ['extra-args', 'auth-config', 'patch', 'rbac', 'kubeconfig-user', 'setup-command'] as const;
type What = (typeof WHAT)[number];

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Print API server settings, a Talos patch, the ClusterRoleBinding or the kubeconfig user as YAML',
  usage: `Usage: talos-oidc generate <what> --issuer URL --client-id ID [options]

<what>:
  extra-args        cluster.apiServer.extraArgs with the oidc-* flags (Talos up to 1.13)
  auth-config       a Talos 1.14+ KubeAuthenticationConfig document (keeps the anonymous block)
  patch             a Talos patch file; --layout legacy|multi-document (default legacy)
  rbac              the ClusterRoleBinding for the prefixed group; --role R (default
                    cluster-admin), --binding-name N
  kubeconfig-user   a kubeconfig users entry running kubelogin; --name N (default oidc)
  setup-command     the 'kubectl oidc-login setup ...' command for a test login

Options:
${SETUP_FLAGS_HELP}
  --layout L               for patch: legacy or multi-document
  --role R                 for rbac
  --binding-name N         for rbac
  --name N                 for kubeconfig-user
Output is YAML (a shell command for setup-command) on standard output.`,
  async run(args, io) {
    const { flags, positionals, help } = parseArgs(args, {
      ...SETUP_FLAGS,
      layout: 'string',
      role: 'string',
      'binding-name': 'string',
      name: 'string',
    });
    if (help) {
      io.stdout(`${this.usage}\n`);
      return ExitCode.ok;
    }
    const what = positionals[0];
    if (!what) throw new UsageError(`say what to generate: ${WHAT.join(', ')}`);
    if (!(WHAT as readonly string[]).includes(what))
      throw new UsageError(`cannot generate '${what}' (choose one of ${WHAT.join(', ')})`);
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const caPem = flags['ca-pem'] !== undefined ? await readTextFile(flags['ca-pem'], io.cwd) : undefined;
    const setup = setupFromFlags(flags, caPem);
    // Still generated (the user may fix the URL in the output), but said plainly.
    const issuerProblem = describeIssuerUrlProblem(setup.issuerUrl);
    if (issuerProblem) io.stderr(`talos-oidc generate: warning: ${issuerProblem}\n`);
    if (setup.caFile && what === 'auth-config' && !setup.caPem) {
      io.stderr(
        'talos-oidc generate: warning: --ca-file is a flag path; KubeAuthenticationConfig embeds the PEM: use --ca-pem FILE\n',
      );
    }

    switch (what as What) {
      case 'extra-args':
        io.stdout(generateExtraArgs(setup));
        break;
      case 'auth-config':
        io.stdout(generateKubeAuthenticationConfig(setup));
        break;
      case 'patch': {
        const layout = flags.layout ?? 'legacy';
        if (layout !== 'legacy' && layout !== 'multi-document')
          throw new UsageError(`option '--layout' must be legacy or multi-document (got '${layout}')`);
        io.stdout(generatePatch(setup, layout as PatchLayout));
        break;
      }
      case 'rbac':
        io.stdout(generateClusterRoleBinding(setup, { role: flags.role, name: flags['binding-name'] }));
        break;
      case 'kubeconfig-user':
        io.stdout(generateKubeconfigUser(setup, flags.name ?? 'oidc'));
        break;
      case 'setup-command':
        io.stdout(`${kubeloginSetupCommand(setup)}\n`);
        break;
    }
    return ExitCode.ok;
  },
};
