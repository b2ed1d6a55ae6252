import fc from 'fast-check';

const CRLF = '\r\n';

/** Requests a proxy must carry: the seeds the mutators start from. */
export function seedRequests(host: string): string[] {
  return [
    `GET / HTTP/1.1${CRLF}Host: ${host}${CRLF}${CRLF}`,
    `GET /books?id=1&q=%20x HTTP/1.1${CRLF}Host: ${host}${CRLF}Accept: */*${CRLF}Connection: keep-alive${CRLF}${CRLF}`,
    `POST /orders HTTP/1.1${CRLF}Host: ${host}${CRLF}Content-Type: application/json${CRLF}Content-Length: 11${CRLF}${CRLF}{"id":"b1"}`,
    `PUT /stock HTTP/1.1${CRLF}Host: ${host}${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}5${CRLF}hello${CRLF}0${CRLF}X-T: 1${CRLF}${CRLF}`,
    `GET /a HTTP/1.1${CRLF}Host: ${host}${CRLF}${CRLF}GET /b HTTP/1.1${CRLF}Host: ${host}${CRLF}Connection: close${CRLF}${CRLF}`,
    `GET /ws HTTP/1.1${CRLF}Host: ${host}${CRLF}Connection: Upgrade${CRLF}Upgrade: websocket${CRLF}${CRLF}`,
    `OPTIONS * HTTP/1.1${CRLF}Host: ${host}${CRLF}Expect: 100-continue${CRLF}Content-Length: 2${CRLF}${CRLF}hi`,
  ];
}

/** Tokens that have broken HTTP parsers before: smuggling framings, obs-fold, bare CR/LF, NUL, huge numbers. */
const INTERESTING = [
  '\r\n',
  '\n',
  '\r',
  '\0',
  ' ',
  '\t',
  ':',
  '\r\n ',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: chunked, identity\r\n',
  'Transfer-Encoding : chunked\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: -1\r\n',
  'Content-Length: 99999999999999999999\r\n',
  'Content-Length: 1, 2\r\n',
  'Host: other.example\r\n',
  'Host: \r\n',
  'Connection: Upgrade, close\r\n',
  'Expect: 100-continue\r\n',
  'ffffffffffffffff\r\n',
  '0\r\n\r\n',
  'HTTP/1.0',
  'HTTP/2.0',
  '%00',
  '../../',
  '\u00ff\u00fe',
];

/** One edit of a byte string: flip, insert, delete, duplicate a slice, or cut the rest off. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('insertText' as const), at: fc.nat(), text: fc.constantFrom(...INTERESTING) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;


function apply(input: Buffer, m: Mutation): Buffer {
  const at = input.length === 0 ? 0 : m.at % (input.length + 1);
  switch (m.kind) {
    case 'flip': {
      if (input.length === 0) return input;
      const out = Buffer.from(input);
      out[at % input.length] = m.value;
      return out;
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.bytes), input.subarray(at)]);
    case 'insertText':
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.text, 'latin1'), input.subarray(at)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + m.length)]);
    case 'duplicate':
      return Buffer.concat([input.subarray(0, at + m.length), input.subarray(at)]);
    case 'truncate':
      return input.subarray(0, at);
  }
}

/** A seed request with one to eight random edits. */
export function mutatedRequest(host: string): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...seedRequests(host)), fc.array(mutation, { minLength: 1, maxLength: 8 }))
    .map(([seed, edits]) => edits.reduce(apply, Buffer.from(seed, 'latin1')));
}

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
const anyText = fc.string({ unit: 'binary-ascii', maxLength: 40 });

/** Requests built field by field, each field valid or not: method, target, version, headers, framing, body. */
export function structuredRequest(host: string): fc.Arbitrary<Buffer> {
  const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'CONNECT', 'PRI', 'TRACE'), token, anyText);
  const target = fc.oneof(
    fc.constantFrom('/', '*', '/a?b=c', 'http://catalog/x', `//${host}/`, '/%zz', '/..%2f..%2fetc/passwd', 'example.com:443'),
    fc.webPath(),
    anyText,
  );
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1 ', 'http/1.1', 'HTTP/1.10', '');
  const header = fc.tuple(fc.oneof(token, anyText), fc.oneof(fc.string({ maxLength: 30 }), anyText));
  const framing = fc.oneof(
    fc.constant<string[]>([]),
    fc.integer({ min: -5, max: 100 }).map((n) => [`Content-Length: ${n}`]),
    fc.constant(['Transfer-Encoding: chunked']),
    fc.constant(['Transfer-Encoding: chunked', 'Content-Length: 3']),
    fc.constant(['Content-Length: 3', 'Content-Length: 4']),
    fc.constant(['Transfer-Encoding: gzip']),
  );
  const body = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.tuple(fc.oneof(fc.nat(40).map((n) => n.toString(16)), anyText), fc.string({ maxLength: 40 })), { maxLength: 4 })
      .map((chunks) => `${chunks.map(([size, data]) => `${size}${CRLF}${data}${CRLF}`).join('')}0${CRLF}${CRLF}`),
  );
  return fc
    .record({ method, target, version, host: fc.oneof(fc.constant(host), anyText), headers: fc.array(header, { maxLength: 6 }), framing, body })
    .map((r) => {
      const lines = [`${r.method} ${r.target} ${r.version}`, `Host: ${r.host}`, ...r.headers.map(([n, v]) => `${n}: ${v}`), ...r.framing];
      return Buffer.from(`${lines.join(CRLF)}${CRLF}${CRLF}${r.body}`, 'utf8');
    });
}
