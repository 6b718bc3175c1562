import * as vscode from 'vscode';
import { setupWithDefaults, DEFAULT_PREFIX, type OidcSetup, type PartialSetup } from '../../core/generate/setup';
import { PROVIDER_PRESETS, getPreset, isProviderId, type ProviderId } from '../../core/providers/presets';
import type { ParsedFile } from '../../core/workspace/types';
import { SETTINGS_SECTION } from '../settings';
import type { ExtensionServices } from '../services';
import { summarizeConfig } from '../view/configSummary';
import { stringArg, UserError } from './commandManager';
import { describeIssuerUrlProblem } from '../../core/authn/issuerUrl';

/** The setup fields a command accepts in its argument object (for buttons, scripts and tests). */
export const SETUP_ARGUMENTS = [
  'provider',
  'issuerUrl',
  'clientId',
  'usernameClaim',
  'usernamePrefix',
  'groupsClaim',
  'groupsPrefix',
  'adminGroup',
] as const;

export function isPlaceholder(value: string | undefined): boolean {
  return value !== undefined && /<[^<>]*>/.test(value);
}

function explicitlyConfigured(key: string, scope: vscode.Uri | undefined): boolean {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).inspect(key);
  return (
    inspected !== undefined &&
    [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].some(
      (value) => value !== undefined,
    )
  );
}

async function remember(key: string, value: string, scope: vscode.Uri | undefined): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  try {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).update(key, value, target);
  } catch {
    // Settings that cannot be written (read-only profile) only cost a question next time.
  }
}

export async function pickProvider(current?: string): Promise<ProviderId | undefined> {
  const items = PROVIDER_PRESETS.map((preset) => ({
    label: preset.label,
    description: preset.id === current ? 'current' : preset.id === 'pocket-id' ? 'default' : undefined,
    detail: `Issuer ${preset.issuer.pattern} · username ${preset.claims.username} · groups ${preset.claims.groups ?? 'none by default'}`,
    id: preset.id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Talos OIDC: OpenID provider',
    placeHolder: 'Which provider issues the tokens?',
    ignoreFocusOut: true,
  });
  return picked?.id;
}

/**
 * Completes the OIDC setup for a command from, in order: the command's arguments, the config
 * being edited, the settings, the provider preset; it asks only for what is still unknown
 * (issuer and client ID always have to come from somewhere) and remembers answers in settings.
 * Undefined when the user cancels.
 */
export async function resolveSetup(
  services: ExtensionServices,
  args: Record<string, unknown>,
  target: { uri?: vscode.Uri; parsed?: ParsedFile },
  options: { askClaims: boolean },
): Promise<OidcSetup | undefined> {
  const scope = target.uri;
  const settings = services.settings(scope);
  const scripted = SETUP_ARGUMENTS.some((name) => args[name] !== undefined);
  const existing = target.parsed ? summarizeConfig(target.parsed) : undefined;
  const known = (value: string | undefined) => (value === undefined || isPlaceholder(value) ? undefined : value);

  let provider =
    stringArg(args, 'provider') ??
    (explicitlyConfigured('provider', scope) || scripted ? settings.provider : undefined);
  if (provider === undefined) {
    provider = await pickProvider(settings.provider);
    if (!provider) return undefined;
    await remember('provider', provider, scope);
  }
  if (!isProviderId(provider))
    throw new UserError(
      `Unknown provider preset "${provider}"; pick one of ${PROVIDER_PRESETS.map((p) => p.id).join(', ')}.`,
    );
  const preset = getPreset(provider);

  let issuerUrl = stringArg(args, 'issuerUrl') ?? known(existing?.issuer) ?? known(settings.issuerUrl || undefined);
  if (issuerUrl === undefined) {
    issuerUrl = await vscode.window.showInputBox({
      title: `Talos OIDC: ${preset.label} issuer URL`,
      prompt: `The issuer exactly as the provider writes it in its tokens (${preset.issuer.trailingSlash ? 'with' : 'without'} a trailing slash).`,
      value: preset.issuer.pattern,
      valueSelection: [0, preset.issuer.pattern.length],
      validateInput: describeIssuerUrlProblem,
      ignoreFocusOut: true,
    });
    if (issuerUrl === undefined) return undefined;
    await remember('issuerUrl', issuerUrl, scope);
  }
  const issuerProblem = describeIssuerUrlProblem(issuerUrl);
  if (issuerProblem) throw new UserError(`Issuer "${issuerUrl}": ${issuerProblem}`);

  let clientId = stringArg(args, 'clientId') ?? known(existing?.clientId) ?? known(settings.clientId || undefined);
  if (clientId === undefined) {
    clientId = await vscode.window.showInputBox({
      title: `Talos OIDC: ${preset.label} client ID`,
      prompt: "The client ID of the OIDC client you created for kubectl (the API server's audience).",
      validateInput: (value) =>
        value.trim() === ''
          ? 'The client ID cannot be empty.'
          : isPlaceholder(value)
            ? 'Replace the <placeholder>.'
            : undefined,
      ignoreFocusOut: true,
    });
    if (clientId === undefined) return undefined;
    clientId = clientId.trim();
    await remember('clientId', clientId, scope);
  }

  const partial: PartialSetup = {
    issuerUrl,
    clientId,
    provider,
    adminGroup: stringArg(args, 'adminGroup') ?? settings.adminGroup,
    extraScopes:
      settings.extraScopes.length > 0 ? [...new Set([...preset.scopes, ...settings.extraScopes])] : undefined,
  };
  const claimArgs = ['usernameClaim', 'usernamePrefix', 'groupsClaim', 'groupsPrefix'] as const;
  for (const name of claimArgs) {
    const value = stringArg(args, name);
    if (value !== undefined) partial[name] = value;
  }
  const fromFile = existing && existing.layout !== 'none' && known(existing.usernameClaim) !== undefined;
  if (fromFile && existing) {
    partial.usernameClaim ??= existing.usernameClaim;
    if (!('usernamePrefix' in partial) && existing.writtenUsernamePrefix !== undefined)
      partial.usernamePrefix = existing.writtenUsernamePrefix;
    if (!('usernamePrefix' in partial) && existing.layout === 'extraArgs') partial.usernamePrefix = undefined;
    if (!('groupsClaim' in partial)) partial.groupsClaim = existing.groupsClaim ?? '';
    if (!('groupsPrefix' in partial) && existing.groupsPrefix !== undefined)
      partial.groupsPrefix = existing.groupsPrefix;
  } else if (options.askClaims && !scripted) {
    const customised = await askClaims(provider);
    if (!customised) return undefined;
    Object.assign(partial, customised);
  }
  const setup = setupWithDefaults(partial);
  if (setup.groupsClaim === '') setup.groupsClaim = undefined;
  return setup;
}

/** One question with the preset's recommendation first; "Customize" asks each claim and prefix. */
async function askClaims(provider: ProviderId): Promise<Partial<PartialSetup> | undefined> {
  const preset = getPreset(provider);
  const groups = preset.claims.groups;
  const defaults =
    `username ${preset.claims.username} → ${DEFAULT_PREFIX}<${preset.claims.username}>` +
    (groups ? `, groups ${groups} → ${DEFAULT_PREFIX}<group>` : ', no groups claim');
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Use the recommended claims', description: defaults, custom: false },
      { label: 'Customize claims and prefixes…', custom: true },
    ],
    { title: `Talos OIDC: claims (${preset.label})`, ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (!choice.custom) return {};
  const usernameClaim = await vscode.window.showQuickPick(
    [
      { label: preset.claims.username, description: 'recommended' },
      ...preset.claims.usernameAlternatives.map((alt) => ({ label: alt.claim, description: alt.note })),
    ],
    { title: 'Talos OIDC: username claim', ignoreFocusOut: true },
  );
  if (!usernameClaim) return undefined;
  const usernamePrefix = await vscode.window.showInputBox({
    title: 'Talos OIDC: username prefix',
    prompt: 'Prepended to every OIDC user name; empty for none.',
    value: DEFAULT_PREFIX,
    ignoreFocusOut: true,
  });
  if (usernamePrefix === undefined) return undefined;
  const groupsClaim = await vscode.window.showInputBox({
    title: 'Talos OIDC: groups claim',
    prompt: "The claim with the user's groups; empty for none.",
    value: groups ?? '',
    ignoreFocusOut: true,
  });
  if (groupsClaim === undefined) return undefined;
  let groupsPrefix: string | undefined;
  if (groupsClaim) {
    groupsPrefix = await vscode.window.showInputBox({
      title: 'Talos OIDC: groups prefix',
      prompt: 'Prepended to every group name (bindings must name the prefixed group); empty for none.',
      value: DEFAULT_PREFIX,
      ignoreFocusOut: true,
    });
    if (groupsPrefix === undefined) return undefined;
  }
  return { usernameClaim: usernameClaim.label, usernamePrefix, groupsClaim, groupsPrefix };
}
