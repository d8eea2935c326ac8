/**
 * What every feature worker shares: connection, prefix, concurrency and the optional lock
 * timings (tests shorten them to prove crash recovery), and how a failed job is logged —
 * through the logger's `err` serializer, never as the raw message, because a database error
 * can echo the text of a parent's message.
 */
import type { Worker, WorkerOptions } from "bullmq";
import type { RedisConnection } from "./redis.js";
import { logErrors } from "./redis.js";

/**
 * How many times a job may come back from a dead worker (its lock expired mid-run) before
 * BullMQ fails it. BullMQ's default is 1: a job in flight at two crashes (an OOM kill, then
 * the restarted process killed again while re-running it) would fail with nothing sent and no
 * outcome recorded. Every job here is idempotent by its facts, so a rerun is safe; the limit
 * only stops a job that itself kills its worker from doing so forever.
 */
export const STALL_LIMIT = 3;

export interface BaseWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
}

/** BullMQ worker options from our common ones. */
export function workerOptions(o: BaseWorkerOptions, defaultConcurrency = 5): WorkerOptions {
  return {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.concurrency ?? defaultConcurrency,
    maxStalledCount: STALL_LIMIT,
    ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
    ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
  };
}

/** Logs a worker's failed jobs with ids and the redacting error serializer, and its connection errors. */
export function logFailures(worker: Worker, logger: { warn(obj: object, msg: string): void; error?(obj: object, msg: string): void } | undefined, msg: string): void {
  worker.on("failed", (job, err) => logger?.warn({ jobId: job?.id, attempts: job?.attemptsMade, err }, msg));
  logErrors(worker, logger?.error ? { error: (obj, m) => logger.error!(obj, m) } : undefined, `worker ${worker.name}`);
}
