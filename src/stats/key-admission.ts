import { otherKey } from './stats-key.util.js';

/**
 * The per-minute label cap across flushes: remembers the keys admitted in the newest minute, so
 * that draining the pending counts every second does not reset the cap. Beyond `perMinute`
 * distinct keys a minute, a key becomes its level's `(other)` key. Memory: one minute's keys.
 */
export class KeyAdmission {
  private minute = -1;
  private readonly keys = new Set<string>();

  constructor(private readonly perMinute: number) {}

  admit(minute: number, key: string): string {
    if (minute !== this.minute) {
      if (minute < this.minute) return this.keys.has(key) ? key : otherKey(key);
      this.minute = minute;
      this.keys.clear();
    }
    if (this.keys.has(key)) return key;
    if (this.keys.size >= this.perMinute) return otherKey(key);
    this.keys.add(key);
    return key;
  }
}
