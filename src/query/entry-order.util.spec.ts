import { inSpecOrder } from './entry-order.util.js';

describe(inSpecOrder.name, () => {
  it('rebuilds SPEC §1 key order, the session too, leaving absent fields absent', () => {
    const jsonbOrder = {
      level: 'error',
      action: 'a',
      module: 'm',
      system: 's',
      project: 'p',
      errorCode: 5,
      timestamp: 't',
      activeSession: { ipaddress: 'i', user: 'u', timestamp: 't2' },
      correlationId: 'c',
    };
    const out = inSpecOrder(jsonbOrder);
    expect(JSON.stringify(out)).toBe(
      '{"timestamp":"t","correlationId":"c","level":"error","project":"p","system":"s",' +
        '"module":"m","action":"a","errorCode":5,"activeSession":{"user":"u","timestamp":"t2","ipaddress":"i"}}',
    );
  });
});
