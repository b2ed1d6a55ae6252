import { parseEnv } from '@meshviz/runtime';
import { z } from 'zod';

/** The variables the bench reads, checked before it starts anything. */
const BenchEnv = z.object({
  /** Seconds Prometheus scrapes the synthetic mesh before the first request. */
  BENCH_FILL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).positive('must be more than 0 seconds').default(100),
  /** Timed requests per endpoint, after the warm-up ones. */
  BENCH_RUNS: z.coerce.number({ error: 'must be a whole number of runs' }).int('must be a whole number of runs').positive('must be 1 or more').default(40),
  /** Which meshes to measure, by workload count: 500 (2000 edges) and 2000 (10 000 edges). */
  BENCH_SIZES: z
    .string()
    .default('500,2000')
    .transform((v, ctx) => {
      const sizes = v.split(',').map((x) => Number(x.trim()));
      for (const n of sizes) if (n !== 500 && n !== 2000) ctx.addIssue({ code: 'custom', message: `${n} is not 500 or 2000` });
      return sizes;
    }),
  /** Mesh sizes at which Prometheus is also read through meshviz's recorded sums (the rule group's phase). */
  BENCH_RECORDED: z
    .string()
    .default('500,2000')
    .transform((v, ctx) => {
      const sizes = v === '' || v === 'none' ? [] : v.split(',').map((x) => Number(x.trim()));
      for (const n of sizes) if (n !== 500 && n !== 2000) ctx.addIssue({ code: 'custom', message: `${n} is not 500 or 2000 (or none)` });
      return sizes;
    }),
  /** Timed requests per endpoint over the 2000-workload mesh, whose topology takes seconds per request. */
  BENCH_RUNS_LARGE: z.coerce
    .number({ error: 'must be a whole number of runs' })
    .int('must be a whole number of runs')
    .positive('must be 1 or more')
    .default(10),
});
export const env = (() => {
  try {
    return parseEnv(BenchEnv, process.env);
  } catch (err) {
    process.stderr.write(`meshviz api bench: ${(err as Error).message}\n`);
    process.exit(2);
  }
})();
