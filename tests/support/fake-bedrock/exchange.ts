/** One request/response pair, with the ways the fake can answer or cut it. */
import { randomUUID } from 'node:crypto';
import type { Transport } from './transport';
import type { FakeError, ReceivedRequest } from './types';

export class Exchange {
  private readonly controller = new AbortController();
  /** Aborts when the exchange ends for any reason: pending waits stop at once. */
  readonly signal = this.controller.signal;
  private settled = false;
  private clientClosed = false;
  private record: ReceivedRequest | undefined;

  constructor(readonly transport: Transport) {
    transport.onClose(() => {
      if (!this.settled) {
        this.clientClosed = true;
        if (this.record) this.record.closedByClient = true;
      }
      this.controller.abort();
    });
  }

  /** Ties the log entry to this exchange so that a later client reset is recorded on it. */
  attach(record: ReceivedRequest): void {
    this.record = record;
    record.closedByClient = this.clientClosed;
  }

  get alive(): boolean {
    return !this.signal.aborted && !this.transport.closed;
  }

  readBody(): Promise<string | undefined> {
    return this.transport.readBody();
  }

  respond(status: number, headers: Record<string, string>): void {
    if (this.alive) this.transport.respond(status, { 'x-amzn-requestid': randomUUID(), ...headers });
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (!this.alive) return;
    this.respond(status, { 'content-type': 'application/json', ...headers });
    this.end(JSON.stringify(body));
  }

  /** A modelled AWS error: status, x-amzn-errortype header, {"message"} body. */
  error({ status, type, message }: FakeError): void {
    this.json(status, { message }, { 'x-amzn-errortype': type });
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.alive ? this.transport.write(bytes) : Promise.resolve();
  }

  end(last?: string | Uint8Array): void {
    this.settled = true;
    this.transport.end(last);
  }

  drop(): void {
    this.settled = true;
    this.transport.drop();
  }
}
