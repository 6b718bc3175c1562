/**
 * `talosOidc.addKubeconfigUser`: add (or update) the kubelogin exec user in a kubeconfig file
 * without losing a byte of the rest. The edit and the atomic write are the core's
 * `updateKubeconfigUser`, which `talos-oidc kubeconfig set-user` uses too.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { kubeconfigExec, setupWithDefaults, type OidcSetup } from '../../core/generate/index';
import { KubeconfigUpdateError, updateKubeconfigUser } from '../../core/kubeconfig/update';
import { getPreset, isProviderId } from '../../core/providers/presets';
import {
  argumentObject,
  booleanArg,
  stringArg,
  stringListArg,
  UserError,
  type Command,
} from '../commands/commandManager';
import type { ExtensionServices } from '../services';
import { confirmedSettings, type TalosOidcSettings } from '../settings';
import { chooseKubeconfigFile, kubeconfigNames, readKubeconfig } from './kubeconfigFile';
import { COMMAND } from '../commandIds';
import { describeIssuerUrlProblem } from '../../core/authn/issuerUrl';

/**
 * The optional argument of `talosOidc.addKubeconfigUser` (palette: none; side panel, webview,
 * walkthrough: the issuer and client; scripts and tests: everything). When `userName` is given
 * the command asks nothing and uses only what the argument says.
 */
export interface AddKubeconfigUserArgument {
  issuerUrl?: string;
  clientId?: string;
  extraScopes?: string[];
  listenAddresses?: string[];
  /** kubelogin --certificate-authority: the issuer's CA on this machine. */
  caFile?: string;
  pkceMethod?: 'auto' | 'no' | 'S256';
  userName?: string;
  kubeconfigPath?: string;
  /** With `cluster`: add a context `contextName` (default `<userName>@<cluster>`) for that cluster. */
  cluster?: string;
  contextName?: string;
  useContext?: boolean;
  /** Only for a confidential client, and only together with `storeSecretInPlainText: true`. */
  clientSecret?: string;
  storeSecretInPlainText?: boolean;
}

export interface AddKubeconfigUserResult {
  file: string;
  userName: string;
  changed: boolean;
  contextName?: string;
  switchedContext: boolean;
  backupPath?: string;
}

function parseArgument(value: unknown): AddKubeconfigUserArgument {
  const args = argumentObject(value);
  const pkce = stringArg(args, 'pkceMethod');
  return {
    issuerUrl: stringArg(args, 'issuerUrl'),
    clientId: stringArg(args, 'clientId'),
    extraScopes: stringListArg(args, 'extraScopes'),
    listenAddresses: stringListArg(args, 'listenAddresses'),
    caFile: stringArg(args, 'caFile'),
    pkceMethod: pkce === 'auto' || pkce === 'no' || pkce === 'S256' ? pkce : undefined,
    userName: stringArg(args, 'userName'),
    kubeconfigPath: stringArg(args, 'kubeconfigPath'),
    cluster: stringArg(args, 'cluster'),
    contextName: stringArg(args, 'contextName'),
    useContext: booleanArg(args, 'useContext'),
    clientSecret: stringArg(args, 'clientSecret'),
    storeSecretInPlainText: booleanArg(args, 'storeSecretInPlainText'),
  };
}

export class AddKubeconfigUserCommand implements Command {
  readonly id = COMMAND.addKubeconfigUser;
  constructor(private readonly services: ExtensionServices) {}

  async execute(argument?: unknown): Promise<AddKubeconfigUserResult | undefined> {
    const args = parseArgument(argument);
    const unattended = args.userName !== undefined;
    // A workspace's choice of the kubeconfig path or listen addresses is used only once the user accepts it.
    const settings = unattended
      ? this.services.settings()
      : await confirmedSettings(this.services.context.workspaceState, ['kubeconfigPath', 'caFile', 'listenAddresses']);
    if (!settings) return undefined;

    const issuerUrl =
      args.issuerUrl ||
      settings.issuerUrl ||
      (unattended ? undefined : await askText('Issuer URL', 'https://id.example.com', describeIssuerUrlProblem));
    if (!issuerUrl) return this.missing(unattended, 'an issuer URL');
    const issuerProblem = describeIssuerUrlProblem(issuerUrl);
    if (issuerProblem) throw new UserError(issuerProblem);
    const clientId =
      args.clientId ||
      settings.clientId ||
      (unattended ? undefined : await askText('Client ID (from the provider, not a URL)', '', validateClientId));
    if (!clientId) return this.missing(unattended, 'a client ID');
    const clientIdProblem = validateClientId(clientId);
    if (clientIdProblem) throw new UserError(clientIdProblem);

    const file = await chooseKubeconfigFile(settings, {
      given: args.kubeconfigPath,
      ask: !unattended,
      title: 'Add the kubelogin user to which kubeconfig?',
    });
    if (!file) return undefined;
    const original = await readKubeconfig(file);
    const names = kubeconfigNames(original ?? '', file);

    const userName =
      args.userName ??
      (await askText(
        'Name of the kubeconfig user',
        defaultUserName(issuerUrl),
        (value) => (value.trim() ? undefined : 'A name is required'),
        names.users,
      ));
    if (!userName) return undefined;

    const clientSecret = await this.clientSecret(args, unattended, issuerUrl, clientId, file);
    if (clientSecret === null) return undefined;

    let context: { name: string; cluster: string } | undefined;
    let useContext = false;
    if (unattended) {
      if (args.cluster) context = { name: args.contextName || `${userName}@${args.cluster}`, cluster: args.cluster };
      useContext = args.useContext === true && context !== undefined;
    } else {
      const chosen = await chooseContext(names.clusters, userName, args);
      if (chosen === null) return undefined;
      context = chosen;
      if (context) {
        const answer =
          args.useContext !== undefined
            ? args.useContext
            : await askYesNo(
                `Make "${context.name}" the current context?`,
                `kubectl then uses the OIDC user by default${names.currentContext ? ` instead of "${names.currentContext}"` : ''}. Keep your admin context until the OIDC login works.`,
              );
        if (answer === undefined) return undefined;
        useContext = answer;
      }
    }

    const setup = this.setup(settings, { ...args, issuerUrl, clientId });
    const exec = kubeconfigExec(setup, { clientSecret });
    let update;
    try {
      update = await updateKubeconfigUser(file, original, { name: userName, exec, context, useContext });
    } catch (error) {
      if (error instanceof KubeconfigUpdateError) {
        // The same words as `talos-oidc kubeconfig set-user`.
        throw new UserError(`${file}: ${error.message}.`);
      }
      throw error;
    }
    const result: AddKubeconfigUserResult = {
      file,
      userName,
      changed: update.changed,
      contextName: context?.name,
      switchedContext: useContext,
      backupPath: update.backupPath,
    };
    this.services.log.info(
      `${COMMAND.addKubeconfigUser}: ${update.changed ? 'wrote' : 'no change to'} user "${userName}" in ${file}${context ? ` with context "${context.name}"` : ''}${useContext ? ' (current-context switched)' : ''}`,
    );
    if (!unattended) void this.report(result);
    return result;
  }

  private missing(unattended: boolean, what: string): undefined {
    if (unattended) throw new UserError(`Adding the kubeconfig user needs ${what} (argument or settings).`);
    return undefined;
  }

  private setup(
    settings: TalosOidcSettings,
    args: AddKubeconfigUserArgument & { issuerUrl: string; clientId: string },
  ): OidcSetup {
    // The setting adds scopes to the preset's (as its description says and the test login does);
    // replacing them would drop e.g. Pocket-ID's `groups` and leave the groups claim empty.
    const presetScopes = isProviderId(settings.provider) ? getPreset(settings.provider).scopes : [];
    const fromSettings =
      settings.extraScopes.length > 0 ? [...new Set([...presetScopes, ...settings.extraScopes])] : undefined;
    const extraScopes = args.extraScopes ?? fromSettings;
    return setupWithDefaults({
      issuerUrl: args.issuerUrl,
      clientId: args.clientId,
      provider: isProviderId(settings.provider) ? settings.provider : undefined,
      ...(extraScopes ? { extraScopes: [...extraScopes] } : {}),
      listenAddresses: args.listenAddresses ?? settings.listenAddresses,
      clientCaFile: args.caFile ?? (settings.caFile || undefined),
      pkceMethod: args.pkceMethod,
    });
  }

  /**
   * undefined: public client (no secret). null: the user cancelled. A secret only when the user
   * chose a confidential client and confirmed that it is stored in plain text.
   */
  private async clientSecret(
    args: AddKubeconfigUserArgument,
    unattended: boolean,
    issuerUrl: string,
    clientId: string,
    file: string,
  ): Promise<string | undefined | null> {
    if (unattended) {
      if (args.clientSecret === undefined) return undefined;
      if (args.storeSecretInPlainText !== true) {
        throw new UserError(
          'A client secret is written into the kubeconfig only with explicit confirmation that it is stored there in plain text (storeSecretInPlainText). A public client with PKCE needs no secret.',
        );
      }
      return args.clientSecret;
    }
    const kind = await vscode.window.showQuickPick(
      [
        {
          label: 'Public client with PKCE',
          description: 'recommended',
          detail: 'No secret in the kubeconfig: nothing to leak. In Pocket-ID, mark the client "Public client".',
          secret: false,
        },
        {
          label: 'Confidential client',
          description: 'secret stored in plain text',
          detail:
            'kubelogin needs the secret as an argument, so it is written into the kubeconfig where anyone who can read the file can use it.',
          secret: true,
        },
      ],
      { title: 'What kind of OIDC client is it?', ignoreFocusOut: true },
    );
    if (!kind) return null;
    if (!kind.secret) return undefined;
    const stored = await this.services.secrets.get(issuerUrl, clientId);
    const secret =
      args.clientSecret ??
      stored ??
      (await vscode.window.showInputBox({
        title: `Client secret for ${clientId}`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'Enter the secret, or press Escape'),
      }));
    if (!secret) return null;
    const confirm = 'Store it in plain text';
    const answer = await vscode.window.showWarningMessage(
      `The client secret will be written in plain text into ${file}.`,
      {
        modal: true,
        detail:
          'Anyone who can read that file can use the client. A public client with PKCE avoids this: consider switching the client to public at the provider instead.',
      },
      confirm,
    );
    return answer === confirm ? secret.trim() : null;
  }

  private async report(result: AddKubeconfigUserResult): Promise<void> {
    const open = 'Open file';
    const text = result.changed
      ? `Talos OIDC: user "${result.userName}" written to ${result.file}${result.contextName ? ` with context "${result.contextName}"` : ''}${result.switchedContext ? ', now the current context' : ''}.${result.backupPath ? ` Previous version kept as ${path.basename(result.backupPath)}.` : ''}`
      : `Talos OIDC: ${result.file} already has user "${result.userName}" exactly like this; nothing changed.`;
    if ((await vscode.window.showInformationMessage(text, open)) === open) {
      await vscode.window.showTextDocument(vscode.Uri.file(result.file));
    }
  }
}

/** The seed guide's mistake: the client ID set to the issuer URL. */
function validateClientId(value: string): string | undefined {
  if (!value.trim()) return 'A client ID is required';
  if (/^https?:\/\//i.test(value.trim()))
    return 'That is a URL: the client ID is the ID the provider shows for the client (Pocket-ID: a UUID)';
  return undefined;
}

function defaultUserName(issuerUrl: string): string {
  try {
    return `oidc-${new URL(issuerUrl).hostname}`;
  } catch {
    return 'oidc';
  }
}

async function askText(
  title: string,
  value: string,
  validate: (value: string) => string | undefined,
  existing: string[] = [],
): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    value,
    ignoreFocusOut: true,
    prompt:
      existing.length > 0 ? `Existing users: ${existing.join(', ')} (the same name updates that user)` : undefined,
    validateInput: validate,
  });
  return answer?.trim() || undefined;
}

async function askYesNo(title: string, detail: string): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'No, keep the current context', value: false },
      { label: 'Yes, switch', value: true },
    ],
    { title, placeHolder: detail, ignoreFocusOut: true },
  );
  return picked?.value;
}

/** undefined: no context wanted; null: cancelled. */
async function chooseContext(
  clusters: string[],
  userName: string,
  args: AddKubeconfigUserArgument,
): Promise<{ name: string; cluster: string } | undefined | null> {
  if (clusters.length === 0) return undefined;
  let cluster = args.cluster;
  if (!cluster) {
    const none = { label: 'No context', description: 'add only the user', cluster: undefined as string | undefined };
    const picked = await vscode.window.showQuickPick(
      [
        none,
        ...clusters.map((name) => ({
          label: name,
          description: 'add a context for this cluster',
          cluster: name as string | undefined,
        })),
      ],
      {
        title: 'Add a context that uses the new user?',
        ignoreFocusOut: true,
      },
    );
    if (!picked) return null;
    cluster = picked.cluster;
  }
  if (!cluster) return undefined;
  const name =
    args.contextName ??
    (await askText('Name of the context', `${userName}@${cluster}`, (value) =>
      value.trim() ? undefined : 'A name is required',
    ));
  return name ? { name, cluster } : null;
}
