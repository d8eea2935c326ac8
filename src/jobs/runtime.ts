/** Creates the queues every role needs, and closes them (graceful shutdown). */
import { Queue, Worker } from "bullmq";
import type { RedisConnection } from "./redis.js";
import { QUEUES, type OutboxJob } from "./queues.js";
import { logErrors, type ErrorEmitter, type ErrorLogger } from "./redis.js";

export interface Queues {
  outbox: Queue<OutboxJob>;
  maintenance: Queue;
  /** Any other queue by name (features' delayed jobs), created on first use. */
  get(name: string): Queue;
  close(): Promise<void>;
}

export function createQueues(connection: RedisConnection, prefix: string, logger?: ErrorLogger): Queues {
  const made = new Map<string, Queue>();
  const get = (name: string): Queue => {
    let q = made.get(name);
    if (!q) made.set(name, (q = logErrors(new Queue(name, { connection, prefix }), logger, `queue ${name}`)));
    return q;
  };
  return {
    outbox: get(QUEUES.outbox) as Queue<OutboxJob>,
    maintenance: get(QUEUES.maintenance),
    get,
    async close() {
      await Promise.all([...made.values()].map((q) => q.close()));
    },
  };
}

/** Closes workers gracefully: no new jobs, active ones finish. */
export async function closeWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.close()));
}

/**
 * The safety net of the composition root: every worker or other emitter it is handed (features'
 * workers come back as `Closable`s) gets an `error` listener if it has none yet.
 */
export function logUnhandledErrors(things: unknown[], logger: ErrorLogger): void {
  for (const thing of things)
    if (isEmitter(thing) && thing.listenerCount("error") === 0) logErrors(thing, logger, thing instanceof Worker ? `worker ${thing.name}` : "emitter");
}

function isEmitter(x: unknown): x is ErrorEmitter {
  return typeof x === "object" && x !== null && typeof (x as ErrorEmitter).on === "function" && typeof (x as ErrorEmitter).listenerCount === "function";
}

export type { Worker };
