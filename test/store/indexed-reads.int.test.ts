import { describe, it, expect, beforeAll } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";

/**
 * The hot reads (by `_id`, by an indexed field) are index-backed on the server the suite runs
 * on, so their cost does not grow with history. On FerretDB 1.24 on PostgreSQL this holds only
 * with the GIN twins of scripts/ferretdb-pg-indexes.sql (without them every such read is a
 * sequential scan); on MongoDB the plan is an IXSCAN.
 */
describe("index-backed reads on a collection with history", () => {
  const config = testConfig("indexed-reads");
  const db = useDatabase(config);
  beforeAll(async () => {
    const at = new Date("2026-11-20T00:00:00Z");
    for (let start = 0; start < 4_000; start += 1_000)
      await db.models.ProcessedEvent.insertMany(Array.from({ length: 1_000 }, (_, k) => ({ _id: `tg:${start + k}`, status: "done", chatKey: `telegram:${(start + k) % 500}`, receivedAt: at })));
  });

  /** The names of the indexes a plan uses (FerretDB: PostgreSQL's EXPLAIN; MongoDB: the winning plan's IXSCANs). */
  async function indexesUsed(filter: Record<string, unknown>): Promise<string[]> {
    const plan = await db.conn.db!.command({ explain: { find: "processed_events", filter, limit: 1 } });
    const names: string[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (typeof n["Index Name"] === "string") names.push(n["Index Name"]);
      if (n.stage === "IXSCAN" && typeof n.indexName === "string") names.push(n.indexName);
      for (const v of Object.values(n)) walk(v);
    };
    walk(plan.queryPlanner);
    return names;
  }

  it("finds a processed event by _id through an index", async () => {
    expect(await indexesUsed({ _id: "tg:3777" })).not.toEqual([]);
    expect((await db.models.ProcessedEvent.findById("tg:3777").lean())?.chatKey).toBe("telegram:277");
  });

  it("finds by an indexed field (a chat's events) through an index", async () => {
    expect(await indexesUsed({ chatKey: "telegram:42" })).not.toEqual([]);
    expect(await db.models.ProcessedEvent.countDocuments({ chatKey: "telegram:42" })).toBe(8);
  });
});
