const FIN_TEXT = 0x81;

/**
 * Server-to-client text frames (RFC 6455 §5.2: FIN, opcode 1, unmasked) of `payloads`, in one
 * buffer, so that a tick's replies or a live-tail group reach a peer in one socket write instead
 * of two per frame through ws's Sender (measured: most of the cost of a reply and of a push).
 * Only valid on a socket whose ws Sender never queues, i.e. without permessage-deflate
 * (IngestWsAdapter turns it off). A string is sent as its UTF-8 bytes.
 */
export function textFrames(payloads: readonly (string | Buffer)[]): Buffer {
  let size = 0;
  for (const p of payloads) {
    const n = byteLength(p);
    size += headerSize(n) + n;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    const n = byteLength(p);
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
    at += typeof p === 'string' ? out.write(p, at) : p.copy(out, at);
  }
  return out;
}

function byteLength(payload: string | Buffer): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
}

function headerSize(n: number): number {
  return n < 126 ? 2 : n < 0x10000 ? 4 : 10;
}
