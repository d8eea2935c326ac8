/**
 * The outbox's part of the reconciler: MongoDB is the source of truth, Redis holds only what
 * this rebuilds. Every delivery without a terminal mark (the small `OpenDelivery` set, read by
 * pages) whose BullMQ job is gone from Redis (FLUSHALL, a failover to a lagging replica) gets
 * its job back under the same deterministic id and with its remaining delay. Nothing is sent
 * twice: the worker's delivery facts decide what a job still has to do, as for any retry.
 *
 * A delivery whose job BullMQ failed without the outbox writing an outcome (see `giveUp`) is
 * marked failed and leaves the open set, so no report waits on it forever.
 *
 * Cheap when nothing is missing: one indexed page read of the open set and one pipelined
 * `EXISTS` and `ZSCORE` per delivery of a page; a delivery's facts are read only when its job
 * is missing or failed.
 */
import type { Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import { MARK, type DeliveryRepo } from "../store/deliveries.js";
import { OUTBOX_JOB_OPTIONS } from "./outbox.js";
import { jobId, type OutboxJob } from "./queues.js";

export interface OutboxReconcileOptions {
  queue: Queue<OutboxJob>;
  /** A Redis connection to the queue's server (for the pipelined existence checks). */
  redis: RedisConnection;
  repo: DeliveryRepo;
  now?: () => Date;
  /**
   * A try started this recently may still be running in a live worker whose job vanished with
   * Redis: leave it to finish (its terminal mark closes it) rather than send a second copy. An
   * older one was lost with its worker, and is tried again (marked as a possible duplicate).
   * Default: two BullMQ lock periods (60 s).
   */
  inFlightGraceMs?: number;
  pageSize?: number;
}

/** The error of the `failed` mark the reconciler writes for a job BullMQ gave up on alone. */
export const GAVE_UP = "job given up with no delivery outcome";

type Missing = { id: string; dueAt: Date; job?: string };
/** The job id of an open delivery: the first job's, or the later one it was brought back with. */
const jobOf = (d: Missing) => (d.job ? jobId("d", d.id, d.job) : jobId("d", d.id));

/**
 * Open deliveries of one page whose job is not in Redis, and those whose job BullMQ failed
 * (one pipelined `EXISTS` and `ZSCORE` of the failed set each).
 */
async function jobsOf(o: OutboxReconcileOptions, page: Missing[]): Promise<{ missing: Missing[]; failed: Missing[] }> {
  const pipeline = o.redis.pipeline();
  const failedSet = o.queue.toKey("failed");
  for (const d of page) pipeline.exists(o.queue.toKey(jobOf(d))).zscore(failedSet, jobOf(d));
  const found = (await pipeline.exec()) ?? [];
  const missing: Missing[] = [], failed: Missing[] = [];
  page.forEach((d, i) => {
    const [[existsErr, exists], [scoreErr, score]] = [found[2 * i] ?? [null, 0], found[2 * i + 1] ?? [null, null]];
    if (existsErr) throw existsErr;
    if (scoreErr) throw scoreErr;
    if (exists === 0) missing.push(d);
    else if (score !== null) failed.push(d);
  });
  return { missing, failed };
}

/**
 * The outbox fails a job itself only after writing a terminal mark. A failed job without one
 * was given up by BullMQ alone: a worker died while sending it more than `STALL_LIMIT` times,
 * or its last attempt hit an error that is no platform answer (the database down). It would
 * stay "sending" forever; it is marked failed instead, so the sender's report shows it.
 */
async function giveUp(o: OutboxReconcileOptions, ids: string[]): Promise<void> {
  for (const id of ids) {
    const delivery = await o.repo.load(id);
    if (delivery) await o.repo.mark(delivery, MARK.failed, GAVE_UP);
  }
}

/** What to do with an open delivery whose job is missing. */
async function verdict(o: OutboxReconcileOptions, id: string): Promise<"close" | "wait" | "enqueue"> {
  const state = await o.repo.deliveryStatus(id);
  if (!state || state.status === "sent" || state.status === "unreachable" || state.status === "failed") return "close";
  const grace = o.inFlightGraceMs ?? 60_000;
  if (state.status !== "sending") return "enqueue";
  // The last try ended with nothing in flight (a transient error, or held and released since).
  const [cleared] = await o.repo.readMarks(id, [MARK.clear(state.tries)]);
  if (cleared !== undefined) return "enqueue";
  // Marks carry the wall-clock time of the worker that wrote them (not the app's clock port).
  const started = await o.repo.markedAt(id, MARK.sending(state.tries));
  if (started && Date.now() - started.getTime() < grace) return "wait";
  return "enqueue";
}

/** Re-enqueues the jobs of open deliveries that Redis lost; returns how many. */
export async function reconcileOutbox(o: OutboxReconcileOptions): Promise<number> {
  const now = (o.now ?? (() => new Date()))();
  const pageSize = o.pageSize ?? 1_000;
  let after = "";
  let added = 0;
  for (;;) {
    const page = await o.repo.openDeliveries(after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const close: string[] = [];
    const jobs = [];
    const { missing, failed } = await jobsOf(o, page);
    if (failed.length > 0) {
      // Those with a terminal mark just leave the open set; the others get one first.
      const ended = await o.repo.finished(failed.map((d) => d.id));
      await giveUp(o, failed.filter((d) => !ended.has(d.id)).map((d) => d.id));
      close.push(...failed.map((d) => d.id));
    }
    // Finished deliveries whose jobs Redis already dropped: closed in one batch (the worker
    // leaves that to us, to keep a delivered message at three database operations).
    const finished = missing.length > 0 ? await o.repo.finished(missing.map((d) => d.id)) : new Set<string>();
    for (const d of missing) {
      if (finished.has(d.id)) {
        close.push(d.id);
        continue;
      }
      const v = await verdict(o, d.id);
      if (v === "close") close.push(d.id);
      if (v === "enqueue") jobs.push({ name: "deliver", data: { deliveryId: d.id },
        opts: { ...OUTBOX_JOB_OPTIONS, jobId: jobOf(d), delay: Math.max(0, d.dueAt.getTime() - now.getTime()) } });
    }
    if (close.length > 0) await o.repo.closeOpen(close);
    if (jobs.length > 0) await o.queue.addBulk(jobs);
    added += jobs.length;
    if (page.length < pageSize) break;
  }
  return added;
}
