import { describe, it, expect, beforeAll } from "vitest";
import { createOpinions, type CloseRoundResult, type SubmitOpinionResult } from "../../src/features/opinions/index.js";
import { race, expectOneWinner, isRaceError } from "../support/race.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";
import { usePollStore, lateCreates } from "./poll-store.js";

const WRITERS = 8, CLOSERS = 3;

describe("closing an opinion round while guardians write (the race kit against the real server)", () => {
  const { db, P, sent, deps } = usePollStore("round-close-race");
  let school: SeededSchool;
  let rounds: ReturnType<typeof createOpinions>;
  /** The same use cases over an opinion model whose inserts wait until the round's summary is frozen. */
  let lateRounds: ReturnType<typeof createOpinions>;

  beforeAll(async () => {
    const names = Array.from({ length: WRITERS }, (_, i) => `Học Sinh ${String.fromCharCode(65 + i)}`);
    school = await seedSchool(db.models, { account: "bot", studentNames: names, teacherUser: "teacher", guardians: Object.fromEntries(names.map((_, i) => [`g${i}`, [i]])) });
    rounds = createOpinions(deps());
    const lateOpinions = lateCreates(P.Opinion, async (doc: { roundId: string }) => !!(await db.models.Transition.exists({ _id: `round:${doc.roundId}#summary` })), "frozen summary");
    lateRounds = createOpinions({ ...deps(), polls: { ...P, Opinion: lateOpinions } });
  });

  for (const [n, late] of [[1, false], [2, false], [3, true]] as const)
    it(`round ${n}${late ? " (half of the opinions land after the summary froze)" : ""}: one close wins, and the summary counts exactly the stored opinions`, async () => {
      const teacher = await actorFor(db.models, school, "teacher");
      const opened = await rounds.openRound(teacher, {
        scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" }, topic: `Đợt ${n}`, closesAt: new Date("2026-12-10T10:00:00Z"),
      }, `ev-round-${n}`);
      if (opened.status !== "opened") throw new Error(opened.status);
      const roundId = opened.round.id;
      const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => actorFor(db.models, school, `g${i}`)));
      const studentOf = (i: number) => school.students.find((s) => s.name === `Học Sinh ${String.fromCharCode(65 + i)}`)!.id;
      const closerAt = new Set(Array.from({ length: CLOSERS }, (_, c) => (n + 4 * c) % (WRITERS + CLOSERS)));
      const plan = Array.from({ length: WRITERS + CLOSERS }, (_, i) => (closerAt.has(i) ? -1 : i - [...closerAt].filter((c) => c < i).length));
      const results = await race(plan.length, (i): Promise<SubmitOpinionResult | CloseRoundResult> => {
        const w = plan[i]!;
        if (w < 0) return rounds.closeRound(teacher, roundId);
        return (late && w % 2 === 0 ? lateRounds : rounds).submitOpinion(writers[w]!, {
          roundId, studentId: studentOf(w), text: `Ý kiến ${w}`, anonymous: w % 3 === 0, submission: `race${n}w${w}`.padEnd(12, "0"),
        });
      });
      expect(results.filter(isRaceError)).toEqual([]);
      expectOneWinner(results, (r) => "summary" in r && r.status === "closed");
      const written = results.filter((r): r is SubmitOpinionResult => !isRaceError(r) && !("summary" in r));
      const recorded = written.filter((r) => r.status === "recorded").length;
      expect(recorded + written.filter((r) => r.status === "closed").length).toBe(WRITERS);

      const stored = await P.Opinion.find({ roundId }).lean();
      expect(stored).toHaveLength(recorded);
      const summaries = sent.filter((s) => s.group === `opinion-summary-${roundId}`).flatMap((s) => s.items);
      expect(summaries.length).toBeGreaterThan(0);
      for (const s of summaries) expect(s.messages[0]!.args).toMatchObject({ opinions: stored.length, anonymous: stored.filter((o) => o.anonymous).length });
      if (late) for (const [i, w] of plan.entries()) if (w >= 0 && w % 2 === 0) expect((results[i] as SubmitOpinionResult).status).toBe("closed");
    });
});
