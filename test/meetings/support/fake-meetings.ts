/** An in-memory `MeetingsPort` for flow unit tests: records calls, answers from a script. */
import type { MeetingsPort, MeetingView, RsvpAnswer } from "../../../src/engine/ports-meetings.js";

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
  listOrganized: MeetingsPort["listOrganized"] = async () => [];
  listForGuardian: MeetingsPort["listForGuardian"] = async () => [];
  rsvp: MeetingsPort["rsvp"] = async (actor, meetingId, studentId, answer: RsvpAnswer, reason) => {
    this.record("rsvp", [actor.identityId, meetingId, studentId, answer, reason]);
    if (!(this.guardianOf[actor.identityId] ?? []).includes(studentId)) return { status: "not-found" };
    return { status: "recorded", meeting: sampleMeeting, studentName: "Nguyễn Văn An", answer };
  };
  boardDecision: MeetingsPort["boardDecision"] = async (actor, meetingId, round, decision, comment) => {
    this.record("boardDecision", [actor.identityId, meetingId, round, decision, comment]);
    return decision === "agree" ? { status: "published", meeting: sampleMeeting, households: 3 } : { status: "revision-requested", meeting: sampleMeeting };
  };
}

export const asPort = (f: FakeMeetings) => f as unknown as MeetingsPort;
