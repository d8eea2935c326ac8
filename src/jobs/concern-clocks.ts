/**
 * Concern clocks as BullMQ delayed jobs (first response, resolution), one per (ticket, kind,
 * cycle) with a deterministic id; the payload holds ids only. The processor (the concerns
 * feature's `runClock`) re-reads the ticket's facts and does nothing when it was answered, resolved
 * or its cycle moved. The morning digest is a job scheduler on the same queue that ticks every
 * 15 minutes for the whole fleet; the concerns feature's `runDigest` sends each school its
 * digest at 07:00 in the school's own zone, once per local day (Mon–Sat, school days). A minute sweep on
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
      const existing = await queue.getJob(id);
      // A clock whose attempts all failed (the database down at its time, or it kept killing
      // its workers) runs again: its run re-reads the ticket's facts, so a late escalation is
      // still right, and one that is no longer due does nothing.
      if (existing && (await existing.isFailed())) return (await existing.retry("failed"), true);
      if (existing) return false;
      await queue.add("concern-clock", job, { ...CLOCK_JOB_OPTIONS, jobId: id, delay: Math.max(0, at.getTime() - clock.now().getTime()) });
      return true;
    },
  };
}

/** Every quarter hour: a school's 07:00 is on a tick in every zone (offsets are multiples of 15 minutes). */
export const DIGEST_PATTERN = "*/15 * * * *";

/**
 * Declares the digest tick (idempotent by id). The id is the one the former fleet-wide
 * "0 7 * * 1-6" scheduler had, so this upsert replaces it and its pending job: an upgraded
 * fleet has one digest scheduler. A failed tick is retried (the same job id: its own decided
 * schools are sent again, deduplicated by the outbox); the next tick decides the rest.
 */
export async function scheduleConcernDigest(queue: Queue, timeZone: string): Promise<void> {
  await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: DIGEST_PATTERN, tz: timeZone },
    { name: "concern-digest", data: {}, opts: { attempts: 3, backoff: { type: "exponential", delay: 5_000 }, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } } });
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
  /** One digest tick; `runId` is the job's id (a retry of the job has the same). */
  runDigest: (runId: string) => Promise<number>;
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
      const teachers = await o.runDigest(`job-${job.id ?? ""}`);
      if (teachers > 0) o.logger?.info({ jobId: job.id, teachers }, "concern digest");
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
