/**
 * Fleet-wide housekeeping as BullMQ job schedulers (one per fleet, whatever the number of
 * workers): recovery of inbound events that were recorded but not handled, expiry of codes,
 * conversations, inbound records, delivered messages' texts, resolved concerns' texts and old
 * concern digest facts (FerretDB has no TTL indexes; src/app/retention.ts says what is kept how
 * long), and the reconciler, which
 * rebuilds from MongoDB every job Redis should hold (see `reconcileAll`).
 */
import { Worker, type Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import { QUEUES, type MaintenanceJobName } from "./queues.js";
import { logErrors, type ErrorLogger } from "./redis.js";
import { STALL_LIMIT } from "./worker-options.js";

export type MaintenanceTasks = Record<MaintenanceJobName, () => Promise<number>>;

interface MaintenanceLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Recovery after a crash within about a minute (the README's promise): an event left pending
 * is picked up by the first `recover-inbound` run after it is `RECOVER_AFTER_MS` old, so the
 * worst case is their sum. The age keeps recovery off turns still running normally.
 */
export const RECOVER_EVERY_MS = 30_000;
export const RECOVER_AFTER_MS = 30_000;

const SCHEDULES: Record<MaintenanceJobName, { every?: number; pattern?: string }> = {
  "recover-inbound": { every: RECOVER_EVERY_MS },
  reconcile: { every: 60_000 },
  "expire-conversations": { pattern: "17 * * * *" },
  "expire-codes": { pattern: "30 3 * * *" },
  "expire-inbound": { pattern: "45 3 * * *" },
  "expire-delivery-payloads": { pattern: "5 * * * *" },
  "expire-concern-texts": { pattern: "15 4 * * *" },
  "expire-concern-digests": { pattern: "25 4 * * *" },
  // Zalo OA (no-ops without one): refresh-ahead hourly under the token lock; old interaction facts daily.
  "zalo-oa-refresh": { pattern: "23 * * * *" },
  "zalo-oa-prune": { pattern: "55 3 * * *" },
};

/** Declares the schedulers (idempotent by id; safe to call from every process at start). */
export async function scheduleMaintenance(queue: Queue, timeZone: string): Promise<void> {
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    const repeat = schedule.every ? { every: schedule.every } : { pattern: schedule.pattern!, tz: timeZone };
    await queue.upsertJobScheduler(name, repeat, { name, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  }
}

export function startMaintenanceWorker(connection: RedisConnection, prefix: string, tasks: MaintenanceTasks, log: (obj: object, msg: string) => void, logger?: ErrorLogger): Worker {
  const worker = new Worker(
    QUEUES.maintenance,
    async (job) => {
      const task = tasks[job.name as MaintenanceJobName];
      if (!task) return 0;
      const count = await task();
      if (count > 0) log({ job: job.name, count }, "maintenance done");
      return count;
    },
    { connection, prefix, concurrency: 1, maxStalledCount: STALL_LIMIT },
  );
  return logErrors(worker, logger, "worker maintenance");
}

/** One part of the reconciler: a feature's (or the outbox's) rebuild of its Redis-held jobs. */
export interface Reconciler {
  name: string;
  /** Idempotent (deterministic job ids); returns how many jobs it (re)created. */
  run: () => Promise<number>;
}

/**
 * Runs every reconciler; one that fails does not keep the others from running (the job fails
 * afterwards, so the failure is logged and the next minute tries again). Returns how many jobs
 * were rebuilt in all.
 *
 * @example
 * tasks.reconcile = () => reconcileAll([{ name: "outbox", run: () => reconcileOutbox(o) }, …], logger);
 */
export async function reconcileAll(reconcilers: Reconciler[], log: MaintenanceLogger): Promise<number> {
  let total = 0;
  const failed: string[] = [];
  for (const r of reconcilers) {
    try {
      const n = await r.run();
      total += n;
      if (n > 0) log.warn({ reconciler: r.name, rebuilt: n }, "reconciler rebuilt jobs missing from Redis");
    } catch (err) {
      failed.push(r.name);
      log.warn({ reconciler: r.name, err }, "reconciler failed");
    }
  }
  if (failed.length > 0) throw new Error(`reconcilers failed: ${failed.join(", ")}`);
  return total;
}

/**
 * True when Redis lost the maintenance schedulers (FLUSHALL, a failover to a replica that never
 * had them): then `onLost` re-declares every scheduler and reconciles at once.
 */
export async function checkSchedulers(queue: Queue, onLost: () => Promise<void>): Promise<boolean> {
  if (await queue.getJobScheduler("reconcile")) return false;
  await onLost();
  return true;
}

/**
 * Each worker process checks every `everyMs` that the schedulers are still in Redis: a job
 * scheduler lost with Redis's data would otherwise never fire again, reconciler included. Only
 * the re-declaration is per process (idempotent); the scheduled work still runs once per fleet.
 */
export function watchSchedulers(queue: Queue, o: { everyMs: number; onLost: () => Promise<void>; log: MaintenanceLogger }): { close(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(async () => { if (await checkSchedulers(queue, o.onLost)) o.log.warn({}, "job schedulers were missing from Redis: re-declared and reconciled"); })
      .catch((err: unknown) => o.log.warn({ err }, "scheduler check failed"));
  };
  const timer = setInterval(tick, o.everyMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
