import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { decideTransition, transitionsOf } from "../../src/store/facts.js";
import { expectOneWinner, race, RACE_WIDTH } from "../support/race.js";
import { uniqueName } from "../support/test-config.js";

describe("decideTransition (a unique fact decides a contested change)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("facts"));
  });
  afterAll(async () => {
    await db.conn.dropDatabase();
    await db.close();
  });

  it("gives exactly one winner among concurrent attempts, and the others read the winner", async () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const results = await race(RACE_WIDTH, (i) =>
      decideTransition(db.models, { entity: "t1", slot: "c1", kind: i % 2 ? "resolved" : "escalated", actor: `a${i}`, at }));
    const w = expectOneWinner(results, (r) => r.won);
    const winner = results[w] as { fact: { kind: string; actor: string } };
    for (const r of results) expect((r as { fact: { actor: string } }).fact.actor).toBe(winner.fact.actor);
    expect((await transitionsOf(db.models, "t1")).map((f) => f.kind)).toEqual([winner.fact.kind]);
  });
});
