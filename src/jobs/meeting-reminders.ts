/**
 * Meeting reminders as BullMQ delayed jobs. One job per (meeting, version, rung) with a
 * deterministic id, so re-planning is idempotent; the payload holds ids only. The processor
 * (`runReminder` in src/features/meetings/reminders.ts) re-reads the meeting and does nothing when it was
 * rescheduled (version moved) or cancelled — which covers a job that was already active
 * when the change landed and could not be removed.
 */
import { logFailures, workerOptions } from "./worker-options.js";
import { Worker, type Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import type { Clock } from "../engine/ports.js";
import type { MeetingReminderScheduler } from "../features/meetings/port.js";
import { QUEUES, jobId } from "./queues.js";

/** Payload of a reminder job. */
export interface MeetingReminderJob {
  meetingId: string;
  version: number;
  offset: string;
}

/** The job id of one reminder: "mrem-<meeting>-v<version>-<offset>". */
export function reminderJobId(meetingId: string, version: number, offset: string): string {
  return jobId("mrem", meetingId, `v${version}`, offset);
}

export const REMINDER_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** The scheduler over a BullMQ queue. Delays are measured on `clock` (a fake one in tests). */
export function createReminderScheduler(queue: Queue, clock: Clock): MeetingReminderScheduler {
  return {
    async schedule(meetingId, version, plan) {
      if (plan.length === 0) return;
      await queue.addBulk(plan.map((p) => ({
        name: "send-reminder",
        data: { meetingId, version, offset: p.offset } satisfies MeetingReminderJob,
        opts: { ...REMINDER_JOB_OPTIONS, jobId: reminderJobId(meetingId, version, p.offset), delay: Math.max(0, p.at.getTime() - clock.now().getTime()) },
      })));
    },
    async unschedule(meetingId, version, offsets) {
      // remove() leaves an active (locked) job alone; its version check makes it a no-op.
      for (let v = 1; v <= version; v++)
        for (const offset of offsets) await queue.remove(reminderJobId(meetingId, v, offset));
    },
  };
}

export interface ReminderWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  run: (job: MeetingReminderJob) => Promise<"sent" | "skipped">;
  concurrency?: number;
  /** Lock and stall detection (ms): short in tests that kill a worker mid-job. */
  lockDuration?: number;
  stalledInterval?: number;
  /** Test hook: runs when a job becomes active, before the meeting is re-read. */
  beforeRun?: (job: MeetingReminderJob) => Promise<void>;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the reminder worker. */
export function startReminderWorker(o: ReminderWorkerOptions): Worker<MeetingReminderJob> {
  const worker = new Worker<MeetingReminderJob>(QUEUES.meetingReminders, async (job) => {
    await o.beforeRun?.(job.data);
    const outcome = await o.run(job.data);
    o.logger?.info({ jobId: job.id, meetingId: job.data.meetingId, version: job.data.version, offset: job.data.offset, outcome }, "meeting reminder");
    return outcome;
  }, workerOptions(o));
  logFailures(worker, o.logger, "meeting reminder failed");
  return worker;
}
