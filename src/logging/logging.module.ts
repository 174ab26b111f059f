import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { EnvDto } from '../config/env.dto.js';

/** Query strings may carry `apiKey=`: request logs keep the path only. */
function pathOnly(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q === -1 ? (url ?? '') : `${url!.slice(0, q)}?[redacted]`;
}

/**
 * JSON logs through pino at LOG_LEVEL. Keys never reach a log line: the header is redacted and
 * the query string dropped. Probes and scrapes are not request-logged; nothing is logged per entry.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [EnvDto],
      useFactory: (env: EnvDto) => ({
        pinoHttp: {
          level: env.LOG_LEVEL,
          redact: {
            paths: ['req.headers["x-api-key"]', 'req.headers.authorization'],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({
              method: req.method,
              url: pathOnly(req.url),
              headers: req.headers,
            }),
          },
          autoLogging: {
            ignore: (req: { url?: string }) => /^\/(health|metrics)\b/.test(req.url ?? ''),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
