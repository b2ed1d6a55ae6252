import { OUTBOUND_LABEL, POLICY_ERROR_KINDS } from '@meshviz/mesh-types';

/**
 * Whether a response of the outbound route families succeeded, from its `http_status` and `error` labels (they carry
 * no classification): a 5xx fails, and so does any error the proxy named (a timeout, a failed connection), except
 * a policy's refusal, which is an answer by design (4xx), as everywhere else in the mesh.
 */
export function succeeded(labels: Readonly<Record<string, string>>): boolean {
  const error = labels[OUTBOUND_LABEL.error] ?? '';
  if (error !== '' && !POLICY_ERROR_KINDS.has(error)) return false;
  const status = Number(labels[OUTBOUND_LABEL.httpStatus] ?? '');
  return !(Number.isFinite(status) && status >= 500);
}
