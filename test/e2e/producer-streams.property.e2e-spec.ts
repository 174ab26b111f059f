import { jest } from '@jest/globals';
import fc from 'fast-check';
import { uniqueId, validEntry, type EntryInput } from '../support/entries.js';
import { pbtParameters } from '../support/pbt-seed.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored } from '../support/stored.js';
import {
  openClient,
  terminateAllClients,
  tryUpgrade,
  type Reply,
  type WsClient,
} from '../support/ws-client.js';

/**
 * SPEC §8 as a property over real sockets against the built service (file storage, state in
 * LOG_DIR): a producer stream gets random mixes of next, duplicate, gapped and zero seqs, hostile
 * seqs and batch shapes, batches with invalid entries, and reconnects at random points — after
 * every reply, or abruptly with frames unanswered. Invariants: each frame gets one reply, in
 * order, the one the §8 model predicts; `hello` after an abrupt reconnect reports a seq between
 * the last acked and the last sent; stored entries are exactly the valid entries of the batches
 * the service took, each once. Hostile producer ids at the handshake are refused with 400.
 */

const BATCH_MAX_ENTRIES = 20;
const params = pbtParameters(40);
jest.setTimeout(Math.max(60_000, params.numRuns * 6000) + 30_000);

type SeqChoice =
  | { kind: 'next' }
  | { kind: 'dup'; back: number }
  | { kind: 'gap'; ahead: number }
  | { kind: 'zero' }
  | { kind: 'hostile'; seq: unknown }
  | { kind: 'missing' };

interface BatchStep {
  seq: SeqChoice;
  /** true = valid entry, false = invalid (reported by index, never stored). */
  entries: boolean[];
  /** A malformed batch (entries not a list, empty, too many): 400 whatever the seq. */
  badShape: 'none' | 'empty' | 'not-a-list' | 'too-many';
}

/** A connection's frames, then how it ends: every reply awaited, or cut after `after` replies. */
interface Segment {
  steps: BatchStep[];
  end: { kind: 'clean' } | { kind: 'abrupt'; after: number };
}

const seqChoice: fc.Arbitrary<SeqChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'next' as const }) },
  { weight: 2, arbitrary: fc.nat({ max: 4 }).map((back) => ({ kind: 'dup' as const, back })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 5 }).map((ahead) => ({ kind: 'gap' as const, ahead })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'zero' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<unknown>(-1, 1.5, '2', 2 ** 53, true, [], {}, 'NaN', -0.5, 1e300)
      .map((seq) => ({ kind: 'hostile' as const, seq })),
  },
);

const batchStep: fc.Arbitrary<BatchStep> = fc.record({
  seq: seqChoice,
  entries: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
  badShape: fc.constantFrom(
    'none',
    'none',
    'none',
    'none',
    'none',
    'empty',
    'not-a-list',
    'too-many',
  ),
});

const segment: fc.Arbitrary<Segment> = fc.record({
  steps: fc.array(batchStep, { minLength: 1, maxLength: 25 }),
  end: fc.oneof(
    fc.constant({ kind: 'clean' as const }),
    fc.nat({ max: 25 }).map((after) => ({ kind: 'abrupt' as const, after })),
  ),
});

/** Producer ids SPEC §8 refuses: too long, outside `A-Za-z0-9_.-`, empty. */
const hostileProducerId = fc.oneof(
  fc.constant(''),
  fc.constant('x'.repeat(65)),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
    .filter((s) => !/^[A-Za-z0-9_.-]{1,64}$/.test(s)),
  fc.constantFrom('a b', 'a/b', 'é', 'a\u0000b', '../etc', 'a%20b', '%', 'a?b', 'a#b'),
);

/** What a connection's server state is, as the model sees it. */
interface Model {
  /** Highest seq the service has stored (all acked ones, perhaps more after a cut). */
  stored: number;
  /** Valid entries of the batches taken, by seq. */
  taken: Map<number, string[]>;
  /** Every correlationId sent in the run, taken or not. */
  sent: Set<string>;
}

interface Sent {
  frame: unknown;
  ids: string[];
  expect: (reply: Reply) => void;
  /** For a batch the model says the service takes: its seq and valid entries' ids. */
  takes?: { seq: number; ids: string[] };
}

/** Resolves a step to its frame and predicted reply, advancing `next` as the service would. */
function plan(step: BatchStep, state: { next: number }): Sent {
  const entries: EntryInput[] = step.entries.map((valid) =>
    valid ? validEntry() : { ...validEntry(), level: 'fatal' },
  );
  const ids = entries.filter((_, i) => step.entries[i]).map((e) => e.correlationId!);
  const rejected = step.entries.flatMap((valid, index) => (valid ? [] : [index]));
  let seq: unknown;
  switch (step.seq.kind) {
    case 'next':
      seq = state.next;
      break;
    case 'dup':
      seq = Math.max(0, state.next - 1 - step.seq.back);
      break;
    case 'gap':
      seq = state.next + step.seq.ahead;
      break;
    case 'zero':
      seq = 0;
      break;
    case 'hostile':
      seq = step.seq.seq;
      break;
    case 'missing':
      seq = undefined;
  }
  const list =
    step.badShape === 'empty'
      ? []
      : step.badShape === 'not-a-list'
        ? { 0: entries[0] }
        : step.badShape === 'too-many'
          ? Array.from({ length: BATCH_MAX_ENTRIES + 1 }, () => validEntry())
          : entries;
  const frame = {
    event: 'batch',
    data: seq === undefined ? { entries: list } : { seq, entries: list },
  };
  const all = (Array.isArray(list) ? list : [entries[0]]).map((e) => e.correlationId!);
  const error400 = (reply: Reply) => {
    expect(reply.event).toBe('error');
    expect(reply.data.status).toBe(400);
  };
  const hostile = seq !== undefined && !(Number.isSafeInteger(seq) && (seq as number) >= 0);
  if (step.badShape !== 'none' || hostile || seq === undefined)
    return { frame, ids: all, expect: error400 };
  const s = seq as number;
  if (s < state.next) {
    return {
      frame,
      ids: all,
      expect: (reply) =>
        expect(reply).toEqual({ event: 'ack', data: { seq: s, accepted: 0, duplicate: true } }),
    };
  }
  if (s > state.next) {
    const expected = state.next;
    return {
      frame,
      ids: all,
      expect: (reply) => {
        expect(reply.event).toBe('error');
        expect(reply.data).toMatchObject({ status: 409, expected });
      },
    };
  }
  state.next++;
  return {
    frame,
    ids: all,
    takes: { seq: s, ids },
    expect: (reply) => {
      expect(reply.event).toBe('ack');
      expect(reply.data).toMatchObject({ seq: s, accepted: ids.length });
      expect((reply.data.rejected as { index: number }[]).map((r) => r.index)).toEqual(rejected);
    },
  };
}

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({ env: { BATCH_MAX_ENTRIES: String(BATCH_MAX_ENTRIES) } });
});
afterEach(() => terminateAllClients());
afterAll(() => stopAllServices());

async function connect(producerId: string): Promise<{ client: WsClient; lastSeq: number }> {
  const client = await openClient(service.wsUrl(), {
    headers: { 'x-api-key': SERVICE_KEY.key, 'x-producer-id': producerId },
  });
  const [hello] = await client.next(1);
  expect(hello.event).toBe('hello');
  expect(hello.data.producerId).toBe(producerId);
  return { client, lastSeq: hello.data.lastSeq as number };
}

/** Runs one segment on a new connection; updates the model with what the service took. */
async function runSegment(producerId: string, seg: Segment, model: Model): Promise<void> {
  const { client, lastSeq } = await connect(producerId);
  expect(lastSeq).toBe(model.stored);
  const state = { next: lastSeq + 1 };
  const sent = seg.steps.map((step) => plan(step, state));
  for (const s of sent) for (const id of s.ids) model.sent.add(id);
  for (const s of sent) client.send(s.frame);
  const wanted = seg.end.kind === 'clean' ? sent.length : Math.min(seg.end.after, sent.length);
  const replies = (await client.next(1 + wanted, 20_000)).slice(1);
  replies.forEach((reply, i) => sent[i].expect(reply));
  if (seg.end.kind === 'clean') {
    for (const s of sent) if (s.takes) model.taken.set(s.takes.seq, s.takes.ids);
    model.stored = state.next - 1;
    return client.close().then(() => undefined);
  }
  // Abrupt: the frames not answered yet may or may not have been taken; the next hello says.
  client.terminate();
  const acked = sent.slice(0, wanted).reduce((n, s) => (s.takes ? s.takes.seq : n), model.stored);
  const probe = await connect(producerId);
  await probe.client.close();
  expect(probe.lastSeq).toBeGreaterThanOrEqual(acked);
  expect(probe.lastSeq).toBeLessThanOrEqual(state.next - 1);
  for (const s of sent) {
    if (s.takes && s.takes.seq <= probe.lastSeq) model.taken.set(s.takes.seq, s.takes.ids);
  }
  model.stored = probe.lastSeq;
}

describe('producer streams (SPEC §8) as a property over real sockets', () => {
  it('answers every frame as the model says and stores exactly the taken batches, once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), async (segments) => {
        const producerId = uniqueId('pbt')
          .replace(/[^A-Za-z0-9_.-]/g, '-')
          .slice(0, 64);
        const model: Model = { stored: 0, taken: new Map(), sent: new Set() };
        for (const seg of segments) await runSegment(producerId, seg, model);
        const stored = (await readStored(service.logDir)).map((e) => e.correlationId);
        // Every taken entry once, in seq order; nothing of a refused, duplicate or invalid batch.
        const expected = [...model.taken.entries()]
          .sort((a, b) => a[0] - b[0])
          .flatMap((e) => e[1]);
        expect(stored.filter((id) => model.sent.has(id))).toEqual(expected);
      }),
      params,
    );
  });

  it('refuses hostile producer ids at the handshake with 400, and takes any valid one', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileProducerId,
        fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
        fc.constantFrom('header', 'query', 'both-differ'),
        async (bad, good, where) => {
          const headers: Record<string, string> = { 'x-api-key': SERVICE_KEY.key };
          const query: Record<string, string> = {};
          if (where === 'header' && /^[\t\x20-\x7e]*$/.test(bad) && bad === bad.trim()) {
            headers['x-producer-id'] = bad;
          } else if (where === 'both-differ') {
            headers['x-producer-id'] = good;
            query.producerId = `${good}x`;
          } else query.producerId = bad;
          const refused = await tryUpgrade(service.wsUrl(), { headers, query });
          expect(refused.status).toBe(400);

          const { client, lastSeq } = await connect(`${good}`);
          expect(lastSeq).toBeGreaterThanOrEqual(0);
          await client.close();
        },
      ),
      { ...params, numRuns: params.numRuns * 4 },
    );
  });
});
