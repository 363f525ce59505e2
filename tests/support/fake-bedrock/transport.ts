/**
 * The two wires the fake speaks, behind one small interface: cleartext HTTP/2 (what
 * BedrockRuntimeClient uses by default) and HTTP/1.1 (what BedrockClient, the control plane,
 * uses by default, and what a runtime client gets with a NodeHttpHandler).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';

export interface Transport {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** True once the response is finished, reset, or the client went away. */
  readonly closed: boolean;
  /** Fires once when the request/response pair is over, however it ended. */
  onClose(listener: () => void): void;
  /** The whole request body; undefined when the client went away first. */
  readBody(): Promise<string | undefined>;
  respond(status: number, headers: Record<string, string>): void;
  /** Resolves once the bytes are handed to the connection. */
  write(bytes: Uint8Array): Promise<void>;
  end(last?: string | Uint8Array): void;
  /**
   * Cuts the exchange off without a proper response: HTTP/2 resets the stream with
   * INTERNAL_ERROR (the client sees ERR_HTTP2_STREAM_ERROR), HTTP/1.1 destroys the socket.
   */
  drop(): void;
}

function collectBody(source: NodeJS.ReadableStream, onClose: (listener: () => void) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    source.on('data', (part: Buffer) => parts.push(part));
    source.once('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    onClose(() => resolve(undefined));
  });
}

export function http2Transport(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Transport {
  const transport: Transport = {
    method: String(headers[':method'] ?? 'GET'),
    path: String(headers[':path'] ?? '/'),
    headers: { ...headers },
    get closed() {
      return stream.destroyed || stream.closed;
    },
    onClose: (listener) => void stream.once('close', listener),
    readBody: () => collectBody(stream, transport.onClose),
    respond: (status, responseHeaders) => {
      if (!transport.closed && !stream.headersSent) stream.respond({ ':status': status, ...responseHeaders });
    },
    write: (bytes) => new Promise((resolve) => (transport.closed ? resolve() : stream.write(bytes, () => resolve()))),
    end: (last) => {
      if (!transport.closed) stream.end(last);
    },
    // Not stream.close(code): that ends the data gracefully first, and the client sees a
    // normal end. destroy(error) sends RST_STREAM(INTERNAL_ERROR) at once.
    drop: () => void stream.destroy(new Error('fake-bedrock: connection dropped on purpose')),
  };
  stream.on('error', () => undefined); // a client reset lands here; onClose handles it
  return transport;
}

export function http1Transport(request: IncomingMessage, response: ServerResponse): Transport {
  let over = false;
  response.once('close', () => (over = true));
  const transport: Transport = {
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: { ...request.headers },
    get closed() {
      return over || response.writableEnded || request.socket.destroyed;
    },
    onClose: (listener) => void response.once('close', listener),
    readBody: () => collectBody(request, transport.onClose),
    respond: (status, responseHeaders) => {
      if (!transport.closed && !response.headersSent) response.writeHead(status, responseHeaders);
    },
    write: (bytes) => new Promise((resolve) => (transport.closed ? resolve() : response.write(bytes, () => resolve()))),
    end: (last) => {
      if (!transport.closed) response.end(last);
    },
    drop: () => void request.socket.destroy(),
  };
  request.on('error', () => undefined);
  response.on('error', () => undefined);
  return transport;
}
