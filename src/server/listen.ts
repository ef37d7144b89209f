// Binding a listening socket, with the failures an operator meets said in terms of the setting to
// change (PORT in use, HOST unknown or not of this machine) instead of a bare errno.
import dns from 'node:dns/promises';
import type http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';

/** Where a server listens, and the names of the settings that chose it (for the messages). */
export interface ListenAt {
  host: string;
  port: number;
  hostKey: string;
  portKey: string;
}

/** Resolves HOST once, so an unknown name fails before any work starts. */
export async function checkHost(at: Pick<ListenAt, 'host' | 'hostKey'>): Promise<void> {
  if (net.isIP(at.host) !== 0) return;
  try {
    await dns.lookup(at.host);
  } catch (err) {
    throw new ConfigError(
      `${at.hostKey} "${at.host}" cannot be resolved (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'}): set it to an address of this machine, such as 127.0.0.1 or 0.0.0.0`,
    );
  }
}

function describeListenError(err: NodeJS.ErrnoException, at: ListenAt): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `${at.portKey} ${at.port} is already in use on ${at.host} (EADDRINUSE): stop the other process or choose another ${at.portKey}`,
      );
    case 'EACCES':
      return new ConfigError(
        `${at.portKey} ${at.port} needs privileges this process lacks (EACCES): choose a port above 1023`,
      );
    case 'EADDRNOTAVAIL':
      return new ConfigError(`${at.hostKey} ${at.host} is not an address of this machine (EADDRNOTAVAIL)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(
        `${at.hostKey} "${at.host}" cannot be resolved (${err.code}): set it to an address of this machine, such as 127.0.0.1 or 0.0.0.0`,
      );
    default:
      return new ConfigError(`cannot listen on ${at.hostKey} ${at.host}, ${at.portKey} ${at.port}: ${err.message}`);
  }
}

/** Listens and resolves with the port bound (PORT=0 picks a free one). */
export function listen(server: http.Server, at: ListenAt): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(describeListenError(err, at));
    server.once('error', onError).listen(at.port, at.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
