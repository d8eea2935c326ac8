/**
 * What the engine and the flows need from the outside world. `store/`, `jobs/` and `channels/`
 * implement these; unit tests use in-memory fakes of them. Feature services (meetings,
 * concerns, notices, polls) declare their ports in `ports-<feature>.ts` beside this file.
 */
import type { Address, InboundEvent } from "./messages.js";
import type { Roles, InviteGrant } from "../domain/roles.js";
import type { Say } from "./say.js";
import type { Locale } from "../i18n/fluent.js";
import type { MeetingsPort } from "./ports-meetings.js";
import type { ConcernsPort } from "./ports-concerns.js";
import type { BroadcastPort } from "./ports-broadcast.js";
import type { PollsPort } from "../features/polls/port.js";
import type { OpinionsPort } from "../features/opinions/port.js";

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
}

/** People, their identities and roles. */
export interface Directory {
  resolve(address: Address, localeHint?: string): Promise<Person>;
  /** Stores the chosen language; before linking it lives in the conversation only. */
  setLocale(address: Address, locale: Locale): Promise<void>;
  /** Marks the identity unreachable (the person blocked the bot). */
  markUnreachable(address: Address): Promise<void>;
}

/** What a code would grant, shown before consent; never says more than the code holder may know. */
export interface CodePreview {
  grant: InviteGrant["kind"];
  schoolName: string;
  className?: string;
  studentName?: string;
  roleKey?: "homeroom-teacher" | "principal" | "vice-principal" | "admin" | "board-head" | "board-deputy" | "board-member";
  staffName?: string;
}

export type CodeCheck = { status: "ok"; preview: CodePreview } | { status: "invalid" };
export type RedeemResult =
  | { status: "linked"; preview: CodePreview }
  | { status: "already-linked"; preview: CodePreview }
  | { status: "invalid" };

/** Invite codes, consent and linking. */
export interface Linking {
  /** Looks a code up without using it. "invalid" covers unknown, expired and used up alike. */
  check(code: string): Promise<CodeCheck>;
  /** Records consent and redeems the code atomically per slot: under concurrency exactly one wins a slot. */
  redeem(input: {
    code: string;
    address: Address;
    displayName?: string;
    locale: Locale;
    consentVersion: string;
    eventId: string;
  }): Promise<RedeemResult>;
}

/** What is stored about a person, for /quyenriengtu. */
export interface PrivacyReport {
  channel: string;
  displayName?: string;
  locale: Locale;
  consentedAt?: Date;
  consentVersion?: string;
  students: { name: string; className: string; schoolName: string }[];
  roles: { roleKey: string; className?: string; schoolName: string }[];
}

/** Access and erasure of personal data (Law 91/2025). */
export interface Privacy {
  report(address: Address): Promise<PrivacyReport | undefined>;
  /** Deletes everything about the person at this address; returns what was removed. */
  forget(address: Address, eventId: string): Promise<{ deleted: Record<string, number> }>;
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
}

/** The outbox, as the engine sees it. */
export interface Outbox {
  enqueue(items: OutboxItem[]): Promise<void>;
}

/** Time is a port: unit tests use a fake clock. */
export interface Clock {
  now(): Date;
}

/** Everything a flow may touch. */
export interface Services {
  conversations: ConversationStore;
  directory: Directory;
  linking: Linking;
  privacy: Privacy;
  throttle: Throttle;
  outbox: Outbox;
  clock: Clock;
  meetings: MeetingsPort;
  concerns: ConcernsPort;
  broadcast: BroadcastPort;
  polls: PollsPort & OpinionsPort;
}

/** Serializes handling per chat across every process (a Redis lock in production). */
export interface ChatLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Durable record of inbound events: written before a platform update is acknowledged. */
export interface Inbox {
  /** "new" the first time an event id is seen, "duplicate" after. */
  record(event: InboundEvent): Promise<"new" | "duplicate">;
  complete(eventId: string): Promise<void>;
  /** Events recorded but never completed (a crash between receiving and handling). */
  pending(olderThan: Date, limit: number): Promise<InboundEvent[]>;
}
