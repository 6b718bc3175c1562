/** kubelogin's side: the kubeconfig exec user and the `kubectl oidc-login setup` command line. */
import { KUBELOGIN_DEFAULT_LISTEN_ADDRESSES, type OidcSetup } from './setup';
import { toYaml } from './yaml';

export interface ExecUserOptions {
  /** Only when the user chose a confidential client and confirmed storing the secret in plain text. */
  clientSecret?: string;
}

export interface KubeconfigExec {
  apiVersion: 'client.authentication.k8s.io/v1';
  command: string;
  args: string[];
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

/** kubelogin's `get-token`/`setup` arguments after the subcommand, defaults left out. */
export function kubeloginArgs(setup: OidcSetup, options: ExecUserOptions = {}): string[] {
  const args = [`--oidc-issuer-url=${setup.issuerUrl}`, `--oidc-client-id=${setup.clientId}`];
  if (options.clientSecret) args.push(`--oidc-client-secret=${options.clientSecret}`);
  for (const scope of setup.extraScopes) if (scope && scope !== 'openid') args.push(`--oidc-extra-scope=${scope}`);
  const listen = setup.listenAddresses ?? [];
  const isDefaultListen =
    listen.length === 0 ||
    (listen.length === KUBELOGIN_DEFAULT_LISTEN_ADDRESSES.length &&
      listen.every((address, i) => address === KUBELOGIN_DEFAULT_LISTEN_ADDRESSES[i]));
  if (!isDefaultListen) for (const address of listen) args.push(`--listen-address=${address}`);
  if (setup.clientCaFile) args.push(`--certificate-authority=${setup.clientCaFile}`);
  if (setup.pkceMethod && setup.pkceMethod !== 'auto') args.push(`--oidc-pkce-method=${setup.pkceMethod}`);
  return args;
}

/** The `user.exec` block for kubelogin (browser flow: interactiveMode Never, as kubelogin recommends). */
export function kubeconfigExec(setup: OidcSetup, options: ExecUserOptions = {}): KubeconfigExec {
  return {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'kubectl',
    args: ['oidc-login', 'get-token', ...kubeloginArgs(setup, options)],
    interactiveMode: 'Never',
  };
}

/** A kubeconfig `users` entry to paste into a kubeconfig. */
export function generateKubeconfigUser(setup: OidcSetup, name: string, options: ExecUserOptions = {}): string {
  return toYaml(
    { users: [{ name, user: { exec: kubeconfigExec(setup, options) } }] },
    {
      comment: [
        'kubeconfig user for kubelogin (kubectl oidc-login). Point a context at it:',
        `  kubectl config set-context <context> --cluster=<cluster> --user=${name}`,
      ].join('\n'),
    },
  );
}

/** POSIX shell quoting for one argument (only when needed). */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `kubectl oidc-login setup ...` command that runs a test login with the same settings. */
export function kubeloginSetupCommand(setup: OidcSetup, options: ExecUserOptions = {}): string {
  return ['kubectl', 'oidc-login', 'setup', ...kubeloginArgs(setup, options)].map(shellQuote).join(' ');
}
