import type { ProxyResponse } from './stage.js';

/** True when the upstream answered in gRPC (content-type application/grpc, application/grpc+proto…). */
export function isGrpcResponse(headers: readonly string[]): boolean {
  const type = headerValue(headers, 'content-type');
  return type?.toLowerCase().startsWith('application/grpc') === true;
}

/**
 * The grpc-status of a response: from its trailers once they have arrived, else from its headers (a trailers-only
 * answer). Metrics, retries and breakers all judge answers by it.
 */
export function grpcStatusOf(response: ProxyResponse): number | undefined {
  const raw = headerValue(response.trailers(), 'grpc-status') ?? headerValue(response.headers, 'grpc-status');
  if (raw === undefined || !/^\d{1,2}$/.test(raw)) return undefined;
  return Number(raw);
}

function headerValue(raw: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === lowerName) return raw[i + 1];
  }
  return undefined;
}
