/**
 * Calls `onGone` once the process `pid` no longer exists, checking every second. The launcher sets this so a
 * demo process does not outlive a launcher that was killed without a chance to clean up.
 */
export function watchParent(pid: number, onGone: () => void, intervalMs = 1000): () => void {
  const timer = setInterval(() => {
    if (isAlive(pid)) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // The watch alone must not keep the process running.
  timer.unref();
  return () => clearInterval(timer);
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 only checks existence and permission.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
