/**
 * Poll and opinion-round deadlines as BullMQ delayed jobs: one job per (kind, id) with a
 * deterministic id ("poll-close-<id>", "opinion-close-<id>"), payload ids only. The processor
 * re-reads the document and does nothing when it is already closed (closed early by the
 * organizer). A job that fires before the deadline (clock skew between hosts, a job rebuilt
 * by the reconciler) is not an error: it goes back to the delayed set until the deadline.
 *
 * Queue: `poll-deadlines`, of this feature alone (a BullMQ worker takes every job of its
 * queue whatever its name, so one queue per processor).
 */
import { logFailures, STALL_LIMIT } from "./worker-options.js";
import { DelayedError, Worker, type Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import type { Clock } from "../engine/ports.js";
import type { DeadlineOutcome, PollDeadlineScheduler } from "../features/polls/port.js";
import { jobId, QUEUES } from "./queues.js";

export const POLL_DEADLINES_QUEUE = QUEUES.pollDeadlines;

export interface PollDeadlineJob {
  kind: "poll" | "opinion";
  id: string;
}

/** The deterministic job id of a deadline. */
export function deadlineJobId(kind: "poll" | "opinion", id: string): string {
  return jobId(`${kind}-close`, id);
}

export const DEADLINE_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** The scheduler over a BullMQ queue; delays are measured on `clock`. */
export function createPollDeadlineScheduler(queue: Queue, clock: Clock): PollDeadlineScheduler {
  const schedule = async (kind: "poll" | "opinion", id: string, at: Date) => {
    await queue.add("close", { kind, id } satisfies PollDeadlineJob, {
      ...DEADLINE_JOB_OPTIONS, jobId: deadlineJobId(kind, id), delay: Math.max(0, at.getTime() - clock.now().getTime()),
    });
  };
  return {
    schedule,
    async ensure(kind, id, at) {
      if (await queue.getJob(deadlineJobId(kind, id))) return false;
      await schedule(kind, id, at);
      return true;
    },
  };
}

export interface PollDeadlineWorkerOptions {
  connection: RedisConnection;
  prefix: string;
  run: (job: PollDeadlineJob) => Promise<DeadlineOutcome>;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the deadline worker. */
export function startPollDeadlineWorker(o: PollDeadlineWorkerOptions): Worker<PollDeadlineJob> {
  const worker = new Worker<PollDeadlineJob>(POLL_DEADLINES_QUEUE, async (job, token) => {
    const outcome = await o.run(job.data);
    if (typeof outcome === "object") {
      o.logger?.info({ jobId: job.id, kind: job.data.kind, id: job.data.id, waitUntil: outcome.waitUntil.toISOString() }, "poll deadline not reached yet: delayed");
      await job.moveToDelayed(outcome.waitUntil.getTime(), token);
      throw new DelayedError();
    }
    o.logger?.info({ jobId: job.id, kind: job.data.kind, id: job.data.id, outcome }, "poll deadline");
    return outcome;
  }, { connection: o.connection, prefix: o.prefix, concurrency: 4, maxStalledCount: STALL_LIMIT });
  logFailures(worker, o.logger, "poll deadline failed");
  return worker;
}
