/** A CertifyRequest is a token and a CSR, a few KiB; anything near this is not one. */
export const BODY_LIMIT_BYTES = 64 * 1024;
