/**
 * The linking feature's port: invite codes, consent and linking, and a person's access to and
 * erasure of their data (Law 91/2025). Flows reach it as `services.linking` / `services.privacy`.
 */
import type { Address } from "../../engine/messages.js";
import type { InviteGrant } from "../../domain/roles.js";
import type { StaffTitle } from "../../domain/address.js";
import type { Locale } from "../../i18n/fluent.js";

/** What a code would grant, shown before consent; never says more than the code holder may know. */
export interface CodePreview {
  grant: InviteGrant["kind"];
  schoolName: string;
  className?: string;
  studentName?: string;
  roleKey?: "homeroom-teacher" | "principal" | "vice-principal" | "admin" | "board-head" | "board-deputy" | "board-member";
  staffName?: string;
  /** "thay" | "co" | "none" (src/domain/address.ts). */
  staffTitle?: StaffTitle;
}

export type CodeCheck = { status: "ok" | "already-linked"; preview: CodePreview } | { status: "invalid" };
export type RedeemResult =
  | { status: "linked"; preview: CodePreview }
  | { status: "already-linked"; preview: CodePreview }
  | { status: "invalid" };

export interface RedeemInput {
  code: string;
  address: Address;
  displayName?: string;
  locale: Locale;
  consentVersion: string;
  eventId: string;
}

/** Invite codes, consent and linking. */
export interface Linking {
  /**
   * Looks a code up without using it. "invalid" covers unknown, expired and used up alike; a
   * code whose last slot the person at `address` holds (an interrupted redemption) is still ok.
   */
  check(code: string, address?: Address): Promise<CodeCheck>;
  /**
   * Records consent and redeems the code. Each slot is taken by inserting a fact: under
   * concurrency exactly one person wins a slot. A redemption interrupted after its slot was
   * taken is finished by the same person's next try, with the same slot.
   */
  redeem(input: RedeemInput): Promise<RedeemResult>;
}

/** What is stored about a person, for /quyenriengtu. */
export interface PrivacyReport {
  channel: string;
  displayName?: string;
  locale: Locale;
  consentedAt?: Date;
  consentVersion?: string;
  /** A phone shared with the school's Zalo OA for template messages, masked ("••••5678"). */
  sharedPhone?: string;
  /** The messengers this person is paired on (`/kenh`), by name only; empty when not paired. */
  pairedChannels?: string[];
  students: { name: string; className: string; schoolName: string }[];
  roles: { roleKey: string; className?: string; schoolName: string }[];
}

/** Access and erasure of personal data (Law 91/2025). */
export interface Privacy {
  report(address: Address): Promise<PrivacyReport | undefined>;
  /** Deletes everything about the person at this address; returns what was removed. */
  forget(address: Address, eventId: string): Promise<{ deleted: Record<string, number>; otherChannels?: string[] }>;
}

/** One of a person's messengers, as `/kenh` shows it (no handle: the messenger's name only). */
export interface ChannelView {
  identityId: string;
  channel: string;
  /** The messenger this conversation is on. */
  current: boolean;
  /** The one that gets the person's messages. */
  preferred: boolean;
  reachable: boolean;
}

export type ChannelStatus = { status: "not-linked" } | { status: "ok"; channels: ChannelView[] };
export type PairingCheck = "ok" | "invalid" | "same-messenger" | "already-paired" | "paired-elsewhere";
export type PairResult = { status: "paired"; channels: string[] } | { status: Exclude<PairingCheck, "ok"> };

export interface PairInput {
  code: string;
  address: Address;
  displayName?: string;
  locale: Locale;
  /** Set when this messenger's person read the privacy notice and agreed (a new messenger): recorded with the pairing. */
  consentVersion?: string;
  eventId: string;
}

/** One person across messengers (`/kenh`): pairing by a one-time code, the messenger that gets the messages. */
export interface ChannelsPort {
  status(address: Address): Promise<ChannelStatus>;
  /** A one-time pairing code (15 minutes) for the person at `address`; undefined when not linked. */
  issueCode(address: Address): Promise<{ code: string; expiresAt: Date } | undefined>;
  /** Looks a code up without using it. */
  check(code: string, address: Address): Promise<PairingCheck>;
  /** Records consent (when this messenger has none) and pairs it with the code's person: each code is used once. */
  pair(input: PairInput): Promise<PairResult>;
  /** Chooses the messenger (one of the person's identities) that gets the messages. */
  choose(address: Address, identityId: string): Promise<boolean>;
  unpair(address: Address): Promise<"unpaired" | "not-paired">;
}
