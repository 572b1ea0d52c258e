import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { isLoopback } from '../../shared/loopback';

/**
 * The names and addresses by which browsers may reach web mode, for the Host and Origin checks
 * (against DNS rebinding: a page of another site that gets its name pointed at the till must not
 * be served, so only the names the till was started for are). Loopback is this computer only;
 * listening on every address (0.0.0.0 or ::) means this computer's own addresses and names, as a
 * tablet on the shop's network would type them.
 */

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'] as const;

export const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';


/** A name or address as it stands in a Host header or an origin: IPv6 in brackets. */
export const hostPart = (name: string, port: number) => `${isIP(name) === 6 ? `[${name}]` : name}:${port}`;

/**
 * This computer's addresses a browser can put in a URL (no link-local IPv6: a URL cannot carry its
 * zone), and its names: the host name, and NAME.local, which tablets resolve over mDNS.
 */
function thisComputersNames(options: { ipv6: boolean }): { addresses: string[]; names: string[] } {
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && (entry.family === 'IPv4' || (options.ipv6 && !entry.address.toLowerCase().startsWith('fe80:'))))
    .map((entry) => entry.address);
  const name = hostname().toLowerCase();
  const names = name ? [name, ...(name.includes('.') ? [] : [`${name}.local`])] : [];
  return { addresses, names };
}

export interface Reach {
  /** Loopback names, always served over plain HTTP (a secure context already). */
  readonly local: readonly string[];
  /** The shop network's names and addresses, served over HTTPS only; empty when listening on loopback. */
  readonly network: readonly string[];
}

/** Who may be served, for a server started on `host` (and bound to `bound`, the address it got). */
export function reachOf(host: string, bound: string): Reach {
  // A name for this computer that stands for a loopback address (Debian's 127.0.1.1): loopback.
  if (isLoopback(host) || isLoopback(bound)) return { local: [...new Set([...LOOPBACK_NAMES, host.toLowerCase(), bound])], network: [] };
  if (isWildcard(host)) {
    const { addresses, names } = thisComputersNames({ ipv6: host === '::' });
    return { local: [...LOOPBACK_NAMES], network: [...new Set([...addresses, ...names])] };
  }
  // One address or name of this computer: that name, and the address it stands for.
  return { local: [], network: [...new Set([host.toLowerCase(), bound])] };
}

/**
 * The Host header values allowed on a connection: loopback names on a plain one (it came from this
 * computer), the network's names on one over TLS (it came from another device, or over a network
 * address of this one).
 */
export function allowedHosts(reach: Reach, port: number, secure: boolean): Set<string> {
  return new Set((secure ? reach.network : reach.local).map((name) => hostPart(name, port)));
}
