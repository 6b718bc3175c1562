import * as vscode from 'vscode';
import type { VsCodeWorkspaceModel } from '../state/workspaceModel';
import { FindingCodeActions } from './codeActions';
import type { DiagnosticsFeature } from './diagnosticsFeature';

const YAML_DOCUMENTS: vscode.DocumentSelector = [
  { language: 'yaml' },
  { pattern: '**/*.{yaml,yml}' },
  { pattern: '**/*.{yaml,yml}.j2' },
  { pattern: '**/.kube/config' },
];

export function registerCodeActions(diagnostics: DiagnosticsFeature, model: VsCodeWorkspaceModel): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    YAML_DOCUMENTS,
    new FindingCodeActions(diagnostics, model),
    FindingCodeActions.metadata,
  );
}
