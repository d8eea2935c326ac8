/** Creates the queues every role needs, and closes them (graceful shutdown). */
import { Queue, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, type OutboxJob } from "./queues.js";

export interface Queues {
  outbox: Queue<OutboxJob>;
  maintenance: Queue;
  /** Any other queue by name (features' delayed jobs), created on first use. */
  get(name: string): Queue;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string): Queues {
  const made = new Map<string, Queue>();
  const get = (name: string): Queue => {
    let q = made.get(name);
    if (!q) made.set(name, (q = new Queue(name, { connection, prefix })));
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

export type { Worker };
