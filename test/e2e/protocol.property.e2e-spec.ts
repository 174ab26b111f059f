import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { logFrame, validEntry } from '../support/entries.js';
import { frameArbitrary, HOSTILE_SIZES } from '../support/frame-arbitraries.js';
import { httpGet } from '../support/http-get.js';
import { pbtParameters, PbtTally } from '../support/pbt-seed.js';
import {
  renderFrames,
  replyProblems,
  storedProblems,
  type ExpectedEntry,
  type FrameCase,
  type FrameSpec,
  type SessionCheck,
} from '../support/protocol-oracle.js';
import { RawWsClient, type Cut } from '../support/raw-ws-client.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored } from '../support/stored.js';
import { clientFrame, OPCODE_BINARY } from '../support/ws-frame.js';

/**
 * SPEC §3 as a property over real sockets against the built service: a few concurrent
 * connections each write a random sequence of every frame kind, its bytes cut at random offsets
 * (frames join in one server read, or split across reads). Every frame must get exactly one
 * reply, in order, of its class; the stored lines must be exactly the acked valid entries, with
 * the key's session; and the process and every connection must live on.
 */

const BATCH_MAX_ENTRIES = 20;
const WS_MAX_PAYLOAD = 1 << 20;
const params = pbtParameters(20);
/** A connection that owes replies and sends none for this long is wedged. */
const QUIET_MS = 2000;
/**
 * fast-check stops starting runs (shrinks included) after this, so that its report is printed
 * before jest's timeout: the default 20 runs take ~12 s, a failure shrinks until then.
 */
const PROPERTY_BUDGET_MS = Math.max(45_000, params.numRuns * 2500);
jest.setTimeout(PROPERTY_BUDGET_MS + 30_000);

/** One connection's frames and the cuts of its byte stream. */
interface Sequence {
  readonly frames: readonly FrameSpec[];
  readonly cuts: readonly { frame: number; delta: number; pause: boolean }[];
}

const sequenceArbitrary: fc.Arbitrary<Sequence> = fc.record(
  {
    frames: fc.array(frameArbitrary({ batchMax: BATCH_MAX_ENTRIES, ...HOSTILE_SIZES }), {
      minLength: 1,
      maxLength: 300,
      size: 'max',
    }),
    // Cuts near a frame boundary split headers and tails; the others fall anywhere.
    cuts: fc.array(
      fc.record(
        {
          frame: fc.nat({ max: 299 }),
          delta: fc.oneof(
            fc.constant(0),
            fc.integer({ min: -16, max: 16 }),
            fc.nat({ max: 70_000 }),
          ),
          pause: fc.boolean(),
        },
        { noNullPrototype: true },
      ),
      { maxLength: 200 },
    ),
  },
  { noNullPrototype: true },
);

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Each frame as a masked client frame, all of them concatenated, and where the cuts fall. */
function encode(
  frames: readonly FrameCase[],
  cuts: Sequence['cuts'],
): { bytes: Buffer; at: Cut[] } {
  const starts: number[] = [];
  let length = 0;
  const encoded = frames.map((frame) => {
    // A larger frame would be closed with 1009 (SPEC §3), which this property does not test.
    if (frame.data.length >= WS_MAX_PAYLOAD) throw new Error(`${frame.label}: frame too large`);
    const bytes = frame.binary ? clientFrame(frame.data, OPCODE_BINARY) : clientFrame(frame.data);
    starts.push(length);
    length += bytes.length;
    return bytes;
  });
  const at = cuts
    .map(({ frame, delta, pause }) => ({
      at: Math.min(Math.max(starts[frame % starts.length] + delta, 1), length - 1),
      pause,
    }))
    .sort((a, b) => a.at - b.at);
  return { bytes: Buffer.concat(encoded), at };
}

/** The valid `log` a connection must still ack after its sequence. */
function finalLog(prefix: string): FrameCase {
  const { correlationId, ...fields } = validEntry({ correlationId: `${prefix}-final` });
  const data = Buffer.from(JSON.stringify(logFrame({ correlationId, ...fields })));
  const stores = [{ marker: correlationId!, fields }];
  return { label: 'final log', data, binary: false, expect: { kind: 'ack' }, stores };
}

/** The session of SERVICE_KEY (SPEC §2): its name, the client's IP, one connect time. */
function keySession(): SessionCheck {
  let connectedAt: unknown;
  return (session) => {
    const s = (session ?? {}) as Record<string, unknown>;
    const fields = Object.keys(s).join();
    if (fields !== 'user,timestamp,ipaddress') return `fields ${fields}`;
    if (s.user !== SERVICE_KEY.name || s.ipaddress !== '127.0.0.1') return 'not the key’s';
    connectedAt ??= s.timestamp;
    const same = s.timestamp === connectedAt && ISO_UTC_MS.test(String(s.timestamp));
    return same ? '' : 'not the connect time';
  };
}

interface ConnectionOutcome {
  readonly problems: string[];
  readonly expected: readonly ExpectedEntry[];
}

/** Writes one sequence on a new connection, then a final `log`, and judges the replies. */
async function runConnection(
  service: ServiceProcess,
  sequence: Sequence,
  prefix: string,
): Promise<ConnectionOutcome> {
  const frames = renderFrames(sequence.frames, prefix);
  const final = finalLog(prefix);
  const { bytes, at } = encode(frames, sequence.cuts);
  const client = await RawWsClient.open(service.wsUrl(), { 'x-api-key': SERVICE_KEY.key });
  try {
    await client.write(bytes, at);
    await client.settle(frames.length, QUIET_MS);
    const problems = replyProblems(frames, client.replies);
    if (client.closed !== undefined) problems.push(`the socket closed with ${client.closed}`);
    const expected = frames.flatMap((frame) => frame.stores);
    if (problems.length > 0) return { problems, expected };
    await client.write(clientFrame(final.data), []);
    await client.settle(frames.length + 1, QUIET_MS);
    const after = replyProblems([final], client.replies.slice(frames.length));
    if (client.closed !== undefined) after.push(`closed with ${client.closed}`);
    return {
      problems: after.map((p) => `after the sequence: ${p}`),
      expected: [...expected, ...final.stores],
    };
  } finally {
    client.terminate();
  }
}

/** The process serves on: `GET /health/live` answers 200 (SPEC §4). */
async function livenessProblems(service: ServiceProcess): Promise<string[]> {
  const live = await httpGet(`${service.httpUrl}/health/live`).catch(() => undefined);
  if (live?.status === 200) return [];
  // A crashed process has closed its sockets a moment before its exit is seen.
  await Promise.race([service.exited, sleep(1000)]);
  const exit = service.isRunning
    ? 'still running'
    : `exited ${JSON.stringify(await service.exited)}`;
  return [
    `GET /health/live: ${live?.status ?? 'no answer'}; the service ${exit}; stderr ends:\n${service.stderr.slice(-800)}`,
  ];
}

describe('SPEC §3 protocol over real sockets, as a property', () => {
  const tally = new PbtTally('protocol property (e2e)', params.seed);
  let service: ServiceProcess | undefined;
  /** Stored entries without a marker seen so far in the current service's files. */
  let strangers = 0;
  let run = 0;

  /** The service, started again when a run killed it, so that the next run (a shrink) has one. */
  async function liveService(): Promise<ServiceProcess> {
    if (service?.isRunning) return service;
    strangers = 0;
    service = await startService({
      env: { BATCH_MAX_ENTRIES: String(BATCH_MAX_ENTRIES), WS_MAX_PAYLOAD: String(WS_MAX_PAYLOAD) },
    });
    return service;
  }

  afterAll(async () => {
    tally.print();
    await stopAllServices();
  });

  /** Stored = each connection's acked valid entries, once, in order; nothing else stored. */
  async function storeProblems(
    current: ServiceProcess,
    outcomes: readonly ConnectionOutcome[],
  ): Promise<string[]> {
    const stored = await readStored(current.logDir);
    const unmarked = stored.filter((e) => !String(e.correlationId).startsWith('pbt-'));
    const problems = outcomes.flatMap((outcome, k) => {
      const prefix = `pbt-${run}-${k}-`;
      const mine = stored.filter((e) => String(e.correlationId).startsWith(prefix));
      return storedProblems(outcome.expected, mine, keySession()).map(
        (p) => `connection ${k}: ${p}`,
      );
    });
    if (unmarked.length > strangers) {
      const example = JSON.stringify(unmarked[strangers]).slice(0, 200);
      problems.push(
        `stored ${unmarked.length - strangers} entries no frame sent as valid: ${example}`,
      );
      strangers = unmarked.length;
    }
    return problems;
  }

  it('answers every frame once, in order, with its class, stores exactly the acked valid entries, and lives on', async () => {
    const property = fc.asyncProperty(
      fc.array(sequenceArbitrary, { minLength: 1, maxLength: 3 }),
      async (sequences) => {
        // Arrange
        const current = await liveService();
        run++;
        tally.count(sequences.reduce((n, s) => n + s.frames.length, 0));

        // Act
        const outcomes = await Promise.all(
          sequences.map((sequence, k) => runConnection(current, sequence, `pbt-${run}-${k}`)),
        );

        // Assert
        const problems = outcomes.flatMap((o, k) => o.problems.map((p) => `connection ${k}: ${p}`));
        problems.push(...(await livenessProblems(current)));
        problems.push(...(await storeProblems(current, outcomes)));
        if (problems.length > 0) throw new Error(problems.join('\n'));
      },
    );
    await fc.assert(property, {
      ...params,
      plugins: [fc.interruptAfterTimeLimit(PROPERTY_BUDGET_MS)],
    });
  });
});
