/**
 * Poll and opinion-round deadlines as BullMQ delayed jobs: one job per (kind, id) with a
 * deterministic id ("poll-close-<id>", "opinion-close-<id>"), payload ids only. The processor
 * re-reads the document and does nothing when it is already closed (closed early by the
 * organizer); a job that fires before the deadline (clock skew) fails and is retried.
 *
 * Queue: `poll-deadlines`, of this feature alone. The shared `broadcasts` queue was meant for
 * these jobs too, but a BullMQ worker takes every job of its queue whatever its name, so the
 * notices' worker and this one would take each other's jobs; one queue per processor avoids it.
 */
import { logFailures } from "./worker-options.js";
import { Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Clock } from "../engine/ports.js";
import type { PollDeadlineScheduler } from "../engine/ports-polls.js";
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
  return {
    async schedule(kind, id, at) {
      await queue.add("close", { kind, id } satisfies PollDeadlineJob, {
        ...DEADLINE_JOB_OPTIONS, jobId: deadlineJobId(kind, id), delay: Math.max(0, at.getTime() - clock.now().getTime()),
      });
    },
  };
}

export interface PollDeadlineWorkerOptions {
  connection: Redis;
  prefix: string;
  run: (job: PollDeadlineJob) => Promise<"closed" | "skipped">;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the deadline worker. */
export function startPollDeadlineWorker(o: PollDeadlineWorkerOptions): Worker<PollDeadlineJob> {
  const worker = new Worker<PollDeadlineJob>(POLL_DEADLINES_QUEUE, async (job) => {
    const outcome = await o.run(job.data);
    o.logger?.info({ jobId: job.id, kind: job.data.kind, id: job.data.id, outcome }, "poll deadline");
    return outcome;
  }, { connection: o.connection, prefix: o.prefix, concurrency: 4 });
  logFailures(worker, o.logger, "poll deadline failed");
  return worker;
}
