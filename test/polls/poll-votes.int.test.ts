import { describe, it, expect, beforeAll } from "vitest";
import { createPolls } from "../../src/features/polls/index.js";
import type { PollDraft } from "../../src/features/polls/port.js";
import { tallySays } from "../../src/features/polls/messages.js";
import { Translator } from "../../src/i18n/fluent.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";
import { usePollStore } from "./poll-store.js";
import { joinPerson, shareGrants } from "../../src/store/people.js";
import { rolesOf } from "../../src/store/directory.js";

describe("poll votes against a real database", () => {
  const { db, P, clock, sent, deps } = usePollStore("poll-votes");
  let school: SeededSchool;
  const scheduled: string[] = [];
  let service: ReturnType<typeof createPolls>;

  beforeAll(async () => {
    school = await seedSchool(db.models, {
      account: "bot", studentNames: ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"],
      guardians: { mom: [0], dad: [0], lan: [1, 2] }, boardUser: "board",
    });
    service = createPolls(deps({ schedule: async (kind, id) => { scheduled.push(`${kind}-${id}`); }, ensure: async () => false }));
  });

  const draft = (over: Partial<PollDraft> = {}): PollDraft => ({
    scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" },
    question: "Chọn ngày dã ngoại", options: ["Thứ Bảy", "Chủ Nhật"], multiple: false, anonymity: "anonymous",
    closesAt: new Date("2026-12-20T10:00:00Z"), ...over,
  });
  const idxOf = (name: string) => school.students.findIndex((s) => s.name === name);
  const create = async (eventId: string, over: Partial<PollDraft> = {}) => {
    const r = await service.createPoll(await actorFor(db.models, school, "board"), draft(over), eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r.poll;
  };

  it("sends one ballot per (student, guardian) and schedules the deadline once", async () => {
    const poll = await create("ev-create-1");
    const again = await create("ev-create-1");
    expect(again.id).toBe(poll.id);
    const items = sent.filter((s) => s.group === `poll-${poll.id}`).flatMap((s) => s.items);
    expect(new Set(items.map((i) => i.key)).size).toBe(4); // An: mom + dad; Bình and Châu: Lan twice
    for (const i of items) for (const row of i.messages[0]!.buttons!) for (const b of row) expect(Buffer.byteLength(b.payload)).toBeLessThanOrEqual(64);
    expect(scheduled).toContain(`poll-${poll.id}`);
  });

  it("two guardians of one student voting at the same moment count once", async () => {
    const poll = await create("ev-concurrent");
    const [mom, dad] = await Promise.all([actorFor(db.models, school, "mom"), actorFor(db.models, school, "dad")]);
    const an = idxOf("Nguyễn Văn An");
    const results = await Promise.all([service.vote(mom, poll.id, an, 0, false), service.vote(dad, poll.id, an, 1, false)]);
    expect(results.map((r) => r.status)).toEqual(["recorded", "recorded"]);
    expect(await P.PollVote.countDocuments({ pollId: poll.id })).toBe(1);
    const tally = (await service.tally(await actorFor(db.models, school, "board"), poll.id))!;
    expect(tally.voted).toBe(1);
    expect(tally.households).toBe(3);
    expect(tally.counts[0]! + tally.counts[1]!).toBe(1);
    // Apart from the votes: Bình and Châu (Lan's) have not voted and can be reached.
    expect(tally.reach).toEqual({ notVoted: 2, notLinked: 0, blocked: 0 });
    const lan = await actorFor(db.models, school, "lan");
    await db.models.ChannelIdentity.updateOne({ _id: lan.identityId }, { $set: { reachable: false } });
    try {
      const board = await actorFor(db.models, school, "board");
      const blocked = (await service.tally(board, poll.id))!;
      expect(blocked.reach).toEqual({ notVoted: 0, notLinked: 0, blocked: 2 });
      const [head] = tallySays(blocked);
      expect(new Translator().t("vi", head!.key, head!.args)).toContain("Đã nhận phiếu, chưa biểu quyết: 0 hộ · Chưa liên kết với bot: 0 hộ · Không liên lạc được (chặn bot/chưa bắt đầu): 2 hộ.");
    } finally {
      await db.models.ChannelIdentity.updateOne({ _id: lan.identityId }, { $set: { reachable: true } });
    }
  });

  it("a vote change replaces the household's vote until the deadline, then votes are refused", async () => {
    const poll = await create("ev-change");
    const lan = await actorFor(db.models, school, "lan");
    const binh = idxOf("Trần Thị Bình"), chau = idxOf("Lê Minh Châu");
    await service.vote(lan, poll.id, binh, 0, false);
    await service.vote(lan, poll.id, chau, 0, false);
    await service.vote(lan, poll.id, binh, 1, false);
    const board = await actorFor(db.models, school, "board");
    expect((await service.tally(board, poll.id))!).toMatchObject({ counts: [1, 1], voted: 2 });
    clock.set(new Date("2026-12-20T10:00:00Z"));
    try {
      const late = await service.vote(lan, poll.id, chau, 1, false);
      expect(late.status).toBe("closed");
      expect((await service.tally(board, poll.id))!.counts).toEqual([1, 1]);
    } finally {
      clock.set(new Date("2026-12-01T02:00:00Z"));
    }
  });

  it("a guardian cannot vote for a child who is not theirs", async () => {
    const poll = await create("ev-not-mine");
    const mom = await actorFor(db.models, school, "mom");
    expect((await service.vote(mom, poll.id, idxOf("Trần Thị Bình"), 0, false)).status).toBe("not-found");
    expect(await P.PollVote.countDocuments({ pollId: poll.id })).toBe(0);
  });

  it("an anonymous vote stores no student, and closing erases the key that linked it", async () => {
    const poll = await create("ev-anon");
    await service.vote(await actorFor(db.models, school, "mom"), poll.id, idxOf("Nguyễn Văn An"), 1, false);
    const vote = (await P.PollVote.findOne({ pollId: poll.id }).lean())!;
    expect(vote.studentId).toBe("");
    expect(JSON.stringify(vote)).not.toContain(school.students[0]!.id);
    expect(JSON.stringify(vote)).not.toContain(school.identities.mom!);
    const closed = await service.closePoll(await actorFor(db.models, school, "board"), poll.id);
    expect(closed).toMatchObject({ status: "closed", tally: { counts: [0, 1], voted: 1 } });
    expect((closed as { tally: { voters?: unknown } }).tally.voters).toBeUndefined();
    expect((await P.Poll.findById(poll.id).lean())!.voterSecret).toBe("");
    const results = sent.filter((s) => s.group === `poll-result-${poll.id}`).flatMap((s) => s.items);
    expect(new Set(results.map((r) => r.recipient.userId))).toEqual(new Set(["mom", "dad", "lan", "board"]));
  });

  it("a visible poll shows the organizer each household's choice", async () => {
    const poll = await create("ev-visible", { anonymity: "visible" });
    await service.vote(await actorFor(db.models, school, "dad"), poll.id, idxOf("Nguyễn Văn An"), 0, false);
    const tally = (await service.tally(await actorFor(db.models, school, "board"), poll.id))!;
    expect(tally.voters).toEqual([{ studentName: "Nguyễn Văn An", chosen: [0] }]);
  });

  it("in a multiple-choice poll two guardians choosing the same option at once count it once, and unchoosing removes it", async () => {
    const poll = await create("ev-multi", { multiple: true, options: ["Bơi", "Cờ vua", "Bóng đá"] });
    const [mom, dad] = await Promise.all([actorFor(db.models, school, "mom"), actorFor(db.models, school, "dad")]);
    const an = idxOf("Nguyễn Văn An");
    await Promise.all([service.vote(mom, poll.id, an, 2, false), service.vote(dad, poll.id, an, 2, false), service.vote(dad, poll.id, an, 0, false)]);
    const board = await actorFor(db.models, school, "board");
    expect((await service.tally(board, poll.id))!).toMatchObject({ counts: [1, 0, 1], voted: 1 });
    const r = await service.vote(mom, poll.id, an, 0, true);
    expect(r).toMatchObject({ status: "recorded", student: { chosen: [2] } });
  });

  it("the deadline job fired early waits until the deadline (no error), then closes an open poll once and skips a closed one", async () => {
    const poll = await create("ev-deadline");
    expect(await service.runPollDeadline(poll.id)).toEqual({ waitUntil: new Date("2026-12-20T10:00:00Z") });
    expect((await P.Poll.findById(poll.id).lean())!.status).toBe("open");
    clock.set(new Date("2026-12-20T10:00:00Z"));
    try {
      expect(await service.runPollDeadline(poll.id)).toBe("closed");
      expect(await service.runPollDeadline(poll.id)).toBe("skipped");
      expect(sent.filter((s) => s.group === `poll-result-${poll.id}`)).toHaveLength(1);
    } finally {
      clock.set(new Date("2026-12-01T02:00:00Z"));
    }
  });

  it("when the second guardian changes the household's vote, the first guardian is told (and nobody is told of their own change)", async () => {
    for (const anonymity of ["anonymous", "visible"] as const) {
      const poll = await create(`ev-changed-${anonymity}`, { anonymity });
      const [mom, dad] = await Promise.all([actorFor(db.models, school, "mom"), actorFor(db.models, school, "dad")]);
      const an = idxOf("Nguyễn Văn An");
      const told = () => sent.filter((s) => s.group.startsWith("poll-vote-changed-") && s.group.includes(poll.id)).flatMap((s) => s.items);
      await service.vote(mom, poll.id, an, 0, false);
      await service.vote(mom, poll.id, an, 1, false);
      expect(told()).toHaveLength(0);
      await service.vote(dad, poll.id, an, 0, false);
      expect(told().map((i) => i.recipient.userId)).toEqual(["mom"]);
      expect(told()[0]!.messages[0]).toMatchObject({ key: "poll-vote-changed", args: { studentName: "Nguyễn Văn An", chosen: "Thứ Bảy" } });
      await service.vote(dad, poll.id, an, 0, false);
      expect(told()).toHaveLength(1);
      await service.vote(mom, poll.id, an, 1, false);
      expect(told().map((i) => i.recipient.userId)).toEqual(["mom", "dad"]);
    }
  });

  it("the same parent changing the vote from their other messenger (/kenh) is not told 'another guardian changed it'", async () => {
    const poll = await create("ev-changed-paired", { anonymity: "visible" });
    const mom = await actorFor(db.models, school, "mom");
    const zalo = await db.models.ChannelIdentity.create({ channel: "zalo-bot", account: "zb", externalUserId: "mom-z", chatId: "mom-z" });
    await joinPerson(db.models, mom.identityId, mom.identityId, new Date(0));
    await joinPerson(db.models, zalo._id, mom.identityId, new Date(1));
    await shareGrants(db.models, [mom.identityId, zalo._id]);
    const momOnZalo = { identityId: zalo._id, roles: await rolesOf(db.models, zalo._id) };
    const an = idxOf("Nguyễn Văn An");
    const told = () => sent.filter((s) => s.group.startsWith("poll-vote-changed-") && s.group.includes(poll.id)).flatMap((s) => s.items);
    await service.vote(mom, poll.id, an, 0, false);
    expect((await service.vote(momOnZalo, poll.id, an, 1, false)).status).toBe("recorded");
    expect(told()).toHaveLength(0);
  });
});
