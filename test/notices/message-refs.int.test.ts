import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { createMessageRefs, type MessageRefs } from "../../src/store/message-refs.js";

describe("message refs: the message last shown under a key in a chat", () => {
  const config = testConfig("message-refs");
  let db: Database;
  let refs: MessageRefs & { init(): Promise<void> };

  beforeAll(async () => {
    db = await openDatabase(config.mongo.uri, config.mongo.db);
    refs = createMessageRefs(db.conn);
    await refs.init();
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("keeps one message per (chat, key), the latest written, and erases a chat's refs on /xoadulieu", async () => {
    const chat = "telegram:bot1:7200001";
    expect(await refs.get(chat, "notice-report-n1")).toBeUndefined();
    await refs.set(chat, "notice-report-n1", "10");
    await refs.set(chat, "notice-report-n1", "11");
    await refs.set(chat, "notice-report-n2", "12");
    await refs.set("telegram:bot1:7200002", "notice-report-n1", "13");
    expect(await refs.get(chat, "notice-report-n1")).toBe("11");
    expect(await refs.get(chat, "notice-report-n2")).toBe("12");
    expect(await db.conn.collection("message_refs").countDocuments({ chatKey: chat })).toBe(2);

    expect(await refs.eraser({ chatKey: chat })).toEqual({ messageRefs: 2 });
    expect(await refs.get(chat, "notice-report-n1")).toBeUndefined();
    expect(await refs.get("telegram:bot1:7200002", "notice-report-n1")).toBe("13");
  });
});
