/**
 * Tells the inner stages that the client went away. An AbortController per request would do, but it is an
 * EventTarget and showed up at ~3 % of the proxy's CPU under load; the stages need only "has it happened", "why",
 * and one or two callbacks.
 */
export class ExchangeSignal {
  aborted = false;
  reason: Error | undefined = undefined;
  private listeners: (() => void)[] | undefined;

  /** Calls `fn` once, when the exchange is aborted (never if it already was: check `aborted` first). */
  onAbort(fn: () => void): void {
    if (this.listeners) this.listeners.push(fn);
    else this.listeners = [fn];
  }

  offAbort(fn: () => void): void {
    const list = this.listeners;
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const list = this.listeners;
    this.listeners = undefined;
    if (list) for (const fn of list) fn();
  }
}
