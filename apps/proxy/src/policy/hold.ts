import type { ConnectionHandler } from '../accept/listener.js';
import type { PolicyState } from './state.js';

/**
 * Hold stage (inbound, right after accept): until the first policy is in force, a new connection waits for it,
 * unread (the client's bytes stay in the socket), at most `waitMs`. When the wait runs out first, the configured
 * default comes into force for this connection and every later one, which then no longer wait; a policy from the
 * control plane replaces it whenever it arrives. Once settled this stage costs one property check.
 */
export function holdForPolicy(state: PolicyState, waitMs: number, next: ConnectionHandler): ConnectionHandler {
  return (socket, accepted, first) => {
    if (state.settled) {
      next(socket, accepted, first);
      return;
    }
    accepted.log.debug('waiting for the first inbound policy');
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      state.offSettled(go);
      socket.off('close', finish);
    };
    const go = (): void => {
      if (done) return;
      finish();
      if (!socket.destroyed) next(socket, accepted, first);
    };
    const timer = setTimeout(() => {
      state.useDefault(`no policy arrived within the initial wait (${waitMs} ms)`);
      go();
    }, waitMs);
    state.onSettled(go);
    socket.once('close', finish);
  };
}
