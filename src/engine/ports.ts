/**
 * What the engine needs from the outside world. `store/`, `jobs/` and `channels/` implement
 * these; unit tests use in-memory fakes of them. The engine is generic over the services its
 * flows see (`Engine<Sv extends CoreServices>`): the app's full set, with each feature's port,
 * is declared in `src/features/services.ts` — the engine names no feature.
 */
import type { Address, Button, InboundEvent, Outbound } from "./messages.js";
import type { Roles } from "../domain/roles.js";
import type { Say } from "./say.js";
import type { Locale } from "../i18n/fluent.js";

/** Plain JSON, the only thing conversation data may hold (it is stored between turns). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A conversation's position: explicit, versioned, serializable. */
export interface ConversationState {
  flowId: string;
  flowVersion: number;
  step: string;
  data: { [key: string]: Json };
  updatedAt: Date;
  /** The last event that moved this conversation; a re-run of the same event is ignored. */
  lastEventId?: string;
  /** The steps behind the current one, oldest first, for *Quay lại* (back). */
  trail?: { step: string; data: { [key: string]: Json } }[];
  /** The platform message whose keyboard was last answered: a second tap on it is ignored. */
  answeredRef?: string;
}

/** The buttons of the last message that carried buttons to a chat, as `KeyboardMemory` keeps them. */
export interface RememberedKeyboard {
  /** In the order a person reads them (navigation buttons left out). */
  buttons: Button[];
  sentAt: Date;
  /** The platform message that shows them, where the platform has ids for it (Telegram). */
  messageRef?: string;
}

/**
 * The last buttons sent to each chat (MongoDB in the app, shared by every process and kept
 * across restarts), so a number or a label typed afterwards can be read as pressing one of them:
 * the engine does so outside a conversation step, on every channel; the Zalo channels also
 * before recording, for the numbered lists they show. Keyed by `addressKey`.
 */
export interface KeyboardMemory {
  /** Remembers `buttons` as the chat's current list; an empty list forgets it. */
  remember(chatKey: string, buttons: Button[], messageRef?: string): Promise<void>;
  recall(chatKey: string): Promise<RememberedKeyboard | undefined>;
  /**
   * The message `messageRef` was edited to show `buttons` (none: its keyboard is gone): when its
   * buttons are the chat's current list, they become these (none: forgotten). For channels that
   * edit messages (Telegram).
   */
  replaceUnder?(chatKey: string, messageRef: string, buttons: Button[]): Promise<void>;
}

/** Per-chat conversation state. */
export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  put(key: string, state: ConversationState): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Who is writing: resolved once per event. */
export interface Person {
  address: Address;
  /** Set once the person has consented and linked something. */
  identityId?: string;
  locale: Locale;
  roles: Roles;
  displayName?: string;
  /** The time zone of the person's school: typed times are read and dates shown in it (default: the translator's). */
  timeZone?: string;
}

/** People, their identities and roles. */
export interface Directory {
  resolve(address: Address, localeHint?: string): Promise<Person>;
  /** Stores the chosen language; before linking it lives in the conversation only. */
  setLocale(address: Address, locale: Locale): Promise<void>;
  /** Marks the identity unreachable (the person blocked the bot). */
  markUnreachable(address: Address): Promise<void>;
}

/** Counting attempts in a window (wrong invite codes). Shared by every process. */
export interface Throttle {
  /** Records a failure and tells whether the key is now over the limit. */
  fail(key: string): Promise<{ blocked: boolean; retryAfterSeconds: number }>;
  /** Tells whether the key is currently blocked, without recording anything. */
  isBlocked(key: string): Promise<{ blocked: boolean; retryAfterSeconds: number }>;
}

/** A message for somebody other than the person writing, delivered by the rate-limited outbox. */
export interface OutboxItem {
  /** Deterministic and unique per (thing, recipient): a retried enqueue never sends twice. */
  key: string;
  recipient: Address;
  messages: Say[];
  /** Delay until this instant (quiet hours, scheduled sends). */
  notBefore?: Date;
  /** The zone its dates show in: the school's the message is about (the translator's default when absent). */
  timeZone?: string;
}

/** The outbox, as the engine sees it. */
export interface Outbox {
  enqueue(items: OutboxItem[]): Promise<void>;
}

/** Time is a port: unit tests use a fake clock. */
export interface Clock {
  now(): Date;
}

/**
 * The services every app of this engine has: what the engine itself uses (conversations,
 * directory, clock) and what any flow may count on. An app's flows see a wider set
 * (`Sv extends CoreServices`).
 */
export interface CoreServices {
  conversations: ConversationStore;
  directory: Directory;
  throttle: Throttle;
  outbox: Outbox;
  clock: Clock;
}

/** Serializes handling per chat across every process (a Redis lock in production, renewed while held). */
export interface ChatLock {
  /** `waiter`: an id (the event's) announced as waiting for the lock while it waits (see `waiting`). */
  withLock<T>(key: string, fn: () => Promise<T>, options?: { waiter?: string }): Promise<T>;
  /** The waiters announced on `key` whose handlers are alive and still waiting for it. */
  waiting?(key: string): Promise<string[]>;
}

/** What handling an event produced (and what a recorded turn holds). */
export type HandleResult =
  | { status: "handled"; outbound: Outbound[]; flowId?: string; step?: string }
  | { status: "ignored"; reason: "group-chat" | "replay" | "blocked" | "unsupported" | "stale" | "joined" | "answered-button" };

/** Where sending one reply of a recorded turn stands. */
export type ReplyClaim =
  /** This caller may send it (try `attempt`); `possibleDuplicate` when an earlier try was cut off mid-send. */
  | { status: "claimed"; attempt: number; possibleDuplicate: boolean }
  /** Already settled: sent, or not deliverable (the person blocked the bot, the platform refused it). */
  | { status: "settled"; outcome: "sent" | "unreachable" | "failed" };

/**
 * Durable record of inbound events and of their turns. An event is recorded before its platform
 * update is acknowledged; its turn (what the engine answered, rendered) is recorded once, when the
 * engine returns; each reply's sending is a series of facts, so a reply is sent once whoever
 * (the first handler or the recovery job) gets to it.
 */
export interface Inbox {
  /** "new" the first time an event id is seen, "duplicate" after. */
  record(event: InboundEvent): Promise<"new" | "duplicate">;
  /** The turn recorded for this event, once its engine run finished. */
  turnOf(eventId: string): Promise<HandleResult | undefined>;
  /**
   * Records a finished turn once: the first record wins and is what every caller gets back.
   * `won`: this call's record is the one kept — its caller holds try 1 of reply 0 (no mark is
   * written for it; see `claimReply`).
   */
  recordTurn(eventId: string, result: HandleResult): Promise<{ turn: HandleResult; won: boolean }>;
  /**
   * True when the event's chat has moved past it: a later event of the chat already has its
   * turn, or is the conversation's `lastEventId`. Such an event is never run late.
   */
  movedPast(event: InboundEvent, lastEventId?: string): Promise<boolean>;
  /**
   * Claims the next try of reply `index` of an event's turn (call it holding the chat lock). Try 1
   * of reply 0 is never claimed here: it belongs to whoever recorded the turn.
   */
  claimReply(eventId: string, index: number): Promise<ReplyClaim>;
  /** Records how a claimed reply ended. */
  settleReply(eventId: string, index: number, outcome: "sent" | "unreachable" | "failed", error?: string): Promise<void>;
  /**
   * Records that reply `index` was sent and claims try 1 of reply `index + 1`, in one write: true
   * when that claim was won (as `claimReply` answering attempt 1), false when `claimReply` must decide.
   */
  settleSentAndClaimNext?(eventId: string, index: number): Promise<boolean>;
  /** Records that try `attempt` of a reply failed without reaching anybody (it may be tried again). */
  clearReply(eventId: string, index: number, attempt: number, error: string): Promise<void>;
  /** Marks the event handled: its turn recorded and its replies settled. */
  complete(eventId: string): Promise<void>;
  /** Events recorded but never completed (a crash, a network error while replying). */
  pending(olderThan: Date, limit: number): Promise<InboundEvent[]>;
  /**
   * Events of the same chat recorded before this one, at most `windowMs` earlier, and not yet
   * complete, oldest first: the turns a handler holding the chat's lock must run first.
   */
  earlierPending?(event: InboundEvent, windowMs: number): Promise<InboundEvent[]>;
}
