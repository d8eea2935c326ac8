/**
 * The notices feature's jobs on the `broadcasts` queue (notices only; payloads are ids only):
 *
 * - `notice-send` — a scheduled notice falls due (`ntc-<notice>`, delayed);
 * - `notice-fanout` — one round of a notice to every household (`nfan-<notice>-r<round>`), so a
 *   school-wide send never runs inside the sender's chat turn; retried (or re-run after a crash),
 *   it enqueues the same delivery keys, which the outbox records once;
 * - `notice-report` — the sender's report refresh at the end of a 30 s bucket (`nrep-<notice>-<bucket>`).
 *
 * The processors (`src/features/notices/`) re-read MongoDB and decide there; a job only says when.
 */
import { UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Clock } from "../engine/ports.js";
import type { NoticeJobs } from "../features/notices/port.js";
import { logFailures, workerOptions, type BaseWorkerOptions } from "./worker-options.js";
import { QUEUES, jobId } from "./queues.js";

/** Payload of a scheduled-notice job (older jobs also carry a `version`, ignored). */
export interface NoticeSendJob {
  noticeId: string;
}

/** Payload of a fan-out job: one round of one notice. */
export interface NoticeFanOutJob {
  noticeId: string;
  round: number;
}

/** Payload of a report-refresh job: one per (notice, 30 s bucket). */
export interface NoticeReportRefreshJob {
  noticeId: string;
  bucket: number;
}

export const NOTICE_SEND_JOB = "notice-send";
export const NOTICE_FANOUT_JOB = "notice-fanout";
export const NOTICE_REPORT_JOB = "notice-report";

/** "ntc-<notice>". */
export const noticeJobId = (noticeId: string) => jobId("ntc", noticeId);
/** "nfan-<notice>-r<round>". */
export const noticeFanOutJobId = (noticeId: string, round: number) => jobId("nfan", noticeId, `r${round}`);
/** "nrep-<notice>-<bucket>". */
export const noticeReportJobId = (noticeId: string, bucket: number) => jobId("nrep", noticeId, String(bucket));

export const NOTICE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/**
 * The notice jobs over a BullMQ queue. Delays are measured on `clock` (a fake one in tests);
 * `backoffMs` shortens the retry backoff (tests).
 */
export function createNoticeJobs(queue: Queue, clock: Clock, options: { backoffMs?: number } = {}): NoticeJobs {
  const opts = { ...NOTICE_JOB_OPTIONS, backoff: { type: "exponential", delay: options.backoffMs ?? NOTICE_JOB_OPTIONS.backoff.delay } };
  const delayUntil = (at: Date) => Math.max(0, at.getTime() - clock.now().getTime());
  const add = (name: string, id: string, data: object, delay = 0) => queue.add(name, data, { ...opts, jobId: id, delay });
  /** Adds the job unless Redis holds it; a failed one is retried. True when it (re)created or retried. */
  const restore = async (name: string, id: string, data: object, delay: number) => {
    const job = await queue.getJob(id);
    if (!job) return (await add(name, id, data, delay), true);
    if (await job.isFailed()) return (await job.retry(), true);
    return false;
  };
  return {
    schedule: async (noticeId, at) => void (await add(NOTICE_SEND_JOB, noticeJobId(noticeId), { noticeId } satisfies NoticeSendJob, delayUntil(at))),
    // remove() leaves an active (locked) job alone: it then loses the dispatch decision and does nothing.
    unschedule: async (noticeId) => void (await queue.remove(noticeJobId(noticeId))),
    fanOut: async (noticeId, round) => void (await add(NOTICE_FANOUT_JOB, noticeFanOutJobId(noticeId, round), { noticeId, round } satisfies NoticeFanOutJob)),
    scheduleReportRefresh: async (noticeId, bucket, at) =>
      void (await add(NOTICE_REPORT_JOB, noticeReportJobId(noticeId, bucket), { noticeId, bucket } satisfies NoticeReportRefreshJob, delayUntil(at))),
    restoreSchedule: (noticeId, at) => restore(NOTICE_SEND_JOB, noticeJobId(noticeId), { noticeId } satisfies NoticeSendJob, delayUntil(at)),
    restoreFanOut: (noticeId, round) => restore(NOTICE_FANOUT_JOB, noticeFanOutJobId(noticeId, round), { noticeId, round } satisfies NoticeFanOutJob, 0),
  };
}

/** What the notice worker runs; each returns a short outcome for the log. */
export interface NoticeHandlers {
  due(job: NoticeSendJob): Promise<string>;
  fanOut(job: NoticeFanOutJob): Promise<string>;
  refresh(job: NoticeReportRefreshJob): Promise<string>;
}

export interface NoticeWorkerOptions extends BaseWorkerOptions {
  handlers: NoticeHandlers;
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** Starts the notice worker (the `broadcasts` queue holds notice jobs only). */
export function startNoticeWorker(o: NoticeWorkerOptions): Worker {
  const worker = new Worker(QUEUES.broadcasts, async (job: Job) => {
    const run = job.name === NOTICE_SEND_JOB ? o.handlers.due : job.name === NOTICE_FANOUT_JOB ? o.handlers.fanOut : job.name === NOTICE_REPORT_JOB ? o.handlers.refresh : undefined;
    if (!run) throw new UnrecoverableError(`unknown job ${job.name} on the ${QUEUES.broadcasts} queue`);
    const outcome = await run(job.data as never);
    o.logger?.info({ jobId: job.id, job: job.name, noticeId: (job.data as { noticeId: string }).noticeId, outcome }, "notice job");
    return outcome;
  }, workerOptions(o, 2));
  logFailures(worker, o.logger, "notice job failed");
  return worker;
}
