/**
 * The rate-limited outbox: one BullMQ job per recipient (job id = delivery id), a limiter
 * shared by every worker, 429 → that chat waits `retry_after` (or the whole queue, when the
 * 429 is the bot's: src/jobs/chat-pause.ts), blocked → recipient unreachable and no retry,
 * 5xx/network → retry with backoff.
 */
import { logFailures, STALL_LIMIT } from "./worker-options.js";
import { Worker, DelayedError, UnrecoverableError, type Job, type Queue } from "bullmq";
import type { RedisConnection } from "./redis.js";
import type { Outbox, OutboxItem } from "../engine/ports.js";
import type { Sender } from "../engine/receiver.js";
import type { Address, ChannelName, Outbound } from "../engine/messages.js";
import { ChannelError, type RateScope } from "../engine/errors.js";
import { createChatPauses, judgeRateLimit, type ChatPauses } from "./chat-pause.js";
import type { Translator } from "../i18n/fluent.js";
import { MARK, SUPERSEDED, TERMINAL_MARKS, type DeliveryRecord, type DeliveryRepo } from "../store/deliveries.js";
import { QUEUES, jobId, type OutboxJob } from "./queues.js";

export interface OutboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Default retry policy: 8 attempts, exponential from 2 s (≈ 8.5 minutes in all). */
export const OUTBOX_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
} as const;

/** Jobs per `addBulk` call (one Redis round trip each; a 10,000-household notice is ten). */
const ADD_CHUNK = 1_000;
/** The first chunk is small, so the first messages leave while the rest is being recorded. */
const FIRST_CHUNK = 100;

/** The producer side (the engine's `Outbox` port). */
export function createOutbox(queue: Queue<OutboxJob>, repo: DeliveryRepo, now: () => Date = () => new Date()): Outbox & { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> } {
  const enqueueGroup = async (group: string, items: OutboxItem[]) => {
    // Chunk by chunk: record the deliveries, then add their jobs. Always (re-)add the jobs: a
    // crash between the insert and the add is healed by the caller's retry, and BullMQ ignores
    // a job id it already holds.
    for (let start = 0; start < items.length;) {
      const chunk = items.slice(start, start + (start === 0 ? FIRST_CHUNK : ADD_CHUNK));
      start += chunk.length;
      const ids = await repo.createMany(chunk.map((i) => ({ ...i, group })));
      await queue.addBulk(chunk.map((item, i) => ({
        name: "deliver",
        data: { deliveryId: ids[i]! },
        opts: { ...OUTBOX_JOB_OPTIONS, jobId: jobId("d", ids[i]!), delay: item.notBefore ? Math.max(0, item.notBefore.getTime() - now().getTime()) : 0 },
      })));
    }
  };
  return { enqueue: (items) => enqueueGroup("", items), enqueueGroup };
}

/**
 * A channel that chooses the route of each delivery itself (the Zalo OA: free or paid
 * consultation, a template, the guardian's other channel, or held until they write). The
 * route is recorded as the delivery fact `route-<k>` (error text = "<route>:<cost>").
 */
export interface DeliveryRouter {
  route(delivery: DeliveryRecord, outbound: Outbound[]): Promise<RoutedOutcome>;
}

export type RoutedOutcome =
  | { status: "sent"; route: string }
  /** Send it on the guardian's other channel, to this address. */
  | { status: "redirect"; to: Address; route: string }
  /**
   * Nothing sent: the router keeps it and brings it back (next interaction, or a later time).
   * `keep` records the hold (and settles the delivery's entry in the reconciler's open set); the
   * outbox calls it once the try is cleared, so a release never finds a try still in flight.
   */
  | { status: "held"; route: string; keep(): Promise<void> };

/** The kind of a route fact. */
export const routeMark = (k: number) => `route-${k}`;

/**
 * Brings a held delivery back: a new job (its own id, `d-<delivery>-<tag>`, so two callers with
 * the same tag add it once) after `delayMs`. The worker's facts decide what is left to send.
 */
export async function requeueDelivery(queue: Queue<OutboxJob>, deliveryId: string, tag: string, delayMs = 0): Promise<void> {
  await queue.add("deliver", { deliveryId }, { ...OUTBOX_JOB_OPTIONS, jobId: jobId("d", deliveryId, tag), delay: Math.max(0, delayMs) });
}

export interface OutboxWorkerOptions {
  /** Channels whose deliveries choose their own route (see `DeliveryRouter`). */
  routers?: Partial<Record<ChannelName, DeliveryRouter>>;
  connection: RedisConnection;
  prefix: string;
  repo: DeliveryRepo;
  senders: Partial<Record<ChannelName, Sender>>;
  translator: Translator;
  ratePerSecond: number;
  concurrency: number;
  /** Called when a recipient blocked the bot, so the identity is marked unreachable. */
  onUnreachable: (delivery: { recipient: Address }) => Promise<void>;
  logger: OutboxLogger;
  /** Job lock and stalled-job check (ms), BullMQ's defaults (30 s) when absent: a killed worker's in-flight jobs are re-run after about this long. */
  lockDuration?: number;
  stalledInterval?: number;
  /**
   * Tries this process ended itself with `clear-k` (429, 5xx, network): when the job comes
   * back here, the next try claims slot k+1 straight away instead of reading the facts again
   * (on FerretDB each of those reads scans `delivery_marks`). Set by `startOutboxWorker`.
   */
  clearedTries?: Map<string, { k: number; partsDone: boolean[] }>;
  /** Told how each try ended (metrics): `retried` when the job will be tried again. */
  onResult?: (result: "sent" | "retried" | "failed" | "blocked") => void;
  /**
   * Per-chat pauses shared by the fleet (set by `startOutboxWorker`). Without them (or without
   * a worker) every 429 pauses the whole queue.
   */
  chatPauses?: ChatPauses;
  /** The platforms' overall rates (msg/s) the 429 judgement compares our pacing with (default: Telegram 30). */
  platformRates?: Partial<Record<ChannelName, number>>;
  /** Told whose each 429 was judged to be, and for how long (metrics, tests). */
  onRateLimited?: (scope: RateScope, retryAfterMs: number) => void;
}

/** Entries kept in `clearedTries` at most (it is only a shortcut; forgetting one costs reads). */
const CLEARED_TRIES_MAX = 10_000;

/**
 * Opens a later try (the first-try claim failed): exact `_id` lookups of the delivery's facts.
 * Undefined when there is nothing to do: a terminal mark, a slot taken by `supersede`, or
 * another worker claiming this very try a moment ago.
 */
async function openRetry(delivery: DeliveryRecord, repo: DeliveryRepo): Promise<{ k: number; partsDone: boolean[] } | undefined> {
  if ((await repo.readMarks(delivery.id, TERMINAL_MARKS)).some((m) => m !== undefined)) return undefined;
  let k = 1;
  for (;; k++) {
    const [slot] = await repo.readMarks(delivery.id, [MARK.sending(k)]);
    if (slot === undefined) break;
    if (slot === SUPERSEDED) return undefined;
  }
  if (k > 1) {
    // Try k-1 neither finished (no terminal mark) nor cleared: it was in flight when its worker
    // died, and the platform may have delivered it (the Bot API takes no idempotency key).
    const [cleared] = await repo.readMarks(delivery.id, [MARK.clear(k - 1)]);
    if (cleared === undefined) await repo.mark(delivery, MARK.duplicate);
  }
  if (!(await repo.mark(delivery, MARK.sending(k)))) return undefined;
  const parts = delivery.messages.length;
  const done = parts > 1 ? await repo.readMarks(delivery.id, Array.from({ length: parts - 1 }, (_, i) => MARK.part(i + 1))) : [];
  return { k, partsDone: done.map((m) => m !== undefined) };
}

/**
 * Sends one delivery. Exported for tests of the idempotency rules. Progress is recorded as
 * inserted facts, never updates (see src/store/deliveries.ts). The first try reads nothing
 * but the delivery and the locale: inserting `sending-1` succeeds only if no try, and so no
 * terminal mark, exists. Otherwise `openRetry` works out the next try from the facts. Parts
 * already marked are not resent; a try that ends with nothing unaccounted for (429, 5xx,
 * network) is marked `clear-k`, so the next one is not flagged as a possible duplicate.
 * With a worker and its job token, a job to a chat paused by a chat's 429 waits for its slot
 * before claiming anything, and a 429 judged to be the chat's delays only this job.
 */
export async function processDelivery(job: Job<OutboxJob>, worker: Worker<OutboxJob> | undefined, o: OutboxWorkerOptions, token?: string): Promise<"sent" | "skipped" | "held"> {
  const delivery = await o.repo.load(job.data.deliveryId);
  if (!delivery) {
    // Never silent: the usual cause is another deployment (another database) sharing this
    // Redis and queue prefix, whose messages this worker would otherwise drop unseen.
    o.logger.warn({ jobId: job.id, deliveryId: job.data.deliveryId, queuePrefix: o.prefix },
      "outbox job has no delivery record in this database; dropped (another deployment on the same Redis queue prefix?)");
    return "skipped";
  }
  const sender = o.senders[delivery.recipient.channel];
  if (!sender) throw new UnrecoverableError(`no sender for ${delivery.recipient.channel}`);
  const chat = worker && token && o.chatPauses ? { pauses: o.chatPauses, token } : undefined;
  if (chat) {
    // Another job to this chat drew a chat's 429: wait it out too, before claiming a try (so no
    // fact is written and no attempt is used).
    const wait = await chat.pauses.waitFor(delivery.recipient, job.data.chatSlot);
    if (wait > 0) await waitForChat(job, chat.token, wait);
  }
  const [first, locale] = await Promise.all([o.repo.mark(delivery, MARK.sending(1)), o.repo.localeOf(delivery)]);
  let k = 1;
  let partsDone: boolean[] = [];
  if (!first) {
    const cleared = o.clearedTries?.get(delivery.id);
    o.clearedTries?.delete(delivery.id);
    // Our own cleared try k: no terminal mark can have followed it unless someone claimed k+1,
    // which makes this claim fail (then the facts decide, as for any retry).
    const retry = cleared && (await o.repo.mark(delivery, MARK.sending(cleared.k + 1))) ? { k: cleared.k + 1, partsDone: cleared.partsDone } : await openRetry(delivery, o.repo);
    if (!retry) return "skipped";
    ({ k, partsDone } = retry);
  }
  const parts = delivery.messages.length;
  const done = [...partsDone];
  const router = o.routers?.[delivery.recipient.channel];
  try {
    if (router) {
      const outcome = await sendRouted(router, delivery, locale, o);
      await o.repo.mark(delivery, routeMark(k), outcome.route);
      if (outcome.status === "held") {
        // Nothing of this try is unaccounted for; the router brings it back (then a later try).
        // The router's hold settles the open entry (out of it, or under its delayed job).
        await o.repo.mark(delivery, MARK.clear(k), "held");
        await outcome.keep();
        return "held";
      }
    } else for (let part = 0; part < parts; part++) {
      if (done[part]) continue;
      await sender.send(delivery.recipient, o.translator.render(locale, delivery.messages[part]!, undefined, delivery.timeZone));
      // The last part is covered by the `sent` mark itself: one write less per message.
      if (part + 1 < parts) {
        await o.repo.mark(delivery, MARK.part(part + 1));
        done[part] = true;
      }
    }
  } catch (err) {
    if (!(err instanceof ChannelError)) throw err;
    if (err.code === "blocked") {
      // The person first, then the delivery's terminal fact: whoever sees the delivery settled
      // as unreachable also sees the identity marked (and a crash in between retries the send).
      await o.onUnreachable(delivery);
      await o.repo.mark(delivery, MARK.unreachable, err.message);
      o.onResult?.("blocked");
      throw new UnrecoverableError(`recipient unreachable: ${err.message}`);
    }
    if (err.code === "bad-request") {
      await o.repo.mark(delivery, MARK.failed, err.message);
      o.onResult?.("failed");
      throw new UnrecoverableError(`rejected by the platform: ${err.message}`);
    }
    if (err.outcomeUnknown) {
      // No answer (a timeout, a connection cut mid-request): Telegram may have delivered it. The
      // try stays open, so the next one is flagged as a possible duplicate.
      o.logger.warn({ deliveryId: delivery.id, try: k }, "outbox send got no answer; the retry may deliver it twice");
    } else {
      // Nothing of this try is unaccounted for (parts that arrived are marked): the next try is
      // not a possible duplicate.
      await o.repo.mark(delivery, MARK.clear(k), err.message);
      if (o.clearedTries) {
        if (o.clearedTries.size >= CLEARED_TRIES_MAX) o.clearedTries.clear();
        o.clearedTries.set(delivery.id, { k, partsDone: done });
      }
    }
    // The last attempt gives up for good: a terminal mark, so the reconciler never brings the
    // delivery back once BullMQ has dropped its failed job.
    const last = err.code !== "rate-limited" && job.opts?.attempts !== undefined && job.attemptsMade + 1 >= job.opts.attempts;
    if (last) await o.repo.mark(delivery, MARK.failed, err.message);
    o.onResult?.(last ? "failed" : "retried");
    if (err.code === "rate-limited" && worker) {
      const ms = err.retryAfterMs ?? 1_000;
      const scope = chat ? await judgeRateLimit(err, delivery.recipient, { ratePerSecond: o.ratePerSecond, pauses: chat.pauses, ...(o.platformRates ? { platformRates: o.platformRates } : {}) }) : "bot";
      o.onRateLimited?.(scope, ms);
      if (scope === "chat" && chat) {
        // Only this chat waits: the job goes back to delayed (no attempt used: the try is
        // cleared above, so the next one claims try k+1 and is no possible duplicate), and the
        // pause tells every other job to this chat to wait as well.
        o.logger.warn({ deliveryId: delivery.id, retryAfterMs: ms }, "outbox rate-limited for one chat; that chat waits, the queue goes on");
        await waitForChat(job, chat.token, await chat.pauses.pause(delivery.recipient, ms));
      }
      o.logger.warn({ deliveryId: delivery.id, retryAfterMs: ms }, "outbox rate-limited by the platform; pausing the queue");
      await worker.rateLimit(ms);
      throw Worker.RateLimitError();
    }
    throw err;
  }
  await chat?.pauses.delivered(delivery.recipient);
  await o.repo.mark(delivery, MARK.sent);
  o.onResult?.("sent");
  return "sent";
}

/** Puts the job back to delayed until its slot to a paused chat (no attempt used), and remembers the slot. */
async function waitForChat(job: Job<OutboxJob>, token: string, waitMs: number): Promise<never> {
  const slot = Date.now() + waitMs;
  await job.updateData({ ...job.data, chatSlot: slot });
  await job.moveToDelayed(slot, token);
  throw new DelayedError();
}

/**
 * BullMQ's limiter counts job starts in fixed windows, while Telegram counts sends over any
 * second: "30 per 1,000 ms" lets 30 start at the end of one window and 30 more at the start of
 * the next, 60 sends inside one second and a storm of 429s. Pacing one start per 1000/rate ms
 * (rounded up, so never faster than asked) keeps every second of sends under the rate; above
 * 100/s (no platform limit that high) it allows small batches per 10 ms.
 */
export function paced(ratePerSecond: number): { max: number; duration: number } {
  const every = 1_000 / ratePerSecond;
  return every >= 10 ? { max: 1, duration: Math.ceil(every) } : { max: Math.max(1, Math.floor(ratePerSecond / 100)), duration: 10 };
}

/** One routed try: the router sends (or not); a redirect is sent here on the other channel. */
async function sendRouted(router: DeliveryRouter, delivery: DeliveryRecord, locale: Parameters<Translator["render"]>[0], o: OutboxWorkerOptions): Promise<RoutedOutcome> {
  const outbound = delivery.messages.map((m) => o.translator.render(locale, m, undefined, delivery.timeZone));
  const outcome = await router.route(delivery, outbound);
  if (outcome.status !== "redirect") return outcome;
  const other = o.senders[outcome.to.channel];
  if (!other) throw new ChannelError(`no sender for ${outcome.to.channel}`, "bad-request", { channel: outcome.to.channel });
  try {
    for (const message of outbound) await other.send(outcome.to, message);
  } catch (err) {
    // The other channel's block is not the OA identity's: fail this delivery, mark nobody.
    if (err instanceof ChannelError && err.code === "blocked") throw new ChannelError(err.message, "bad-request", err.details, { cause: err });
    throw err;
  }
  return outcome;
}

/** Starts the outbox worker. */
export function startOutboxWorker(o: OutboxWorkerOptions): Worker<OutboxJob> {
  const options: OutboxWorkerOptions = { clearedTries: new Map(), chatPauses: createChatPauses(o.connection, o.prefix), ...o };
  const worker: Worker<OutboxJob> = new Worker<OutboxJob>(QUEUES.outbox, (job, token) => processDelivery(job, worker, options, token), {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.concurrency,
    limiter: paced(o.ratePerSecond),
    maxStalledCount: STALL_LIMIT,
    ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
    ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
  });
  logFailures(worker, o.logger, "outbox job failed");
  return worker;
}
