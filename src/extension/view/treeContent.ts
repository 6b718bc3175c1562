/**
 * What the side panel's rows say: each config with its settings, problems, bindings, kubeconfig
 * users and last test login, and the kubelogin row. Its own bundle (dist/lazy-view.js), loaded
 * the first time the panel is drawn, so activation does not carry it; the provider that owns the
 * view and its listeners is workspaceTree.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KubeloginStatus } from '../../core/kubelogin/detect';
import type { SourceRange } from '../../core/text/range';
import { hostRange } from '../../core/workspace/embedded';
import type { EmbeddedFile, ParsedFile } from '../../core/workspace/types';
import type { ExtensionServices } from '../services';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { bindingsForIdentity, summarizeConfig, type ConfigSummary, type SummaryField } from './configSummary';
import { kubeloginNode } from './kubeloginNode';
import type { ViewNode } from './viewNode';

/** What the rows are made from: the window's services, the workspace, kubelogin as last detected. */
export interface TreeContentInput {
  services: ExtensionServices;
  model: VsCodeWorkspaceModel;
  kubelogin: KubeloginStatus | undefined;
}

/** The top-level rows. */
export function workspaceTreeRoots(input: TreeContentInput): ViewNode[] {
  const configs = input.model.authConfigs().map((parsed) => configNode(input, parsed));
  // OIDC settings inside a talconfig.yaml patch or a JSON patch: shown with the file that holds them.
  for (const host of input.model.all()) {
    for (const entry of host.embedded ?? []) {
      if (summarizeConfig(entry.parsed).layout === 'none') continue;
      configs.push(configNode(input, entry.parsed, { host, entry }));
    }
  }
  // Without any config the view stays empty, so its welcome content (how to start) shows.
  if (configs.length === 0 && input.model.index.kubeconfigUsers().length === 0) return configs;
  return [...configs, kubeloginNode(input.kubelogin, process.platform, process.arch)];
}

function configNode(
  input: TreeContentInput,
  parsed: ParsedFile,
  embedded?: { host: ParsedFile; entry: EmbeddedFile },
): ViewNode {
  const file = embedded ? embedded.host.file : parsed.file;
  const uri = input.model.uriOf(file) ?? vscode.Uri.file(file);
  const summary = summarizeConfig(parsed);
  if (embedded) {
    // The summary's ranges are in the embedded text: place them in the file the user opens.
    for (const field of Object.keys(summary.ranges) as SummaryField[]) {
      const range = summary.ranges[field];
      if (range) summary.ranges[field] = hostRange(embedded.host, embedded.entry, range);
    }
  }
  const problems = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'talos-oidc');
  const settings = input.services.settings(uri);
  const id = parsed.file;
  const setting = (
    field: SummaryField,
    label: string,
    value: string | undefined,
    icon: string,
    fallback: string,
  ): ViewNode => ({
    id: `${id}#${field}`,
    label,
    description: value === undefined ? fallback : value === '' ? '(none)' : value,
    tooltip: value,
    icon: new vscode.ThemeIcon(icon),
    location: { uri, range: summary.ranges[field] },
  });
  const children: ViewNode[] = [
    setting('issuer', 'Issuer', summary.issuer, 'globe', 'not set'),
    setting('clientId', 'Client ID', summary.clientId, 'key', 'not set'),
    setting('usernameClaim', 'Username claim', summary.usernameClaim, 'person', 'not set'),
    setting('usernamePrefix', 'Username prefix', summary.usernamePrefix, 'symbol-string', 'not set'),
    setting('groupsClaim', 'Groups claim', summary.groupsClaim, 'organization', 'not set: no groups'),
    setting('groupsPrefix', 'Groups prefix', summary.groupsPrefix, 'symbol-string', 'not set'),
    {
      id: `${id}#layout`,
      label: 'Layout',
      description: describeLayout(summary) + (summary.machineType ? ` · ${summary.machineType}` : ''),
      icon: new vscode.ThemeIcon('layers'),
      location: { uri },
    },
    {
      id: `${id}#problems`,
      label: 'Problems',
      description: problems.length === 0 ? 'none' : String(problems.length),
      icon: new vscode.ThemeIcon(
        problems.some((d) => d.severity === vscode.DiagnosticSeverity.Error)
          ? 'error'
          : problems.length > 0
            ? 'warning'
            : 'pass',
      ),
      location: problems.length > 0 ? { uri, range: fromVsRange(problems[0].range) } : { uri },
    },
    bindingsNode(input, id, uri, summary, settings.adminGroup),
    kubeconfigNode(input, id, summary),
    loginNode(input, id, parsed, summary),
  ];
  return {
    id,
    label: embedded ? `${path.basename(file)} › ${embedded.entry.label}` : path.basename(file),
    description: `${describeLayout(summary)} · ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    tooltip: file,
    icon: new vscode.ThemeIcon('file-code'),
    contextValue: 'talosOidc.config',
    location: { uri },
    children,
    expanded: true,
  };
}

function bindingsNode(
  input: TreeContentInput,
  id: string,
  configUri: vscode.Uri,
  summary: ConfigSummary,
  adminGroup: string,
): ViewNode {
  const matching = bindingsForIdentity(summary, input.model.index.bindings(), adminGroup);
  const expected = summary.groupsClaim ? `${summary.groupsPrefix ?? ''}${adminGroup}` : undefined;
  const children: ViewNode[] = matching.map((binding) => {
    const uri = input.model.uriOf(binding.file) ?? vscode.Uri.file(binding.file);
    return {
      id: `${id}#binding:${binding.file}:${binding.kind}:${binding.namespace ?? ''}:${binding.name}`,
      label: binding.name,
      description: `${binding.roleRef.kind} ${binding.roleRef.name} → ${binding.subjects.map((s) => s.name).join(', ')}`,
      tooltip: `${binding.kind} in ${binding.file}`,
      icon: new vscode.ThemeIcon('shield'),
      location: { uri, range: binding.range },
    };
  });
  if (children.length === 0) {
    children.push({
      id: `${id}#binding:none`,
      label: 'No binding for this identity',
      description: expected ? `create one for ${expected} before applying` : 'create one before applying',
      tooltip:
        'Without a binding the OIDC users can log in but may do nothing; create it before you switch the API server over, or you can lock yourself out.',
      icon: new vscode.ThemeIcon('warning'),
      contextValue: 'talosOidc.missingBinding',
      configUri: configUri.toString(),
    });
  }
  return {
    id: `${id}#bindings`,
    label: 'Bindings',
    description: String(matching.length),
    icon: new vscode.ThemeIcon('shield'),
    contextValue: 'talosOidc.bindings',
    configUri: configUri.toString(),
    children,
    expanded: matching.length === 0,
  };
}

function kubeconfigNode(input: TreeContentInput, id: string, summary: ConfigSummary): ViewNode {
  const users = input.model.index
    .kubeconfigUsers()
    .filter(({ user }) => summary.issuer !== undefined && user.kubelogin?.issuerUrl === summary.issuer);
  const children: ViewNode[] = users.map(({ file, user }) => ({
    id: `${id}#user:${file.file}:${user.name}`,
    label: user.name,
    description: `${path.basename(file.file)} · client ${user.kubelogin?.clientId ?? '?'}`,
    tooltip: file.file,
    icon: new vscode.ThemeIcon('account'),
    location: { uri: input.model.uriOf(file.file) ?? vscode.Uri.file(file.file), range: user.range },
  }));
  if (children.length === 0) {
    children.push({
      id: `${id}#user:none`,
      label: 'No kubeconfig user for this issuer in the workspace',
      icon: new vscode.ThemeIcon('info'),
      contextValue: 'talosOidc.missingKubeconfigUser',
    });
  }
  return {
    id: `${id}#users`,
    label: 'Kubeconfig users',
    description: String(users.length),
    icon: new vscode.ThemeIcon('account'),
    contextValue: 'talosOidc.kubeconfigUsers',
    children,
  };
}

function loginNode(input: TreeContentInput, id: string, parsed: ParsedFile, summary: ConfigSummary): ViewNode {
  const last = input.services.session.lastLogin;
  const applies =
    last && (last.configFile === parsed.file || (last.configFile === undefined && last.issuerUrl === summary.issuer));
  if (!last || !applies) {
    return {
      id: `${id}#login`,
      label: 'Test login',
      description: 'not run in this window',
      icon: new vscode.ThemeIcon('circle-outline'),
      contextValue: 'talosOidc.login',
    };
  }
  const review = last.review;
  const when = new Date(last.at).toLocaleTimeString();
  const description =
    review.authenticated === true
      ? `accepted as ${review.username ?? '?'}${review.groups.length ? ` in ${review.groups.join(', ')}` : ''}`
      : review.authenticated === false
        ? `rejected: ${review.error ?? 'unknown reason'}`
        : `cannot predict: ${review.error ?? ''}`;
  return {
    id: `${id}#login`,
    label: 'Test login',
    description: `${description} (${when})`,
    tooltip: description,
    icon: new vscode.ThemeIcon(
      review.authenticated === true ? 'pass' : review.authenticated === false ? 'error' : 'question',
    ),
    contextValue: 'talosOidc.login',
  };
}

function describeLayout(summary: ConfigSummary): string {
  const ignored = ' (KubeAuthenticationConfig ignored by Talos: no KubeAPIServerConfig)';
  switch (summary.layout) {
    case 'extraArgs':
      return 'extraArgs';
    case 'KubeAuthenticationConfig':
      return summary.kubeAuthenticationConfigIgnored ? `no OIDC settings in use${ignored}` : 'KubeAuthenticationConfig';
    case 'AuthenticationConfiguration':
      return 'AuthenticationConfiguration';
    case 'both':
      return summary.kubeAuthenticationConfigIgnored ? `extraArgs${ignored}` : 'extraArgs + KubeAuthenticationConfig';
    case 'none':
      return 'no OIDC settings';
  }
}

function fromVsRange(range: vscode.Range): SourceRange {
  // The tree only needs line/character to place the cursor; offsets are not used for display.
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
    startOffset: 0,
    endOffset: 0,
  };
}
