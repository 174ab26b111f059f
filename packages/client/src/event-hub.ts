import type { FieldError, LogEntry } from './log-entry.js';

/** The logger's events (SPEC §9) and what each listener receives. */
export interface LoggerEvents {
  connected: { url: string };
  disconnected: { code: number; reason: string };
  rejected: { entry: LogEntry; errors: FieldError[] };
  dropped: { count: number };
  error: Error;
}

export type LoggerEventName = keyof LoggerEvents;
export type Listener<K extends LoggerEventName> = (payload: LoggerEvents[K]) => void;

/**
 * A tiny emitter that behaves the same in Node and browsers (no EventEmitter, no EventTarget).
 * Unlike Node's EventEmitter, an `error` nobody listens to is not thrown: a logger must never be
 * the reason its host crashes.
 */
export class EventHub {
  private readonly listeners = new Map<LoggerEventName, Set<(payload: never) => void>>();

  on<K extends LoggerEventName>(name: K, listener: Listener<K>): void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
  }

  off<K extends LoggerEventName>(name: K, listener: Listener<K>): void {
    this.listeners.get(name)?.delete(listener);
  }

  emit<K extends LoggerEventName>(name: K, payload: LoggerEvents[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        // A throwing listener is the host's bug: rethrown outside our state changes, so that it
        // surfaces as the host's uncaught exception without leaving the logger half-updated.
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }
}
