import type { z } from 'zod';
import type { StreamEndpoint, StreamEventOf } from './endpoints.js';

/** An event whose data is not JSON or does not match its schema: which event, and what is wrong with it. */
export class InvalidStreamEvent extends Error {
  override readonly name = 'InvalidStreamEvent';
  constructor(
    readonly event: string,
    readonly detail: string,
  ) {
    super(`"${event}" event: ${detail}`);
  }
}

/**
 * One event of a stream, checked against the schema the endpoint table gives its name. An event name the table
 * does not know gives null: a newer API may send more, and an older client reads on.
 */
export function decodeStreamEvent<S extends StreamEndpoint>(stream: S, name: string, data: string): StreamEventOf<S> | null {
  const schema = Object.hasOwn(stream.events, name) ? stream.events[name]?.schema : undefined;
  if (schema === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new InvalidStreamEvent(name, 'it is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidStreamEvent(name, firstIssue(parsed.error));
  return { name, data: parsed.data } as StreamEventOf<S>;
}

/** The first thing wrong, where it is: "count: Invalid input: expected number, received undefined". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'does not match'}`;
}
