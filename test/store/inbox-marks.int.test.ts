/** A reply's settlement and the next reply's first claim in one write (`settleSentAndClaimNext`). */
import { describe, it, expect } from "vitest";
import { createInbox } from "../../src/store/inbox.js";
import type { HandleResult } from "../../src/engine/ports.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";

describe("the inbox's reply marks", () => {
  const config = testConfig("inbox-marks");
  const db = useDatabase(config);

  it("wins the next reply's first claim only when nobody holds it; the reply is settled either way", async () => {
    const inbox = createInbox(db.models);
    expect(await inbox.claimReply("ev-1", 1)).toEqual({ status: "claimed", attempt: 1, possibleDuplicate: false });
    expect(await inbox.settleSentAndClaimNext!("ev-1", 1)).toBe(true);
    expect(await inbox.claimReply("ev-1", 1)).toEqual({ status: "settled", outcome: "sent" });
    // Reply 2's first try is held (by the write above): the next combined write loses it, and claimReply decides.
    expect(await inbox.settleSentAndClaimNext!("ev-1", 1)).toBe(false);
    expect(await inbox.claimReply("ev-1", 2)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: true });
    // Settled already (the same write repeated), the claim still free: won.
    await inbox.claimReply("ev-2", 1);
    await inbox.settleReply("ev-2", 1, "sent");
    expect(await inbox.settleSentAndClaimNext!("ev-2", 1)).toBe(true);
    expect(await inbox.claimReply("ev-2", 1)).toEqual({ status: "settled", outcome: "sent" });
    expect(await inbox.claimReply("ev-2", 2)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: true });
  });

  it("try 1 of reply 0 is the turn's recorder's: another handler's claim is try 2, flagged unless try 1 was cleared", async () => {
    const inbox = createInbox(db.models);
    const turn: HandleResult = { status: "handled", outbound: [{ kind: "text", text: "x" }] };
    expect((await inbox.recordTurn("ev-4", turn)).won).toBe(true);
    expect(await inbox.recordTurn("ev-4", { status: "ignored", reason: "stale" })).toEqual({ turn, won: false });
    // The recorder was cut off mid-send: whoever comes next cannot know whether it went out.
    expect(await inbox.claimReply("ev-4", 0)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: true });
    // The recorder's try failed before reaching anybody (clear-1): the next try is not flagged.
    await inbox.recordTurn("ev-5", turn);
    await inbox.clearReply("ev-5", 0, 1, "network");
    expect(await inbox.claimReply("ev-5", 0)).toEqual({ status: "claimed", attempt: 2, possibleDuplicate: false });
    await inbox.settleReply("ev-5", 0, "sent");
    expect(await inbox.claimReply("ev-5", 0)).toEqual({ status: "settled", outcome: "sent" });
  });

  it(`of ${RACE_WIDTH} combined writes at once, one wins the next reply's claim`, async () => {
    const inbox = createInbox(db.models);
    const results = await race(RACE_WIDTH, () => inbox.settleSentAndClaimNext!("ev-3", 0));
    expectOneWinner(results, (won) => won === true);
  });
});
