import { ApiRequestError } from '@meshviz/api-client';
import { describe, expect, it } from 'vitest';
import { isTransient, reconnectDelayMs } from './reconnect';

describe('reconnectDelayMs', () => {
  it('doubles from 1 s and stays at 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(reconnectDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    expect(reconnectDelayMs(0)).toBe(1_000);
  });
});

describe('isTransient', () => {
  it('retries what asking again can mend', () => {
    expect(isTransient(new ApiRequestError(0, 'WEB_STREAM_BROKEN', 'The stream broke off'))).toBe(true);
    expect(isTransient(new ApiRequestError(0, 'WEB_UNREACHABLE', 'The dashboard server is not reachable.'))).toBe(true);
    expect(isTransient(new ApiRequestError(502, 'WEB_API_UNREACHABLE', 'The API is not reachable'))).toBe(true);
    expect(isTransient(new ApiRequestError(504, 'WEB_UNEXPECTED_RESPONSE', 'The API answered 504'))).toBe(true);
  });

  it("does not retry the API's own refusals", () => {
    expect(isTransient(new ApiRequestError(401, 'API_TAP_UNAUTHORIZED', 'no token'))).toBe(false);
    expect(isTransient(new ApiRequestError(403, 'API_TAP_FORBIDDEN', 'wrong token'))).toBe(false);
    expect(isTransient(new ApiRequestError(400, 'API_INVALID_PARAM', 'bad filter'))).toBe(false);
    expect(isTransient(new ApiRequestError(404, 'API_TAP_NO_TARGETS', 'no meshed proxy'))).toBe(false);
    expect(isTransient(new ApiRequestError(503, 'API_TAP_DISABLED', 'tap is off'))).toBe(false);
  });
});
