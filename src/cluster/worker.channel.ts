import cluster from 'node:cluster';
import {
  isOurs,
  type PrimaryAnswers,
  type PrimaryMessage,
  type PrimaryRequests,
  type RequestOp,
  type WorkerMessage,
} from './cluster.messages.js';

/** The fork env variable the primary sets: the worker's stable index (0..WORKERS-1). */
export const WORKER_INDEX_VAR = 'LOGGER_WORKER_INDEX';
/** A request the primary does not answer in this time fails (e.g. it is shutting down). */
const REQUEST_TIMEOUT_MS = 5000;

/** This process's worker index, or undefined when it is not a cluster worker. */
export function workerIndex(): number | undefined {
  // Not configuration: the primary sets it in each worker's environment (ClusterPrimary).
  const index = Number(process.env[WORKER_INDEX_VAR]);
  return cluster.isWorker && Number.isInteger(index) && index >= 0 ? index : undefined;
}

type Handler = (message: PrimaryMessage) => void;

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A worker's side of the IPC channel to its primary: requests with answers, and one-way messages
 * by type. Exists only in a cluster worker (see `WorkerChannel.ofThisProcess`).
 */
export class WorkerChannel {
  private readonly waiting = new Map<number, Waiting>();
  private readonly handlers = new Map<PrimaryMessage['t'], Handler>();
  private nextId = 1;

  constructor(
    /** This worker's index, stable across its restarts. */
    readonly index: number,
    private readonly port: Pick<NodeJS.Process, 'send' | 'on' | 'connected'> = process,
  ) {
    port.on('message', (message: unknown) => {
      if (isOurs<PrimaryMessage>(message)) this.receive(message);
    });
  }

  /** The channel of this process when it is a cluster worker, else null (a single process). */
  static ofThisProcess(): WorkerChannel | null {
    const index = workerIndex();
    return index === undefined ? null : new WorkerChannel(index);
  }

  /** Asks the primary; rejects when it answers an error or not within REQUEST_TIMEOUT_MS. */
  request<Op extends RequestOp>(op: Op, args: PrimaryRequests[Op]): Promise<PrimaryAnswers[Op]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the primary did not answer ${op} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.send({ ls: 1, t: 'req', id, op, args });
    });
  }

  /** A one-way message; dropped when the primary is gone (Node's cluster then ends this worker). */
  send(message: WorkerMessage): void {
    // A send on a closed channel would emit 'error' on process; the callback takes it instead.
    if (this.port.connected) this.port.send?.(message, undefined, undefined, () => undefined);
  }

  /** Sets the one handler of a message type. */
  on<T extends PrimaryMessage['t']>(
    type: T,
    handler: (m: PrimaryMessage & { t: T }) => void,
  ): void {
    this.handlers.set(type, handler as Handler);
  }

  private receive(message: PrimaryMessage): void {
    if (message.t !== 'res') return this.handlers.get(message.t)?.(message);
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    this.waiting.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new Error(message.error));
  }
}
