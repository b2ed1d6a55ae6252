import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * A JSON file the local runtime writes (the workloads, the discovery table), read and checked against its schema;
 * every problem names the file and the field (`…/destinations.json: services.x.endpoints.0.addr: must be host:port`).
 */
export async function readJsonFile<T>(
  file: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<{ ok: true; value: T } | { ok: false; errors: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, errors: [`${file}: cannot read ${what}: ${(error as Error).message}`] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`) };
}
