import { z } from 'zod';

/**
 * How many cases each fuzz target tries. `npm test` runs the fixed default, which takes seconds;
 * `npm run fuzz:long` raises it (HARDENING_FUZZ_RUNS). The seed is fixed unless HARDENING_FUZZ_SEED is set, so a
 * failure in CI replays as it happened.
 */
const FuzzEnv = z.object({
  HARDENING_FUZZ_RUNS: z.coerce.number().int().positive().max(1_000_000).optional(),
  HARDENING_FUZZ_SEED: z.coerce.number().int().optional(),
});

const parsed = FuzzEnv.safeParse(process.env);
if (!parsed.success) {
  const issue = parsed.error.issues[0];
  throw new Error(`${String(issue?.path[0])}: ${issue?.message} (a positive whole number)`);
}

/** Cases per target: `base` by default, scaled up by HARDENING_FUZZ_RUNS (the base target's count) when set. */
export function fuzzRuns(base: number): number {
  const runs = parsed.data?.HARDENING_FUZZ_RUNS;
  return runs === undefined ? base : Math.max(base, Math.round((runs * base) / 100));
}

export const fuzzSeed: number = parsed.data?.HARDENING_FUZZ_SEED ?? 0x6d657368;

/** fast-check parameters for one target. */
export const fuzzParams = (base: number) => ({ numRuns: fuzzRuns(base), seed: fuzzSeed, endOnFailure: true });
