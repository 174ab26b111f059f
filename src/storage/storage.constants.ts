/** Injection token of the configured {@link LogSink} (see storage.module.ts). */
export const LOG_SINK = Symbol('LOG_SINK');
