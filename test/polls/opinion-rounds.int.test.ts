import { describe, it, expect, beforeAll } from "vitest";
import { createOpinions } from "../../src/features/opinions/index.js";
import { pollEraser } from "../../src/features/polls/index.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";
import { usePollStore } from "./poll-store.js";

describe("opinion rounds against a real database", () => {
  const { db, P, clock, sent, deps } = usePollStore("opinion-rounds");
  let school: SeededSchool;
  let service: ReturnType<typeof createOpinions>;

  beforeAll(async () => {
    school = await seedSchool(db.models, { account: "bot", studentNames: ["Nguyễn Văn An", "Trần Thị Bình"], guardians: { mom: [0], lan: [1] }, teacherUser: "teacher" });
    service = createOpinions(deps());
  });

  /** A submission token as the conversation draws it (here derived from a label, for readable tests). */
  const token = (label: string) => `tok${label.replace(/[^a-z0-9]/g, "")}`.padEnd(12, "0");
  const open = async (eventId: string) => {
    const r = await service.openRound(await actorFor(db.models, school, "teacher"), {
      scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" }, topic: "Dã ngoại học kỳ II", closesAt: new Date("2026-12-10T10:00:00Z"),
    }, eventId);
    if (r.status !== "opened") throw new Error(r.status);
    return r.round;
  };

  it("an anonymous opinion stores neither the student nor the writer; a replayed submission is stored once", async () => {
    const round = await open("ev-open-1");
    const mom = await actorFor(db.models, school, "mom");
    clock.set(new Date("2026-12-01T02:17:43Z"));
    await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[0]!.id, text: "Ý kiến ẩn danh", anonymous: true, submission: token("ev-op-1") });
    clock.set(new Date("2026-12-01T02:00:00Z"));
    await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[0]!.id, text: "Ý kiến ẩn danh", anonymous: true, submission: token("ev-op-1") });
    const docs = await P.Opinion.find({ roundId: round.id }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ studentId: "", authorIdentityId: "", anonymous: true });
    // Only the hour it was written: its time does not single out the inbound message that carried it.
    expect(new Date(docs[0]!.at)).toEqual(new Date("2026-12-01T02:00:00Z"));
    expect(docs[0]!._id).toBe(`${round.id}-${token("ev-op-1")}`);
    const list = (await service.opinions(await actorFor(db.models, school, "teacher"), round.id))!;
    expect(list.opinions.map((o) => o.studentName)).toEqual([""]);
  });

  it("a guardian cannot write for another family's child, nor after the deadline", async () => {
    const round = await open("ev-open-2");
    const mom = await actorFor(db.models, school, "mom");
    expect((await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[1]!.id, text: "x", anonymous: false, submission: token("ev-op-2") })).status).toBe("not-found");
    clock.set(new Date("2026-12-10T10:00:00Z"));
    try {
      expect((await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[0]!.id, text: "muộn", anonymous: false, submission: token("ev-op-3") })).status).toBe("closed");
    } finally {
      clock.set(new Date("2026-12-01T02:00:00Z"));
    }
    expect(await P.Opinion.countDocuments({ roundId: round.id })).toBe(0);
  });

  it("closing sends the summary once to each participant and the organizer; /xoadulieu removes a guardian's named opinions", async () => {
    const round = await open("ev-open-3");
    const [mom, lan, teacher] = await Promise.all([actorFor(db.models, school, "mom"), actorFor(db.models, school, "lan"), actorFor(db.models, school, "teacher")]);
    await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[0]!.id, text: "Một", anonymous: false, submission: token("ev-a") });
    await service.submitOpinion(mom, { roundId: round.id, studentId: school.students[0]!.id, text: "Hai", anonymous: true, submission: token("ev-b") });
    await service.submitOpinion(lan, { roundId: round.id, studentId: school.students[1]!.id, text: "Ba", anonymous: false, submission: token("ev-c") });
    const closed = await service.closeRound(teacher, round.id);
    expect(closed).toMatchObject({ status: "closed", summary: { opinions: 3, households: 2, named: 2, anonymous: 1 } });
    expect((await service.closeRound(teacher, round.id)).status).toBe("already-closed");
    const summaries = sent.filter((s) => s.group === `opinion-summary-${round.id}`).flatMap((s) => s.items);
    expect(summaries.map((s) => s.recipient.userId).sort()).toEqual(["lan", "mom", "teacher"]);
    const erased = await pollEraser(P)({ identityId: mom.identityId });
    expect(erased.namedOpinions).toBeGreaterThanOrEqual(1);
    expect((await P.Opinion.find({ roundId: round.id }).lean()).map((o) => o.text).sort()).toEqual(["Ba", "Hai"]);
  });
});
