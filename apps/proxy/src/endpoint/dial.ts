import net, { type Socket } from 'node:net';
import { ProxyError } from '../errors/proxy-error.js';
import type { HostPort } from '../host-port.js';

/**
 * Opens a TCP connection for the HTTP/2 pool and opaque tunnels, failing it with connect_timeout when it is not
 * established in time (the OS would wait minutes). Half-open is allowed so a tunnel can relay each side's FIN.
 */
export function dial(addr: HostPort, connectTimeoutMs: number): Socket {
  const socket = net.connect({ host: addr.host, port: addr.port, noDelay: true, allowHalfOpen: true });
  const timer = setTimeout(() => socket.destroy(new ProxyError('connect_timeout')), connectTimeoutMs);
  const clear = (): void => clearTimeout(timer);
  socket.once('connect', clear);
  socket.once('close', clear);
  return socket;
}
