import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { createPrincipal } from '../auth/principal.js';
import { PendingReply } from './pending-reply.js';
import type { FrameSpan } from './reply-queue.js';
import { WsConnection } from './ws-connection.js';
import { serverFramePayloads } from '../../test/support/ws-frame.js';

class FakeWs extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: string[] = [];
  paused = false;
  closedWith?: number;
  send(data: string) {
    this.sent.push(data);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  close(code: number) {
    this.closedWith = code;
  }
}

/** Hands each reply frame written to it to the fake ws, as if ws.send had been called. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  constructor(private readonly ws: FakeWs) {
    super();
  }
  cork() {}
  uncork() {}
  write(bytes: Buffer) {
    for (const reply of serverFramePayloads(bytes)) this.ws.send(reply);
  }
}

const principal = createPrincipal(
  'svc',
  ['ingest'],
  { user: 'svc', timestamp: 't', ipaddress: 'ip' },
  'abcd1234',
);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const frame = (event: string, data: unknown = {}) => Buffer.from(JSON.stringify({ event, data }));

function setup(handlers: MessageMappingProperties[], maxInflight = 256) {
  const ws = new FakeWs();
  const limits = { maxInflight, maxQueuedReplyBytes: 1 << 20 };
  const defects: unknown[] = [];
  const connection = new WsConnection(
    ws as unknown as WebSocket,
    new FakeSocket(ws) as unknown as Socket,
    principal,
    limits,
    (error) => defects.push(error),
  );
  connection.listen(handlers);
  return { ws, connection, defects };
}

/** A `log` handler that acks each frame of its run with the frame's payload. */
function echoLog(calls: { payload: unknown; span: FrameSpan }[]): MessageMappingProperties {
  return {
    message: 'log',
    methodName: 'log',
    isAckHandledManually: false,
    callback: (payload: unknown, span: FrameSpan) => {
      calls.push({ payload, span });
      const replies = (payload as number[]).map((n) => `"ack ${n}"`);
      return Promise.resolve(new PendingReply(Promise.resolve(), replies));
    },
  };
}

const statusOf = (reply: string) => (JSON.parse(reply) as { data: { status: number } }).data.status;

/** A handler whose replies are released by the test, in any order. */
function controlled() {
  const release: ((value: unknown) => void)[] = [];
  const handler: MessageMappingProperties = {
    message: 'slow',
    methodName: 'slow',
    isAckHandledManually: false,
    callback: () => new Promise((resolve) => release.push(resolve)),
  };
  return { handler, release };
}

describe(WsConnection.name, () => {
  it('sends replies in frame order although handlers finish in reverse order', async () => {
    // Arrange
    const { handler, release } = controlled();
    const { ws, connection } = setup([handler]);

    // Act
    connection.receive(frame('slow'), false);
    connection.receive(frame('slow'), false);
    connection.receive(frame('slow'), false);
    release[2]('"third"');
    release[1]('"second"');
    await tick();
    const beforeFirst = [...ws.sent];
    release[0]('"first"');
    await tick();

    // Assert
    expect(beforeFirst).toEqual([]);
    expect(ws.sent).toEqual(['"first"', '"second"', '"third"']);
  });

  it('keeps an error answered at once behind an earlier pending ack', async () => {
    // Arrange
    const { handler, release } = controlled();
    const { ws, connection } = setup([handler]);

    // Act
    connection.receive(frame('slow'), false);
    connection.receive(Buffer.from('{not json'), false);
    connection.receive(frame('nope'), false);
    await tick();
    const early = [...ws.sent];
    release[0]('"ack"');
    await tick();

    // Assert
    expect(early).toEqual([]);
    expect(ws.sent[0]).toBe('"ack"');
    expect(JSON.parse(ws.sent[1])).toEqual({
      event: 'error',
      data: { status: 400, message: 'malformed JSON' },
    });
    expect(JSON.parse(ws.sent[2]).data).toEqual({
      status: 400,
      message: 'unknown event "nope"; expected one of: slow',
    });
  });

  it('lets the exception filter answer in the failing frame’s slot', async () => {
    // Arrange: the filter answers the span before the handler's promise resolves with nothing.
    const ref: { connection?: WsConnection } = {};
    const failing: MessageMappingProperties = {
      message: 'bad',
      methodName: 'bad',
      isAckHandledManually: false,
      callback: (_data: unknown, span: FrameSpan) => {
        ref.connection!.answer(span, '"error from filter"');
        return Promise.resolve(undefined);
      },
    };
    const { ws, connection } = setup([failing]);
    ref.connection = connection;

    // Act
    connection.receive(frame('bad'), false);
    await tick();

    // Assert
    expect(ws.sent).toEqual(['"error from filter"']);
  });

  it('sends a PendingReply only once its storage promise resolves, and 503 when it fails', async () => {
    // Arrange
    let store!: () => void;
    const stored = new Promise<void>((resolve) => (store = resolve));
    const { DomainError } = await import('../common/domain.error.js');
    const handlers: MessageMappingProperties[] = [
      {
        message: 'ok',
        methodName: 'ok',
        isAckHandledManually: false,
        callback: () => Promise.resolve(new PendingReply(stored, '"acked"')),
      },
      {
        message: 'ko',
        methodName: 'ko',
        isAckHandledManually: false,
        callback: () =>
          Promise.resolve(
            new PendingReply(Promise.reject(new DomainError(503, 'down')), '"never"'),
          ),
      },
    ];
    const { ws, connection } = setup(handlers);

    // Act
    connection.receive(frame('ok'), false);
    connection.receive(frame('ko'), false);
    await tick();
    const beforeStore = [...ws.sent];
    store();
    await tick();

    // Assert
    expect(beforeStore).toEqual([]);
    expect(ws.sent[0]).toBe('"acked"');
    expect(JSON.parse(ws.sent[1]).data).toEqual({ status: 503, message: 'down' });
  });

  it('hands consecutive log frames of one read to the handler as one run, one reply per frame', async () => {
    // Arrange
    const calls: { payload: unknown; span: FrameSpan }[] = [];
    const { handler: slow, release } = controlled();
    const { ws, connection } = setup([echoLog(calls), slow]);

    // Act: two logs, another event, one more log, all in one read.
    connection.receive(frame('log', 1), false);
    connection.receive(frame('log', 2), false);
    connection.receive(frame('slow'), false);
    connection.receive(frame('log', 3), false);
    release[0]('"slow"');
    await tick();

    // Assert: the other event cut the run, so that entries reach storage in arrival order.
    expect(calls).toEqual([
      { payload: [1, 2], span: { first: 0, count: 2 } },
      { payload: [3], span: { first: 3, count: 1 } },
    ]);
    expect(ws.sent).toEqual(['"ack 1"', '"ack 2"', '"slow"', '"ack 3"']);
  });

  it('refuses binary frames with 400 and keeps going', async () => {
    const { ws, connection } = setup([]);
    connection.receive(Buffer.from('{}'), true);
    await tick();
    expect(JSON.parse(ws.sent[0]).data.status).toBe(400);
  });

  it('stops reading at maxInflight unanswered frames and resumes once half are answered', async () => {
    // Arrange
    const { handler, release } = controlled();
    const { ws, connection } = setup([handler], 4);

    // Act
    for (let i = 0; i < 4; i++) connection.receive(frame('slow'), false);
    const pausedAtLimit = ws.paused;
    release[0]('"1"');
    release[1]('"2"');
    await tick();

    // Assert
    expect(pausedAtLimit).toBe(true);
    expect(connection.inflight).toBe(2);
    expect(ws.paused).toBe(false);
  });

  it('on revoke answers what it received, then 401, then closes with 4401', async () => {
    // Arrange
    const { handler, release } = controlled();
    const { ws, connection } = setup([handler]);
    connection.receive(frame('slow'), false);

    // Act
    connection.revoke();
    connection.receive(frame('slow'), false); // buffered by ws before the pause took effect
    release[0]('"ack"');
    await tick();

    // Assert
    expect(release).toHaveLength(1); // the late frame never reached a handler
    expect(ws.sent[0]).toBe('"ack"');
    expect(JSON.parse(ws.sent[1]).data.status).toBe(401);
    expect(JSON.parse(ws.sent[2]).data.status).toBe(401);
    expect(ws.closedWith).toBe(4401);
  });

  it('ends a run at a frame answered at once, so each run holds consecutive slots only', async () => {
    // Arrange
    const calls: { payload: unknown; span: FrameSpan }[] = [];
    const { ws, connection } = setup([echoLog(calls)]);

    // Act: one read: log, unknown, log, malformed, log, binary, log.
    connection.receive(frame('log', 1), false);
    connection.receive(Buffer.from('{"data":{}}'), false);
    connection.receive(frame('log', 2), false);
    connection.receive(Buffer.from('{'), false);
    connection.receive(frame('log', 3), false);
    connection.receive(Buffer.from('{}'), true);
    connection.receive(frame('log', 4), false);
    await tick();

    // Assert
    expect(calls.map((c) => c.span)).toEqual([
      { first: 0, count: 1 },
      { first: 2, count: 1 },
      { first: 4, count: 1 },
      { first: 6, count: 1 },
    ]);
    expect(ws.sent.map((r) => (r.startsWith('"') ? r : statusOf(r)))).toEqual([
      '"ack 1"',
      400,
      '"ack 2"',
      400,
      '"ack 3"',
      400,
      '"ack 4"',
    ]);
  });

  it('answers a non-string event, however deep, with 400 without formatting it', async () => {
    const { ws, connection } = setup([]);
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);

    connection.receive(Buffer.from(`{"event":${deep},"data":{}}`), false);
    connection.receive(Buffer.from('{"event":{"toString":1},"data":{}}'), false);
    await tick();

    expect(ws.sent.map((r) => JSON.parse(r).data.message)).toEqual([
      'event must be a string; expected one of: ',
      'event must be a string; expected one of: ',
    ]);
  });

  it.each([
    [
      'throws synchronously',
      () => {
        throw new Error('bug');
      },
    ],
    ['rejects with a non-domain error', () => Promise.reject(new TypeError('bug'))],
    ['resolves with nothing', () => Promise.resolve(undefined)],
    ['resolves with too few replies', () => Promise.resolve([])],
    [
      'fails its storage with a non-domain error',
      () => Promise.resolve(new PendingReply(Promise.reject(new Error('bug')), '"never"')),
    ],
  ])('contains a handler that %s to its frames: 500 each, reported once', async (_, callback) => {
    // Arrange
    const calls: { payload: unknown; span: FrameSpan }[] = [];
    const broken: MessageMappingProperties = {
      message: 'broken',
      methodName: 'broken',
      isAckHandledManually: false,
      callback: callback as MessageMappingProperties['callback'],
    };
    const { ws, connection, defects } = setup([broken, echoLog(calls)]);

    // Act: a frame before and after, so that order and liveness show.
    connection.receive(frame('log', 1), false);
    connection.receive(frame('broken'), false);
    connection.receive(frame('log', 2), false);
    await tick();

    // Assert
    expect(ws.sent[0]).toBe('"ack 1"');
    expect(JSON.parse(ws.sent[1])).toEqual({
      event: 'error',
      data: { status: 500, message: 'internal error' },
    });
    expect(ws.sent[2]).toBe('"ack 2"');
    expect(ws.sent).toHaveLength(3);
    expect(defects).toHaveLength(1);
  });
});
