import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AbstractWsAdapter, type MessageMappingProperties } from '@nestjs/websockets';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { frameArbitrary, HOSTILE_SIZES } from '../../test/support/frame-arbitraries.js';
import { pbtParameters, PbtTally } from '../../test/support/pbt-seed.js';
import {
  renderFrames,
  replyProblems,
  storedProblems,
  type FrameCase,
  type FrameSpec,
} from '../../test/support/protocol-oracle.js';
import { serverFramePayloads } from '../../test/support/ws-frame.js';
import { createPrincipal } from '../auth/principal.js';
import { EnvDto } from '../config/env.dto.js';
import { LogBatchPipe } from '../contract/log-batch.pipe.js';
import { LogRunPipe } from '../contract/log-run.pipe.js';
import { IngestService } from '../ingest/ingest.service.js';
import { InProcessStatsStore } from '../stats/in-process.stats-store.js';
import { StatsRecorder } from '../stats/stats.recorder.js';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { PRODUCER_STATE_STORE } from '../producer/producer-state.store.js';
import { ProducerStreams } from '../producer/producer-streams.service.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { StorageService } from '../storage/storage.service.js';
import { InProcessTailBus } from '../tail/in-process.tail-bus.js';
import { TAIL_BUS } from '../tail/tail.constants.js';
import { TailService } from '../tail/tail.service.js';
import { LogsGateway } from './logs.gateway.js';
import { WsConnection, type IngestSocket } from './ws-connection.js';

/**
 * SPEC §3 as a property: random sequences of every frame kind, fed to a real WsConnection in
 * random socket reads, through the real LogsGateway with its guard, pipes and exception filter
 * (Nest builds the handlers), storing through the real IngestService into writes that complete
 * in an order fast-check's scheduler picks.
 */

const BATCH_MAX_ENTRIES = 20;
const RUNS = 300;
const PRINCIPAL = createPrincipal(
  'svc-unit',
  ['ingest'],
  { user: 'svc-unit', timestamp: '2026-01-21T10:30:00.000Z', ipaddress: '10.0.0.1' },
  'abcd1234',
);

/** Hands each socket's handlers to its WsConnection, as IngestWsAdapter does. */
class CapturingWsAdapter extends AbstractWsAdapter {
  readonly server = new EventEmitter();

  create(): EventEmitter {
    return this.server;
  }

  bindMessageHandlers(client: IngestSocket, handlers: MessageMappingProperties[]): void {
    client.connection.listen(handlers);
  }
}

/** StorageService as IngestService sees it: every write completes when the scheduler says. */
class RecordingStorage {
  readonly lines: string[] = [];
  /** Markers (correlationIds) of the entries whose write has completed. */
  readonly written = new Set<string>();
  private scheduler: fc.Scheduler | undefined;

  reset(scheduler: fc.Scheduler): void {
    this.lines.length = 0;
    this.written.clear();
    this.scheduler = scheduler;
  }

  store(_day: string, lines: readonly string[]): Promise<void> {
    this.lines.push(...lines);
    const write = this.scheduler!.schedule(Promise.resolve(), `write of ${lines.length}`);
    return write.then(() => {
      for (const line of lines) this.written.add(String(JSON.parse(line).correlationId));
    });
  }
}

/** The ws socket: records replies, and whether each ack left only after its entries were written. */
class FakeWs extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: string[] = [];
  readonly ackedUnwritten: string[] = [];

  constructor(
    private readonly frames: readonly FrameCase[],
    private readonly written: ReadonlySet<string>,
  ) {
    super();
  }

  send(data: string | Buffer): void {
    const frame = this.frames[this.sent.length];
    const reply = String(data);
    this.sent.push(reply);
    const isAck = reply.startsWith('{"event":"ack"');
    if (isAck && frame?.stores.some((entry) => !this.written.has(entry.marker))) {
      this.ackedUnwritten.push(`${frame.label}: replied before its entries were written`);
    }
  }

  pause(): void {}
  resume(): void {}
  close(): void {}
}

/** Hands each reply frame written to it to the fake ws, as if ws.send had been called. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  constructor(private readonly ws: FakeWs) {
    super();
  }
  cork(): void {}
  uncork(): void {}
  write(bytes: Buffer): void {
    for (const reply of serverFramePayloads(bytes)) this.ws.send(reply);
  }
}

/** The frames of one socket read, then how many pending writes complete before the next read. */
interface Read {
  readonly frames: readonly FrameSpec[];
  readonly release: number;
}

const readsArbitrary = fc.array(
  fc.record(
    {
      frames: fc.array(frameArbitrary({ batchMax: BATCH_MAX_ENTRIES, ...HOSTILE_SIZES }), {
        minLength: 1,
        maxLength: 8,
      }),
      release: fc.nat({ max: 6 }),
    },
    { noNullPrototype: true },
  ),
  { minLength: 1, maxLength: 8 },
);

/** Generous (a run takes tens of ms): the bound only turns a hang into a failure. */
const timeoutFor = (runs: number) => Math.max(30_000, runs * 100);

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The real gateway, built by Nest as in the app, over a recording storage. */
async function createGateway(storage: RecordingStorage) {
  const env = Object.assign(new EnvDto(), { BATCH_MAX_ENTRIES });
  const moduleRef = await Test.createTestingModule({
    providers: [
      LogsGateway,
      LogRunPipe,
      LogBatchPipe,
      IngestService,
      IngestCounters,
      { provide: StatsRecorder, useValue: new StatsRecorder(new InProcessStatsStore()) },
      RateLimiter,
      TailService,
      { provide: TAIL_BUS, useValue: new InProcessTailBus() },
      ProducerStreams,
      { provide: PRODUCER_STATE_STORE, useValue: {} },
      { provide: StorageService, useValue: storage },
      { provide: EnvDto, useValue: env },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const adapter = new CapturingWsAdapter();
  app.useWebSocketAdapter(adapter);
  await app.init();
  return { app, adapter, env };
}

describe('SPEC §3 protocol, as a property of WsConnection and LogsGateway', () => {
  const storage = new RecordingStorage();
  const params = pbtParameters(RUNS);
  const tally = new PbtTally('protocol property (unit)', params.seed);
  let app: INestApplication;
  let adapter: CapturingWsAdapter;
  let env: EnvDto;

  beforeAll(async () => ({ app, adapter, env } = await createGateway(storage)));
  afterAll(async () => {
    tally.print();
    await app?.close();
  });

  /** A new connection of an ingest-only key, bound to the gateway's handlers by Nest. */
  function connect(frames: readonly FrameCase[], defects: string[]) {
    const ws = new FakeWs(frames, storage.written);
    const limits = { maxInflight: env.WS_MAX_INFLIGHT, maxQueuedReplyBytes: 1 << 20 };
    const onError = (error: unknown) =>
      defects.push(`handler defect: ${String(error).slice(0, 200)}`);
    const socket = new FakeSocket(ws) as unknown as Socket;
    const connection = new WsConnection(
      ws as unknown as WebSocket,
      socket,
      PRINCIPAL,
      limits,
      onError,
    );
    Object.assign(ws, { principal: PRINCIPAL, connection });
    adapter.server.emit('connection', ws);
    return { ws, connection };
  }

  /** Feeds the frames read by read (synchronous receive() calls), completing writes in between. */
  async function play(s: fc.Scheduler, reads: readonly Read[], frames: readonly FrameCase[]) {
    const defects: string[] = [];
    const { ws, connection } = connect(frames, defects);
    let first = 0;
    for (const read of reads) {
      const end = first + read.frames.length;
      // One socket read: ws emits its frames synchronously, one receive() each.
      for (const frame of frames.slice(first, end)) {
        try {
          connection.receive(frame.data, frame.binary);
        } catch (error) {
          defects.push(`${frame.label}: receive threw ${String(error).slice(0, 200)}`);
        }
      }
      first = end;
      await macrotask();
      await s.waitNext(Math.min(read.release, s.count()));
    }
    while (s.count() > 0) {
      await s.waitIdle();
      await macrotask();
    }
    return { replies: ws.sent, defects: [...defects, ...ws.ackedUnwritten] };
  }

  it(
    'answers every frame once, in order, with its class, and stores exactly the acked valid entries',
    async () => {
      const session = (s: unknown) =>
        isDeepStrictEqual(s, PRINCIPAL.session) ? '' : 'not the key’s';
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), readsArbitrary, async (s, reads) => {
          // Arrange
          storage.reset(s);
          const frames = renderFrames(
            reads.flatMap((read) => read.frames),
            'unit',
          );
          tally.count(frames.length);

          // Act
          const { replies, defects } = await play(s, reads, frames);

          // Assert
          const stored = storage.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
          const expected = frames.flatMap((frame) => frame.stores);
          const problems = [
            ...defects,
            ...replyProblems(frames, replies),
            ...storedProblems(expected, stored, session),
          ];
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        params,
      );
    },
    timeoutFor(params.numRuns),
  );
});
