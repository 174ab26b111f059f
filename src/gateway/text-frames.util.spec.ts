import fc from 'fast-check';
import * as ws from 'ws';
import { pbtParameters } from '../../test/support/pbt-seed.js';
import { textFrames } from './text-frames.util.js';

/** ws's Sender (exported, not typed by @types/ws). */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: object): Buffer[] };
};

/** ws's own encoding of one unmasked text frame: the oracle. */
function wsFrame(payload: Buffer): Buffer {
  const options = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };
  return Buffer.concat(Sender.frame(payload, options));
}

/** Payload sizes around every length-encoding boundary, and some in between. */
const size = fc.oneof(
  fc.constantFrom(0, 1, 125, 126, 127, 0xffff, 0x10000, 0x10001),
  fc.nat({ max: 70_000 }),
);

describe(textFrames.name, () => {
  it('encodes each payload exactly as ws frames it, back to back', () => {
    fc.assert(
      fc.property(fc.array(size, { maxLength: 6 }), fc.nat(255), (sizes, fill) => {
        const payloads = sizes.map((n, i) => Buffer.alloc(n, (fill + i) & 0xff));
        expect(textFrames(payloads).equals(Buffer.concat(payloads.map(wsFrame)))).toBe(true);
      }),
      pbtParameters(200),
    );
  });

  it('encodes a string as its UTF-8 bytes, mixed with buffers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uint8Array()), {
          maxLength: 6,
        }),
        (mixed) => {
          const payloads = mixed.map((p) => (typeof p === 'string' ? p : Buffer.from(p)));
          const bytes = payloads.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
          expect(textFrames(payloads).equals(Buffer.concat(bytes.map(wsFrame)))).toBe(true);
        },
      ),
      pbtParameters(200),
    );
  });
});
