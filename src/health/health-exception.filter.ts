import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/**
 * The probes' 503 keeps terminus' own body (`{"status":"error","info","error","details"}`),
 * what Kubernetes tooling and dashboards read, instead of the SPEC §4 error body that the
 * global HttpExceptionFilter gives every other route.
 */
@Catch(HttpException)
export class HealthExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const text = JSON.stringify(exception.getResponse());
    res.statusCode = exception.getStatus();
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  }
}
