import fc from 'fast-check';
import {
  invalidEntry,
  membersLabel,
  topLevelMembers,
  validEntry,
  type Hostile,
} from './entry-arbitraries.js';
import {
  BAD_ENTRY,
  frameSpec,
  objectText,
  short,
  type EntrySpec,
  type ExpectedReply,
  type FrameSpec,
  type Member,
} from './protocol-oracle.js';

/**
 * fast-check arbitraries of `batch` frames (SPEC §3, §8), each with the reply it must get: an ack
 * echoing `seq` and rejecting exactly the invalid entries by index, or 400 for a bad shape.
 */

/** A valid seq as JSON text (undefined: absent) and the seq its ack must echo. */
interface Seq {
  readonly json: string | undefined;
  readonly echo: number | undefined;
}

const validSeq: fc.Arbitrary<Seq> = fc.oneof(
  fc.constant({ json: undefined, echo: undefined }),
  fc.constant({ json: 'null', echo: undefined }),
  fc
    .oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), fc.maxSafeNat())
    .map((n) => ({ json: String(n), echo: n })),
);

function badSeq(h: Hostile): fc.Arbitrary<string> {
  return fc.constantFrom(
    ...['-1', '1.5', '"17"', '{}', '[]', 'true', String(2 ** 53), '1e400', '-9007199254740992'],
    h.deepArray,
    h.deepObject,
  );
}

function batchText(
  seq: string | undefined,
  entries: string | undefined,
  extras: readonly Member[],
) {
  const members: Member[] = seq === undefined ? [] : [['seq', seq]];
  if (entries !== undefined) members.push(['entries', entries]);
  return objectText([
    ['event', '"batch"'],
    ['data', objectText([...members, ...extras])],
  ]);
}

const listText = (texts: readonly string[]) => `[${texts.join(',')}]`;
const entriesLabel = (entries: readonly EntrySpec[]) =>
  `[${entries.map((e) => short(e.label, 24)).join(', ')}]`;

/** 1..batchMax entries, valid and invalid mixed, at most one of them huge or deeply nested. */
function batchEntries(h: Hostile, batchMax: number): fc.Arbitrary<EntrySpec[]> {
  const small = fc.oneof(
    { weight: 3, arbitrary: validEntry(h, false) },
    { weight: 2, arbitrary: invalidEntry(h, false) },
  );
  const hostile = fc.tuple(fc.oneof(validEntry(h, true), invalidEntry(h, true)), fc.nat());
  const list = fc.array(small, { minLength: 1, maxLength: batchMax - 1 });
  return fc.tuple(list, fc.option(hostile, { nil: undefined })).map(([entries, extra]) => {
    if (!extra) return entries;
    const [entry, at] = extra;
    return entries.toSpliced(at % (entries.length + 1), 0, entry);
  });
}

export function validBatch(h: Hostile, batchMax: number): fc.Arbitrary<FrameSpec> {
  return fc
    .tuple(validSeq, batchEntries(h, batchMax), topLevelMembers(h, false))
    .map(([seq, entries, extras]) => {
      const rejected = entries.flatMap((e, i) => (e.stored ? [] : [i]));
      const expect: ExpectedReply = {
        kind: 'batch-ack',
        seq: seq.echo,
        size: entries.length,
        rejected,
      };
      const label = `batch seq=${seq.json ?? 'absent'}${membersLabel(extras)} ${entriesLabel(entries)}`;
      return frameSpec(label, expect, entries, (texts) =>
        batchText(seq.json, listText(texts), extras),
      );
    });
}

/** Batches of a bad shape: 400 with errors, and none of their entries stored. */
export function badBatch(h: Hostile, batchMax: number): fc.Arbitrary<FrameSpec> {
  const entries = batchEntries(h, batchMax);
  const seqWrong = fc
    .tuple(badSeq(h), entries)
    .map(([seq, list]) =>
      frameSpec(`batch seq=${short(seq, 16)} ${entriesLabel(list)}`, BAD_ENTRY, list, (texts) =>
        batchText(seq, listText(texts), []),
      ),
    );
  const overMax = fc
    .tuple(
      validSeq,
      fc.array(validEntry(h, false), { minLength: batchMax + 1, maxLength: batchMax + 3 }),
    )
    .map(([seq, list]) =>
      frameSpec(`batch of ${list.length} > max`, BAD_ENTRY, list, (texts) =>
        batchText(seq.json, listText(texts), []),
      ),
    );
  const notAList = fc
    .tuple(validSeq, fc.constantFrom(undefined, '[]', '{}', '"x"', 'null', '1', h.deepObject))
    .map(([seq, list]) =>
      frameSpec(`batch entries=${short(list ?? 'absent', 16)}`, BAD_ENTRY, [], () =>
        batchText(seq.json, list, []),
      ),
    );
  return fc.oneof(seqWrong, overMax, notAList, badBatchData(h));
}

/** `data` not an object, or its entries hidden under a `__proto__` key. */
function badBatchData(h: Hostile): fc.Arbitrary<FrameSpec> {
  const data = fc.constantFrom(undefined, '[]', '"x"', '1', 'null', h.deepArray, h.deepObject);
  const notObject = data.map((text) =>
    frameSpec(`batch data=${short(text ?? 'absent', 16)}`, BAD_ENTRY, [], () =>
      text === undefined
        ? '{"event":"batch"}'
        : objectText([
            ['event', '"batch"'],
            ['data', text],
          ]),
    ),
  );
  const underProto = validEntry(h, false).map((entry) =>
    frameSpec('batch entries under __proto__', BAD_ENTRY, [entry], ([t]) =>
      objectText([
        ['event', '"batch"'],
        ['data', `{"__proto__":{"entries":[${t}]},"seq":1}`],
      ]),
    ),
  );
  return fc.oneof(notObject, underProto);
}
