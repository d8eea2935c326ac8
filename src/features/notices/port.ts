/**
 * The notices feature's port (`/thongbao`): what the notice flows may ask for. Implemented by
 * the use cases beside this file (assembled in `index.ts`; documents in MongoDB, scheduled sends
 * and fan-outs as BullMQ jobs on the `broadcasts` queue, deliveries through the outbox) and
 * wired in `wiring.ts`.
 *
 * Every method takes the acting person and checks their right itself: a notice that is not
 * the actor's is "not-found", never "forbidden", so nothing about another class leaks.
 * Households are counted per student, and identified to staff by the student's name only.
 */
import type { OaRouteCounts } from "../../domain/oa-route-counts.js";
import type { Roles } from "../../domain/roles.js";
import type { Say } from "../../engine/say.js";

export type NoticeKind = "info" | "ack";
export type NoticeScope = { kind: "class"; classGroupId: string } | { kind: "grade"; grade: number } | { kind: "school" };
export type NoticeStatus = "scheduled" | "sent" | "cancelled";

/** Largest document / photo a bot may send on Telegram (and the largest we accept). */
export const NOTICE_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
export const NOTICE_MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Document types schools send ("công văn", fee tables). */
export const NOTICE_DOCUMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "doc", "xls"] as const;
/** Longest notice text (the channel splits past its own limit). */
export const NOTICE_MAX_TEXT = 8000;

export interface NoticeActor {
  identityId: string;
  roles: Roles;
}

/** The platform's file id (Telegram file_id), resent as is. A type alias so flow data can hold it. */
export type NoticeFile = { media: "photo" | "document"; fileRef: string; fileName?: string };

export interface NoticeDraft {
  schoolId: string;
  scope: NoticeScope;
  kind: NoticeKind;
  text: string;
  file?: NoticeFile;
  /** Only for "ack" notices: confirm before this instant. */
  deadline?: Date;
  /** Principal only: bypasses quiet hours. */
  urgent: boolean;
  /** Absent: send now. */
  sendAt?: Date;
}

/** A notice as flows show it. `scopeName` is the class name, "6" for a grade, or the school's name. */
export interface NoticeView {
  id: string;
  kind: NoticeKind;
  scope: NoticeScope["kind"];
  scopeName: string;
  text: string;
  file?: NoticeFile;
  deadline?: Date;
  urgent: boolean;
  status: NoticeStatus;
  sendAt?: Date;
  sentAt?: Date;
  /** How many re-notify rounds were sent. */
  rounds: number;
}

export type NoticeInvalid = "empty" | "deadline-past" | "send-at-past" | "deadline-missing" | "not-urgent-allowed";

export type CreateNoticeResult =
  | { status: "sent"; notice: NoticeView; households: number; deferredUntil?: Date }
  | { status: "scheduled"; notice: NoticeView }
  | { status: "forbidden" }
  | { status: "invalid"; reason: NoticeInvalid };

/** Reach of one household (student), the best outcome over its guardians and rounds. */
export type HouseholdReach = "reached" | "pending" | "failed" | "unreachable";

export interface NoticeReportRow {
  studentId: string;
  studentName: string;
  reach: HouseholdReach;
  confirmed: boolean;
  /** A guardian is linked (an "unreachable" household with one blocked the bot; without, never linked). */
  linked: boolean;
  /** A copy may have been sent twice (a worker died mid-send). */
  possibleDuplicate: boolean;
}

export interface NoticeReport {
  notice: NoticeView;
  rows: NoticeReportRow[];
  /**
   * `unreachable` = `notLinked` + `blocked`; `notConfirmed`: reached households that have not
   * confirmed; `toRemind`: the households *Nhắc lại* acts on (`householdsToRemind`).
   */
  counts: {
    households: number; reached: number; pending: number; failed: number; unreachable: number; notLinked: number; blocked: number;
    confirmed: number; notConfirmed: number; toRemind: number;
    /** Households by the route that reached them on the Zalo OA (or is holding them); `paid` = paid consultation + template messages. */
    oa: OaRouteCounts;
  };
}

/** "already": that round was decided before (another tap); nothing more is sent. */
export type RenotifyResult =
  | { status: "sent" | "already"; households: number; round: number }
  | { status: "nothing-to-do" } | { status: "not-sent-yet" } | { status: "not-found" };
/** `decided`: this call cancelled it (false: it was already cancelled). "already-sent": it went out. */
export type CancelResult = { status: "cancelled"; notice: NoticeView; decided: boolean } | { status: "already-sent" } | { status: "not-found" };
export type ConfirmResult =
  | { status: "confirmed" | "already"; notice: NoticeView; studentName: string }
  | { status: "not-found" };

/** A notice shown to a guardian, with the confirmation state of each of their students in scope. */
export interface GuardianNotice {
  notice: NoticeView;
  signature: NoticeSignature;
  students: { studentId: string; studentName: string; confirmed: boolean }[];
}

/** Who signs: "GVCN lớp 6A1 – cô Nguyễn Thị Lan", "Hiệu trưởng – thầy Trần Văn Minh". */
export interface NoticeSignature {
  role: "homeroom-teacher" | "principal" | "vice-principal";
  className: string;
  title: string;
  name: string;
}

export interface BroadcastPort {
  /** Exactly what the first household would get (with a sample student), or "forbidden". */
  preview(actor: NoticeActor, draft: NoticeDraft): Promise<Say | { status: "forbidden" }>;
  /** Creates and sends (or schedules) a notice; idempotent per `eventId`. */
  create(actor: NoticeActor, draft: NoticeDraft, eventId: string): Promise<CreateNoticeResult>;
  /** The actor's recent notices (a principal also sees the school's). */
  listSent(actor: NoticeActor): Promise<NoticeView[]>;
  /** Recent sent notices reaching the actor's children. */
  listForGuardian(actor: NoticeActor): Promise<GuardianNotice[]>;
  report(actor: NoticeActor, noticeId: string): Promise<NoticeReport | undefined>;
  /**
   * Re-notifies the households that have not confirmed as round `round` (the sender saw
   * `round - 1` rounds): one round per decision, so two taps on one report send once.
   */
  renotify(actor: NoticeActor, noticeId: string, round: number): Promise<RenotifyResult>;
  /** Cancels a scheduled notice unless it already went out (one decision per notice). */
  cancel(actor: NoticeActor, noticeId: string): Promise<CancelResult>;
  /** A guardian's "Đã xem" for one student: one confirmation per (notice, student). */
  confirm(actor: NoticeActor, noticeId: string, studentId: string): Promise<ConfirmResult>;
}

/** The notice jobs (BullMQ in `src/jobs/notice-jobs.ts`); every id is deterministic. */
export interface NoticeJobs {
  /** The due job of a scheduled notice at `at`. */
  schedule(noticeId: string, at: Date): Promise<void>;
  unschedule(noticeId: string): Promise<void>;
  /** The fan-out of one round (0: the notice itself) to every household, in a job of its own. */
  fanOut(noticeId: string, round: number): Promise<void>;
  /** One report refresh for the sender at `at` (the end of a 30 s bucket); the same bucket twice is one job. */
  scheduleReportRefresh(noticeId: string, bucket: number, at: Date): Promise<void>;
  /** Reconcile: (re)creates the due job unless Redis holds it; true when it did. */
  restoreSchedule(noticeId: string, at: Date): Promise<boolean>;
  /** Reconcile: (re)creates (or retries a failed) fan-out job unless Redis holds it; true when it did. */
  restoreFanOut(noticeId: string, round: number): Promise<boolean>;
}

/** The key under which a notice's report replaces its previous copy in the sender's chat. */
export const noticeReportKey = (noticeId: string) => `notice-report-${noticeId}`;

/** "Đã xem" button payload: "na-<notice>-<student>" (≤ 64 bytes with UUID student ids). */
export function confirmPayload(noticeId: string, studentId: string): string {
  return `na-${noticeId}-${studentId}`;
}

/** Reads a "Đã xem" payload back (notice ids never contain "-"). */
export function parseConfirmPayload(payload: string): { noticeId: string; studentId: string } | undefined {
  const m = /^na-([a-z0-9]+)-(.+)$/.exec(payload);
  return m ? { noticeId: m[1]!, studentId: m[2]! } : undefined;
}
