/**
 * The outbox's part of the reconciler: MongoDB is the source of truth, Redis holds only what
 * this rebuilds. Every delivery without a terminal mark (the small `OpenDelivery` set, read by
 * pages) whose BullMQ job is gone from Redis (FLUSHALL, a failover to a lagging replica) gets
 * its job back under the same deterministic id and with its remaining delay. Nothing is sent
 * twice: the worker's delivery facts decide what a job still has to do, as for any retry.
 *
 * Cheap when nothing is missing: one indexed page read of the open set and one pipelined
 * `EXISTS` per page; a delivery's facts are read only when its job is missing.
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

type Missing = { id: string; dueAt: Date; job?: string };
/** The job id of an open delivery: the first job's, or the later one it was brought back with. */
const jobOf = (d: Missing) => (d.job ? jobId("d", d.id, d.job) : jobId("d", d.id));

/** Open deliveries of one page whose job is not in Redis. */
async function missingJobs(o: OutboxReconcileOptions, page: Missing[]): Promise<Missing[]> {
  const pipeline = o.redis.pipeline();
  for (const d of page) pipeline.exists(o.queue.toKey(jobOf(d)));
  const found = (await pipeline.exec()) ?? [];
  return page.filter((_, i) => {
    const [err, n] = found[i] ?? [null, 0];
    if (err) throw err;
    return n === 0;
  });
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
    const missing = await missingJobs(o, page);
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
