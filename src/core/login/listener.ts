/**
 * The loopback listener that receives the browser's redirect, bound like kubelogin's:
 * the first free address of a list (default 127.0.0.1:8000, then 127.0.0.1:18000).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoginError } from './errors';

export const DEFAULT_LISTEN_ADDRESSES = ['127.0.0.1:8000', '127.0.0.1:18000'];

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT` or `[IPv6]:PORT`; throws LoginError('invalid-options') with the reason. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new LoginError(
      'invalid-options',
      `"${text}" is not a listen address: use HOST:PORT, e.g. 127.0.0.1:8000 ([::1]:8000 for IPv6).`,
    );
  }
  return { host: match[1] ?? match[2], port };
}

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export interface BoundListener {
  server: http.Server;
  /** Every server bound (the one above, and its twin on the other loopback family). */
  servers: http.Server[];
  address: ListenAddress;
  /** Addresses tried before this one, with why they failed. */
  skipped: { address: string; reason: string }[];
}

/** The other loopback family's address for a loopback host, if it has one. */
function twinLoopback(host: string): string[] {
  if (host === 'localhost') return ['127.0.0.1', '::1'];
  if (/^127(?:\.\d{1,3}){3}$/.test(host)) return [host, '::1'];
  if (host === '::1') return ['::1', '127.0.0.1'];
  return [host];
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Errors that mean the machine has no such address family (no IPv6): nothing can squat there. */
const FAMILY_MISSING = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT']);

/**
 * Binds the first address that works; every address failing is a LoginError('ports-busy').
 * With `bothLoopbackFamilies`, a loopback address is bound on 127.0.0.1 and ::1 alike (same
 * port): a browser resolving `localhost` to ::1 first must not hand the code to another program
 * listening there. An address whose twin is taken counts as busy.
 */
export async function listenOnFirstFree(
  addresses: readonly ListenAddress[],
  handler: http.RequestListener,
  options: { bothLoopbackFamilies?: boolean } = {},
): Promise<BoundListener> {
  const skipped: { address: string; reason: string }[] = [];
  for (const address of addresses) {
    const hosts = options.bothLoopbackFamilies ? twinLoopback(address.host) : [address.host];
    const servers: http.Server[] = [];
    let port = address.port;
    let failedOn: string | undefined;
    try {
      for (const [index, host] of hosts.entries()) {
        const server = http.createServer(handler);
        try {
          await listen(server, port, host);
        } catch (error) {
          server.close();
          const code = (error as NodeJS.ErrnoException).code;
          // The twin's family is missing on this machine: the primary alone is safe.
          if (index > 0 && code && FAMILY_MISSING.has(code)) continue;
          failedOn = host;
          throw error;
        }
        servers.push(server);
        if (index === 0) port = (server.address() as AddressInfo).port;
      }
      return { server: servers[0], servers, address: { host: address.host, port }, skipped };
    } catch (error) {
      await Promise.all(servers.map(closeServer));
      const code = (error as NodeJS.ErrnoException).code;
      let reason =
        code === 'EADDRINUSE'
          ? 'in use'
          : code === 'EACCES'
            ? 'not permitted'
            : code === 'EADDRNOTAVAIL'
              ? 'not an address of this machine'
              : (error as Error).message;
      if (failedOn !== undefined && failedOn !== address.host)
        reason += ` on ${failedOn.includes(':') ? `[${failedOn}]` : failedOn}:${port}`;
      skipped.push({ address: formatListenAddress(address), reason });
    }
  }
  const tried = skipped.map((entry) => `${entry.address} (${entry.reason})`).join(', ');
  const callbacks = addresses.map((address) => `http://localhost:${address.port}`).join(' or ');
  throw new LoginError('ports-busy', `No callback address could be opened: ${tried}.`, {
    fix: `Stop what uses one of these ports, or choose a free listen address and register its callback URL at the provider (${callbacks} for these; for Pocket-ID, http://localhost without a port matches every port).`,
    callbackUrl: addresses.length ? `http://localhost:${addresses[0].port}` : undefined,
  });
}

export async function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
