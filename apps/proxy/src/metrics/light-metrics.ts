import type { Metric, Registry } from 'prom-client';
import type { Labels } from './children.js';

/**
 * Counters and histograms for the per-request families. prom-client hashes the label set on every inc() and
 * observe(), even through a bound child, which cost ~5 % of the proxy's CPU under load. Here a child is a plain
 * object whose numbers the hot path bumps; labels are looked at only when a child is created, removed or
 * exposed. The Registry formats them exactly like its own metrics (it only calls get()).
 */
interface Exposed {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

interface Options {
  readonly name: string;
  readonly help: string;
  readonly registers: readonly Registry[];
  /** Called before each exposition, to bring values up to date (e.g. bytes of open connections). */
  readonly collect?: () => void;
}

/** Children by their label set; the key is built once per child, not per update. */
abstract class LightMetric<C extends { readonly labels: Labels }> {
  readonly name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected readonly children = new Map<string, C>();
  private readonly collectFn: (() => void) | undefined;

  constructor(options: Options) {
    this.name = options.name;
    this.help = options.help;
    this.collectFn = options.collect;
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  labels(labels: Labels): C {
    const key = keyOf(labels);
    let child = this.children.get(key);
    if (!child) {
      child = this.create(labels);
      this.children.set(key, child);
    }
    return child;
  }

  remove(labels: Labels): void {
    this.children.delete(keyOf(labels));
  }

  reset(): void {
    this.children.clear();
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: Exposed[] } {
    this.collectFn?.();
    const values: Exposed[] = [];
    for (const child of this.children.values()) this.expose(child, values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  protected abstract create(labels: Labels): C;
  protected abstract expose(child: C, into: Exposed[]): void;
}

export class CounterChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class LightCounter extends LightMetric<CounterChild> {
  readonly type = 'counter';

  /** Adds to one label set without keeping a child around (rare updates, e.g. per closed connection). */
  inc(labels: Labels, amount = 1): void {
    this.labels(labels).inc(amount);
  }

  protected create(labels: Labels): CounterChild {
    return new CounterChild(labels);
  }

  protected expose(child: CounterChild, into: Exposed[]): void {
    into.push({ value: child.value, labels: child.labels });
  }
}

export class HistogramChild {
  /** Observations per bucket, not cumulative; the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  observe(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class LightHistogram extends LightMetric<HistogramChild> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  constructor(options: Options & { readonly buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    this.labels(labels).observe(value);
  }

  protected create(labels: Labels): HistogramChild {
    return new HistogramChild(labels, this.bounds);
  }

  protected expose(child: HistogramChild, into: Exposed[]): void {
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += child.counts[i]!;
      into.push({ value: cumulative, labels: { ...child.labels, le: String(le) }, metricName: bucket });
    });
    into.push({ value: child.count, labels: { ...child.labels, le: '+Inf' }, metricName: bucket });
    into.push({ value: child.sum, labels: child.labels, metricName: `${this.name}_sum` });
    into.push({ value: child.count, labels: child.labels, metricName: `${this.name}_count` });
  }
}

/** Label sets are small; a sorted join is a stable identity for them. */
function keyOf(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
}

export class GaugeChild extends CounterChild {
  dec(amount = 1): void {
    this.value -= amount;
  }
}

export class LightGauge extends LightMetric<GaugeChild> {
  readonly type = 'gauge';

  inc(labels: Labels, amount = 1): void {
    this.labels(labels).inc(amount);
  }

  dec(labels: Labels, amount = 1): void {
    this.labels(labels).dec(amount);
  }

  protected create(labels: Labels): GaugeChild {
    return new GaugeChild(labels);
  }

  protected expose(child: GaugeChild, into: Exposed[]): void {
    into.push({ value: child.value, labels: child.labels });
  }
}
