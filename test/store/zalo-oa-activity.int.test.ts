import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, ensureCollections, type Database } from "../../src/store/mongo.js";
import { createZaloOaActivityRepository, zaloOaActivityModel, type ZaloOaActivityRepository } from "../../src/store/zalo-oa-activity.js";
import { activityFacts, readOaActivity } from "../../src/channels/zalo-oa/parse-event.js";
import { race, RACE_WIDTH, isRaceError } from "../support/race.js";
import { uniqueName } from "../support/test-config.js";

describe("Zalo OA follower activity (one fact per event)", () => {
  let db: Database;
  let repo: ZaloOaActivityRepository;
  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("zalo-oa-activity"));
    await ensureCollections([zaloOaActivityModel(db.conn)]);
    repo = createZaloOaActivityRepository(db.conn);
  });
  afterAll(async () => {
    await db.conn.dropDatabase();
    await db.close();
  });

  const t = (minute: number) => new Date(Date.UTC(2026, 9, 5, 3, minute));

  it("keeps the newest of concurrent interactions (no lost update) and ignores redeliveries", async () => {
    const results = await race(RACE_WIDTH, (i) => repo.record({ oaId: "oa1", userId: "u1", kind: "interaction", at: t(i) }));
    expect(results.filter(isRaceError)).toEqual([]);
    await repo.record({ oaId: "oa1", userId: "u1", kind: "interaction", at: t(3) }); // a redelivery
    expect(await repo.stateOf("oa1", "u1")).toEqual({ lastInteractionAt: t(RACE_WIDTH - 1), follower: true });
    expect(await zaloOaActivityModel(db.conn).countDocuments({ oaId: "oa1" })).toBe(RACE_WIDTH);
    expect(await repo.lastSeen("oa1")).toEqual(t(RACE_WIDTH - 1));
  });

  it("follows the newest follow fact from webhook events; unknown followers count as following", async () => {
    expect(await repo.stateOf("oa1", "nobody")).toEqual({ follower: true });
    const event = (name: string, minute: number) => ({ app_id: "1", oa_id: "oa1", event_name: name, timestamp: String(t(minute).getTime()), follower: { id: "u2" } });
    for (const f of activityFacts(readOaActivity(event("follow", 1))!)) await repo.record(f);
    for (const f of activityFacts(readOaActivity(event("unfollow", 2))!)) await repo.record(f);
    expect(await repo.stateOf("oa1", "u2")).toEqual({ lastInteractionAt: t(1), follower: false });
    for (const f of activityFacts(readOaActivity(event("follow", 5))!)) await repo.record(f);
    expect(await repo.stateOf("oa1", "u2")).toEqual({ lastInteractionAt: t(5), follower: true });
  });

  it("prunes old interactions; no fact means the window is closed", async () => {
    await repo.record({ oaId: "oa2", userId: "u3", kind: "interaction", at: t(0) });
    expect(await repo.pruneBefore(t(30))).toBeGreaterThan(0);
    expect(await repo.stateOf("oa2", "u3")).toEqual({ follower: true });
  });
});
