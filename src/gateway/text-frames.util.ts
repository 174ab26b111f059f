const FIN_TEXT = 0x81;

/**
 * Server-to-client text frames (RFC 6455 §5.2: FIN, opcode 1, unmasked) of `payloads`, in one
 * buffer, so that a live-tail group reaches a subscriber in one socket write instead of two per
 * entry through ws's Sender (measured: most of the tail's send cost). Only valid on a socket
 * whose ws Sender never queues, i.e. without permessage-deflate (IngestWsAdapter turns it off).
 */
export function textFrames(payloads: readonly Buffer[]): Buffer {
  let size = 0;
  for (const p of payloads) size += headerSize(p.length) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    const n = p.length;
    out[at] = FIN_TEXT;
    if (n < 126) {
      out[at + 1] = n;
      at += 2;
    } else if (n < 0x10000) {
      out[at + 1] = 126;
      out.writeUInt16BE(n, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(n / 0x100000000), at + 2);
      out.writeUInt32BE(n >>> 0, at + 6);
      at += 10;
    }
    at += p.copy(out, at);
  }
  return out;
}

function headerSize(n: number): number {
  return n < 126 ? 2 : n < 0x10000 ? 4 : 10;
}
