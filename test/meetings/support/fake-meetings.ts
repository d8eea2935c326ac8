/** An in-memory `MeetingsPort` for flow unit tests: records calls, answers from a script. */
import type { MeetingsPort, MeetingView, RsvpAnswer } from "../../../src/features/meetings/port.js";
import { NO_ROLES, type Roles } from "../../../src/domain/roles.js";
import { createTestEngine } from "../../support/fakes.js";

export const sampleMeeting: MeetingView = {
  id: "mabc123", kind: "start-year", scope: "class", scopeName: "6A1", startsAt: new Date("2026-09-19T12:30:00Z"),
  place: "Phòng 6A1", agenda: "Bầu Ban đại diện", status: "published", version: 1, boardRound: 1,
};

export class FakeMeetings implements Partial<MeetingsPort> {
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** Students each identity may answer for. */
  constructor(private readonly guardianOf: Record<string, string[]> = {}) {}
  private record(method: string, args: unknown[]) {
    this.calls.push({ method, args: structuredClone(args) });
  }
  create: MeetingsPort["create"] = async (actor, draft, eventId) => {
    this.record("create", [actor.identityId, draft, eventId]);
    return { status: "sent-to-board", meeting: { ...sampleMeeting, startsAt: draft.startsAt, status: "pending-board" } };
  };
  listForGuardian: MeetingsPort["listForGuardian"] = async () => [];
  rsvp: MeetingsPort["rsvp"] = async (actor, meetingId, studentId, answer: RsvpAnswer, reason) => {
    this.record("rsvp", [actor.identityId, meetingId, studentId, answer, reason]);
    if (!(this.guardianOf[actor.identityId] ?? []).includes(studentId)) return { status: "not-found" };
    return { status: "recorded", meeting: sampleMeeting, studentName: "Nguyễn Văn An", answer, seq: this.calls.filter((c) => c.method === "rsvp").length };
  };
  /** The digest `rsvpAll` accepts for each identity (the children of a message), and the names it answers with. */
  allDigests: Record<string, { digest: string; names: string[] }> = {};
  rsvpAll: MeetingsPort["rsvpAll"] = async (actor, meetingId, children, answer, eventId) => {
    this.record("rsvpAll", [actor.identityId, meetingId, children, answer, eventId]);
    const mine = this.allDigests[actor.identityId];
    return mine?.digest === children ? { status: "recorded", meeting: sampleMeeting, studentNames: mine.names, answer } : { status: "stale" };
  };
  rsvpReason: MeetingsPort["rsvpReason"] = async (actor, meetingId, studentId, seq, reason) => {
    this.record("rsvpReason", [actor.identityId, meetingId, studentId, seq, reason]);
    return (this.guardianOf[actor.identityId] ?? []).includes(studentId) ? { status: "ok" } : { status: "not-found" };
  };
  /** The organizer's meeting (none unless a test sets one): its status decides the manage menu. */
  managed?: MeetingView;
  listOrganized: MeetingsPort["listOrganized"] = async () => (this.managed ? [this.managed] : []);
  tally: MeetingsPort["tally"] = async () => ({ meeting: this.managed ?? sampleMeeting, rows: [], counts: { yes: 0, no: 0, other: 0, none: 0, notLinked: 0, blocked: 0 }, oa: { free: 0, paid: 0, template: 0, otherChannel: 0, held: 0 }, remindersMissed: [] });
  attendanceSheet: MeetingsPort["attendanceSheet"] = async () => ({
    meeting: this.managed ?? sampleMeeting,
    students: [
      { studentId: "s1", studentName: "Nguyễn Văn An", answer: "yes" },
      { studentId: "s2", studentName: "Trần Thị Bình", answer: "no" },
      { studentId: "s3", studentName: "Lê Minh Châu", answer: "none" },
    ],
  });
  markHeld: MeetingsPort["markHeld"] = async (actor, meetingId, minutes, attendance) => {
    this.record("markHeld", [actor.identityId, meetingId, minutes, attendance ?? null]);
    return { status: "ok", meeting: { ...(this.managed ?? sampleMeeting), status: "held" }, households: 3 };
  };
  giveOpinion: MeetingsPort["giveOpinion"] = async (actor, meetingId, studentId, text, anonymous, eventId) => {
    this.record("giveOpinion", [actor.identityId, meetingId, studentId, text, anonymous, eventId]);
    return (this.guardianOf[actor.identityId] ?? []).includes(studentId) ? { status: "ok" } : { status: "not-found" };
  };
  opinions: MeetingsPort["opinions"] = async () => [
    { at: new Date("2026-09-19T14:00:00Z"), text: "Cuộc họp rõ ràng.", studentName: "Nguyễn Văn An" },
    { at: new Date("2026-09-19T14:05:00Z"), text: "Nên gửi tài liệu trước.", studentName: "" },
  ];
  resubmit: MeetingsPort["resubmit"] = async (actor, meetingId, changes) => {
    this.record("resubmit", [actor.identityId, meetingId, changes]);
    return { status: "sent-to-board", meeting: { ...(this.managed ?? sampleMeeting), ...changes, status: "pending-board" } };
  };
  boardDecision: MeetingsPort["boardDecision"] = async (actor, meetingId, round, decision, comment) => {
    this.record("boardDecision", [actor.identityId, meetingId, round, decision, comment]);
    return decision === "agree" ? { status: "published", meeting: sampleMeeting, households: 3 } : { status: "revision-requested", meeting: sampleMeeting };
  };
}

export const asPort = (f: FakeMeetings) => f as unknown as MeetingsPort;

export const teacherRoles: Roles = { ...NO_ROLES, staff: [{ role: "homeroom-teacher", schoolId: "sch1", classGroupId: "c1", className: "6A1", staffName: "Nguyễn Thị Lan" }] };
export const guardianRoles: Roles = { ...NO_ROLES, guardianOf: [{ studentId: "s1", studentName: "Nguyễn Văn An", classGroupId: "c1", className: "6A1", schoolId: "sch1" }] };

/** The test engine over `meetings`: 6A1's homeroom teacher writes as user 2001, An's guardian (id-parent) as 3001. */
export function meetingEngine(meetings: FakeMeetings) {
  const t = createTestEngine({ meetings: asPort(meetings) });
  t.directory.people.set("telegram:bot:2001", { identityId: "id-teacher", roles: teacherRoles, locale: "vi" });
  t.directory.people.set("telegram:bot:3001", { identityId: "id-parent", roles: guardianRoles, locale: "vi" });
  return t;
}
