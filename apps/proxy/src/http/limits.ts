/**
 * Request and response heads up to 64 KiB are carried (Node's own default is 16 KiB, which real traffic with
 * large cookies or tracing baggage exceeds); beyond that clients get 431. Applies to both protocols, both ways.
 */
export const MAX_HEADER_BYTES = 64 * 1024;
