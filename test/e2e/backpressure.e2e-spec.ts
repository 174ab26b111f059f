import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { ACK_ONE, logFrame, validEntry } from '../support/entries.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { openStalledClient } from '../support/stalled-ws-client.js';
import { readStored } from '../support/stored.js';
import { openClient, terminateAllClients } from '../support/ws-client.js';

/** SPEC §3: a client that sends without reading its replies stops being read; memory stays bounded. */

jest.setTimeout(30_000);

const FRAMES_PER_WRITE = 1000;
/** ~130 MB of frames at most: far more than the kernel buffers of both directions hold. */
const MAX_WRITES = 400;

/** A client text frame, masked with an all-zero key (legal in RFC 6455; masking is a no-op). */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const header =
    n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 255]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/** Whether the socket's buffered writes drained within `ms`. */
function drained(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('drain', onDrain);
      resolve(false);
    }, ms);
    const onDrain = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('drain', onDrain);
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
  return Number(line?.[1] ?? NaN) / 1024;
}

describe('backpressure', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({ env: { WS_MAX_INFLIGHT: '16' } });
  });

  afterAll(async () => {
    terminateAllClients();
    await stopAllServices();
  });

  it('stops reading a client that never reads its replies, and keeps serving the others', async () => {
    // Arrange
    const stalled = await openStalledClient(service.port, '/ws', SERVICE_KEY.key);
    const frame = clientFrame(JSON.stringify(logFrame(validEntry())));
    const chunk = Buffer.concat(Array.from({ length: FRAMES_PER_WRITE }, () => frame));
    let framesSent = 0;
    let serverStoppedReading = false;

    // Act: write until the server stops taking bytes for a whole second.
    try {
      for (let i = 0; i < MAX_WRITES && !serverStoppedReading; i++) {
        framesSent += FRAMES_PER_WRITE;
        if (!stalled.write(chunk)) serverStoppedReading = !(await drained(stalled, 1000));
      }
      const other = await openClient(service.wsUrl(), {
        headers: { 'x-api-key': SERVICE_KEY.key },
      });
      other.send(logFrame(validEntry()));
      await other.next(1);
      const stored = (await readStored(service.logDir)).length;
      const rss = rssMb(service.child.pid!);

      // Assert
      expect(serverStoppedReading).toBe(true);
      expect(other.raw[0]).toBe(ACK_ONE);
      expect(stored).toBeLessThan(framesSent);
      expect(rss).toBeLessThan(400);
    } finally {
      stalled.destroy();
    }
  });
});
