/** `talosOidc.whoAmI`: ask the API server who the OIDC user (or a token) is, and compare with the prediction. */
import * as vscode from 'vscode';
import { parseYamlFile } from '../../core/workspace/parse';
import { argumentObject, stringArg, type Command } from '../commands/commandManager';
import { kubeconfigNames } from '../kubeconfig/kubeconfigFile';
import type { ExtensionServices } from '../services';
import { COMMAND } from '../commandIds';
import {
  chooseTarget,
  predictedIdentity,
  reportClusterError,
  withProgress,
  type LazyClusterModule,
  type Target,
} from './clusterTarget';

export class WhoAmICommand implements Command {
  readonly id = COMMAND.whoAmI;
  constructor(
    private readonly services: ExtensionServices,
    private readonly load: () => LazyClusterModule,
  ) {}

  async execute(argument?: unknown) {
    const args = argumentObject(argument);
    const target = await chooseTarget(this.services, args, 'oidc');
    if (!target) return undefined;
    const token = stringArg(args, 'token');
    const predicted = predictedIdentity(this.services, args);
    const knownCauses = this.knownCauses(target, token !== undefined);
    const cluster = this.load();
    try {
      const result = await withProgress(
        token
          ? 'asking the API server who the token is…'
          : 'asking the API server who you are (kubelogin may open the browser)…',
        async () => {
          // An exec user may open a browser for the login: give it kubelogin's own 180 s and more.
          const connection = cluster.openConnection({
            kubeconfigText: target.text,
            kubeconfigPath: target.file,
            context: target.context,
            bearerToken: token,
            requestTimeoutMs: token ? 30_000 : 200_000,
          });
          return cluster.verifyOidcUser(connection, predicted?.username ? predicted : undefined, knownCauses);
        },
      );
      const lines = cluster.describeVerification(result);
      this.services.log.info(`Who am I (${target.context}):\n${lines.join('\n')}`);
      const differs = result.comparison !== undefined && !result.comparison.same;
      if (differs && !token) {
        // The API server's answer disagrees with the prediction: kubelogin's cache may hold a token
        // issued before the provider's groups changed (the usual stale-cache case).
        const clean = 'Clear kubelogin token cache';
        void vscode.window
          .showWarningMessage(
            `Talos OIDC: ${lines.join(' ')} A token cached by kubelogin before a change at the provider gives exactly this.`,
            clean,
          )
          .then((answer) => {
            if (answer === clean) void vscode.commands.executeCommand(COMMAND.cleanKubeloginCache);
          });
      } else {
        const show = differs ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        void show(`Talos OIDC: ${lines.join(' ')}`);
      }
      return {
        username: result.whoAmI?.userInfo.username,
        groups: result.whoAmI?.userInfo.groups ?? [],
        matchesPrediction: result.comparison?.same,
        differences: result.comparison?.differences ?? [],
        access: result.access.map((access) => ({ label: access.check.label, allowed: access.allowed })),
      };
    } catch (error) {
      return reportClusterError(this.services, cluster, error, 'ask the API server who the user is');
    }
  }

  /**
   * What the core already knows could make the API server refuse this user: the test login's
   * predicted rejection, and the kubeconfig checks' findings on the context's exec user.
   */
  private knownCauses(target: Target, withToken: boolean): string[] | undefined {
    const causes: string[] = [];
    const review = this.services.session.lastLogin?.review;
    if (review && review.authenticated === false && review.error)
      causes.push(`the configuration predicts a rejection: ${review.error}`);
    if (!withToken) {
      try {
        const userName = kubeconfigNames(target.text, target.file).contexts.find(
          (context) => context.name === target.context,
        )?.user;
        const parsed = parseYamlFile(target.file, target.text);
        const user = parsed.kubeconfigUsers.find((candidate) => candidate.name === userName);
        if (user) {
          const findings = this.services
            .check(parsed)
            .filter(
              (finding) =>
                finding.severity !== 'info' &&
                finding.range.startOffset >= user.range.startOffset &&
                finding.range.endOffset <= user.range.endOffset,
            );
          causes.push(...findings.map((finding) => `${finding.code}: ${finding.message}`));
        }
      } catch {
        // The checks are a bonus here; the API server's own answer is shown regardless.
      }
    }
    return causes.length > 0 ? causes : undefined;
  }
}
