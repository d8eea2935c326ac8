import { describe, it, expect } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { batchedKeyboards, createKeyboards, KEYBOARD_BATCH } from "../../src/store/keyboards.js";
import { race, RACE_WIDTH, isRaceError } from "../support/race.js";

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

  it("the outbox's buttons are written in batches, one command per batch; a reply's buttons remembered meanwhile are never overwritten by them", async () => {
    let clock = Date.parse("2026-09-14T02:00:00Z");
    const now = () => new Date(clock);
    const keyboards = createKeyboards(db.conn, now);
    const batches: number[] = [];
    const counted = { ...keyboards, rememberMany: async (e: Parameters<typeof keyboards.rememberMany>[0]) => { batches.push(e.length); return keyboards.rememberMany(e); } };
    const warnings: string[] = [];
    const kb = batchedKeyboards(counted, { warn: (_o, msg) => warnings.push(msg) }, now);
    const chat = (i: number) => `telegram:bot1:${7_400_000 + i}`;
    const n = KEYBOARD_BATCH.maxSize + 50;
    for (let i = 0; i < n; i++) await kb.bulk.remember(chat(i), [{ label: "Đã xem", payload: `na-n9-s${i}` }], String(100 + i));
    expect(batches).toEqual([KEYBOARD_BATCH.maxSize]); // a full batch goes at once; the rest waits
    // Read before it is written: what waits.
    expect((await kb.now.recall(chat(n - 2)))?.messageRef).toBe(String(100 + n - 2));
    // Replies after the broadcast, while its buttons wait: one by this process, one by another.
    clock += 1_000;
    await kb.now.remember(chat(n - 1), [{ label: "Tham dự", payload: "mr-m1-y" }], "900");
    await keyboards.remember(chat(n - 3), [{ label: "Không tham dự", payload: "mr-m1-n" }], "901");
    expect((await kb.now.recall(chat(n - 1)))?.buttons).toEqual([{ label: "Tham dự", payload: "mr-m1-y" }]);
    await kb.flush();
    expect(batches).toEqual([KEYBOARD_BATCH.maxSize, 49]);
    expect(warnings).toEqual([]);
    expect(await keyboards.recall(chat(0))).toMatchObject({ buttons: [{ label: "Đã xem", payload: "na-n9-s0" }], messageRef: "100" });
    expect(await keyboards.recall(chat(n - 2))).toMatchObject({ buttons: [{ label: "Đã xem", payload: `na-n9-s${n - 2}` }], messageRef: String(100 + n - 2) });
    expect(await keyboards.recall(chat(n - 1))).toMatchObject({ buttons: [{ label: "Tham dự", payload: "mr-m1-y" }], messageRef: "900" });
    expect(await keyboards.recall(chat(n - 3))).toMatchObject({ buttons: [{ label: "Không tham dự", payload: "mr-m1-n" }], messageRef: "901" });
    // A newer broadcast replaces a list; /xoadulieu forgets one still waiting.
    clock += 1_000;
    await kb.bulk.remember(chat(n - 1), [{ label: "Đã xem", payload: "na-n10-s1" }], "902");
    await kb.bulk.remember(chat(n - 2), [{ label: "Đã xem", payload: "na-n10-s2" }], "903");
    expect(await kb.eraser({ chatKey: chat(n - 2) } as Parameters<typeof kb.eraser>[0])).toEqual({ keyboards: 1 });
    await kb.flush();
    expect(await keyboards.recall(chat(n - 1))).toMatchObject({ buttons: [{ label: "Đã xem", payload: "na-n10-s1" }], messageRef: "902" });
    expect(await keyboards.recall(chat(n - 2))).toBeUndefined();
  });

  it(`${RACE_WIDTH} lists remembered at once for a new chat, beside a batch writing it: none fails, one of them is kept`, async () => {
    const at = new Date("2026-09-14T02:00:00Z");
    const keyboards = createKeyboards(db.conn, () => at);
    const kb = batchedKeyboards(keyboards, { warn: () => {} }, () => new Date(at.getTime() - 1_000));
    const chat = "telegram:bot1:7500001";
    await kb.bulk.remember(chat, [{ label: "Đã xem", payload: "na-n1-s1" }], "1");
    // FerretDB: an upsert that loses the insert to another write gets 11000.
    const results = await race(RACE_WIDTH, (i) => (i === 0 ? kb.flush() : keyboards.remember(chat, [{ label: `Nút ${i}`, payload: `x-${i}` }], String(10 + i))));
    expect(results.filter(isRaceError).map((r) => String((r.error as Error).message))).toEqual([]);
    const kept = await keyboards.recall(chat);
    expect(kept?.buttons[0]?.payload).toMatch(/^x-\d$/); // a reply's list, never the older broadcast's
  });

  it("a list being written by a batch is read from the batch until it is written", async () => {
    let clock = Date.parse("2026-09-14T02:00:00Z");
    const keyboards = createKeyboards(db.conn, () => new Date(clock));
    const kb = batchedKeyboards(keyboards, { warn: () => {} }, () => new Date(clock));
    const chat = "telegram:bot1:7600001";
    await keyboards.remember(chat, [{ label: "Cũ", payload: "old-1" }], "1");
    clock += 1_000;
    await kb.bulk.remember(chat, [{ label: "Mới", payload: "new-1" }], "2");
    const written = kb.flush();
    expect((await kb.now.recall(chat))?.buttons).toEqual([{ label: "Mới", payload: "new-1" }]);
    await written;
    expect((await keyboards.recall(chat))?.buttons).toEqual([{ label: "Mới", payload: "new-1" }]);
  });
});
