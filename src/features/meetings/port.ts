/**
 * The meetings feature's port: what the meeting flows may ask for. Implemented by the use
 * cases of this folder (assembled in `index.ts`: documents in MongoDB, status changes decided
 * by unique facts, reminders as BullMQ delayed jobs, fan-out through the outbox) and wired in
 * `wiring.ts`.
 *
 * Every method takes the acting person and checks their right itself: a meeting that is not
 * the actor's is "not-found", never "forbidden", so nothing about another class leaks.
 */
import { createHash } from "node:crypto";
import type { OaRouteCounts } from "../../domain/oa-route-counts.js";
import type { Reachability } from "../../store/audience.js";
import type { Roles } from "../../domain/roles.js";
import { dateArg, type SayArgs } from "../../engine/say.js";

export const MEETING_KINDS = ["start-year", "end-semester-1", "end-year", "extraordinary", "other"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export type MeetingScope = { kind: "class"; classGroupId: string } | { kind: "grade"; grade: number } | { kind: "school" };
export type MeetingStatus = "draft" | "pending-board" | "published" | "cancelled" | "held";
export type RsvpAnswer = "yes" | "no" | "other";

/** Who is acting (a linked person). */
export interface MeetingActor {
  identityId: string;
  roles: Roles;
}

/** A meeting as flows show it. `scopeName` is the class name, "6" for a grade, or "" for the school. */
export interface MeetingView {
  id: string;
  kind: MeetingKind;
  scope: MeetingScope["kind"];
  scopeName: string;
  /** The class of a class meeting (absent otherwise): the start-of-year meeting's menu offers to record its board. */
  classGroupId?: string;
  /** The meeting's school (every stored meeting has one): a school-wide start-of-year meeting's menu offers BGH to record the school board. */
  schoolId?: string;
  startsAt: Date;
  place: string;
  agenda: string;
  status: MeetingStatus;
  version: number;
  /** Increases every time the draft goes to the board; stale board buttons carry an old one. */
  boardRound: number;
}

export interface MeetingDraft {
  schoolId: string;
  scope: MeetingScope;
  kind: MeetingKind;
  startsAt: Date;
  place: string;
  agenda: string;
}

export type CreateMeetingResult =
  | { status: "sent-to-board"; meeting: MeetingView }
  | { status: "published"; meeting: MeetingView; households: number }
  | { status: "forbidden" };

export type BoardDecisionResult =
  | { status: "published"; meeting: MeetingView; households: number }
  | { status: "revision-requested"; meeting: MeetingView }
  | { status: "stale" }
  | { status: "not-found" };

/** One student of a guardian invited to a meeting, with the household's answer so far. */
export interface GuardianInvite {
  meeting: MeetingView;
  students: { studentId: string; studentName: string; answer?: RsvpAnswer; reason?: string }[];
}

export type RsvpResult =
  /** `seq` numbers this answer among the student's answers: a reason given later attaches to it. */
  | { status: "recorded"; meeting: MeetingView; studentName: string; answer: RsvpAnswer; seq: number }
  | { status: "closed"; meeting: MeetingView }
  | { status: "not-found" };

/** One answer for several children at once: recorded per pupil, as `rsvp` records it for each. */
export type RsvpAllResult =
  | { status: "recorded"; meeting: MeetingView; studentNames: string[]; answer: RsvpAnswer }
  | { status: "closed"; meeting: MeetingView }
  /** The children the button was for are no longer the actor's children in the meeting. */
  | { status: "stale" }
  | { status: "not-found" };

export interface TallyRow {
  studentName: string;
  answer: RsvpAnswer | "none";
  reason: string;
  /** Whether the household can be reached on a messenger (apart from whether it answered). */
  reach: Reachability;
}

export interface Tally {
  meeting: MeetingView;
  rows: TallyRow[];
  /**
   * A partition of the households: the answers, `none` = reachable and not answered (what a
   * nudge reminds), `notLinked` / `blocked` = not answered and not reachable (never invited).
   */
  counts: { yes: number; no: number; other: number; none: number; notLinked: number; blocked: number };
  /** Households by the Zalo OA route of their invitation (as in the notice report); `paid` + `template` are charged. */
  oa: OaRouteCounts;
  /**
   * The pupils (tally order) whose household the last reminder due to it did not reach: its
   * delivery failed or the household became unreachable, or the reminder's job failed for good.
   * A failed reminder is not sent again, so the organizer is told (`remindersMissed` in reminders.ts).
   */
  remindersMissed: string[];
}

export type ChangeResult =
  | { status: "ok"; meeting: MeetingView; households: number }
  | { status: "closed"; meeting: MeetingView }
  | { status: "not-found" };

export type NudgeResult = { status: "sent"; households: number } | { status: "already-today" } | { status: "closed" } | { status: "not-found" };

export interface MeetingQuestionView {
  at: Date;
  text: string;
  /** The student's name, or "" when the guardian asked anonymously. */
  studentName: string;
}

/** A guardian's opinion on a held meeting, as the organizer sees it. */
export type MeetingOpinionView = MeetingQuestionView;

/** The pupils of a meeting in tally order, for recording attendance by number. */
export interface AttendanceSheet {
  meeting: MeetingView;
  students: { studentId: string; studentName: string; answer: RsvpAnswer | "none"; present?: boolean }[];
}

/**
 * Attendance recorded when the meeting is marked held: every pupil of the meeting is present
 * except `absent` (student ids). Undefined when the organizer skips it.
 */
export interface AttendanceInput {
  absent: string[];
}

export type PetitionResult =
  /** `opened` when this call opened the class's petition (at most one call per petition). */
  | { status: "signed"; petitionId: string; signatures: number; households: number; reached: boolean; opened?: true }
  | { status: "already-signed"; signatures: number; households: number; opened?: true }
  | { status: "not-found" };

export interface MeetingsPort {
  /** Creates a meeting: to the board head for agreement, or published at once when there is none (recorded). */
  create(actor: MeetingActor, draft: MeetingDraft, eventId: string): Promise<CreateMeetingResult>;
  /** The board head's answer to round `round` of a draft. */
  boardDecision(actor: MeetingActor, meetingId: string, round: number, decision: "agree" | "revise", comment: string): Promise<BoardDecisionResult>;
  /** Sends a revised draft back to the board (after "Đề nghị sửa"). */
  resubmit(actor: MeetingActor, meetingId: string, changes: { agenda?: string; place?: string }): Promise<CreateMeetingResult | { status: "not-found" }>;
  /** The organizer's meetings that are not over (draft, pending, published), and those held in the last 60 days. */
  listOrganized(actor: MeetingActor): Promise<MeetingView[]>;
  /** Upcoming published meetings for the actor's children. */
  listForGuardian(actor: MeetingActor): Promise<GuardianInvite[]>;
  rsvp(actor: MeetingActor, meetingId: string, studentId: string, answer: RsvpAnswer, reason: string, eventId: string): Promise<RsvpResult>;
  /**
   * *Cả N con: tham dự* under a message naming several of the actor's children: `children` is
   * the digest of their set (`childrenDigest`), and each child's answer is recorded as `rsvp`
   * records it (its own fact, the child's other guardians told).
   */
  rsvpAll(actor: MeetingActor, meetingId: string, children: string, answer: "yes", eventId: string): Promise<RsvpAllResult>;
  /**
   * The reason for one's own answer `seq` (typed after *Không tham dự*): kept against that
   * answer only, so it never turns another guardian's later answer into an absence.
   */
  rsvpReason(actor: MeetingActor, meetingId: string, studentId: string, seq: number, reason: string): Promise<{ status: "ok" } | { status: "not-found" }>;
  tally(actor: MeetingActor, meetingId: string): Promise<Tally | undefined>;
  /** Reminds households without an answer; at most once per local day per meeting. */
  nudge(actor: MeetingActor, meetingId: string): Promise<NudgeResult>;
  reschedule(actor: MeetingActor, meetingId: string, startsAt: Date): Promise<ChangeResult>;
  cancel(actor: MeetingActor, meetingId: string, reason: string): Promise<ChangeResult>;
  /**
   * Marks the meeting held, records attendance when given (one document per pupil), and sends
   * the minutes to every household with an invitation to give an opinion on the meeting.
   */
  markHeld(actor: MeetingActor, meetingId: string, minutes: string, attendance?: AttendanceInput): Promise<ChangeResult>;
  /** The meeting's pupils (tally order) with their RSVP and any recorded attendance. */
  attendanceSheet(actor: MeetingActor, meetingId: string): Promise<AttendanceSheet | undefined>;
  /** A guardian's opinion on a held meeting: one document per message (anonymous hides the pupil's name). */
  giveOpinion(actor: MeetingActor, meetingId: string, studentId: string, text: string, anonymous: boolean, eventId: string): Promise<{ status: "ok" } | { status: "closed" } | { status: "not-found" }>;
  /** The opinions given on a meeting, oldest first. */
  opinions(actor: MeetingActor, meetingId: string): Promise<MeetingOpinionView[] | undefined>;
  /** A guardian's question before the meeting (anonymous hides the student's name from the teacher). */
  ask(actor: MeetingActor, meetingId: string, studentId: string, text: string, anonymous: boolean, eventId: string): Promise<{ status: "ok" } | { status: "closed" } | { status: "not-found" }>;
  questions(actor: MeetingActor, meetingId: string): Promise<MeetingQuestionView[] | undefined>;
  /**
   * A guardian asks for an extraordinary meeting of their child's class (Circular 55/2011 Art. 9):
   * joins the class's open petition or opens one (other households are invited to co-sign).
   */
  startPetition(actor: MeetingActor, studentId: string, reason: string, eventId: string): Promise<PetitionResult>;
  /** Co-signs for one student (one signature per household); at half of the class the teacher and board head are told. */
  signPetition(actor: MeetingActor, petitionId: string, studentId: string): Promise<PetitionResult>;
  /** Tally (with attendance), questions and opinions as CSV text (UTF-8 with BOM so Excel shows Vietnamese). */
  exportCsv(actor: MeetingActor, meetingId: string): Promise<string | undefined>;
}

/** Reminder jobs, as the meeting service sees them (BullMQ in `src/jobs/meeting-reminders.ts`). */
export interface MeetingReminderScheduler {
  /** Adds one delayed job per planned reminder of this version; re-adding is a no-op. */
  schedule(meetingId: string, version: number, plan: { offset: string; at: Date }[]): Promise<void>;
  /** Removes the waiting jobs of an old version (an active one stays and no-ops on its version check). */
  unschedule(meetingId: string, version: number, offsets: string[]): Promise<void>;
}

/** The RSVP button payload: "mr-<meeting>-<student>-<y|n|o>" (≤ 64 bytes with UUID student ids). */
export function rsvpPayload(meetingId: string, studentId: string, answer: RsvpAnswer): string {
  return `mr-${meetingId}-${studentId}-${answer === "yes" ? "y" : answer === "no" ? "n" : "o"}`;
}

/** The digest of a set of students (order does not matter): which children a message named, in 10 characters. */
export function childrenDigest(studentIds: readonly string[]): string {
  return createHash("sha256").update([...studentIds].sort().join(",")).digest("hex").slice(0, 10);
}

/** The "attending, for all these children" button payload: "mrall-<meeting>-<children digest>-y" (≤ 30 bytes). */
export function rsvpAllPayload(meetingId: string, studentIds: readonly string[]): string {
  return `mrall-${meetingId}-${childrenDigest(studentIds)}-y`;
}

/** The opinion button under the minutes: "mo-<meeting>-<student>". */
export function opinionPayload(meetingId: string, studentId: string): string {
  return `mo-${meetingId}-${studentId}`;
}

/** The Say arguments every meeting message shares. */
export function meetingArgs(m: MeetingView): SayArgs {
  return { kind: m.kind, scope: m.scope, scopeName: m.scopeName, when: dateArg(m.startsAt), place: m.place, agenda: m.agenda };
}

