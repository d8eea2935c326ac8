/**
 * The meeting messages to families, one per guardian (issue 12), as pure builders: the keys,
 * the one-child message unchanged, the several-children message and its buttons, and how those
 * buttons read where there are no buttons (Zalo Bot, and the Zalo OA past five buttons).
 */
import { describe, it, expect } from "vitest";
import { Translator } from "../../src/i18n/fluent.js";
import { buttonNames, invitationItems, petitionInviteItems, rescheduleItems, rsvpButtons } from "../../src/features/meetings/messages.js";
import { meetingArgs, rsvpAllPayload, rsvpPayload, type MeetingView } from "../../src/features/meetings/port.js";
import type { Household } from "../../src/store/audience.js";
import type { Address } from "../../src/engine/messages.js";
import { pickByNumber, renderZalo } from "../../src/channels/zalo/render-outbound.js";
import { renderOa } from "../../src/channels/zalo-oa/render-outbound.js";

const t = new Translator();
const GUARDIAN = { reader: "guardian", title: "none", readerName: "" } as const;
const address = (userId: string): Address => ({ channel: "telegram", account: "bot", userId, chatId: userId });
const v: MeetingView = {
  id: "mabc123", kind: "start-year", scope: "school", scopeName: "", startsAt: new Date("2026-09-19T01:00:00Z"), place: "Hội trường", agenda: "Kế hoạch năm học",
  status: "published", version: 2, boardRound: 1,
};
/** Hoa is the mother of Bình and Châu; An has his own mother. */
const hs: Household[] = [
  { studentId: "s-an", studentName: "Nguyễn Văn An", guardians: [{ identityId: "g-an", address: address("1") }] },
  { studentId: "s-binh", studentName: "Trần Thị Bình", guardians: [{ identityId: "g-hoa", address: address("2") }] },
  { studentId: "s-chau", studentName: "Lê Minh Châu", guardians: [{ identityId: "g-hoa", address: address("2") }] },
];
const text = (s: Parameters<Translator["render"]>[1], locale: "vi" | "en" = "vi") => {
  const o = t.render(locale, s, GUARDIAN);
  return o.kind === "text" ? o.text : "";
};

describe("meeting messages, one per guardian", () => {
  it("a guardian of one child gets the message as before; a guardian of two gets one, keyed by guardian, naming both", () => {
    const items = invitationItems(v, hs, "minv-mabc123", "meeting-invite", {});
    expect(items.map((i) => i.key)).toEqual(["minv-mabc123-g-g-an", "minv-mabc123-g-g-hoa"]);
    // One child: the same message, arguments and buttons as the per-pupil invitation had.
    expect(items[0]!.messages).toEqual([{ key: "meeting-invite", args: { ...meetingArgs(v), student: "Nguyễn Văn An" }, buttons: rsvpButtons(v.id, "s-an") }]);
    const hoa = items[1]!.messages[0]!;
    expect(hoa.key).toBe("meeting-invite-children");
    expect(text(hoa)).toMatch(/^Kính gửi Quý phụ huynh các em Trần Thị Bình, Lê Minh Châu,\n/);
    expect(text(hoa, "en")).toMatch(/^Dear parents of Trần Thị Bình, Lê Minh Châu,\n[\s\S]*for each child/);
    // First one answer for both (recorded per pupil), then three buttons per child.
    expect(hoa.buttons!.flat().map((b) => b.payload)).toEqual([
      rsvpAllPayload(v.id, ["s-binh", "s-chau"]), ...["s-binh", "s-chau"].flatMap((s) => (["yes", "no", "other"] as const).map((a) => rsvpPayload(v.id, s, a))),
    ]);
    expect(rsvpAllPayload(v.id, ["s-chau", "s-binh"])).toBe(rsvpAllPayload(v.id, ["s-binh", "s-chau"]));
    expect(rsvpAllPayload(v.id, ["s-binh", "s-an"])).not.toBe(rsvpAllPayload(v.id, ["s-binh", "s-chau"]));
    const shown = t.render("vi", hoa, GUARDIAN);
    expect(shown.kind === "text" && shown.buttons!.map((r) => r.map((b) => b.label))).toEqual([
      ["✅ Cả 2 con: tham dự"], ["✅ Bình: tham dự"], ["❌ Bình: không tham dự"], ["👥 Bình: người nhà dự thay"], ["✅ Châu: tham dự"], ["❌ Châu: không tham dự"], ["👥 Châu: người nhà dự thay"],
    ]);
    // A re-run (the households read again, in another order) gives the same keys.
    expect(invitationItems(v, [...hs].reverse(), "minv-mabc123", "meeting-invite", {}).map((i) => i.key).sort()).toEqual(items.map((i) => i.key).sort());
    expect(rescheduleItems(v, new Date("2026-09-18T01:00:00Z"), hs, new Map()).map((i) => i.key)).toEqual(["mchg-mabc123-v2-g-g-an", "mchg-mabc123-v2-g-g-hoa"]);
  });

  it("buttons name a child by given name, or by full name when two children share it", () => {
    expect(buttonNames([{ studentId: "1", studentName: "Trần Thị Bình" }, { studentId: "2", studentName: "Lê Minh Châu" }])).toEqual(["Bình", "Châu"]);
    expect(buttonNames([{ studentId: "1", studentName: "Nguyễn Văn An" }, { studentId: "2", studentName: "Nguyễn Thị An" }, { studentId: "3", studentName: "Lê Minh Châu" }]))
      .toEqual(["Nguyễn Văn An", "Nguyễn Thị An", "Châu"]);
  });

  it("on Zalo the seven buttons become a numbered list, and a typed number answers for the children it names", () => {
    const hoa = invitationItems(v, hs, "minv-mabc123", "meeting-invite", {})[1]!.messages[0]!;
    const bot = renderZalo(t.render("vi", hoa, GUARDIAN) as Parameters<typeof renderZalo>[0]);
    const shown = bot.calls.map((c) => ("text" in c.params ? c.params.text : "")).join("\n");
    expect(shown).toContain("1. ✅ Cả 2 con: tham dự\n2. ✅ Bình: tham dự\n3. ❌ Bình: không tham dự\n4. 👥 Bình: người nhà dự thay\n5. ✅ Châu: tham dự\n6. ❌ Châu: không tham dự\n7. 👥 Châu: người nhà dự thay");
    expect(shown).toContain("Trả lời bằng số (1–7).");
    expect(pickByNumber("1", bot.keyboard)).toBe(rsvpAllPayload(v.id, ["s-binh", "s-chau"]));
    expect(pickByNumber("6", bot.keyboard)).toBe(rsvpPayload(v.id, "s-chau", "no"));
    // The OA shows at most five real buttons: seven become the same numbered list.
    const oa = renderOa(t.render("vi", hoa, GUARDIAN) as Parameters<typeof renderOa>[0], { buttons: "oa-query" });
    expect(oa.messages.some((m) => m.attachment)).toBe(false);
    expect(pickByNumber("5", oa.keyboard)).toBe(rsvpPayload(v.id, "s-chau", "yes"));
    // Every payload fits Telegram's 64 bytes of callback data, with UUID ids.
    const uuid = "0f8c1a2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    expect(Buffer.byteLength(rsvpAllPayload("m1234567", [uuid, uuid.replace("0f", "1f")]))).toBeLessThanOrEqual(64);
  });

  it("the reschedule notice to a guardian of two lists each child's answer so far", () => {
    const items = rescheduleItems(v, new Date("2026-09-18T01:00:00Z"), hs, new Map([["s-binh", "yes" as const], ["s-an", "no" as const]]));
    expect(items[0]!.messages[0]!).toMatchObject({ key: "meeting-rescheduled", args: { student: "Nguyễn Văn An", answer: "no" } });
    expect(text(items[1]!.messages[0]!)).toMatch(/\nCâu trả lời của gia đình đến nay:\n• Em Trần Thị Bình: Tham dự\n• Em Lê Minh Châu: Chưa trả lời\nCác câu trả lời này vẫn được giữ/);
    expect(text(items[1]!.messages[0]!, "en")).toMatch(/\nYour family's answers so far:\n• Trần Thị Bình: Attending\n• Lê Minh Châu: No answer yet\n/);
    // Nobody answered yet: no list, just the request.
    const none = rescheduleItems(v, new Date("2026-09-18T01:00:00Z"), hs, new Map())[1]!.messages[0]!;
    expect(text(none)).toMatch(/Quý phụ huynh vui lòng cho biết việc tham dự cho từng con bằng các lựa chọn bên dưới ạ\.$/);
    expect(text(none)).not.toContain("•");
  });

  it("the petition invitation goes once per guardian, with a sign button per child (a signature is per pupil)", () => {
    const items = petitionInviteItems("pxyz", "Nhiều bạn bị bắt nạt", hs, {});
    expect(items.map((i) => i.key)).toEqual(["mpi-pxyz-g-g-an", "mpi-pxyz-g-g-hoa"]);
    expect(items[0]!.messages).toEqual([{ key: "meeting-petition-invite", args: { reason: "Nhiều bạn bị bắt nạt", student: "Nguyễn Văn An" }, buttons: [[{ key: "meeting-petition-sign", payload: "mp-pxyz-s-an" }]] }]);
    const hoa = t.render("vi", items[1]!.messages[0]!, GUARDIAN);
    expect(hoa.kind === "text" && hoa.text).toMatch(/^Kính gửi Quý phụ huynh các em Trần Thị Bình, Lê Minh Châu,\n/);
    expect(hoa.kind === "text" && hoa.buttons).toEqual([[{ label: "Cùng đề nghị (em Bình)", payload: "mp-pxyz-s-binh" }], [{ label: "Cùng đề nghị (em Châu)", payload: "mp-pxyz-s-chau" }]]);
  });
});
