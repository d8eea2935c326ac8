import { describe, it, expect } from "vitest";
import { parseOaEvent, readOaActivity, oaEventId } from "../../src/channels/zalo-oa/parse-event.js";
import { renderOa, OA_TEXT_LIMIT } from "../../src/channels/zalo-oa/render-outbound.js";
import { parseJsonExact } from "../../src/channels/zalo/json.js";

const OA = "2918475639182736455";
const USER = "8437291047362518273"; // > 2^53
const words = new Set(["start", "lienket", "menu", "huy"]);
const opts = { commandWords: words };

function userEvent(eventName: string, message: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { app_id: "360846524940903967", event_name: eventName, timestamp: "1759633200000", sender: { id: USER }, recipient: { id: OA }, message: { msg_id: "96d3cdf3af150460909", ...message }, ...extra };
}

describe("parseOaEvent", () => {
  it("turns a user's text into a text event addressed to the OA, ids as strings, deduped by msg_id", () => {
    const e = parseOaEvent(userEvent("user_send_text", { text: "Cháu bị ốm" }), opts);
    expect(e).toEqual({
      id: `zalo-oa:${OA}:96d3cdf3af150460909`, kind: "text", text: "Cháu bị ốm", chatType: "private",
      address: { channel: "zalo-oa", account: OA, userId: USER, chatId: USER }, at: new Date(1759633200000),
    });
  });

  it("keeps ids above 2^53 exact when Zalo sends them as bare numbers", () => {
    const raw = `{"app_id":"1","event_name":"user_send_text","timestamp":"1","sender":{"id":${USER}},"recipient":{"id":${OA}},"message":{"msg_id":"m1","text":"hi"}}`;
    const e = parseOaEvent(parseJsonExact(raw), opts);
    expect(e?.address.userId).toBe(USER);
    expect(e?.address.account).toBe(OA);
  });

  it("reads the code alone as text, and 'LK <code>' and '/lienket <code>' as the link command", () => {
    expect(parseOaEvent(userEvent("user_send_text", { text: "K7M2Q9XD4RT8B" }), opts)).toMatchObject({ kind: "text", text: "K7M2Q9XD4RT8B" });
    expect(parseOaEvent(userEvent("user_send_text", { text: "LK K7M2Q9XD4RT8B" }), opts)).toMatchObject({ kind: "command", command: "lienket", args: "K7M2Q9XD4RT8B" });
    expect(parseOaEvent(userEvent("user_send_text", { text: "/lienket K7M2Q9XD4RT8B" }), opts)).toMatchObject({ kind: "command", command: "lienket", args: "K7M2Q9XD4RT8B" });
    expect(parseOaEvent(userEvent("user_send_text", { text: "menu" }), opts)).toMatchObject({ kind: "command", command: "menu" });
    expect(parseOaEvent(userEvent("user_send_text", { text: "menu hôm nay có gì vậy" }), opts)).toMatchObject({ kind: "text" });
  });

  it("turns a tapped oa.query.hide button (text '#payload') into a button press", () => {
    expect(parseOaEvent(userEvent("user_send_text", { text: "#rsvp-m42-y" }), opts)).toMatchObject({ kind: "button", payload: "rsvp-m42-y" });
    expect(parseOaEvent(userEvent("user_send_text", { text: "#1 học sinh giỏi" }), opts)).toMatchObject({ kind: "text" });
  });

  it("reads images as photos, files as documents and links as text", () => {
    const img = parseOaEvent(userEvent("user_send_image", { text: "đơn xin phép", attachments: [{ type: "image", payload: { url: "https://zalo.example/i.jpg" } }] }), opts);
    expect(img).toMatchObject({ kind: "attachment", media: "photo", fileRef: "https://zalo.example/i.jpg", caption: "đơn xin phép" });
    const file = parseOaEvent(userEvent("user_send_file", { attachments: [{ type: "file", payload: { url: "https://zalo.example/f.pdf", name: "don.pdf", size: "2048" } }] }), opts);
    expect(file).toMatchObject({ kind: "attachment", media: "document", fileName: "don.pdf", sizeBytes: 2048 });
    const link = parseOaEvent(userEvent("user_send_link", { text: "xem", attachments: [{ type: "link", payload: { url: "https://truong.example" } }] }), opts);
    expect(link).toMatchObject({ kind: "text", text: "xem\nhttps://truong.example" });
  });

  it("maps unfollow to blocked; follow gives no message but an interaction", () => {
    const unfollow = { app_id: "1", oa_id: OA, event_name: "unfollow", timestamp: "1759633200000", follower: { id: USER } };
    expect(parseOaEvent(unfollow, opts)).toMatchObject({ kind: "blocked", address: { userId: USER, account: OA } });
    const follow = { ...unfollow, event_name: "follow" };
    expect(parseOaEvent(follow, opts)).toBeUndefined();
    expect(readOaActivity(follow)).toMatchObject({ follow: "follow", interaction: true, userId: USER, oaId: OA });
    expect(readOaActivity(unfollow)).toMatchObject({ follow: "unfollow", interaction: false });
    expect(oaEventId(follow)).toBe(`zalo-oa:${OA}:follow:${USER}:1759633200000`);
  });

  it("ignores the OA's own echoes, stickers, group events and unknown shapes without throwing", () => {
    const echo = { event_name: "oa_send_text", timestamp: "1", sender: { id: OA, admin_id: "77" }, recipient: { id: USER }, message: { msg_id: "x", text: "Chào" } };
    expect(parseOaEvent(echo, opts)).toBeUndefined();
    expect(readOaActivity(echo)).toMatchObject({ humanTakeover: true, interaction: false });
    expect(parseOaEvent(userEvent("user_send_sticker", { attachments: [{ type: "sticker", payload: { url: "https://s" } }] }), opts)).toBeUndefined();
    expect(parseOaEvent(userEvent("user_send_group_text", { text: "x" }), opts)).toBeUndefined();
    for (const junk of [null, undefined, 42, "x", [], {}, { event_name: 5 }, { event_name: "user_send_text" }, { event_name: "user_send_text", sender: {}, recipient: { id: OA } },
      { event_name: "user_send_text", sender: { id: USER }, recipient: { id: OA }, message: { text: 7 } }, { event_name: "user_send_image", sender: { id: USER }, recipient: { id: OA }, message: { attachments: "no" } }])
      expect(parseOaEvent(junk, opts)).toBeUndefined();
    for (const junk of [null, 42, [], {}]) expect(() => readOaActivity(junk)).not.toThrow();
  });

  it("reads a shared phone and template delivery receipts as activity", () => {
    const submit = userEvent("user_submit_info", {}, { info: { name: "Nguyễn Văn A", phone: "84912345678" } });
    expect(readOaActivity(submit)).toMatchObject({ interaction: true, sharedInfo: { name: "Nguyễn Văn A", phone: "84912345678" } });
    const receipt = { event_name: "user_received_message", timestamp: "2", recipient: { id: "84912345678" }, message: { tracking_id: "n1-g2", delivery_time: "2" } };
    expect(readOaActivity(receipt)).toMatchObject({ interaction: false, delivered: { trackingId: "n1-g2" } });
  });
});

describe("renderOa", () => {
  const btns = [[{ label: "Tham dự", payload: "rsvp-m42-y" }, { label: "Không tham dự", payload: "rsvp-m42-n" }]];

  it("shows buttons as oa.query.hide buttons whose payload comes back as '#<payload>'", () => {
    const r = renderOa({ kind: "text", text: "Kính mời Quý phụ huynh dự họp.", buttons: btns }, { buttons: "oa-query" });
    expect(r.shown).toBe("buttons"); // remembered: a typed number or label presses them
    expect(r.keyboard).toEqual(btns[0]);
    expect(r.messages).toEqual([{ text: "Kính mời Quý phụ huynh dự họp.", attachment: { type: "template", payload: { buttons: [
      { title: "Tham dự", type: "oa.query.hide", payload: "#rsvp-m42-y" }, { title: "Không tham dự", type: "oa.query.hide", payload: "#rsvp-m42-n" }] } } }]);
  });

  it("degrades to a numbered list when buttons are off, too many, or their titles too long", () => {
    const numbered = renderOa({ kind: "text", text: "Kính mời.", buttons: btns }, { buttons: "numbered" });
    expect(numbered.messages).toEqual([{ text: "Kính mời.\n\n1. Tham dự\n2. Không tham dự\n\nTrả lời bằng số (1–2)." }]);
    expect(numbered.keyboard.map((b) => b.payload)).toEqual(["rsvp-m42-y", "rsvp-m42-n"]);
    expect(numbered.shown).toBe("numbered");
    const six = [[1, 2, 3, 4, 5, 6].map((i) => ({ label: `L${i}`, payload: `p${i}` }))];
    expect(renderOa({ kind: "text", text: "Choose", buttons: six }, { buttons: "oa-query" }).keyboard).toHaveLength(6);
    const long = [[{ label: "Đồng ý với nội dung cuộc họp", payload: "a" }]];
    expect(renderOa({ kind: "text", text: "x", buttons: long }, { buttons: "oa-query", maxTitle: 20 }).keyboard).toHaveLength(1);
    expect(renderOa({ kind: "text", text: "x", buttons: long }, { buttons: "oa-query", maxTitle: 40 }).shown).toBe("buttons");
  });

  it("counts 2,000 characters after NFC and splits longer texts, buttons on the last part", () => {
    const decomposed = "ệ".normalize("NFD").repeat(OA_TEXT_LIMIT); // 2,000 NFC characters, 6,000 code units in NFD
    const one = renderOa({ kind: "text", text: decomposed }, { buttons: "oa-query" });
    expect(one.messages).toHaveLength(1);
    expect((one.messages[0] as { text: string }).text).toBe("ệ".normalize("NFC").repeat(OA_TEXT_LIMIT));
    const long = Array.from({ length: 300 }, (_, i) => `Dòng thông báo số ${i}.`).join("\n");
    const r = renderOa({ kind: "text", text: long, buttons: btns }, { buttons: "oa-query" });
    expect(r.messages.length).toBeGreaterThan(1);
    for (const m of r.messages) expect([...(m.text ?? "")].length).toBeLessThanOrEqual(OA_TEXT_LIMIT);
    expect(r.messages.slice(0, -1).every((m) => !m.attachment)).toBe(true);
    expect(r.messages.at(-1)?.attachment).toBeDefined();
    expect(r.messages.map((m) => m.text).join("\n")).toBe(long);
  });

  it("sends an HTTPS photo as a media template and names other files", () => {
    const photo = renderOa({ kind: "file", media: "photo", fileRef: "https://cdn.example/a.jpg", caption: "Lịch thi" }, { buttons: "oa-query" });
    expect(photo.messages).toEqual([{ text: "Lịch thi", attachment: { type: "template", payload: { template_type: "media", elements: [{ media_type: "image", url: "https://cdn.example/a.jpg" }] } } }]);
    const doc = renderOa({ kind: "file", media: "document", fileRef: "tg-file-id", fileName: "thoi-khoa-bieu.pdf", caption: "TKB" }, { buttons: "oa-query" });
    expect(doc.messages).toEqual([{ text: "TKB\n\n📎 thoi-khoa-bieu.pdf" }]);
  });
});
