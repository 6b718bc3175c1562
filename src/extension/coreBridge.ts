/**
 * The one place where diagnostics call into the core's checks, so the settings that feed them
 * are chosen in one spot.
 */
import type { Finding } from '../core/checks/finding';
import { checkFile } from '../core/checks/index';
import type { WorkspaceIndex } from '../core/workspace/workspaceIndex';
import type { ParsedFile } from '../core/workspace/types';
import type { TalosOidcSettings } from './settings';

export function checkParsedFile(parsed: ParsedFile, index: WorkspaceIndex, settings: TalosOidcSettings): Finding[] {
  return checkFile(parsed, index, {
    adminGroup: settings.adminGroup || undefined,
    issuerUrl: settings.issuerUrl || undefined,
    clientId: settings.clientId || undefined,
    talosVersion: settings.talosVersion || undefined,
  });
}
