import { crc32 } from 'node:zlib';
import type { EntryGroup } from '../sinks/entry-group.js';

/**
 * The spool's record format: one record per group, appended as is.
 *
 *   [u32 BE payload bytes][u32 BE CRC-32 of the payload][payload]
 *   payload = `${writer}\t${seq}\t${day}\t${lines.length}[\t${JSON of streams}]\n` + lines.join('\n')
 *
 * (UTF-8; the streams part only for a group holding producer batches, whose ids a replay must
 * write again: JSON escapes tabs and newlines, so it needs no escaping either.)
 *
 * Serialized entries never hold a raw newline (JSON.stringify escapes it), so the lines need no
 * escaping. A record cut short by a crash or a full disk fails its length or CRC check; decoding
 * stops there, which loses nothing acked: an ack waits for its whole record.
 */
const HEADER_BYTES = 8;

export interface DecodedRecords {
  readonly groups: EntryGroup[];
  /** Bytes of `buf` that held whole, valid records. */
  readonly validBytes: number;
}

/** The records of `groups`, one after the other, in one buffer (one write). */
export function encodeRecords(groups: readonly EntryGroup[]): Buffer {
  const parts: Buffer[] = [];
  for (const g of groups) {
    const streams = g.streams ? `\t${JSON.stringify(g.streams)}` : '';
    const payload = Buffer.from(
      `${g.writer}\t${g.seq}\t${g.day}\t${g.lines.length}${streams}\n${g.lines.join('\n')}`,
    );
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32BE(payload.length, 0);
    header.writeUInt32BE(crc32(payload), 4);
    parts.push(header, payload);
  }
  return parts.length === 2
    ? Buffer.concat(parts, parts[0].length + parts[1].length)
    : Buffer.concat(parts);
}

/** Every whole, valid record at the start of `buf`, in order; stops at the first bad one. */
export function decodeRecords(buf: Buffer): DecodedRecords {
  const groups: EntryGroup[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const end = offset + HEADER_BYTES + length;
    if (end > buf.length) break;
    const payload = buf.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== buf.readUInt32BE(offset + 4)) break;
    const group = parsePayload(payload.toString('utf8'));
    if (!group) break;
    groups.push(group);
    offset = end;
  }
  return { groups, validBytes: offset };
}

function parsePayload(text: string): EntryGroup | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const [writer, seq, day, count, streams] = text.slice(0, newline).split('\t');
  const lines = text.slice(newline + 1).split('\n');
  if (lines.length !== Number(count) || !/^\d+$/.test(seq ?? '')) return undefined;
  const group = { writer, seq: Number(seq), day, lines };
  // Written by encodeRecords and CRC-checked: its JSON is ours.
  return streams === undefined
    ? group
    : { ...group, streams: JSON.parse(streams) as EntryGroup['streams'] };
}
