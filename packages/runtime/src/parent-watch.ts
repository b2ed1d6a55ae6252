/**
 * Calls `onGone` once the process `pid` no longer exists. The local runtime gives each process it starts its own
 * pid (PROXY_PARENT_PID, CONTROL_PARENT_PID, …) so none outlives it, even when it is killed without cleaning up.
 * The timer does not keep the process alive by itself.
 */
export function watchParent(pid: number, onGone: () => void, intervalMs = 1_000): () => void {
  const timer = setInterval(() => {
    if (processExists(pid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether a process `pid` exists on this machine (it may belong to another user). */
export function processExists(pid: number): boolean {
  try {
    // Signal 0 checks existence without sending anything.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
