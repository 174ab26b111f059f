import type { WorkerChannel } from '../cluster/worker.channel.js';
import type { StreamMark } from '../storage/sinks/entry-group.js';
import type { ProducerLedger } from '../storage/sinks/producer-ledger.interface.js';
import type { ProducerStateStore, StreamState } from './producer-state.store.js';

/**
 * Without Redis under WORKERS > 1: the primary owns the LOG_DIR state file (one writer, one
 * memory), and workers ask it; a record or a note resolves once the primary has made it durable.
 * So a producer that reconnects to any worker finds the seq its stream reached, and the `file`
 * sink's notes of producer batches (ProducerLedger) go to the same file.
 */
export class IpcProducerStateStore implements ProducerStateStore, ProducerLedger {
  constructor(private readonly channel: WorkerChannel) {}

  open(stream: string): Promise<StreamState> {
    return this.channel.request('producer.open', { stream });
  }

  async record(stream: string, seq: number): Promise<void> {
    await this.channel.request('producer.record', { stream, seq });
  }

  async intend(
    marks: readonly StreamMark[],
    day: string,
    offset: number,
    length: number,
    crc: number,
  ): Promise<void> {
    await this.channel.request('producer.intend', { marks: [...marks], day, offset, length, crc });
  }

  stored(marks: readonly StreamMark[]): void {
    this.channel.request('producer.stored', { marks: [...marks] }).catch(() => undefined);
  }

  abandoned(marks: readonly StreamMark[]): void {
    this.channel.request('producer.abandoned', { marks: [...marks] }).catch(() => undefined);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
