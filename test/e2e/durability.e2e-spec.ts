import { jest } from '@jest/globals';
import { ACK_ONE, batchFrame, logFrame, validEntry } from '../support/entries.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStoredFiles } from '../support/stored.js';
import { openClient, terminateAllClients, type WsClient } from '../support/ws-client.js';

/** SPEC §3 "ack means stored": whatever was acked survives kill -9 of the service. */

// Each file boots real processes; a test or hook that takes longer than this is stuck.
jest.setTimeout(30_000);

interface SentFrame {
  frame: unknown;
  /** correlationIds of the entries an ack of this frame stores. */
  ids: string[];
}

/** Frames carrying `entries` entries: logs, and batches of 10 with increasing seq. */
function framesOf(entries: number): SentFrame[] {
  const frames: SentFrame[] = [];
  let seq = 0;
  for (let n = 0; n < entries;) {
    if (frames.length % 3 === 2 && entries - n >= 10) {
      const batch = Array.from({ length: 10 }, () => validEntry());
      frames.push({ frame: batchFrame(++seq, batch), ids: batch.map((e) => e.correlationId!) });
      n += 10;
    } else {
      const entry = validEntry();
      frames.push({ frame: logFrame(entry), ids: [entry.correlationId!] });
      n += 1;
    }
  }
  return frames;
}

/** correlationIds acked on `client`: replies come in frame order, so the first replies' frames. */
function ackedIds(client: WsClient, frames: SentFrame[]): string[] {
  return client.replies.flatMap((reply, i) => {
    const isAck = reply.event === 'ack' && reply.data.accepted === frames[i].ids.length;
    if (!isAck) throw new Error(`frame ${i} was answered ${JSON.stringify(reply)}`);
    return frames[i].ids;
  });
}

/** The acked ids that are not stored exactly once in `logDir` (readable lines only). */
async function missingOrDuplicated(logDir: string, acked: string[]): Promise<string[]> {
  const files = await readStoredFiles(logDir);
  const index = byCorrelationId(files.flatMap((f) => f.entries));
  return acked.filter((id) => index.get(id)?.length !== 1);
}

describe('durability under kill -9', () => {
  let service: ServiceProcess;
  const connect = () => openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

  beforeEach(async () => {
    service = await startService();
  });

  afterEach(async () => {
    terminateAllClients();
    await stopAllServices();
  });

  it('keeps all 2000 entries acked over 4 connections when killed right after the last ack', async () => {
    const clients = await Promise.all([connect(), connect(), connect(), connect()]);
    const plans = clients.map(() => framesOf(500));
    clients.forEach((client, c) => plans[c].forEach((f) => client.send(f.frame)));

    await Promise.all(clients.map((client, c) => client.next(plans[c].length, 20_000)));
    const exit = await service.kill9();

    expect(exit.signal).toBe('SIGKILL');
    const acked = clients.flatMap((client, c) => ackedIds(client, plans[c]));
    expect(acked).toHaveLength(2000);
    expect(await missingOrDuplicated(service.logDir, acked)).toEqual([]);
  });

  it('keeps every entry acked before a kill -9 that lands while frames are in flight', async () => {
    const clients = await Promise.all([connect(), connect()]);
    const plans = clients.map(() => Array.from({ length: 3000 }, () => validEntry()));
    clients.forEach((client, c) => plans[c].forEach((entry) => client.send(logFrame(entry))));

    await clients[0].next(500, 20_000);
    const exit = await service.kill9();
    await Promise.all(clients.map((client) => client.closed));

    expect(exit.signal).toBe('SIGKILL');
    expect(clients.every((client) => client.raw.every((text) => text === ACK_ONE))).toBe(true);
    const acked = clients.flatMap((client, c) =>
      plans[c].slice(0, client.replies.length).map((e) => e.correlationId!),
    );
    expect(acked.length).toBeGreaterThanOrEqual(500);
    expect(await missingOrDuplicated(service.logDir, acked)).toEqual([]);
  });
});
