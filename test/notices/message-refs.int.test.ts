import { describe, it, expect, beforeAll } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { createMessageRefs, type MessageRefs } from "../../src/store/message-refs.js";

describe("message refs: the message last shown under a key in a chat", () => {
  const config = testConfig("message-refs");
  const db = useDatabase(config);
  let refs: MessageRefs & { init(): Promise<void> };

  beforeAll(async () => {
    refs = createMessageRefs(db.conn);
    await refs.init();
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
