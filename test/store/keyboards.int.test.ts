import { describe, it, expect } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { createKeyboards } from "../../src/store/keyboards.js";

describe("keyboards: the last buttons sent to each chat, on every channel", () => {
  const config = testConfig("keyboards");
  const db = useDatabase(config);

  it("keeps a chat's last buttons with their message, changes them only under that message, keeps labels and payloads only, and erases them on /xoadulieu", async () => {
    const at = new Date("2026-09-14T02:00:00Z");
    const keyboards = createKeyboards(db.conn, () => at);
    const chat = "telegram:bot1:7300001", other = "zalo-bot:z1:u2";
    await keyboards.remember(chat, [{ label: "Đồng ý", payload: "pv-p1-0-0" }, { label: "Không đồng ý", payload: "pv-p1-0-1" }], "41");
    await keyboards.remember(other, [{ label: "Tham dự", payload: "mr-m1-y" }]);
    expect(await keyboards.recall(chat)).toEqual({ buttons: [{ label: "Đồng ý", payload: "pv-p1-0-0" }, { label: "Không đồng ý", payload: "pv-p1-0-1" }], sentAt: at, messageRef: "41" });
    expect(await keyboards.recall(other)).toEqual({ buttons: [{ label: "Tham dự", payload: "mr-m1-y" }], sentAt: at });

    // An edit of another message leaves them; an edit of theirs changes or forgets them.
    await keyboards.replaceUnder(chat, "40", []);
    expect((await keyboards.recall(chat))?.buttons).toHaveLength(2);
    await keyboards.replaceUnder(chat, "41", [{ label: "Đồng ý", payload: "pv-p1-0-0" }]);
    expect((await keyboards.recall(chat))?.buttons).toEqual([{ label: "Đồng ý", payload: "pv-p1-0-0" }]);
    await keyboards.replaceUnder(chat, "41", []);
    expect(await keyboards.recall(chat)).toBeUndefined();

    // A newer message without an id replaces the list and its message.
    await keyboards.remember(chat, [{ label: "Xem", payload: "na-n1-s1" }], "42");
    await keyboards.remember(chat, [{ label: "Đã xem", payload: "na-n2-s1" }]);
    expect(await keyboards.recall(chat)).toEqual({ buttons: [{ label: "Đã xem", payload: "na-n2-s1" }], sentAt: at });
    const stored = await db.conn.collection("zalo_keyboards").findOne({ _id: chat as never });
    expect(Object.keys(stored!).sort()).toEqual(["_id", "buttons", "sentAt"]);

    expect(await keyboards.eraser({ chatKey: chat })).toEqual({ keyboards: 1 });
    expect(await keyboards.recall(chat)).toBeUndefined();
    expect(await keyboards.recall(other)).toBeDefined();
  });
});
