import { kubeConfigFor } from '@meshviz/kube';
import { logDestination } from '@meshviz/runtime/log-destination';
import Fastify, { type FastifyInstance } from 'fastify';
import { type AnswerComputer, AnswerThread, inlineAnswers } from './answers/answer-thread.js';
import { type ApiConfig, DEFAULT_ANSWER_HEAP_MB } from './config.js';
import { destinationsSource, NO_DESTINATIONS } from './destinations/destinations-file.js';
import { LiveAnswers } from './live/live-answers.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { DEFAULT_ALLOWED_HOSTS, registerHostCheck } from './plugins/host-check.js';
import { registerOriginCheck } from './plugins/origin-check.js';
import { ResponseCache } from './plugins/response-cache.js';
import { NO_POD_STATUS, podStatusSource } from './pod-status/pod-status-file.js';
import { createPrometheusClient, type PrometheusClient, type PrometheusOptions, type ScrapeInterval } from './prometheus/client.js';
import { storeClient } from './prometheus/store-client.js';
import type { QueryTiming } from './prometheus/timed.js';
import { registerAuthzRoutes } from './routes/authz/index.js';
import { registerCheckRoutes } from './routes/check/index.js';
import { registerOpenApiRoute } from './routes/openapi/index.js';
import { registerRolloutRoutes } from './routes/rollouts/index.js';
import { registerRouteStatsRoutes } from './routes/route-stats/index.js';
import { registerServiceRoutes } from './routes/services/index.js';
import { registerStatsRoutes } from './routes/stats/index.js';
import { registerTapRoutes } from './routes/tap/index.js';
import { registerTimeseriesRoutes } from './routes/timeseries/index.js';
import { registerTopologyRoutes } from './routes/topology/index.js';
import { registerWorkloadRoutes } from './routes/workloads/index.js';
import { kubernetesResolver } from './tap/kubernetes-resolver.js';
import { fileResolver, prometheusResolver, type TapResolver } from './tap/resolve.js';
import type { Observe } from './tap/session.js';

export type AppConfig = Pick<ApiConfig, 'prometheusUrl' | 'prometheusTimeoutMs' | 'logLevel'> &
  Partial<
    Pick<
      ApiConfig,
      'allowedHosts' | 'prometheusAuth' | 'scrapeIntervalSeconds' | 'tap' | 'trust' | 'destinationsFile' | 'rolloutsDir' | 'podStatusFile' | 'recordedWindows' | 'liveRefreshSeconds' | 'answerWorkerHeapMb'
    >
  > & {
    /** How long a client may take to send a request head (slowloris); HEADER_TIMEOUT_MS unless a test says otherwise. */
    headerTimeoutMs?: number;
    /** How long a live answer nobody asks for is still refreshed; LIVE_IDLE_MS unless a test says otherwise. */
    liveIdleMs?: number;
    /** Milliseconds between refreshes of the live answers, below a second (tests only); else liveRefreshSeconds. */
    liveRefreshMs?: number;
    /**
     * The instant live answers are evaluated at, epoch ms; Date.now unless a test over a live store evaluates a
     * past instant whose samples have all arrived, to compare with a later call that gives it as `at`.
     */
    liveClock?: () => number;
  };

/** A request head must arrive within this; a client trickling it byte by byte is cut off (Node's default is 60 s). */
export const HEADER_TIMEOUT_MS = 10_000;

export interface BuildOptions {
  config: AppConfig;
  /** Injected in tests; built from the config otherwise. */
  prometheus?: PrometheusClient;
  /** Injected in tests: stands in for the gRPC streams to proxies. */
  tapObserve?: Observe;
  /** Told the time of every store query, the answer worker's included (the benchmark's breakdown). */
  observeQueries?: (t: QueryTiming) => void;
}

export function buildApp(options: BuildOptions): FastifyInstance {
  const { config } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      stream: logDestination(),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'],
    },
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    // Node checks pending heads every connectionsCheckingInterval: often enough that the timeout is kept to ~1 s.
    http: { headersTimeout: config.headerTimeoutMs ?? HEADER_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
  });
  const storeOptions = {
    url: config.prometheusUrl,
    timeoutMs: config.prometheusTimeoutMs,
    auth: config.prometheusAuth ?? { kind: 'none' as const },
    scrapeIntervalSeconds: config.scrapeIntervalSeconds,
  };
  const prom = storeClient(options.prometheus ?? createPrometheusClient(storeOptions), config.recordedWindows ?? [], app.log, options.observeQueries);
  const answers = answerComputer(config, storeOptions, prom, options, app);
  app.addHook('onClose', () => answers.close());
  // Answers stay fresh for half a scrape interval at most: nothing newer can exist before the next scrape.
  let ttlMs = 1000;
  const cache = new ResponseCache(() => ttlMs);
  app.addHook('onReady', async () => {
    ttlMs = await prom
      .scrapeInterval()
      // An assumed interval says nothing about when new data can arrive: keep answers for a second only.
      .then((s) => (s.source === 'assumed' ? 1000 : (s.seconds * 1000) / 2))
      .catch(() => 1000);
  });
  const live = new LiveAnswers({
    intervalMs: liveInterval(config),
    ...(config.liveIdleMs === undefined ? {} : { idleMs: config.liveIdleMs }),
    ...(config.liveClock === undefined ? {} : { clock: config.liveClock }),
  });
  app.addHook('onClose', async () => live.close());

  const destinations = config.destinationsFile ? destinationsSource(config.destinationsFile, app.log) : NO_DESTINATIONS;

  registerErrorHandler(app);
  registerHostCheck(app, config.allowedHosts ?? new RegExp(DEFAULT_ALLOWED_HOSTS));
  registerOriginCheck(app);
  app.get('/api/v1/healthz', async () => ({ ok: true }));
  const podStatus = config.podStatusFile ? podStatusSource(config.podStatusFile) : NO_POD_STATUS;
  registerStatsRoutes(app, prom, cache, podStatus, live, answers);
  registerTopologyRoutes(app, prom, cache, destinations, live, answers);
  registerTimeseriesRoutes(app, prom, cache);
  registerWorkloadRoutes(app, prom, cache, podStatus);
  registerServiceRoutes(app, prom, cache, destinations);
  registerRouteStatsRoutes(app, prom, cache, destinations);
  registerAuthzRoutes(app, prom, cache);
  registerCheckRoutes(app, prom, config.trust);
  registerRolloutRoutes(app, config.rolloutsDir);
  registerOpenApiRoute(app);
  const tap = config.tap;
  registerTapRoutes(app, {
    resolver: tapResolver(app, prom, tap),
    clientToken: tap?.clientToken,
    proxyToken: tap?.proxyToken ?? '',
    ...(options.tapObserve ? { observe: options.tapObserve } : {}),
  });
  return app;
}

/**
 * Where the stats and topology answers are computed: a worker thread (API_ANSWER_WORKER_HEAP_MB), so a whole
 * mesh's refresh does not hold up the calls the event loop serves meanwhile; on the API's own thread when it is
 * off, or when a test injects a store client, which cannot cross to another thread.
 */
function answerComputer(
  config: AppConfig,
  storeOptions: PrometheusOptions,
  prom: PrometheusClient,
  options: BuildOptions,
  app: FastifyInstance,
): AnswerComputer {
  const heapMb = config.answerWorkerHeapMb ?? DEFAULT_ANSWER_HEAP_MB;
  if (heapMb === 'off' || options.prometheus) return inlineAnswers(prom);
  return new AnswerThread({
    data: { prometheus: storeOptions, recordedWindows: config.recordedWindows ?? [], logLevel: config.logLevel, timed: options.observeQueries !== undefined },
    heapMb,
    log: app.log,
    ...(options.observeQueries ? { onTiming: options.observeQueries } : {}),
  });
}

/**
 * How often live answers (calls without `at`) are computed again: API_LIVE_REFRESH_INTERVAL, else the scrape
 * interval, when new samples can exist. None when the interval is only assumed (the store does not tell it and
 * API_SCRAPE_INTERVAL is not set): every call then computes its own, as with `at`.
 */
function liveInterval(config: AppConfig): (scrape: ScrapeInterval) => number | null {
  const set = config.liveRefreshSeconds;
  return (scrape) => {
    if (set === 'off') return null;
    if (config.liveRefreshMs !== undefined) return config.liveRefreshMs;
    if (set !== undefined) return set * 1000;
    return scrape.source === 'assumed' ? null : scrape.seconds * 1000;
  };
}

/** Where tap finds proxies: the local runtime's file, the pods Prometheus scrapes, or the cluster's pods. */
function tapResolver(app: FastifyInstance, prom: PrometheusClient, tap: AppConfig['tap']): TapResolver {
  const source = tap?.source ?? (tap?.targetsFile ? 'file' : 'prometheus');
  if (source === 'file' && tap?.targetsFile) return fileResolver(tap.targetsFile);
  if (source === 'kubernetes' && tap?.kubernetes) {
    const resolver = kubernetesResolver(kubeConfigFor(tap.kubernetes), app.log);
    app.addHook('onReady', () => resolver.start());
    app.addHook('onClose', () => resolver.stop());
    return resolver;
  }
  return prometheusResolver(prom, tap?.port ?? 4190);
}
