import { describe, it, expect } from "vitest";
import { FakeMeetings, meetingEngine } from "./support/fake-meetings.js";

function setup() {
  const meetings = new FakeMeetings({ "id-parent": ["s1"] });
  const t = meetingEngine(meetings);
  const say = async (text: string, user: string) => t.texts(await t.send(text, user)).join("\n");
  const press = async (payload: string, user: string) => t.texts(await t.press(payload, user)).join("\n");
  return { t, meetings, say, press };
}

describe("meeting flows", () => {
  it("a homeroom teacher creates a meeting typed without diacritics; bad dates re-prompt with an example", async () => {
    const { say, meetings } = setup();
    const T = "2001";
    expect(await say("/hop", T)).toMatch(/tạo cuộc họp mới/);
    expect(await say("1", T)).toMatch(/đây là cuộc họp nào/);
    expect(await say("hop phu huynh dau nam hoc", T)).toMatch(/diễn ra lúc nào/);
    expect(await say("31/02 19h", T)).toMatch(/không có trên lịch.*"28\/02 19h30"/s);
    expect(await say("19h30", T)).toMatch(/chưa có ngày.*"19\/9 19h30"/s);
    expect(await say("13/9/2026 19h", T)).toMatch(/đã qua/);
    expect(await say("thu 7 tuan sau 7h30 toi", T)).toContain("Thứ Bảy, 26/09/2026 lúc 19:30");
    expect(await say("dung", T)).toMatch(/địa điểm/i);
    expect(await say("x".repeat(201), T)).toMatch(/vượt quá giới hạn 200/);
    expect(await say("Phòng 6A1", T)).toMatch(/nội dung chính/);
    expect(await say("Bầu Ban đại diện", T)).toMatch(/xem lại/);
    expect(await say("gui", T)).toMatch(/tới Trưởng ban đại diện CMHS/);
    const [create] = meetings.calls;
    expect(create!.method).toBe("create");
    expect(create!.args[1]).toMatchObject({ schoolId: "sch1", scope: { kind: "class", classGroupId: "c1" }, kind: "start-year", place: "Phòng 6A1", startsAt: new Date("2026-09-26T12:30:00Z") });
  });

  it("at «Đúng | Nhập lại» a teacher may type «sai» or the corrected time itself", async () => {
    const { say, meetings } = setup();
    const T = "2001";
    await say("/hop", T);
    await say("1", T);
    await say("hop phu huynh dau nam hoc", T);
    expect(await say("thu 7 tuan sau 7h30 toi", T)).toContain("Thứ Bảy, 26/09/2026 lúc 19:30");
    expect(await say("sai", T)).toMatch(/diễn ra lúc nào/);
    expect(await say("thu 7 tuan sau 7h30 toi", T)).toContain("Thứ Bảy, 26/09/2026 lúc 19:30");
    // The corrected time typed instead of a choice is read back for confirmation.
    expect(await say("chu nhat tuan sau 8h sang", T)).toContain("Chủ Nhật, 27/09/2026 lúc 08:00");
    expect(await say("hôm qua", T)).toMatch(/chưa nhận ra lựa chọn/);
    expect(await say("dung", T)).toMatch(/địa điểm/i);
    await say("Phòng 6A1", T);
    await say("Bầu Ban đại diện", T);
    await say("gui", T);
    expect(meetings.calls[0]!.args[1]).toMatchObject({ startsAt: new Date("2026-09-27T01:00:00Z") });
  });

  it("a guardian is not offered meeting creation", async () => {
    const { say } = setup();
    expect(await say("/hop", "3001")).toMatch(/chưa có cuộc họp phụ huynh nào sắp tới/);
  });

  it("declining asks for an optional reason and records it", async () => {
    const { press, say, meetings } = setup();
    const reply = await press("mr-mabc123-s1-n", "3001");
    expect(reply).toMatch(/em Nguyễn Văn An: Không tham dự/);
    expect(reply).toMatch(/lý do không tham dự/);
    expect(await say("vắng có phép", "3001")).toMatch(/đã ghi nhận lý do/);
    // The reason goes to this answer (seq 1), never as a new "no" that could undo another guardian's later answer.
    expect(meetings.calls.map((c) => [c.method, ...c.args.slice(3)])).toEqual([["rsvp", "no", ""], ["rsvpReason", 1, "vắng có phép"]]);
  });

  it("«Cả 2 con: tham dự» answers for the children its message named, and says so; a set that changed is refused kindly", async () => {
    const { press, meetings } = setup();
    meetings.allDigests["id-parent"] = { digest: "0123456789", names: ["Trần Thị Bình", "Lê Minh Châu"] };
    expect(await press("mrall-mabc123-0123456789-y", "3001")).toMatch(/^Dạ, em đã ghi nhận cho các em Trần Thị Bình, Lê Minh Châu: Tham dự \(Thứ Bảy, 19\/09\/2026 lúc 19:30\) ạ\.$/);
    expect(await press("mrall-mabc123-abcdef0123-y", "3001")).toMatch(/đã thay đổi so với lúc em gửi tin.*cho từng con/);
    expect(meetings.calls.map((c) => [c.method, ...c.args.slice(1, 4)])).toEqual([["rsvpAll", "mabc123", "0123456789", "yes"], ["rsvpAll", "mabc123", "abcdef0123", "yes"]]);
    expect(await press("mrall-mabc123-0123456789-n", "3001")).toMatch(/không tìm thấy cuộc họp này/);
  });

  it("an RSVP for a student who is not the guardian's is refused without naming anybody", async () => {
    const { press } = setup();
    const reply = await press("mr-mabc123-s9-y", "3001");
    expect(reply).toMatch(/không tìm thấy cuộc họp này/);
    expect(reply).not.toMatch(/An|6A1/);
  });

  it("the board head's 'Đề nghị sửa' asks for a comment and passes it on", async () => {
    const { press, say, meetings } = setup();
    expect(await press("mb-mabc123-1-r", "3001")).toMatch(/đề nghị sửa nội dung gì/);
    expect(await say("Thêm mục quỹ lớp", "3001")).toMatch(/đã chuyển đề nghị/);
    expect(meetings.calls).toEqual([{ method: "boardDecision", args: ["id-parent", "mabc123", 1, "revise", "Thêm mục quỹ lớp"] }]);
  });
});
