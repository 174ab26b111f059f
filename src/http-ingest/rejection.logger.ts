import { Injectable, Logger } from '@nestjs/common';
import { quoteClientText } from '../common/client-text.util.js';
import type { Principal } from '../auth/principal.js';

/** At most one rejection log line per key name per interval; the rest are counted into it. */
const INTERVAL_MS = 10_000;
/** Names tracked at once; past it the oldest is forgotten (its next line comes sooner). */
const MAX_NAMES = 1000;

interface Window {
  until: number;
  suppressed: number;
}

/**
 * Logs rejected POST /logs entries (SPEC §4), rate-limited per key name so a misconfigured
 * shipper cannot flood the service's own log. Names the key by name and hash prefix, never the
 * key; a session user's name is client text and is quoted.
 */
@Injectable()
export class RejectionLogger {
  private readonly logger = new Logger('HttpIngest');
  private readonly windows = new Map<string, Window>();

  note(principal: Principal, rejected: number, total: number, reason: string, now = Date.now()) {
    const window = this.windows.get(principal.name);
    if (window !== undefined && now < window.until) {
      window.suppressed++;
      return;
    }
    const suppressed = window?.suppressed ?? 0;
    this.windows.delete(principal.name);
    if (this.windows.size >= MAX_NAMES) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(principal.name, { until: now + INTERVAL_MS, suppressed: 0 });
    const more = suppressed > 0 ? ` (${suppressed} more rejecting requests not logged)` : '';
    this.logger.warn(
      `key ${quoteClientText(principal.name)} (${principal.keyId}): ${rejected} of ${total} entries rejected: ${reason}${more}`,
    );
  }
}
