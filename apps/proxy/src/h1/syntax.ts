/** RFC 9110 §5.6.2: field names and methods. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Anything a field value, reason phrase or trailer may not hold (RFC 9110 §5.5): a match is a control character
 * other than HTAB, a bare CR or LF, or a character beyond Latin-1.
 */
export const NOT_FIELD_TEXT = /[^\t\x20-\x7e\x80-\xff]/;
