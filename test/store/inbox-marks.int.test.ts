/** A reply's settlement and the next reply's first claim in one write (`settleSentAndClaimNext`). */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { createInbox } from "../../src/store/inbox.js";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("the inbox's reply marks", () => {
  const config = testConfig("inbox-marks");
  let db: Database;
  beforeAll(async () => { db = await openDatabase(config.mongo.uri, config.mongo.db); });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("wins the next reply's first claim only when nobody holds it; the reply is settled either way", async () => {
    const inbox = createInbox(db.models);
    expect(await inbox.claimReply("ev-1", 0)).toEqual({ status: "claimed", attempt: 1, possibleDuplicate: false });
    expect(await inbox.settleSentAndClaimNext!("ev-1", 0)).toBe(true);
    expect(await inbox.claimReply("ev-1", 0)).toEqual({ status: "settled", outcome: "sent" });
    // Reply 1's first try is held (by the write above): the next combined write loses it, and claimReply decides.
    expect(await inbox.settleSentAndClaimNext!("ev-1", 0)).toBe(false);
    expect(await inbox.claimReply("ev-1", 1)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: true });
    // Settled already (the same write repeated), the claim still free: won.
    await inbox.claimReply("ev-2", 0);
    await inbox.settleReply("ev-2", 0, "sent");
    expect(await inbox.settleSentAndClaimNext!("ev-2", 0)).toBe(true);
    expect(await inbox.claimReply("ev-2", 0)).toEqual({ status: "settled", outcome: "sent" });
    expect(await inbox.claimReply("ev-2", 1)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: true });
  });

  it(`of ${RACE_WIDTH} combined writes at once, one wins the next reply's claim`, async () => {
    const inbox = createInbox(db.models);
    const results = await race(RACE_WIDTH, () => inbox.settleSentAndClaimNext!("ev-3", 0));
    expectOneWinner(results, (won) => won === true);
  });
});
