import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The request itself, for pipes that read its body as a stream (ReadBodyPipe):
 * `@IngestRequest(ReadBodyPipe, CheckBodyPipe) body: CheckedEntries`.
 */
export const IngestRequest = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest() as unknown,
);
