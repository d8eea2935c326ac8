/**
 * Contested meeting changes on the real server (FerretDB in CI), K = 8 concurrent attempts
 * each: the board head's agreement against the teacher's cancel or reschedule (one outcome per
 * version, households told accordingly), two guardians answering at once (the latest answer
 * decides), and eight parents opening a petition for one class (one petition).
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { race, expectOneWinner, RACE_WIDTH, isRaceError } from "../support/race.js";
import { transitionsOf } from "../../src/store/facts.js";
import { deliveryStates } from "../support/deliveries.js";
import type { BoardDecisionResult, ChangeResult, PetitionResult, RsvpResult } from "../../src/features/meetings/port.js";

describe("meeting races (K = 8, real FerretDB and BullMQ)", () => {
  const { h, world } = useMeetingWorld("meet-race", { account: "bot", withBoardHead: true });
  const at = new Date("2026-09-19T12:30:00Z");
  const later = new Date("2026-09-26T12:30:00Z");

  /** A class meeting waiting for the board head (round 1). */
  const pendingMeeting = async (eventId: string) => {
    const r = await h.service.create(await world.actor(world.identities.teacher), world.classMeeting({ startsAt: at }), eventId);
    if (r.status !== "sent-to-board") throw new Error(r.status);
    return r.meeting.id;
  };
  const guardiansOf = async (group: string) => new Set((await h.db.models.Delivery.find({ group }).lean()).map((d) => d.identityId));
  const delayedReminders = async (id: string) => (await h.reminderQueue().getJobs(["delayed", "waiting"])).filter((j) => j.data.meetingId === id);

  /** The meeting's summary agrees with its facts: one fact per version, written by the winners only. */
  const expectConsistentSummary = async (id: string) => {
    const facts = await transitionsOf(h.db.models, id);
    const m = (await h.meetings.Meeting.findById(id).lean())!;
    expect(facts.map((f) => f._id)).toEqual(facts.map((_, i) => `${id}#v${i + 1}`));
    expect(m.version).toBe(facts.length + 1);
    return { facts, meeting: m };
  };

  it("the board head agrees while the teacher cancels: one outcome, and no invitation without a cancellation notice", async () => {
    for (let round = 0; round < 3; round++) {
      const id = await pendingMeeting(`ev-cancel-${round}`);
      const head = await world.actor(world.identities.binhMom), teacher = await world.actor(world.identities.teacher);
      const results = await race<BoardDecisionResult | ChangeResult>(RACE_WIDTH, (i) => (i % 2 ? h.service.boardDecision(head, id, 1, "agree", "") : h.service.cancel(teacher, id, "Trùng lịch kiểm tra")));
      // Exactly one cancel takes effect; the others find the meeting cancelled already.
      expectOneWinner(results.filter((_, i) => i % 2 === 0) as (ChangeResult | { error: unknown })[], (r) => r.status === "ok");
      const agreed = results.filter((r, i) => i % 2 === 1 && !isRaceError(r) && (r as BoardDecisionResult).status === "published");
      const { facts, meeting } = await expectConsistentSummary(id);
      expect(meeting.status).toBe("cancelled");
      expect(facts[0]!.kind).toBe(agreed.length ? "published" : "cancelled");
      expect(agreed.length).toBeLessThanOrEqual(1);
      // Whoever was invited is also told of the cancellation; nobody invited when the cancel came first.
      const invited = await guardiansOf(`minv-${id}`), cancelled = await guardiansOf(`mcan-${id}`);
      for (const g of invited) expect(cancelled.has(g)).toBe(true);
      expect(invited.size).toBe(agreed.length ? 3 : 0);
      expect(await delayedReminders(id)).toEqual([]);
    }
  });

  it("the board head agrees while the teacher reschedules: never pushed back to 'pending board' once published, reminders only at the new time", async () => {
    for (let round = 0; round < 3; round++) {
      const id = await pendingMeeting(`ev-move-${round}`);
      const head = await world.actor(world.identities.binhMom), teacher = await world.actor(world.identities.teacher);
      const results = await race<BoardDecisionResult | ChangeResult>(RACE_WIDTH, (i) => (i % 2 ? h.service.boardDecision(head, id, 1, "agree", "") : h.service.reschedule(teacher, id, later)));
      expect(results.filter(isRaceError)).toEqual([]);
      const agreed = results.filter((r, i) => i % 2 === 1 && (r as BoardDecisionResult).status === "published");
      const { facts, meeting } = await expectConsistentSummary(id);
      // Version 1 went one way: either one agreement published it, or the reschedule took it back to the board.
      expectOneWinner([...agreed, facts[0]!.kind === "rescheduled" ? "rescheduled" : "-"], (r) => r !== "-");
      expect(new Date(meeting.startsAt)).toEqual(later);
      expect(facts.filter((f) => f.kind === "rescheduled")).toHaveLength(1);
      if (agreed.length) {
        // Published first, then moved: still published, every invited household gets the new time, reminders of the last version only.
        expect(facts.map((f) => f.kind)).toEqual(["published", "rescheduled"]);
        expect(meeting.status).toBe("published");
        const invited = await guardiansOf(`minv-${id}`);
        const moved = await guardiansOf(`mchg-${id}-v${meeting.version}`);
        expect([...invited].every((g) => moved.has(g))).toBe(true);
        const jobs = await delayedReminders(id);
        expect(jobs.length).toBeGreaterThan(0);
        expect(jobs.every((j) => j.data.version === meeting.version)).toBe(true);
      } else {
        // Moved while pending: back to the board with a new round; the stale agreement published nothing.
        expect(facts.map((f) => f.kind)).toEqual(["rescheduled"]);
        expect(meeting).toMatchObject({ status: "pending-board", boardRound: 2 });
        expect(await guardiansOf(`minv-${id}`)).toEqual(new Set());
        expect(await delayedReminders(id)).toEqual([]);
      }
    }
  });

  it("a winner that died between its fact and the summary write is rolled forward, so the next change still goes through", async () => {
    const id = await pendingMeeting("ev-crash");
    // The board head's agreement decided version 1, then its process died before writing the summary.
    await h.db.models.Transition.create({ _id: `${id}#v1`, entity: id, kind: "published", actor: world.identities.binhMom, at: h.clock.now(), data: JSON.stringify({ version: 2, status: "published" }) });
    h.clock.advance(60_000);
    const teacher = await world.actor(world.identities.teacher);
    expect(await h.service.cancel(teacher, id, "Trùng lịch")).toMatchObject({ status: "ok", meeting: { status: "cancelled", version: 3 } });
    const { facts } = await expectConsistentSummary(id);
    expect(facts.map((f) => f.kind)).toEqual(["published", "cancelled"]);
  });

  it("two guardians answer at once, eight times: the latest answer decides the tally, every answer is kept with its own seq", async () => {
    const r = await h.service.create(await world.actor(world.identities.teacher), world.classMeeting({ kind: "other", startsAt: at, place: "x", agenda: "y" }), "ev-rsvp-race");
    await h.service.boardDecision(await world.actor(world.identities.binhMom), (r as { meeting: { id: string } }).meeting.id, 1, "agree", "");
    const id = (r as { meeting: { id: string } }).meeting.id;
    const mom = await world.actor(world.identities.anMom), dad = await world.actor(world.identities.anDad);
    const results = await race(RACE_WIDTH, (i) => h.service.rsvp(i % 2 ? mom : dad, id, world.students.an, i % 2 ? "no" : "yes", "", `ev-a${i}`));
    const last = expectOneWinner(results, (x) => (x as RsvpResult & { seq?: number }).seq === RACE_WIDTH);
    expect(new Set(results.map((x) => (x as { seq: number }).seq))).toEqual(new Set(Array.from({ length: RACE_WIDTH }, (_, i) => i + 1)));
    expect(await h.meetings.MeetingRsvp.countDocuments({ meetingId: id, studentId: world.students.an })).toBe(RACE_WIDTH);
    const tally = (await h.service.tally(await world.actor(world.identities.teacher), id))!;
    expect(tally.rows.find((row) => row.studentName === "Nguyễn Văn An")!.answer).toBe(last % 2 ? "no" : "yes");
  });

  it("eight parents open a petition for one class at once: one petition, one invitation round, everyone's signature on it", async () => {
    const actors = await Promise.all([world.identities.anMom, world.identities.anDad, world.identities.binhMom].map((i) => world.actor(i)));
    const studentOf = [world.students.an, world.students.an, world.students.binh];
    const results = await race(RACE_WIDTH, (i) => h.service.startPetition(actors[i % 3]!, studentOf[i % 3]!, "Nhiều bạn bị bắt nạt", `ev-p${i}`));
    expectOneWinner(results, (r) => (r as PetitionResult & { opened?: true }).opened === true);
    const petitions = await h.meetings.MeetingPetition.find({ classGroupId: world.classId }).lean();
    expect(petitions).toHaveLength(1);
    expect(new Set(results.map((r) => (r as { petitionId?: string }).petitionId).filter(Boolean))).toEqual(new Set([petitions[0]!._id]));
    expect(await h.meetings.MeetingPetitionSignature.countDocuments({ petitionId: petitions[0]!._id })).toBe(2); // An and Bình, once each
    expect(await h.db.models.Transition.countDocuments({ entity: `petition:${world.classId}` })).toBe(1);
    const invites = (await deliveryStates(h.db.models)).filter((d) => d.group.startsWith("mpi-"));
    expect(new Set(invites.map((d) => d.group))).toEqual(new Set([`mpi-${petitions[0]!._id}`]));
  });
});
