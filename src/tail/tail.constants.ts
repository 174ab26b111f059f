/** Injection token of the configured {@link TailBus} (see tail.module.ts). */
export const TAIL_BUS = Symbol('TAIL_BUS');
