/**
 * Fleet-wide housekeeping as BullMQ job schedulers (one per fleet, whatever the number of
 * workers): recovery of inbound events that were recorded but not handled, and expiry of
 * codes, conversations and inbound records (FerretDB has no TTL indexes).
 */
import { Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES, type MaintenanceJobName } from "./queues.js";
import { logErrors, type ErrorLogger } from "./redis.js";

export type MaintenanceTasks = Record<MaintenanceJobName, () => Promise<number>>;

const SCHEDULES: Record<MaintenanceJobName, { every?: number; pattern?: string }> = {
  "recover-inbound": { every: 60_000 },
  "expire-conversations": { pattern: "17 * * * *" },
  "expire-codes": { pattern: "30 3 * * *" },
  "expire-inbound": { pattern: "45 3 * * *" },
};

/** Declares the schedulers (idempotent by id; safe to call from every process at start). */
export async function scheduleMaintenance(queue: Queue, timeZone: string): Promise<void> {
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    const repeat = schedule.every ? { every: schedule.every } : { pattern: schedule.pattern!, tz: timeZone };
    await queue.upsertJobScheduler(name, repeat, { name, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  }
}

export function startMaintenanceWorker(connection: Redis, prefix: string, tasks: MaintenanceTasks, log: (obj: object, msg: string) => void, logger?: ErrorLogger): Worker {
  const worker = new Worker(
    QUEUES.maintenance,
    async (job) => {
      const task = tasks[job.name as MaintenanceJobName];
      if (!task) return 0;
      const count = await task();
      if (count > 0) log({ job: job.name, count }, "maintenance done");
      return count;
    },
    { connection, prefix, concurrency: 1 },
  );
  return logErrors(worker, logger, "worker maintenance");
}
