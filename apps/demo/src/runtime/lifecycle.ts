import type { Server } from 'node:http';

/** Runs `stop` once on the first SIGTERM or SIGINT; a second signal is ignored while stopping. */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    });
  }
}

/**
 * Stops accepting, lets requests in flight finish, and only cuts connections still open after `graceMs`
 * (a slow downstream must not hold shutdown forever).
 */
export function closeServer(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive connections would otherwise hold close() until their own timeout.
    server.closeIdleConnections();
  });
}

/** Resolves with the port the kernel picked when the configured port was 0. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
