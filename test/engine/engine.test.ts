import { describe, it, expect } from "vitest";
import { createTestEngine } from "../support/fakes.js";
import { addressKey } from "../../src/engine/messages.js";

const CODE = "K7M2Q9XD4RT8B";

describe("linking and consent", () => {
  it("links a guardian who opens the deep link and consents", async () => {
    const t = createTestEngine();
    const found = t.texts(await t.send(`/start ${CODE}`));
    expect(found[0]).toContain("Nguyễn Văn An");
    expect(found.at(-1)).toContain("Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15");
    const linked = t.texts(await t.press("c-agree"));
    expect(linked[0]).toContain("liên kết thành công");
    expect((await t.directory.resolve(t.address())).roles.guardianOf).toHaveLength(1);
  });

  it("when the parent declines consent, nothing is linked or kept", async () => {
    const t = createTestEngine();
    await t.send(`/lienket ${CODE}`);
    const reply = t.texts(await t.press("c-decline"));
    expect(reply[0]).toContain("không lưu thông tin");
    expect((await t.directory.resolve(t.address())).identityId).toBeUndefined();
    expect(t.conversations.states.size).toBe(0);
  });

  it("accepts a code typed by hand with dashes and lower case, and consent typed without diacritics", async () => {
    const t = createTestEngine();
    await t.send("k7m2-q9xd-4rt8b");
    const reply = t.texts(await t.send("dong y a"));
    expect(reply[0]).toContain("liên kết thành công");
  });

  it("at the consent step, another code pasted instead of an answer is read as that code", async () => {
    const t = createTestEngine();
    (t.services.linking as unknown as { codes: Map<string, unknown> }).codes.set("Q9XD4RT8BK7M2", { studentName: "Nguyễn Thị Bình", className: "7A2", uses: 0, slots: 1, studentId: "s2" });
    await t.send(`/start ${CODE}`);
    const other = t.texts(await t.send("q9xd 4rt8b k7m2"));
    expect(other[0]).toContain("Nguyễn Thị Bình");
    expect(other.at(-1)).toContain("Quý vị có đồng ý không?");
    expect(t.texts(await t.send("dong y"))[0]).toContain("liên kết thành công với học sinh Nguyễn Thị Bình");
  });

  it("re-prompts kindly when text arrives where a button is expected", async () => {
    const t = createTestEngine();
    await t.send(`/start ${CODE}`);
    const reply = t.texts(await t.send("chắc vậy"));
    expect(reply[0]).toContain("chưa nhận ra lựa chọn");
    expect(reply[1]).toContain("Quý vị có đồng ý không?");
    expect((await t.directory.resolve(t.address())).identityId).toBeUndefined();
  });

  it("answers an unknown code without revealing anything and slows down repeated attempts", async () => {
    const t = createTestEngine();
    for (let i = 0; i < 4; i++) expect(t.texts(await t.send(`/start ZZZZZZZZZZZZZ`))[0]).toContain("không dùng được");
    expect(t.texts(await t.send(`/start ZZZZZZZZZZZZZ`))[0]).toContain("sai nhiều lần");
    // Even the right code is refused while blocked: no enumeration by luck.
    expect(t.texts(await t.send(`/start ${CODE}`))[0]).toContain("sai nhiều lần");
  });

  it("a linked guardian's /lienket and the menu's «Liên kết thêm con» ask for the next child's code; a bare /start opens the menu", async () => {
    const t = createTestEngine();
    await t.send(`/start ${CODE}`);
    await t.press("c-agree");
    (t.services.linking as unknown as { codes: Map<string, unknown> }).codes.set("Q9XD4RT8BK7M2", { studentName: "Nguyễn Thị Bình", className: "7A2", uses: 0, slots: 1, studentId: "s2" });
    expect(t.texts(await t.send("/start")).join("\n")).toContain("cần em giúp việc gì");
    expect(t.texts(await t.send("/lienket")).join("\n")).toContain("vui lòng nhập mã liên kết");
    await t.send("/menu");
    expect(t.texts(await t.send("lien ket them con")).join("\n")).toContain("vui lòng nhập mã liên kết");
    await t.send("/menu");
    // A code pasted while the menu is open links; anything else still asks for a menu choice.
    expect(t.texts(await t.send("chắc vậy"))[0]).toContain("chưa nhận ra lựa chọn");
    expect(t.texts(await t.send("Q9XD-4RT8B-K7M2"))[0]).toContain("Nguyễn Thị Bình");
    await t.press("c-agree");
    expect((await t.directory.resolve(t.address())).roles.guardianOf).toHaveLength(2);
  });

  it("a used-up code reads the same as an unknown one", async () => {
    const t = createTestEngine();
    await t.send(`/start ${CODE}`, "1");
    await t.press("c-agree", "1");
    expect(t.texts(await t.send(`/start ${CODE}`, "2"))[0]).toContain("không dùng được");
  });
});

describe("the engine", () => {
  it("/huy leaves any flow and the next text is treated fresh", async () => {
    const t = createTestEngine();
    await t.send(`/start ${CODE}`);
    expect(t.texts(await t.send("/huy"))[0]).toContain("đã hủy");
    expect(t.conversations.states.size).toBe(0);
    expect(t.texts(await t.send("/cancel"))[0]).toContain("không có thao tác nào");
  });

  it("ends a conversation politely when its flow's version changed", async () => {
    const t = createTestEngine();
    await t.send(`/start ${CODE}`);
    const key = addressKey(t.address());
    t.conversations.states.set(key, { ...t.conversations.states.get(key)!, flowVersion: 0 });
    const reply = t.texts(await t.press("c-agree"));
    expect(reply[0]).toContain("vừa được cập nhật");
    expect((await t.directory.resolve(t.address())).identityId).toBeUndefined();
  });

  it("ignores a re-run of the event that last moved the conversation (crash after handling)", async () => {
    const t = createTestEngine();
    const event = t.event({ kind: "command", command: "start", args: CODE, addressedToBot: true });
    expect((await t.engine.handle(event)).status).toBe("handled");
    expect(await t.engine.handle(event)).toEqual({ status: "ignored", reason: "replay" });
  });

  it("ignores group chatter and answers a group command with a private-chat hint", async () => {
    const t = createTestEngine();
    const chatter = await t.engine.handle({ ...t.event({ kind: "text", text: "chào cả nhà" }), chatType: "group" });
    expect(chatter).toEqual({ status: "ignored", reason: "group-chat" });
    const command = await t.engine.handle({ ...t.event({ kind: "command", command: "menu", args: "", addressedToBot: true }), chatType: "group" });
    expect(t.texts(command)[0]).toContain("tin nhắn riêng");
  });

  it("a button of a conversation that has ended says nothing (a double tap), and its keyboard is removed where it can be", async () => {
    const t = createTestEngine();
    expect(await t.press("c-agree")).toEqual({ status: "ignored", reason: "answered-button" });
    const withRef = await t.engine.handle(t.event({ kind: "button", payload: "c-agree", messageRef: "18" }));
    expect(withRef.status === "handled" && withRef.outbound).toEqual([{ kind: "keyboard", messageRef: "18", buttons: [] }]);
  });

  it("switches to English with /lang en and answers in English from then on", async () => {
    const t = createTestEngine();
    expect(t.texts(await t.send("/lang en"))[0]).toContain("English");
    expect(t.texts(await t.send("/help"))[0]).toContain("To begin");
  });

  it("names an unknown command", async () => {
    const t = createTestEngine();
    expect(t.texts(await t.send("/xyz"))[0]).toContain("/xyz");
  });

  it("apologizes without details when a step throws, and keeps going", async () => {
    const t = createTestEngine({ privacy: { report: async () => { throw new Error("boom"); }, forget: async () => ({ deleted: {} }) } });
    expect(t.texts(await t.send("/quyenriengtu"))[0]).toContain("trục trặc");
    expect(t.errors).toHaveLength(1);
    expect(t.texts(await t.send("/trogiup"))[0]).toContain("mã liên kết");
  });
});

describe("menu, help, privacy", () => {
  it("shows an unlinked person how to link, and a linked guardian the family features", async () => {
    const t = createTestEngine();
    const unlinked = await t.send("/menu");
    const labels = (r: Awaited<typeof unlinked>) => (r.status === "handled" ? r.outbound.flatMap((o) => o.buttons?.flat().map((b) => b.label) ?? []) : []);
    expect(labels(unlinked)).toContain("Nhập mã liên kết");
    expect(labels(unlinked)).not.toContain("Gửi phản ánh");
    await t.send(`/start ${CODE}`);
    await t.press("c-agree");
    const linked = await t.send("/menu");
    expect(labels(linked)).toEqual(expect.arrayContaining(["Họp phụ huynh", "Gửi phản ánh", "Liên kết thêm con"]));
  });

  it("menu choices can be typed by number", async () => {
    const t = createTestEngine();
    await t.send("/menu");
    const reply = t.texts(await t.send("2"));
    expect(reply[0]).toContain("chọn ngôn ngữ");
  });

  it("/quyenriengtu lists what is stored and /xoadulieu deletes it after confirmation", async () => {
    const t = createTestEngine();
    expect(t.texts(await t.send("/quyenriengtu"))[0]).toContain("chưa lưu");
    await t.send(`/start ${CODE}`);
    await t.press("c-agree");
    const stored = t.texts(await t.send("/quyenriengtu")).join("\n");
    expect(stored).toContain("Nguyễn Văn An");
    // The messenger and the language in words, and no empty display name ("kênh telegram, tên hiển thị "-", ngôn ngữ vi").
    expect(stored).toMatch(/kênh (Telegram|Zalo|Zalo OA|Web)(, tên hiển thị "[^"-][^"]*")?, ngôn ngữ tiếng Việt\./);
    expect(t.texts(await t.send("/xoadulieu"))[0]).toContain("xóa toàn bộ dữ liệu");
    expect(t.texts(await t.send("khong"))[0]).toContain("giữ nguyên");
    await t.send("/xoadulieu");
    expect(t.texts(await t.send("xoa"))[0]).toContain("đã xóa toàn bộ");
    expect(t.texts(await t.send("/quyenriengtu"))[0]).toContain("chưa lưu");
  });
});
