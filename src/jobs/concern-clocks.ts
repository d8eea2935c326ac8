/**
 * Concern clocks as BullMQ delayed jobs (first response, resolution), one per (ticket, kind,
 * cycle) with a deterministic id; the payload holds ids only. The processor (the concerns
 * feature's `runClock`) re-reads the ticket's facts and does nothing when it was answered, resolved
 * or its cycle moved. The 07:00 morning digest is a job scheduler on the same queue
 * (Mon–Sat; the service skips schools whose calendar has no school that day). A minute sweep on
 * the same queue delivers tickets that were waiting for a teacher (or principal) to link.
 */
import { logFailures, workerOptions } from "./worker-options.js";
import { Worker, type Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import type { Clock } from "../engine/ports.js";
import type { ConcernClockJob, ConcernClockScheduler } from "../features/concerns/port.js";
import { QUEUES, jobId } from "./queues.js";

/** "pclk-<ticket>-<kind>-c<cycle>". */
export function concernClockJobId(job: ConcernClockJob): string {
  return jobId("pclk", job.concernId, job.kind, `c${job.cycle}`);
}

export const CLOCK_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 30 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

export const DIGEST_SCHEDULER_ID = "concern-digest";
export const ASSIGN_SCHEDULER_ID = "concern-assign";

/** The scheduler over a BullMQ queue; delays are measured on `clock` (a fake one in tests). */
export function createConcernClockScheduler(queue: Queue, clock: Clock): ConcernClockScheduler {
  return {
    async schedule(job, at) {
      const id = concernClockJobId(job);
      if (await queue.getJob(id)) return false;
      await queue.add("concern-clock", job, { ...CLOCK_JOB_OPTIONS, jobId: id, delay: Math.max(0, at.getTime() - clock.now().getTime()) });
      return true;
    },
  };
}

/** Declares the morning digest (idempotent by id). */
export async function scheduleConcernDigest(queue: Queue, timeZone: string): Promise<void> {
  await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: "0 7 * * 1-6", tz: timeZone },
    { name: "concern-digest", data: {}, opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } });
}

/**
 * Declares the minute sweep that delivers tickets raised while nobody could receive them to
 * staff who linked since (idempotent by id).
 */
export async function scheduleConcernAssign(queue: Queue, timeZone: string): Promise<void> {
  await queue.upsertJobScheduler(ASSIGN_SCHEDULER_ID, { pattern: "* * * * *", tz: timeZone },
    { name: "concern-assign", data: {}, opts: { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } } });
}

export interface ConcernWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  runClock: (job: ConcernClockJob) => Promise<"escalated" | "skipped">;
  runDigest: () => Promise<number>;
  /** The sweep of tickets waiting for someone to link (`scheduleConcernAssign`). */
  runAssign?: () => Promise<number>;
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the worker of the concern-clocks queue. */
export function startConcernWorker(o: ConcernWorkerOptions): Worker {
  const worker = new Worker(QUEUES.concernClocks, async (job) => {
    if (job.name === "concern-digest") {
      const teachers = await o.runDigest();
      o.logger?.info({ jobId: job.id, teachers }, "concern digest");
      return teachers;
    }
    if (job.name === "concern-assign") {
      const delivered = (await o.runAssign?.()) ?? 0;
      if (delivered > 0) o.logger?.info({ jobId: job.id, delivered }, "concern assign");
      return delivered;
    }
    const data = job.data as ConcernClockJob;
    const outcome = await o.runClock(data);
    o.logger?.info({ jobId: job.id, concernId: data.concernId, kind: data.kind, cycle: data.cycle, outcome }, "concern clock");
    return outcome;
  }, workerOptions(o));
  logFailures(worker, o.logger, "concern job failed");
  return worker;
}
