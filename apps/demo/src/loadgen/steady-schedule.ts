/**
 * Fires `fire` `rate` times per second. Send k is due at start + k / rate, measured against the clock rather
 * than by chaining timers, so late timers do not accumulate into a lower rate. After a stall longer than one
 * second (a suspended laptop), the missed sends beyond one second's worth are skipped rather than burst.
 */
export function startSteadySchedule(rate: number, fire: () => void, now: () => number = performance.now.bind(performance)): () => void {
  const intervalMs = 1000 / rate;
  const maxBurst = Math.max(1, Math.ceil(rate));
  const start = now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = () => {
    if (stopped) return;
    const due = Math.floor((now() - start) / intervalMs) + 1;
    // Send k stays due at start + k * interval, so skipping keeps the spacing even.
    if (due - sent > maxBurst) sent = due - maxBurst;
    while (sent < due && !stopped) {
      sent++;
      fire();
    }
    timer = setTimeout(tick, Math.max(0, start + sent * intervalMs - now()));
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
