import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FrameSpan } from './reply-queue.js';
import type { IngestSocket } from './ws-connection.js';
import { errorFrameOf, INTERNAL_ERROR } from './wire.js';

/** Where WsConnection passes the FrameSpan being handled in a handler's arguments. */
const FRAME_SPAN_ARG = 2;

/**
 * The one place a gateway error becomes a wire `error` frame (SPEC §3). It answers in the slots
 * of the frames that failed, so the error leaves after the replies of every earlier frame; the
 * socket stays open.
 */
@Catch()
export class WsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(WsExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const client = host.switchToWs().getClient<IngestSocket>();
    const span = host.getArgByIndex<FrameSpan>(FRAME_SPAN_ARG);
    client.connection.answer(span, this.toFrame(exception));
  }

  private toFrame(exception: unknown): string {
    const frame = errorFrameOf(exception);
    if (frame !== undefined) return frame;
    this.logger.error({ err: exception }, 'unexpected error in a gateway handler');
    return INTERNAL_ERROR;
  }
}
