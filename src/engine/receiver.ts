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
 *
 * **Pieces of one paste.** Telegram splits a long pasted text into messages of 4,096
 * characters. While a chat's conversation waits for a long text (`engine.takesLongText`), a text
 * opens a join window: texts of the same chat arriving before it closes (it restarts with each
 * piece) are joined, in order, into one answer, run once under the chat's lock as the last
 * piece's event; the other pieces' turns are recorded as `ignored: joined` (before the answer's
 * own turn, so a crash never runs a piece on its own). Recovery joins pending texts of a chat
 * received within the window the same way. Joining happens within one process (a webhook
 * fleet behind a load balancer may split a paste across processes).
 */
import { addressKey, type Address, type ChannelName, type InboundEvent, type Outbound } from "./messages.js";
import type { ChatLock, ConversationStore, HandleResult, Inbox, ReplyClaim } from "./ports.js";
import type { EngineLogger } from "./engine.js";
import { ChannelError } from "./errors.js";
import { MESSAGE_SPLIT_LENGTH } from "./define-flow.js";

/** Counts what happens to inbound events (the app's metrics); labels are channel names only. */
export interface TurnObserver {
  /** An event recorded for the first time. */
  received(channel: ChannelName): void;
  /** An event handled and its replies settled, `seconds` after it was taken up. */
  handled(channel: ChannelName, seconds: number): void;
  /** Handling threw; the event stays pending for recovery. */
  failed(channel: ChannelName): void;
}

/** How far back a handler runs a chat's earlier incomplete events before its own (older ones are recovery's). */
export const EARLIER_WINDOW_MS = 30_000;

/** Sends one outbound message to one address on its channel. */
export interface Sender {
  send(address: Address, outbound: Outbound): Promise<void>;
}

export interface ReceiverOptions {
  /** The conversation engine (`Engine`, whatever services its flows see). */
  engine: { handle(event: InboundEvent): Promise<HandleResult>; takesLongText?(event: InboundEvent): Promise<boolean> };
  /** Joins the pieces of a long pasted text (off when absent). */
  join?: JoinWindow;
  inbox: Inbox;
  lock: ChatLock;
  /** Read on recovery: an event older than the conversation's last one is not run late. */
  conversations?: ConversationStore;
  senders: Partial<Record<ChannelName, Sender>>;
  logger: EngineLogger & { info?(obj: object, msg: string): void };
  /** Told when a reply found the person had blocked the bot (marks the identity unreachable). */
  onBlocked?: (address: Address) => Promise<void>;
  observer?: TurnObserver;
}

/** Telegram delivers the pieces of one paste within about this long of each other. */
export const PASTE_JOIN_MS = 1_500;

/** The join window for the pieces of one pasted text; `wait` is replaceable in tests. */
export interface JoinWindow {
  ms: number;
  /** Resolves after `ms` (default: a timer). */
  wait?: (ms: number) => Promise<void>;
}

/** A recorded turn; `won` when this handler's record is the one kept. */
type Recorded = { turn: HandleResult; won: boolean };

/** Outcome of receiving one event. */
export type ReceiveResult = { status: "duplicate" } | HandleResult;

/** A handling still to come: the event is a piece waiting in its chat's join window. */
const JOINING = { status: "ignored", reason: "joined" } as const satisfies HandleResult;

/**
 * Joins two pieces of a paste: a full piece was cut mid-text, so it continues directly; a
 * shorter one ended where the client chose to cut (a line break it dropped).
 */
function seam(before: string, piece: string): string {
  const cutMidText = before.length % MESSAGE_SPLIT_LENGTH === 0 || /\s$/.test(before) || /^\s/.test(piece);
  return before + (cutMidText ? "" : "\n") + piece;
}

/** The open join window of one chat. */
interface Pieces {
  events: Extract<InboundEvent, { kind: "text" }>[];
  /** False once the window closed: later events wait for `done`, then run on their own. */
  open: boolean;
  /** Whether the chat waits for a long text (decided once, for the first piece). */
  joinable: Promise<boolean>;
  done: Promise<void>;
}

export class Receiver {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pieces = new Map<string, Pieces>();

  constructor(private readonly o: ReceiverOptions) {}

  /** Records then handles. Resolves after replies were handed to the channel. */
  async receive(event: InboundEvent): Promise<ReceiveResult> {
    if ((await this.record(event)) === "duplicate") return { status: "duplicate" };
    const result = await this.process(event);
    if (result !== JOINING) return result;
    await this.pieces.get(addressKey(event.address))?.done;
    return (await this.o.inbox.turnOf(event.id)) ?? result;
  }

  /** The durable step: once this resolves the platform may be told the update arrived. */
  async record(event: InboundEvent): Promise<"new" | "duplicate"> {
    const outcome = await this.o.inbox.record(event);
    if (outcome === "new") this.o.observer?.received(event.address.channel);
    return outcome;
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

  /**
   * Handles an already-recorded event: runs its turn once, sends its replies once, completes it.
   * A piece of a long paste returns `ignored: joined` at once and is handled with the others
   * when its chat's join window closes (`idle()` waits for that; `receive` too).
   */
  async process(event: InboundEvent, options: { recovering?: boolean } = {}): Promise<HandleResult> {
    const started = performance.now();
    try {
      const turn = await this.processOnce(event, options);
      this.o.observer?.handled(event.address.channel, (performance.now() - started) / 1000);
      return turn;
    } catch (err) {
      this.o.observer?.failed(event.address.channel);
      throw err;
    }
  }

  private async processOnce(event: InboundEvent, options: { recovering?: boolean }): Promise<HandleResult> {
    const key = addressKey(event.address);
    const open = this.pieces.get(key);
    if (open) {
      if (event.kind === "text" && open.open && (await open.joinable) && open.open) {
        open.events.push(event);
        return JOINING;
      }
      await open.done; // a later event of the chat is handled after the joined answer
      return this.processOnce(event, options);
    }
    if (event.kind === "text" && this.o.join && this.o.engine.takesLongText && !options.recovering) {
      const window = this.openWindow(key, event, this.o.join);
      if (await window) return JOINING;
    }
    const [turn] = await this.processGroup([event], options.recovering ?? false);
    return turn!;
  }

  /** Re-handles events that were recorded but never completed (the pieces of one paste together). */
  async recover(olderThan: Date, limit = 100): Promise<number> {
    const pending = await this.o.inbox.pending(olderThan, limit);
    for (const group of this.groupPieces(pending)) {
      try {
        await this.processGroup(group, true);
      } catch (err) {
        this.o.logger.error({ err, eventId: group[0]!.id }, "recovery of an inbound event failed");
      }
    }
    return pending.length;
  }

  /** Opens `key`'s join window with `first`; resolves false (window dropped) when the chat waits for no long text. */
  private openWindow(key: string, first: Extract<InboundEvent, { kind: "text" }>, join: JoinWindow): Promise<boolean> {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const joinable = this.o.engine.takesLongText!(first).catch(() => false);
    const pieces: Pieces = { events: [first], open: true, joinable, done };
    this.pieces.set(key, pieces);
    const close = () => {
      this.pieces.delete(key);
      finish();
    };
    return joinable.then((yes) => {
      if (!yes) return close(), false;
      const wait = join.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      const run = (async () => {
        for (let seen = 0; seen !== pieces.events.length; ) {
          seen = pieces.events.length;
          await wait(join.ms);
        }
        pieces.open = false;
        await this.processGroup(pieces.events, false);
      })()
        .catch((err) => this.o.logger.error({ err, eventId: first.id }, "handling failed; left for recovery"))
        .finally(() => (close(), this.inFlight.delete(run)));
      this.inFlight.add(run);
      return true;
    });
  }

  /** Pending events in order, the texts of one chat received within the join window grouped. */
  private groupPieces(pending: InboundEvent[]): InboundEvent[][] {
    const groups: InboundEvent[][] = [];
    const lastText = new Map<string, InboundEvent[]>();
    for (const event of pending) {
      const key = addressKey(event.address);
      const group = lastText.get(key);
      const prev = group?.at(-1);
      if (this.o.join && group && prev && event.kind === "text" && event.at.getTime() - prev.at.getTime() <= this.o.join.ms) {
        group.push(event);
        continue;
      }
      const fresh = [event];
      groups.push(fresh);
      if (event.kind === "text") lastText.set(key, fresh);
      else lastText.delete(key);
    }
    return groups;
  }

  /**
   * Under the chat's lock: runs the events' turns once — joined into one answer when they are
   * several texts answering a long-text step — sends their replies once and completes them.
   */
  private async processGroup(events: InboundEvent[], recovering: boolean): Promise<HandleResult[]> {
    const turns: HandleResult[] = [];
    let settled = false;
    const first = events[0]!;
    try {
      await this.o.lock.withLock(addressKey(first.address), async () => {
        // The lock is not a queue: an earlier event of this chat (recorded by another process a
        // moment before) may still wait for it. Its turn runs first, so a chat's turns keep the
        // order in which they were recorded. One whose handler is gone (a crash) is recovery's,
        // which may find it stale.
        if (!recovering) await this.runEarlier(first);
        // Checked under the lock: a concurrent handler of the same event may have just recorded it.
        const recorded = await Promise.all(events.map((e) => this.o.inbox.turnOf(e.id)));
        const fresh = events.filter((_, i) => !recorded[i]);
        const joined = fresh.length > 1 && (await this.o.engine.takesLongText?.(fresh[0]!)) ? await this.runJoined(fresh, recovering) : undefined;
        for (const [i, event] of events.entries()) {
          const found = recorded[i];
          const { turn, won } = found ? { turn: found, won: false } : joined?.get(event.id) ?? (await this.runTurn(event, recovering));
          if (turn.status === "handled") await this.deliver(event, turn.outbound, won);
          turns.push(turn);
        }
        settled = true;
      }, { waiter: first.id });
    } catch (err) {
      if (!settled) throw err;
      // The turns are recorded and their replies settled: a lock error now changes nothing.
      this.o.logger.warn({ err, eventId: first.id }, "chat lock failed after the turn was settled");
    }
    for (const event of events) await this.o.inbox.complete(event.id);
    return turns;
  }

  /**
   * Runs the pieces as one text event — the last piece's, so the conversation's `lastEventId`
   * is past them all — and records the other pieces as joined before the answer's turn.
   */
  private async runJoined(pieces: InboundEvent[], recovering: boolean): Promise<Map<string, Recorded>> {
    const last = pieces.at(-1)!;
    const text = pieces.map((p) => (p.kind === "text" ? p.text : "")).reduce(seam);
    const stale = recovering && (await this.o.inbox.movedPast(pieces[0]!, (await this.o.conversations?.get(addressKey(last.address)))?.lastEventId));
    const result: HandleResult = stale ? { status: "ignored", reason: "stale" } : await this.o.engine.handle({ ...last, kind: "text", text } as InboundEvent);
    const turns = new Map<string, Recorded>();
    for (const piece of pieces.slice(0, -1)) turns.set(piece.id, await this.o.inbox.recordTurn(piece.id, stale ? result : JOINING));
    turns.set(last.id, await this.o.inbox.recordTurn(last.id, result));
    return turns;
  }

  /** Under the chat's lock: runs (once) and settles the chat's events recorded before `event` whose handlers still wait for the lock. */
  private async runEarlier(event: InboundEvent): Promise<void> {
    const waiting = ((await this.o.lock.waiting?.(addressKey(event.address))) ?? []).filter((id) => id !== event.id);
    if (waiting.length === 0) return; // the common case: one Redis read, no database query
    const earlierEvents = ((await this.o.inbox.earlierPending?.(event, EARLIER_WINDOW_MS)) ?? []).filter((e) => waiting.includes(e.id));
    for (const earlier of earlierEvents) {
      const found = await this.o.inbox.turnOf(earlier.id);
      const { turn, won } = found ? { turn: found, won: false } : await this.runTurn(earlier, false);
      if (turn.status === "handled") await this.deliver(earlier, turn.outbound, won);
      await this.o.inbox.complete(earlier.id);
    }
  }

  /** Runs the engine and records the turn (or, late, records that the chat moved past it). */
  private async runTurn(event: InboundEvent, recovering: boolean): Promise<Recorded> {
    if (recovering) {
      const state = await this.o.conversations?.get(addressKey(event.address));
      if (await this.o.inbox.movedPast(event, state?.lastEventId)) {
        this.o.logger.warn({ eventId: event.id, address: addressKey(event.address) }, "inbound event left unhandled: its chat has moved past it");
        return this.o.inbox.recordTurn(event.id, { status: "ignored", reason: "stale" });
      }
    }
    return this.o.inbox.recordTurn(event.id, await this.o.engine.handle(event));
  }

  /**
   * Sends the replies not yet settled, in order; a network error stops here and leaves the rest to
   * recovery. `recorder`: this handler recorded the turn, so it holds try 1 of reply 0.
   */
  private async deliver(event: InboundEvent, outbound: Outbound[], recorder: boolean): Promise<void> {
    const { address } = event;
    const sender = this.o.senders[address.channel];
    if (!sender) throw new Error(`no sender for channel ${address.channel}`);
    let claimedNext = recorder;
    for (const [index, message] of outbound.entries()) {
      const claim: ReplyClaim = claimedNext ? { status: "claimed", attempt: 1, possibleDuplicate: false } : await this.o.inbox.claimReply(event.id, index);
      claimedNext = false;
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
      // The next reply's first claim goes with this one's settlement (one write instead of two).
      claimedNext = index + 1 < outbound.length && this.o.inbox.settleSentAndClaimNext !== undefined
        ? await this.o.inbox.settleSentAndClaimNext(event.id, index)
        : (await this.o.inbox.settleReply(event.id, index, "sent"), false);
    }
  }
}
