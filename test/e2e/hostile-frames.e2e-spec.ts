import { jest } from '@jest/globals';
import { ACK_ONE, logFrame, validEntry } from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import { openClient, terminateAllClients, type WsClient } from '../support/ws-client.js';
import { clientFrame, deeplyNested } from '../support/ws-frame.js';

/**
 * Regressions of issue 7 over a real socket: frames that once killed the process or wedged the
 * connection. The property-based protocol spec tries the same things at random; these pin the
 * exact cases that were found.
 */

jest.setTimeout(30_000);

const DEPTH = 10_000;

describe('hostile frames', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  const connect = (): Promise<WsClient> =>
    openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

  it.each([
    ['an event nested 10,000 deep', `{"event":${deeplyNested(DEPTH)},"data":{}}`],
    ['data nested 10,000 deep', `{"event":"log","data":${deeplyNested(DEPTH)}}`],
    ['a seq nested 10,000 deep', `{"event":"batch","data":{"seq":${deeplyNested(DEPTH)}}}`],
    [
      'a field nested 10,000 deep',
      JSON.stringify(logFrame(validEntry())).replace('"info"', deeplyNested(DEPTH)),
    ],
    ['an object event', '{"event":{"toString":"x","valueOf":1},"data":{}}'],
  ])('answers %s with 400, and the process and the connection live on', async (_, frame) => {
    const client = await connect();
    const entry = validEntry();

    client.send(frame);
    client.send(logFrame(entry));
    const [error, ack] = await client.next(2);

    expect(error.event).toBe('error');
    expect(error.data.status).toBe(400);
    expect(String(error.data.message).length).toBeLessThan(200);
    expect(ack.event).toBe('ack');
    expect(client.raw[1]).toBe(ACK_ONE);
    expect((await httpGet(`${service.httpUrl}/health/live`)).status).toBe(200);
    expect(
      byCorrelationId(await readStored(service.logDir)).get(entry.correlationId!),
    ).toHaveLength(1);
  });

  it('quotes an unknown event name bounded and escaped', async () => {
    const client = await connect();

    client.send({ event: `x"\u0000${'y'.repeat(100_000)}`, data: {} });
    const [error] = await client.next(1);

    expect(error.data).toEqual({
      status: 400,
      message: `unknown event ${JSON.stringify(`x"\u0000${'y'.repeat(61)}`)}…; expected one of: log, batch, subscribe, unsubscribe`,
    });
  });

  it('never joins log frames of one read across a frame answered at once (issue 7, defect 2)', async () => {
    const client = await connect();
    const a = validEntry({ level: 'loud' });
    const b = validEntry();
    const c = validEntry({ project: '' });

    // One TCP write, so that the service reads the four frames together.
    client.writeRaw(
      Buffer.concat([
        clientFrame(JSON.stringify(logFrame(a))),
        clientFrame('{"data":{}}'),
        clientFrame(JSON.stringify(logFrame(b))),
        clientFrame(JSON.stringify(logFrame(c))),
      ]),
    );
    const replies = await client.next(4);

    expect(replies.map((r) => [r.event, r.data.status ?? r.data.accepted])).toEqual([
      ['error', 400],
      ['error', 400],
      ['ack', 1],
      ['error', 400],
    ]);
    expect(replies[0].data.errors?.[0].field).toBe('level');
    expect(replies[1].data.message).toMatch(/^event must be a string/);
    expect(replies[3].data.errors?.[0].field).toBe('project');
    const stored = byCorrelationId(await readStored(service.logDir));
    expect([a, b, c].map((e) => stored.get(e.correlationId!)?.length ?? 0)).toEqual([0, 1, 0]);
    // The connection is not wedged: a later frame is still answered.
    client.send(logFrame(validEntry()));
    await client.next(5);
    expect(client.raw[4]).toBe(ACK_ONE);
  });

  it('keeps runs apart across malformed, binary and non-object frames in one read', async () => {
    const client = await connect();
    const entries = [validEntry(), validEntry(), validEntry(), validEntry()];
    const log = (i: number) => clientFrame(JSON.stringify(logFrame(entries[i])));

    client.writeRaw(
      Buffer.concat([
        log(0),
        clientFrame('{"event":"log",'),
        log(1),
        clientFrame(Buffer.from('{}'), 0x2),
        log(2),
        clientFrame('[1,2]'),
        log(3),
      ]),
    );
    const replies = await client.next(7);

    expect(replies.map((r) => r.event)).toEqual([
      'ack',
      'error',
      'ack',
      'error',
      'ack',
      'error',
      'ack',
    ]);
    const stored = byCorrelationId(await readStored(service.logDir));
    expect(entries.map((e) => stored.get(e.correlationId!)?.length ?? 0)).toEqual([1, 1, 1, 1]);
  });
});
