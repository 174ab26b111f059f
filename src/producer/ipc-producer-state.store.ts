import type { WorkerChannel } from '../cluster/worker.channel.js';
import type { ProducerStateStore, StreamState } from './producer-state.store.js';

/**
 * Without Redis under WORKERS > 1: the primary owns the LOG_DIR state file (one writer, one
 * memory), and workers ask it; a record resolves once the primary has made it durable. So a
 * producer that reconnects to any worker finds the seq its stream reached.
 */
export class IpcProducerStateStore implements ProducerStateStore {
  constructor(private readonly channel: WorkerChannel) {}

  open(stream: string): Promise<StreamState> {
    return this.channel.request('producer.open', { stream });
  }

  async record(stream: string, seq: number): Promise<void> {
    await this.channel.request('producer.record', { stream, seq });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
