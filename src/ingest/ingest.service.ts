import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { serializeEntry } from '../contract/serialize-entry.util.js';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { StatsRecorder } from '../stats/stats.recorder.js';
import type { StreamMark } from '../storage/sinks/entry-group.js';
import { StorageService } from '../storage/storage.service.js';
import { TailService } from '../tail/tail.service.js';
import { receivedAt } from './received-at.util.js';

/**
 * Enrich and store: the step between a validated entry and its ack, shared by every way in.
 * Entries are stamped with the connection's session and serialized once, here, and counted for
 * the stats and handed to the live tail once stored; the storage service writes every call of one
 * event-loop turn in one group.
 */
@Injectable()
export class IngestService {
  constructor(
    private readonly storage: StorageService,
    private readonly counters: IngestCounters,
    private readonly stats: StatsRecorder,
    private readonly tail: TailService,
  ) {}

  /**
   * Serializes the entries now (the caller may drop them at once) and resolves once they are
   * stored; rejects with a StorageUnavailableError (503) when none of them may be acked.
   * `batch` names a producer batch (SPEC §8), whose entries get ids from its stream.
   */
  store(
    entries: readonly LogEntryDto[],
    principal: Principal,
    batch?: Omit<StreamMark, 'from' | 'count'>,
  ): Promise<void> {
    // The one metrics update of the hot path: once per store call, whatever its size.
    this.counters.storing(principal.name, entries.length);
    const at = receivedAt();
    const lines = new Array<string>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      lines[i] = serializeEntry(entries[i], at, principal.session);
    }
    const stored = this.storage.store(at.slice(0, 10), lines, batch);
    this.stats.count(entries, stored);
    this.tail.stage(entries, lines, stored);
    return stored;
  }
}
