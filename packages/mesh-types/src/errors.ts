import { z } from 'zod';

/** Every error the public API returns has this shape. `code` is stable; `message` is for people. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** The request parameter at fault, when there is one. */
    param: z.string().optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export const API_ERROR_CODES = [
  'API_BAD_REQUEST',
  'API_NOT_FOUND',
  /** A browser page of another site called the API directly (Origin or Sec-Fetch-Site says so). */
  'API_CROSS_SITE_FORBIDDEN',
  'API_TAP_UNAUTHORIZED',
  'API_TAP_FORBIDDEN',
  'API_TAP_NO_TARGETS',
  'API_PROMETHEUS_UNAVAILABLE',
  'API_PROMETHEUS_ERROR',
  'API_INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
