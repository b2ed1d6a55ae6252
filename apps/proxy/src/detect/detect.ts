import type { ConnectionHandler } from '../accept/listener.js';
import { type Protocol, sniff } from './sniff.js';

export interface DetectOptions {
  /** How long to wait for the first bytes; silence past it means a server-speaks-first protocol (opaque). */
  readonly timeoutMs: number;
}

/**
 * Detect stage: reads the first bytes of a connection and hands it, bytes put back, to the stage of its
 * protocol. A client that stays silent past the timeout is treated as opaque TCP (MySQL, SMTP and other
 * server-speaks-first protocols wait for the server), unless it sent part of a request line: then the HTTP/1.1
 * stage gets it and its header timeout decides. Ports listed in PROXY_OPAQUE_PORTS skip this stage entirely.
 */
export function detect(handlers: Record<Protocol, ConnectionHandler>, options: DetectOptions): ConnectionHandler {
  return (socket, accepted) => {
    let buffered: Buffer | undefined;
    let decided = false;

    const handOver = (protocol: Protocol): void => {
      decided = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.pause();
      if (buffered) socket.unshift(buffered);
      accepted.log.debug({ protocol }, 'protocol detected');
      handlers[protocol](socket, accepted, buffered);
    };
    const onData = (chunk: Buffer): void => {
      buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
      const protocol = sniff(buffered);
      if (protocol) handOver(protocol);
    };
    // A client that hangs up before saying anything conclusive leaves nothing worth forwarding.
    const onEnd = (): void => {
      if (!decided) socket.destroy();
    };
    const timer = setTimeout(() => handOver(buffered ? 'http1' : 'opaque'), options.timeoutMs);
    socket.once('close', () => clearTimeout(timer));
    socket.on('data', onData);
    socket.once('end', onEnd);
  };
}
