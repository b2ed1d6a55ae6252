import { PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import type { ConnectionHandler } from '../accept/listener.js';

const BODY = 'meshviz proxy: tls_required: this port accepts only mutual TLS from meshed clients\n';
const HTTP1_REFUSAL = Buffer.from(
  'HTTP/1.1 403 Forbidden\r\n' +
    'content-type: text/plain; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(BODY)}\r\n` +
    `${PROXY_ERROR_HEADER}: tls_required\r\n` +
    'connection: close\r\n\r\n' +
    BODY,
  'latin1',
);

/**
 * A port that requires identity (PROXY_INBOUND_PORTS_REQUIRE_IDENTITY) refuses plaintext: an HTTP/1.1 client is
 * told why in a 403 with `x-meshviz-proxy-error: tls_required` and its connection closed; HTTP/2 and opaque TCP
 * clients have their connection closed at once (there is no request to answer yet, and nothing reaches the app).
 */
export function refusePlaintext(protocol: 'http1' | 'h2' | 'opaque'): ConnectionHandler {
  return (socket, accepted) => {
    accepted.log.info({ protocol }, 'plaintext connection to a port that requires mutual TLS; refused');
    if (protocol !== 'http1') {
      socket.destroy();
      return;
    }
    // The request itself is not read: whatever it was, it does not reach the app.
    socket.end(HTTP1_REFUSAL);
    socket.resume();
  };
}
