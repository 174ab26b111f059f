import { randomBytes } from 'node:crypto';

/** RFC 6455 opcodes a test client sends. */
export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;

/**
 * One complete, masked client frame (RFC 6455 §5.2) holding `payload`, for tests that write raw
 * bytes to the socket: several frames in one write arrive in one server read, and a frame cut
 * into pieces arrives split across reads. Unlike `ws`' Sender, it never touches `payload`.
 */
export function clientFrame(payload: string | Buffer, opcode = OPCODE_TEXT): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = data.length;
  const lengthBytes = n < 126 ? 0 : n < 0x10000 ? 2 : 8;
  const start = 2 + lengthBytes + 4;
  const frame = Buffer.allocUnsafe(start + n);
  frame[0] = 0x80 | opcode; // FIN: the whole message in one frame
  if (lengthBytes === 0) frame[1] = 0x80 | n;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, start - 4);
  for (let i = 0; i < n; i++) frame[start + i] = data[i] ^ mask[i & 3];
  return frame;
}

/** `[[[ ... ]]]` nested `depth` deep: JSON.parse takes it, naive recursion over it does not. */
export function deeplyNested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/**
 * The payloads of unmasked server frames written back to back (as WsConnection writes its
 * replies), as strings: what a fake socket of a unit test saw written.
 */
export function serverFramePayloads(bytes: Buffer): string[] {
  const payloads: string[] = [];
  for (let at = 0; at < bytes.length;) {
    let n = bytes[at + 1] & 0x7f;
    let start = at + 2;
    if (n === 126) {
      n = bytes.readUInt16BE(at + 2);
      start = at + 4;
    } else if (n === 127) {
      n = Number(bytes.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    payloads.push(bytes.toString('utf8', start, start + n));
    at = start + n;
  }
  return payloads;
}
