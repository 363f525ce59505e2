/** The fake Bedrock server (HTTP/2 and HTTP/1.1 on one port): routing, the request log and the per-operation answers. */
import { createServer as createHttp1Server, type Server as Http1Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { foundationModelsBody, guardrailsBody, inferenceProfilesBody } from './catalog';
import { converseBody, scriptFor, streamFrames } from './converse';
import { EVENT_STREAM_CONTENT_TYPE, exceptionFrame } from './event-stream';
import { Exchange } from './exchange';
import { generatedInvokeBody, modelFamily, textInvokeBody } from './invoke-model';
import { pause, resolvePace } from './pace';
import { requestText } from './request-text';
import { routeOf, type Route } from './routes';
import { RuleBook } from './rules';
import { http1Transport, http2Transport, type Transport } from './transport';
import type { FakeBedrock, FakeBedrockOptions, FakePace, FakeRule, ReceivedRequest } from './types';

export const DEFAULT_REPLY = 'This is a scripted reply from the fake Bedrock server.';

interface Call {
  exchange: Exchange;
  route: Route;
  record: ReceivedRequest;
  text: string;
  rule: FakeRule | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class FakeBedrockServer implements FakeBedrock {
  readonly requests: ReceivedRequest[] = [];
  private readonly rules = new RuleBook();
  private readonly sockets = new Set<Socket>();
  private readonly front: TcpServer;
  private readonly http2: Http2Server;
  private readonly http1: Http1Server;
  private readonly defaultReply: string;
  private readonly initialPace: FakePace;
  private pace: FakePace;
  private open = 0;
  private address: AddressInfo | undefined;
  private readonly host: string;

  private constructor(options: FakeBedrockOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.defaultReply = options.defaultReply ?? DEFAULT_REPLY;
    this.initialPace = { ...options.pace };
    this.pace = { ...this.initialPace };
    this.http2 = createHttp2Server();
    this.http2.on('session', (session) => session.on('error', () => undefined));
    this.http2.on('stream', (stream, headers) => this.serve(http2Transport(stream, headers)));
    this.http1 = createHttp1Server((request, response) => this.serve(http1Transport(request, response)));
    this.front = createTcpServer((socket) => this.accept(socket));
  }

  /** Sends each connection to the HTTP/2 or the HTTP/1.1 server, by its first bytes. */
  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      const isHttp2 = first.subarray(0, 3).toString('latin1') === 'PRI'; // the HTTP/2 preface: PRI * HTTP/2.0
      if (isHttp2) {
        this.http2.emit('connection', socket); // the session takes the buffered preface itself
      } else {
        this.http1.emit('connection', socket);
        socket.resume(); // the HTTP/1.1 parser reads through the socket's 'data' events
      }
    });
  }

  private serve(transport: Transport): void {
    this.open += 1;
    transport.onClose(() => (this.open -= 1));
    void this.handle(transport);
  }

  static async start(options: FakeBedrockOptions = {}): Promise<FakeBedrockServer> {
    const fake = new FakeBedrockServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.front.once('error', reject);
      fake.front.listen(options.port ?? 0, fake.host, () => {
        fake.front.off('error', reject);
        resolve();
      });
    });
    fake.address = fake.front.address() as AddressInfo;
    return fake;
  }

  get port(): number {
    if (!this.address) throw new Error('fake-bedrock: not listening');
    return this.address.port;
  }

  get endpoint(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  on(rule: FakeRule): void {
    this.rules.add(rule);
  }

  setDefaultPace(pace: FakePace): void {
    this.pace = { ...pace };
  }

  reset(): void {
    this.rules.clear();
    this.requests.length = 0;
    this.pace = { ...this.initialPace };
  }

  openStreams(): number {
    return this.open;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.front.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(transport: Transport): Promise<void> {
    const receivedAt = Date.now();
    const exchange = new Exchange(transport);
    const { method, path, headers } = transport;
    const route = routeOf(method, path);
    if (!route) {
      exchange.error({ status: 404, type: 'UnknownOperationException', message: `The fake Bedrock server has no operation for ${method} ${path}` });
      return;
    }
    const raw = await exchange.readBody();
    let body: unknown;
    let malformed = false;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
      malformed = true;
    }
    const { operation, modelId, guardrailId, guardrailVersion } = route;
    const record: ReceivedRequest = { operation, modelId, guardrailId, guardrailVersion, method, path, headers, body, receivedAt, closedByClient: false };
    this.requests.push(record);
    exchange.attach(record);
    if (!exchange.alive) return;
    if (malformed) return exchange.error({ status: 400, type: 'ValidationException', message: 'Malformed input request, please reformat your input and try again.' });
    if ((operation === 'Converse' || operation === 'ConverseStream') && !(isRecord(body) && Array.isArray(body.messages))) {
      return exchange.error({ status: 400, type: 'ValidationException', message: 'The messages field is required.' });
    }
    const text = requestText(operation, body);
    const source = isRecord(body) && typeof body.source === 'string' ? body.source : undefined;
    const rule = this.rules.take({ operation, target: modelId ?? guardrailId, text, ...(source ? { source } : {}) });
    await this.answer({ exchange, route, record, text, rule });
  }

  private async answer(call: Call): Promise<void> {
    const { exchange, route, rule } = call;
    if (rule?.error) return exchange.error(rule.error);
    if (rule?.drop && (route.operation !== 'ConverseStream' || rule.drop.afterChunks === undefined)) return exchange.drop();
    if (rule && 'body' in rule && rule.body !== undefined) return exchange.json(200, rule.body);
    switch (route.operation) {
      case 'Converse':
        return this.converse(call);
      case 'ConverseStream':
        return this.converseStream(call);
      case 'InvokeModel':
        return this.invokeModel(call);
      case 'ApplyGuardrail':
        return exchange.json(200, guardrailBody(call.text));
      case 'ListFoundationModels':
        return exchange.json(200, foundationModelsBody(route.query));
      case 'ListInferenceProfiles':
        return exchange.json(200, inferenceProfilesBody(route.query));
      case 'ListGuardrails':
        return exchange.json(200, guardrailsBody());
    }
  }

  private async converse({ exchange, record, text, rule }: Call): Promise<void> {
    const pace = resolvePace(this.pace, rule?.pace);
    if (!(await pause(pace.firstTokenMs, exchange.signal))) return;
    const script = scriptFor(rule?.reply, this.defaultReply, text, pace.wordsPerChunk);
    exchange.json(200, converseBody(script, Date.now() - record.receivedAt));
  }

  private async converseStream({ exchange, record, text, rule }: Call): Promise<void> {
    const pace = resolvePace(this.pace, rule?.pace);
    const script = scriptFor(rule?.reply, this.defaultReply, text, pace.wordsPerChunk);
    const frames = streamFrames(script);
    const cut = rule?.streamError ?? rule?.drop;
    const cutAfter = cut?.afterChunks ?? Number.POSITIVE_INFINITY;
    exchange.respond(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE });
    if (!(await pause(pace.firstTokenMs, exchange.signal))) return;
    await exchange.write(frames.start);
    for (const [index, chunk] of frames.textChunks.entries()) {
      if (index >= cutAfter) break;
      if (index > 0 && !(await pause(pace.intervalMs, exchange.signal))) return;
      await exchange.write(chunk);
    }
    if (!exchange.alive) return;
    if (rule?.streamError) {
      await exchange.write(exceptionFrame(rule.streamError.type, rule.streamError.message));
      return exchange.end();
    }
    if (rule?.drop) return exchange.drop();
    for (const frame of frames.rest) await exchange.write(frame);
    await exchange.write(frames.metadata(Date.now() - record.receivedAt));
    exchange.end();
  }

  private async invokeModel({ exchange, route, record, text, rule }: Call): Promise<void> {
    const modelId = route.modelId ?? '';
    const pace = resolvePace(this.pace, rule?.pace);
    if (!rule?.reply && modelFamily(modelId) !== 'text') {
      return exchange.json(200, generatedInvokeBody(modelId, record.body, text));
    }
    const script = scriptFor(rule?.reply, this.defaultReply, text, pace.wordsPerChunk);
    const { inputTokens, outputTokens } = script.usage;
    exchange.json(200, textInvokeBody(modelId, { text: script.chunks.join(''), stopReason: script.stopReason, inputTokens, outputTokens }));
  }
}

/** ApplyGuardrail with nothing configured to catch: the content passes untouched. */
function guardrailBody(text: string): unknown {
  const units = Math.max(1, Math.ceil(text.length / 1000));
  return {
    usage: { topicPolicyUnits: units, contentPolicyUnits: units, wordPolicyUnits: units, sensitiveInformationPolicyUnits: units, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: 0 },
    action: 'NONE',
    outputs: [],
    assessments: [{}],
  };
}
