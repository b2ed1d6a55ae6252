import { Readable } from 'node:stream';

const ignore = (): void => {};

/** Whoever a request body's reader tells that it wants more (the client connection, which resumes reading). */
export interface BodySource {
  bodyWanted(): void;
}

/** A request body: bytes pushed by the connection, which stops reading while the body is full. */
export class RequestBody extends Readable {
  constructor(private readonly source: BodySource) {
    super();
  }
  override _read(): void {
    this.source.bodyWanted();
  }
}

/** The body of a request that has none, for whoever asks: already ended. */
export function emptyBody(): Readable {
  const body = new Readable({ read: ignore });
  body.push(null);
  return body;
}
