import { PROXY_ERROR_HEADER, TLS_STATUS } from '@meshviz/mesh-types';
import type { ExchangeEnd, ExchangeListener } from '../core/exchange-events.js';
import type { Destination, HttpTarget, ProxyRequest, ProxyResponse } from '../core/stage.js';
import { exchangeTls } from '../core/tls-status.js';
import { refusalReason } from '../policy/decision.js';
import type { ProxyIdentity, WireAuthz, WireTapEvent } from './events.js';
import { countBytes, peers, requestView } from './exchange-view.js';
import type { ExchangeFacts } from './match.js';
import type { HeaderRedactor } from './redact.js';
import type { Subscription } from './subscription.js';
import { WallClock } from './wall-clock.js';

const wallClock = new WallClock();

/** What an exchange tap needs from the hub that made it (the hub implements it; defined here so tap/ has no cycle). */
export interface ExchangeTapHub {
  readonly identity: ProxyIdentity;
  readonly redact: HeaderRedactor;
  readonly log: { error(fields: object, message: string): void } | undefined;
  admit(facts: ExchangeFacts, now: number): Subscription[] | undefined;
  nextId(): string;
}

type EventBase = Pick<WireTapEvent, 'id' | 'direction' | 'source' | 'destination' | 'tls' | 'noTlsReason' | 'authz'>;

/**
 * Follows one exchange while someone taps. Matching waits for the response (or the proxy's own answer) because
 * outbound filters and peers need the endpoint the balancer chose; request_init still carries the time the
 * request arrived. Tap must never change the exchange, so its own failures are logged and go no further.
 */
export class ExchangeTap implements ExchangeListener {
  private subscribers: Subscription[] | undefined;
  private base: EventBase | undefined;
  private responseSinceMs = 0;
  /** The proxy answered itself: response_init waits for onEnd, which names the error for its header. */
  private pendingAnswer = false;
  private bytes: { bytes: number } | undefined;

  constructor(
    private readonly hub: ExchangeTapHub,
    private readonly target: HttpTarget,
    private readonly request: ProxyRequest,
  ) {}

  onResponse(
    response: ProxyResponse | undefined,
    _status: number | null,
    sinceRequestMs: number,
    destination: Destination | undefined,
  ): void {
    this.guarded(() => {
      // A failure names the endpoint it failed on (e.g. connect_refused), so filters and peers see it too.
      if (!this.begin(destination, performance.now())) return;
      this.responseSinceMs = sinceRequestMs;
      if (!response) {
        this.pendingAnswer = true;
        return;
      }
      this.bytes = countBytes(response.body);
      this.send({
        responseInit: { status: response.status, headers: this.hub.redact(response.headers), sinceRequestInitMs: sinceRequestMs },
      });
    });
  }

  onEnd(end: ExchangeEnd): void {
    this.guarded(() => {
      if (!this.subscribers) return;
      if (this.pendingAnswer) {
        // Status 0: the client had left and nothing was answered.
        const headers = end.status !== null && end.error ? [{ name: PROXY_ERROR_HEADER, value: end.error }] : [];
        this.send({ responseInit: { status: end.status ?? 0, headers, sinceRequestInitMs: this.responseSinceMs } });
      }
      this.send({
        responseEnd: {
          grpcStatus: end.grpcStatus ?? -1,
          reset: end.error ?? '',
          responseBytes: this.bytes?.bytes ?? 0,
          sinceRequestInitMs: end.sinceRequestMs,
          sinceResponseInitMs: Math.max(0, end.sinceRequestMs - this.responseSinceMs),
        },
      });
    });
  }

  /** Matches the exchange against every subscriber and sends request_init to those that take it. */
  private begin(destination: Destination | undefined, now: number): boolean {
    const { hub, target, request } = this;
    const view = requestView(target, request);
    const tls = exchangeTls(target, destination);
    const ends = peers(hub.identity, target.direction, request.peer, destination, tls);
    this.subscribers = hub.admit({ ...view, direction: target.direction, destination: ends.destination }, now);
    if (!this.subscribers) return false;
    const tlsFields = tls.secured ? { tls: TLS_STATUS.secured, noTlsReason: '' } : { tls: TLS_STATUS.none, noTlsReason: tls.reason };
    this.base = { id: hub.nextId(), direction: target.direction, ...ends, ...tlsFields, ...this.authz() };
    this.send({
      requestInit: {
        method: view.method,
        scheme: view.scheme,
        authority: view.authority,
        path: view.path,
        headers: hub.redact(request.headers),
        timestampMs: wallClock.at(request.receivedAt),
      },
    });
    return true;
  }

  /** Inbound: the policy's decision as tap shows it, with the reason for a refusal. */
  private authz(): { authz?: WireAuthz } {
    const decision = this.target.authz;
    if (!decision) return {};
    const denied = decision.outcome !== 'allow';
    return {
      authz: {
        denied,
        server: decision.server,
        route: decision.route,
        authorization: decision.authorization ?? '',
        reason: denied ? refusalReason(decision, this.target.tls, this.request.peer) : '',
      },
    };
  }

  private send(part: Omit<WireTapEvent, keyof EventBase>): void {
    if (!this.base || !this.subscribers) return;
    const event: WireTapEvent = { ...this.base, ...part };
    for (const subscriber of this.subscribers) subscriber.send(event);
  }

  private guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.hub.log?.error({ err: error }, 'tap failed to publish an exchange');
    }
  }
}
