/**
 * A school in its own time zone (`School.timeZone` = Asia/Tokyo, two hours ahead of the
 * deployment's Asia/Ho_Chi_Minh): its ballots and results wait out its own night and carry its
 * zone (the deadline they show is its wall clock); a school without a zone keeps the
 * deployment's. Real FerretDB; the outbox and the deadline scheduler are recording fakes of our ports.
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { FakeClock } from "../support/fakes.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { registerPollModels, ensurePollIndexes } from "../../src/store/poll-models.js";
import { createPolls } from "../../src/features/polls/index.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import { seedSchool, actorFor, type SeededSchool } from "./seed.js";

describe("polls in the school's own time zone (real FerretDB)", () => {
  const config = testConfig("poll-tz");
  /** 22:00 in Tokyo (its night), 20:00 in Hà Nội. */
  const clock = new FakeClock(new Date("2026-09-14T13:00:00Z"));
  let db: Database, polls: ReturnType<typeof createPolls>;
  const sent: { group: string; items: OutboxItem[] }[] = [];

  beforeEach(async () => {
    clock.set(new Date("2026-09-14T13:00:00Z"));
    sent.length = 0;
    db = await openDatabase(config.mongo.uri, config.mongo.db);
    const models = registerPollModels(db.conn);
    await ensurePollIndexes(models);
    polls = createPolls({
      models: db.models, polls: models, clock, timeZone: "Asia/Ho_Chi_Minh",
      outbox: { enqueueGroup: async (group, items) => { sent.push({ group, items }); } },
      scheduler: { schedule: async () => {}, ensure: async () => true },
    });
  });
  afterEach(async () => {
    await db.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  const create = async (school: SeededSchool, boardUser: string, eventId: string) => {
    const r = await polls.createPoll(await actorFor(db.models, school, boardUser), {
      scope: { kind: "class", schoolId: school.schoolId, classGroupId: school.classId, className: "6A1" },
      question: "Chọn ngày dã ngoại", options: ["Thứ Bảy", "Chủ Nhật"], multiple: false, anonymity: "anonymous", closesAt: new Date("2026-09-18T08:00:00Z"),
    }, eventId);
    if (r.status !== "created") throw new Error(r.status);
    return r.poll;
  };
  const itemsOf = (group: string) => sent.filter((s) => s.group === group).flatMap((s) => s.items);

  it("a Tokyo school's ballots and results wait for its own 06:30 and carry its zone; a Hà Nội school's go at once", async () => {
    const tokyo = await seedSchool(db.models, { account: "bot", studentNames: ["Nguyễn Văn An"], guardians: { "501": [0] }, boardUser: "board" });
    await db.models.School.updateOne({ _id: tokyo.schoolId }, { $set: { timeZone: "Asia/Tokyo" } });
    const hanoi = await seedSchool(db.models, { account: "bot", studentNames: ["Trần Thị Bình"], guardians: { "601": [0] }, boardUser: "board-hn" });

    const inTokyo = await create(tokyo, "board", "ev-tokyo");
    expect(itemsOf(`poll-${inTokyo.id}`)).toEqual([expect.objectContaining({ notBefore: new Date("2026-09-14T21:30:00Z"), timeZone: "Asia/Tokyo" })]);
    const inHanoi = await create(hanoi, "board-hn", "ev-hanoi");
    const ballot = itemsOf(`poll-${inHanoi.id}`);
    expect(ballot).toEqual([expect.objectContaining({ timeZone: "Asia/Ho_Chi_Minh" })]);
    expect(ballot[0]!.notBefore).toBeUndefined();

    // Closed at its deadline, 18/09 17:00 in Tokyo: the result goes at once (not night there), in Tokyo's zone.
    clock.set(new Date("2026-09-18T08:00:00Z"));
    await polls.runPollDeadline(inTokyo.id);
    const results = itemsOf(`poll-result-${inTokyo.id}`);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.timeZone).toBe("Asia/Tokyo");
      expect(r.notBefore).toBeUndefined();
    }
  });
});
