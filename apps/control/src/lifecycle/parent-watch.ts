/**
 * Calls `onGone` once the process `pid` no longer exists. The local runtime sets CONTROL_PARENT_PID so the
 * control plane never outlives the runtime that started it, even when the runtime is killed without cleaning up.
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

function processExists(pid: number): boolean {
  try {
    // Signal 0 checks existence without sending anything.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
