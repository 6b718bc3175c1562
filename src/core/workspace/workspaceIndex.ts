/**
 * The parsed files of a workspace, kept current by whoever watches the files (the extension's
 * file watcher, the command line's file list). A plain class: callers compare `bindingsVersion`
 * to know whether the RBAC seen by the lockout guard changed since they last looked.
 */
import { talosAuthenticator } from '../talos/authenticator';
import type { KubeconfigExecUser, ParsedFile, RbacBinding } from './types';

export class WorkspaceIndex {
  private readonly byFile = new Map<string, ParsedFile>();
  private bindingsCounter = 0;
  private talosCounter = 0;

  /** Increases whenever a file's bindings were added, changed or removed. */
  get bindingsVersion(): number {
    return this.bindingsCounter;
  }

  /** Increases whenever what a Talos config, patch or AuthenticationConfiguration configures changed (kubeconfig and binding checks depend on it). */
  get authConfigVersion(): number {
    return this.talosCounter;
  }

  update(parsed: ParsedFile): void {
    const previous = this.byFile.get(parsed.file);
    this.byFile.set(parsed.file, parsed);
    if (!sameBindings(previous?.bindings ?? [], parsed.bindings)) this.bindingsCounter++;
    if ((configuresAuth(previous) || configuresAuth(parsed)) && authKey(previous) !== authKey(parsed))
      this.talosCounter++;
  }

  remove(file: string): void {
    const previous = this.byFile.get(file);
    if (!previous) return;
    this.byFile.delete(file);
    if (previous.bindings.length > 0) this.bindingsCounter++;
    if (configuresAuth(previous)) this.talosCounter++;
  }

  get(file: string): ParsedFile | undefined {
    return this.byFile.get(file);
  }

  files(): ParsedFile[] {
    return [...this.byFile.values()];
  }

  bindings(): RbacBinding[] {
    return this.files().flatMap((parsed) => parsed.bindings);
  }

  /** Files that configure the API server's authentication: Talos configs and patches, AuthenticationConfigurations. */
  talosConfigs(): ParsedFile[] {
    return this.files().filter(configuresAuth);
  }

  kubeconfigUsers(): { file: ParsedFile; user: KubeconfigExecUser }[] {
    return this.files().flatMap((parsed) => parsed.kubeconfigUsers.map((user) => ({ file: parsed, user })));
  }
}

/** What kubeconfig checks read from a config: its kinds, machine type and authenticator model. */
function authKey(parsed: ParsedFile | undefined): string {
  if (!parsed || !configuresAuth(parsed)) return '';
  const own = [[...parsed.kinds], parsed.talos?.machineType?.value, talosAuthenticator(parsed).model ?? null];
  // Inline talhelper patches and JSON patch values configure the API server too.
  const embedded = (parsed.embedded ?? []).map((entry) => [
    entry.label,
    entry.role,
    talosAuthenticator(entry.parsed).model ?? null,
  ]);
  return JSON.stringify([
    own,
    embedded,
    parsed.talhelper?.references.map((reference) => [reference.path, reference.role]) ?? [],
  ]);
}

function configuresAuth(parsed: ParsedFile | undefined): boolean {
  if (!parsed) return false;
  if ((parsed.embedded ?? []).length > 0 || parsed.talhelper) return true;
  return (
    parsed.kinds.has('talos-config') || parsed.kinds.has('talos-patch') || parsed.kinds.has('authentication-config')
  );
}

/** Compares what the lockout guard reads, ignoring positions (typing elsewhere in a file must not count). */
function sameBindings(a: RbacBinding[], b: RbacBinding[]): boolean {
  if (a.length !== b.length) return false;
  const key = (binding: RbacBinding) =>
    JSON.stringify([
      binding.kind,
      binding.name,
      binding.namespace,
      binding.roleRef,
      binding.subjects.map((subject) => [subject.kind, subject.name, subject.namespace]),
    ]);
  return a.every((binding, index) => key(binding) === key(b[index]));
}
