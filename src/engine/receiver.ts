/**
 * The path of every inbound event, in two phases:
 *
 * 1. **The turn.** Record the event durably (only then may the adapter acknowledge the
 *    platform); under the chat's lock, run the engine once and record the turn — its rendered
 *    replies — keyed by the event id. A turn that is recorded is never run again.
 * 2. **The replies.** Send each reply of the recorded turn, each claimed and settled by facts
 *    (the outbox's delivery marks), so a reply is sent once whoever gets to it; then mark the
 *    event complete.
 *
 * A crash or a network error anywhere leaves the event pending; `recover` (a job scheduler)
 * takes it up again: a recorded turn only has its unsent replies sent; a turn never recorded
 * runs late only if its chat has not moved past it (a later event already answered), so an
 * old answer never lands in a newer step. A lock error once the replies are settled changes
 * nothing.
 */
import { addressKey, type Address, type ChannelName, type InboundEvent, type Outbound } from "./messages.js";
import type { ChatLock, ConversationStore, HandleResult, Inbox } from "./ports.js";
import type { EngineLogger } from "./engine.js";
import { ChannelError } from "./errors.js";

/** How far back a handler runs a chat's earlier incomplete events before its own (older ones are recovery's). */
export const EARLIER_WINDOW_MS = 30_000;

/** Sends one outbound message to one address on its channel. */
export interface Sender {
  send(address: Address, outbound: Outbound): Promise<void>;
}

export interface ReceiverOptions {
  /** The conversation engine (`Engine`, whatever services its flows see). */
  engine: { handle(event: InboundEvent): Promise<HandleResult> };
  inbox: Inbox;
  lock: ChatLock;
  /** Read on recovery: an event older than the conversation's last one is not run late. */
  conversations?: ConversationStore;
  senders: Partial<Record<ChannelName, Sender>>;
  logger: EngineLogger & { info?(obj: object, msg: string): void };
  /** Told when a reply found the person had blocked the bot (marks the identity unreachable). */
  onBlocked?: (address: Address) => Promise<void>;
}

/** Outcome of receiving one event. */
export type ReceiveResult = { status: "duplicate" } | HandleResult;

export class Receiver {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly o: ReceiverOptions) {}

  /** Records then handles. Resolves after replies were handed to the channel. */
  async receive(event: InboundEvent): Promise<ReceiveResult> {
    if ((await this.record(event)) === "duplicate") return { status: "duplicate" };
    return this.process(event);
  }

  /** The durable step: once this resolves the platform may be told the update arrived. */
  record(event: InboundEvent): Promise<"new" | "duplicate"> {
    return this.o.inbox.record(event);
  }

  /**
   * Handles a recorded event without waiting for it (a webhook answers first); a failure is
   * logged and left to recovery. `idle()` waits for these at shutdown.
   */
  processLater(event: InboundEvent): void {
    const run = this.process(event)
      .catch((err) => this.o.logger.error({ err, eventId: event.id }, "handling failed; left for recovery"))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves when every `processLater` handling has ended. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Handles an already-recorded event: runs its turn once, sends its replies once, completes it. */
  async process(event: InboundEvent, options: { recovering?: boolean } = {}): Promise<HandleResult> {
    let turn: HandleResult | undefined;
    let settled = false;
    try {
      await this.o.lock.withLock(addressKey(event.address), async () => {
        // The lock is not a queue: an earlier event of this chat (recorded by another process a
        // moment before) may still wait for it. Its turn runs first, so a chat's turns keep the
        // order in which they were recorded. One whose handler is gone (a crash) is recovery's,
        // which may find it stale.
        if (!options.recovering) await this.runEarlier(event);
        // Checked under the lock: a concurrent handler of the same event may have just recorded it.
        turn = (await this.o.inbox.turnOf(event.id)) ?? (await this.runTurn(event, options.recovering ?? false));
        if (turn.status === "handled") await this.deliver(event, turn.outbound);
        settled = true;
      }, { waiter: event.id });
    } catch (err) {
      if (!settled) throw err;
      // The turn is recorded and its replies settled: a lock error now changes nothing.
      this.o.logger.warn({ err, eventId: event.id }, "chat lock failed after the turn was settled");
    }
    await this.o.inbox.complete(event.id);
    return turn!;
  }

  /** Under the chat's lock: runs (once) and settles the chat's events recorded before `event` whose handlers still wait for the lock. */
  private async runEarlier(event: InboundEvent): Promise<void> {
    const waiting = ((await this.o.lock.waiting?.(addressKey(event.address))) ?? []).filter((id) => id !== event.id);
    if (waiting.length === 0) return; // the common case: one Redis read, no database query
    const earlierEvents = ((await this.o.inbox.earlierPending?.(event, EARLIER_WINDOW_MS)) ?? []).filter((e) => waiting.includes(e.id));
    for (const earlier of earlierEvents) {
      const turn = (await this.o.inbox.turnOf(earlier.id)) ?? (await this.runTurn(earlier, false));
      if (turn.status === "handled") await this.deliver(earlier, turn.outbound);
      await this.o.inbox.complete(earlier.id);
    }
  }

  /** Re-handles events that were recorded but never completed. */
  async recover(olderThan: Date, limit = 100): Promise<number> {
    const pending = await this.o.inbox.pending(olderThan, limit);
    for (const event of pending) {
      try {
        await this.process(event, { recovering: true });
      } catch (err) {
        this.o.logger.error({ err, eventId: event.id }, "recovery of an inbound event failed");
      }
    }
    return pending.length;
  }

  /** Runs the engine and records the turn (or, late, records that the chat moved past it). */
  private async runTurn(event: InboundEvent, recovering: boolean): Promise<HandleResult> {
    if (recovering) {
      const state = await this.o.conversations?.get(addressKey(event.address));
      if (await this.o.inbox.movedPast(event, state?.lastEventId)) {
        this.o.logger.warn({ eventId: event.id, address: addressKey(event.address) }, "inbound event left unhandled: its chat has moved past it");
        return this.o.inbox.recordTurn(event.id, { status: "ignored", reason: "stale" });
      }
    }
    return this.o.inbox.recordTurn(event.id, await this.o.engine.handle(event));
  }

  /** Sends the replies not yet settled, in order; a network error stops here and leaves the rest to recovery. */
  private async deliver(event: InboundEvent, outbound: Outbound[]): Promise<void> {
    const { address } = event;
    const sender = this.o.senders[address.channel];
    if (!sender) throw new Error(`no sender for channel ${address.channel}`);
    for (const [index, message] of outbound.entries()) {
      const claim = await this.o.inbox.claimReply(event.id, index);
      if (claim.status === "settled") {
        if (claim.outcome === "unreachable") return;
        continue;
      }
      if (claim.possibleDuplicate) this.o.logger.warn({ eventId: event.id, index }, "reply sent again after an interrupted try; it may arrive twice");
      try {
        await sender.send(address, message);
      } catch (err) {
        // Interactive replies are not retried forever: a blocked user or a bad request is
        // settled and the turn completes; other failures (network) surface so the event stays pending.
        if (err instanceof ChannelError && (err.code === "blocked" || err.code === "bad-request")) {
          this.o.logger.warn({ err, address: addressKey(address), code: err.code }, "reply not delivered");
          await this.o.inbox.settleReply(event.id, index, err.code === "blocked" ? "unreachable" : "failed", err.code);
          if (err.code === "blocked") return void (await this.o.onBlocked?.(address));
          continue;
        }
        // A send whose outcome is unknown (no answer) stays claimed: its retry is flagged as a possible duplicate.
        if (!(err instanceof ChannelError && err.outcomeUnknown)) await this.o.inbox.clearReply(event.id, index, claim.attempt, err instanceof ChannelError ? err.code : "error");
        throw err;
      }
      await this.o.inbox.settleReply(event.id, index, "sent");
    }
  }
}
