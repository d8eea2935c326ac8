/**
 * Scheduled notices as BullMQ delayed jobs on the `broadcasts` queue: one job per
 * (notice, version) with a deterministic id, payload ids only. The processor (the notice
 * service's `runScheduled`) re-reads the notice and does nothing when it was cancelled (its
 * version moved) — which covers a job that was already active when the cancel landed.
 *
 * The `broadcasts` queue may be shared with other features' delayed jobs: this worker only
 * runs jobs named `notice-*` and hands any other job back (delayed, no attempt consumed).
 */
import { logFailures } from "./worker-options.js";
import { DelayedError, Worker, type Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Clock } from "../engine/ports.js";
import type { NoticeScheduler } from "../engine/ports-broadcast.js";
import { QUEUES, jobId } from "./queues.js";

/** Payload of a scheduled-notice job. */
export interface NoticeSendJob {
  noticeId: string;
  version: number;
}

export const NOTICE_SEND_JOB = "notice-send";

/** Payload of a report-refresh job: one per (notice, 30 s bucket). */
export interface NoticeReportRefreshJob {
  noticeId: string;
  bucket: number;
}

export const NOTICE_REPORT_JOB = "notice-report";

/** "nrep-<notice>-<bucket>". */
export function noticeReportJobId(noticeId: string, bucket: number): string {
  return jobId("nrep", noticeId, String(bucket));
}

/** "ntc-<notice>-v<version>". */
export function noticeJobId(noticeId: string, version: number): string {
  return jobId("ntc", noticeId, `v${version}`);
}

export const NOTICE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** The scheduler over a BullMQ queue. Delays are measured on `clock` (a fake one in tests). */
export function createNoticeScheduler(queue: Queue, clock: Clock): NoticeScheduler {
  return {
    async schedule(noticeId, version, at) {
      await queue.add(NOTICE_SEND_JOB, { noticeId, version } satisfies NoticeSendJob, {
        ...NOTICE_JOB_OPTIONS, jobId: noticeJobId(noticeId, version), delay: Math.max(0, at.getTime() - clock.now().getTime()),
      });
    },
    async unschedule(noticeId, version) {
      // remove() leaves an active (locked) job alone; its version check makes it a no-op.
      await queue.remove(noticeJobId(noticeId, version));
    },
    async scheduleReportRefresh(noticeId, bucket, at) {
      await queue.add(NOTICE_REPORT_JOB, { noticeId, bucket } satisfies NoticeReportRefreshJob, {
        ...NOTICE_JOB_OPTIONS, jobId: noticeReportJobId(noticeId, bucket), delay: Math.max(0, at.getTime() - clock.now().getTime()),
      });
    },
  };
}

export interface NoticeWorkerOptions {
  connection: Redis;
  prefix: string;
  run: (job: NoticeSendJob) => Promise<"sent" | "skipped">;
  /** Report refreshes (`notice-report` jobs); without it they are skipped. */
  refresh?: (job: NoticeReportRefreshJob) => Promise<"sent" | "skipped">;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the scheduled-notice worker. */
export function startNoticeWorker(o: NoticeWorkerOptions): Worker {
  const worker = new Worker(QUEUES.broadcasts, async (job: Job, token?: string) => {
    if (!job.name.startsWith("notice-")) {
      // Somebody else's job on the shared queue: give it back untouched.
      await job.moveToDelayed(Date.now() + 2_000, token);
      throw new DelayedError();
    }
    if (job.name === NOTICE_REPORT_JOB) {
      const outcome = o.refresh ? await o.refresh(job.data as NoticeReportRefreshJob) : "skipped";
      o.logger?.info({ jobId: job.id, noticeId: (job.data as NoticeReportRefreshJob).noticeId, outcome }, "notice report refresh");
      return outcome;
    }
    const outcome = await o.run(job.data as NoticeSendJob);
    o.logger?.info({ jobId: job.id, noticeId: (job.data as NoticeSendJob).noticeId, outcome }, "scheduled notice");
    return outcome;
  }, { connection: o.connection, prefix: o.prefix, concurrency: 2 });
  logFailures(worker, o.logger, "scheduled notice failed");
  return worker;
}
