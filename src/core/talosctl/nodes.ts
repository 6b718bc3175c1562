/**
 * Where `talosctl` should connect: addresses found in a Talos machine config. The control-plane
 * endpoint (`cluster.controlPlane.endpoint`, e.g. `https://10.0.0.10:6443`) is often a VIP or a
 * load balancer rather than one node, and `machine.certSANs` lists names the node answers to; both
 * are suggestions the user confirms, never a silent choice.
 */
import { documentToPlain, parseYamlSource } from '../yaml/source';
import { isRecord } from '../data/record';

export interface NodeAddressCandidate {
  address: string;
  /** Where it came from, e.g. `cluster.controlPlane.endpoint`. */
  source: string;
}

/** Addresses from every v1alpha1 document of a config text, without duplicates. */
export function nodeAddressesFromConfig(text: string): NodeAddressCandidate[] {
  const found: NodeAddressCandidate[] = [];
  const seen = new Set<string>();
  const add = (address: string | undefined, source: string) => {
    if (!address || seen.has(address) || /[<>{}\s]/.test(address)) return; // placeholders are not addresses
    seen.add(address);
    found.push({ address, source });
  };
  // The bounded parse and the alias-limited conversion: one alias bomb in the workspace must
  // neither freeze the editor nor throw away the suggestions from every other config. The full
  // parse: the checks' fast path leaves out long `machine.certSANs` lists, which this reads.
  for (const document of parseYamlSource(text, { full: true }).documents) {
    if (document.errors.length > 0) continue;
    const data = documentToPlain(document);
    if (!isRecord(data)) continue;
    const cluster = isRecord(data.cluster) ? data.cluster : undefined;
    const controlPlane = cluster && isRecord(cluster.controlPlane) ? cluster.controlPlane : undefined;
    if (typeof controlPlane?.endpoint === 'string') add(hostOf(controlPlane.endpoint), 'cluster.controlPlane.endpoint');
    const machine = isRecord(data.machine) ? data.machine : undefined;
    if (Array.isArray(machine?.certSANs)) {
      for (const san of machine.certSANs) if (typeof san === 'string') add(san, 'machine.certSANs');
    }
    const apiServer = cluster && isRecord(cluster.apiServer) ? cluster.apiServer : undefined;
    if (Array.isArray(apiServer?.certSANs)) {
      for (const san of apiServer.certSANs) if (typeof san === 'string') add(san, 'cluster.apiServer.certSANs');
    }
  }
  return found;
}

/** `https://cp.example.com:6443` → `cp.example.com`; `https://[fd00::1]:6443` → `fd00::1`. */
export function hostOf(endpoint: string): string | undefined {
  try {
    const host = new URL(endpoint).hostname;
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host || undefined;
  } catch {
    return undefined;
  }
}
