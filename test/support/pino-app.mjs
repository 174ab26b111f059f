// A pino application for test/e2e/client-pino.e2e-spec.ts: it logs through the transport the
// way a user would (pino.transport with the package's target) and then exits by itself, so that
// what arrives was delivered within pino's exit window. RUN names the entries' correlationIds.
import pino from 'pino';

const run = process.env.RUN;
const count = Number(process.env.COUNT ?? '0');
const transport = pino.transport({
  target: '@logger-service/client/pino',
  options: JSON.parse(process.env.TRANSPORT_OPTIONS),
});
// A fixed clock, so that the spec knows the `time` every record carries.
const logger = pino(
  { name: 'checkout-api', level: 'trace', timestamp: () => ',"time":1768991400000' },
  transport,
);

logger.trace({ correlationId: `${run}-trace` }, 'trace line');
logger.debug({ correlationId: `${run}-debug` }, 'debug line');
logger.info({ reqId: `${run}-req` }, 'request done');
logger.warn({ correlationId: `${run}-warn` }, 'slow query');
logger.error({ correlationId: `${run}-error`, err: new TypeError('boom') }, 'charge failed');
logger.fatal({ correlationId: `${run}-fatal` }, 'going down');
logger.child({ module: 'Billing' }).info({ correlationId: `${run}-child` }, 'invoice sent');
logger.info({ correlationId: `${run}-nomsg` });
logger.info({ correlationId: `${run}-long` }, 'x'.repeat(200));
for (let i = 0; i < count; i++) logger.info({ correlationId: `${run}-bulk-${i}` }, 'bulk');
