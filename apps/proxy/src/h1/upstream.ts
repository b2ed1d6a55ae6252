import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { type Destination, NO_TRAILERS, type ProxyRequest, type ProxyResponse } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { ChunkedDecoder, lastChunk, writeBodyPiece } from './chunked.js';
import { INCOMPLETE, INVALID, parseHead } from './head.js';
import { TOKEN } from './syntax.js';
import { writableHead } from './write-head.js';

/** The pool this connection returns to when its exchange is over. */
export interface ConnHome {
  release(conn: UpstreamConn): void;
  forget(conn: UpstreamConn): void;
}

/** Methods whose requests carry no body by default: an empty one gets no Content-Length (as Node's client does). */
const NO_DEFAULT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** What Node's client refuses in a path and a method; the same errors (and so the same answers) here. */
const UNESCAPED = /[^\x21-\xff]/;

const BODY_NONE = 0;
const BODY_LENGTH = 1;
const BODY_CHUNKED = 2;
const BODY_UNTIL_CLOSE = 3;

/** The body of one upstream response: bytes pushed by the connection, which pauses the socket when it is full. */
class ResponseBody extends Readable {
  constructor(private readonly conn: UpstreamConn) {
    super();
  }
  override _read(): void {
    this.conn.socket.resume();
  }
}

/**
 * One pooled HTTP/1.1 connection to an endpoint, carrying one exchange at a time. The request head is written as
 * one string, the body as bytes (re-framed as chunks when the request is chunked); the response head is parsed
 * strictly and its body handed on as a stream with the framing removed. A connection is reused only after a
 * response that left it in a known state (complete, not `Connection: close`, request fully sent).
 */
export class UpstreamConn {
  /** Idle sweeps this connection has been through since its last exchange. */
  idleSweeps = 0;
  private pending: Buffer | undefined;
  private failure: Error | undefined;
  private dead = false;
  private reusable = true;
  // The exchange in progress (undefined between exchanges).
  private request: ProxyRequest | undefined;
  private destination: Destination | undefined;
  private resolve: ((response: ProxyResponse) => void) | undefined;
  private reject: ((error: ProxyError, stale: boolean) => void) | undefined;
  /** Exchanges this connection completed: more than none, and it was taken from the pool (reused). */
  private exchanges = 0;
  private reused = false;
  /** Whether any byte of an answer arrived for the exchange in progress. */
  private answered = false;
  private body: ResponseBody | undefined;
  private framing = BODY_NONE;
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;
  private requestChunked = false;
  private requestSent = false;
  private responseTimer: NodeJS.Timeout | undefined;
  private responseTimeoutMs = 0;

  constructor(
    readonly socket: Socket,
    readonly key: string,
    private readonly home: ConnHome,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.once('close', this.onClose);
    socket.on('drain', this.onDrain);
  }

  get busy(): boolean {
    return this.request !== undefined;
  }

  get alive(): boolean {
    return !this.dead && !this.socket.destroyed;
  }

  /**
   * Sends `request` and settles with the response head (or the failure that came first). `stale` on a failure: this
   * was a reused connection and it closed before a byte of answer came (the upstream had given up on it).
   */
  send(
    request: ProxyRequest,
    destination: Destination,
    responseTimeoutMs: number,
    resolve: (response: ProxyResponse) => void,
    reject: (error: ProxyError, stale: boolean) => void,
  ): void {
    this.request = request;
    this.reused = this.exchanges > 0;
    this.answered = false;
    this.destination = destination;
    this.resolve = resolve;
    this.reject = reject;
    this.responseTimeoutMs = responseTimeoutMs;
    this.requestSent = false;
    let head: string;
    try {
      if (UNESCAPED.test(request.path)) throw Object.assign(new TypeError('Request path contains unescaped characters'), { code: 'ERR_UNESCAPED_CHARACTERS' });
      if (!TOKEN.test(request.method)) throw Object.assign(new TypeError('Method must be a valid HTTP token'), { code: 'ERR_INVALID_HTTP_TOKEN' });
      head = writableHead(`${request.method} ${request.path} HTTP/1.1\r\n`, request.headers);
    } catch (error) {
      this.settleError(toProxyError(error, destination));
      this.finish();
      return;
    }
    let hasHost = false;
    let framed = false;
    this.requestChunked = false;
    const { headers } = request;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      if (name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
      else if (name.length === 14 && name.toLowerCase() === 'content-length') framed = true;
      else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
        framed = true;
        this.requestChunked = true;
      }
    }
    if (!hasHost) head += `host: ${this.key}\r\n`;
    if (request.bodyless && !framed && !NO_DEFAULT_BODY.has(request.method)) head += 'Content-Length: 0\r\n';
    request.signal.onAbort(this.onAbort);
    if (request.bodyless) {
      // Nothing to read: the body of a bodyless request is never touched (the fast path does not even build it,
      // and Node's server drains an unread one itself when its answer is done).
      this.socket.write(`${head}\r\n`, 'latin1');
      this.sent();
      return;
    }
    this.socket.write(`${head}\r\n`, 'latin1');
    request.body.on('data', this.onRequestData);
    request.body.once('end', this.onRequestEnd);
  }

  private readonly onRequestData = (chunk: Buffer): void => {
    if (!writeBodyPiece(this.socket, chunk, this.requestChunked)) this.request?.body.pause();
  };

  private readonly onRequestEnd = (): void => {
    const request = this.request;
    if (!request) return;
    request.body.off('data', this.onRequestData);
    if (this.requestChunked) this.socket.write(lastChunk(request.trailers()), 'latin1');
    this.sent();
  };

  private readonly onDrain = (): void => {
    const body = this.request?.body;
    if (body && !this.requestSent) body.resume();
  };

  private sent(): void {
    this.requestSent = true;
    if (this.responseTimeoutMs > 0 && this.resolve) {
      this.responseTimer = setTimeout(this.onResponseTimeout, this.responseTimeoutMs);
    }
  }

  private readonly onResponseTimeout = (): void => {
    this.socket.destroy(new ProxyError('response_timeout'));
  };

  private readonly onAbort = (): void => {
    const reason = this.request?.signal.reason;
    this.body?.destroy(reason);
    this.socket.destroy(reason);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (!this.request) {
      // Bytes nobody asked for: the connection's state is unknown.
      this.socket.destroy();
      return;
    }
    this.answered = true;
    if (this.body) {
      this.bodyBytes(chunk, 0);
      return;
    }
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    for (;;) {
      const head = parseHead(buf, at, 'response');
      if (head === INCOMPLETE) {
        this.pending = at === 0 ? buf : buf.subarray(at);
        return;
      }
      if (head === INVALID) {
        this.protocolError();
        return;
      }
      const status = Number(head.b);
      at = head.end;
      if (status < 200) {
        if (status === 101) {
          this.protocolError();
          return;
        }
        if (status === 100) this.request.sendContinue?.();
        continue; // interim answers (100, 103) are not passed on
      }
      const request = this.request;
      const noBody = request.method === 'HEAD' || status === 204 || status === 304;
      if (head.a !== 'HTTP/1.1' ? !head.keepAlive : head.close) this.reusable = false;
      if (noBody) this.framing = BODY_NONE;
      else if (head.chunked) {
        this.framing = BODY_CHUNKED;
        this.decoder = new ChunkedDecoder();
      } else if (head.contentLength === -2) {
        this.protocolError();
        return;
      } else if (head.contentLength >= 0 && !head.otherCoding) {
        this.framing = head.contentLength === 0 ? BODY_NONE : BODY_LENGTH;
        this.remaining = head.contentLength;
      } else {
        this.framing = BODY_UNTIL_CLOSE;
        this.reusable = false;
      }
      clearTimeout(this.responseTimer);
      const body = new ResponseBody(this);
      body.on('error', ignore);
      this.body = body;
      const decoder = this.decoder;
      const resolve = this.resolve as (response: ProxyResponse) => void;
      this.resolve = undefined;
      this.reject = undefined;
      resolve({
        status,
        statusMessage: head.c,
        headers: head.headers,
        body,
        bodyless: false,
        trailers: decoder ? () => decoder.trailers : NO_TRAILERS,
        destination: this.destination as Destination,
      });
      if (this.framing === BODY_NONE) this.bodyDone(buf, at);
      else if (at < buf.length) this.bodyBytes(buf, at);
      return;
    }
  };

  /** Body bytes from `at` on, framed as the response head said. */
  private bodyBytes(buf: Buffer, at: number): void {
    const body = this.body as ResponseBody;
    switch (this.framing) {
      case BODY_LENGTH: {
        const take = Math.min(this.remaining, buf.length - at);
        this.remaining -= take;
        if (!body.push(at === 0 && take === buf.length ? buf : buf.subarray(at, at + take))) this.socket.pause();
        if (this.remaining === 0) this.bodyDone(buf, at + take);
        return;
      }
      case BODY_CHUNKED: {
        const decoder = this.decoder as ChunkedDecoder;
        const end = decoder.feed(buf, at, this.pushChunk);
        if (end < 0) {
          this.reusable = false;
          this.socket.destroy(new ProxyError('protocol_error'));
        } else if (decoder.done) this.bodyDone(buf, end);
        return;
      }
      case BODY_UNTIL_CLOSE:
        if (!body.push(at === 0 ? buf : buf.subarray(at))) this.socket.pause();
        return;
      default:
        this.socket.destroy();
    }
  }

  private readonly pushChunk = (chunk: Buffer): void => {
    if (!this.body?.push(chunk)) this.socket.pause();
  };

  /** The response is complete; bytes after it (from `at`) would be a response to nothing. */
  private bodyDone(buf: Buffer, at: number): void {
    if (at < buf.length) this.reusable = false;
    this.body?.push(null);
    this.body = undefined;
    if (!this.requestSent) {
      // An early answer (e.g. 413 while the upload goes on): the upstream has said its word; the rest of the
      // client's body is read and dropped so its connection can carry the next request.
      const request = this.request as ProxyRequest;
      request.body.off('data', this.onRequestData);
      request.body.off('end', this.onRequestEnd);
      request.body.resume();
      this.reusable = false;
    }
    this.finish();
  }

  /** Ends the exchange: the connection goes back to the pool, or is closed when its state is unknown. */
  private finish(): void {
    const request = this.request;
    if (!request) return;
    clearTimeout(this.responseTimer);
    request.signal.offAbort(this.onAbort);
    this.request = undefined;
    this.destination = undefined;
    this.decoder = undefined;
    this.framing = BODY_NONE;
    this.exchanges += 1;
    this.socket.resume();
    if (this.reusable && !this.dead) this.home.release(this);
    else this.socket.destroy();
  }

  private protocolError(): void {
    this.reusable = false;
    this.socket.destroy(new ProxyError('protocol_error'));
  }

  private settleError(error: ProxyError, stale = false): void {
    const reject = this.reject;
    this.resolve = undefined;
    this.reject = undefined;
    if (!reject) return;
    const request = this.request;
    if (request && !request.bodyless) {
      // Stop feeding the dead request and drain what the client still sends, so its connection stays usable
      // for the error answer and the next request.
      request.body.off('data', this.onRequestData);
      request.body.off('end', this.onRequestEnd);
      request.body.resume();
    }
    reject(error, stale);
  }

  private readonly onError = (error: Error): void => {
    this.failure ??= error;
  };

  /** The upstream's FIN: the end of a read-until-close body, otherwise the end of this connection. */
  private readonly onEnd = (): void => {
    if (this.body && this.framing === BODY_UNTIL_CLOSE) {
      this.reusable = false;
      this.bodyDone(EMPTY, 0);
    }
    this.socket.destroy();
  };

  private readonly onClose = (): void => {
    this.dead = true;
    this.home.forget(this);
    if (!this.request) return;
    const error = this.failure ?? Object.assign(new Error('the upstream closed the connection'), { code: 'ECONNRESET' });
    clearTimeout(this.responseTimer);
    // Closed under a reused connection before any answer, by the upstream (not a timeout or an abort of ours).
    const stale = this.reused && !this.answered && !(this.failure instanceof ProxyError);
    if (this.resolve) this.settleError(toProxyError(error, this.destination), stale);
    else if (this.body) {
      const body = this.body;
      this.body = undefined;
      body.destroy(error instanceof ProxyError ? error : toProxyError(error, this.destination));
    }
    this.finish();
  };
}

const EMPTY = Buffer.alloc(0);
const ignore = (): void => {};
