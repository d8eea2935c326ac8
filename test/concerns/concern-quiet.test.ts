import { describe, it, expect, beforeEach } from "vitest";
import { isNightWindow, parseTimeRange } from "../../src/domain/school-clock.js";
import { useConcernEngine } from "./support/concern-engine.js";

const homeroom = { role: "homeroom-teacher" as const, schoolId: "sch1", classGroupId: "c1", className: "6A1", staffName: "Nguyễn Thị Lan" };
const an = { studentId: "s-an", studentName: "Nguyễn Văn An", classGroupId: "c1", className: "6A1", schoolId: "sch1" };

describe("a teacher's own quiet hours (Giờ yên tĩnh của tôi)", () => {
  const e = useConcernEngine("2001");
  const { as, say, press } = e;
  const buttonsOf = async (r: ReturnType<typeof e.t.send>) => {
    const res = await r;
    return res.status === "handled" ? res.outbound.flatMap((o) => (o.buttons ?? []).flat()) : [];
  };

  beforeEach(() => {
    as("2001", { staff: [homeroom] });
  });

  it("is offered in the teacher's /phananh menu and shows the school default with presets and the Sunday switch", async () => {
    const menu = await buttonsOf(e.t.send("/phananh", "2001"));
    const open = menu.find((b) => b.label === "🌙 Giờ yên tĩnh của tôi");
    expect(open).toBeTruthy();
    const shown = await buttonsOf(e.t.press(open!.payload, "2001"));
    expect(shown.map((b) => b.label)).toEqual(["21:30–06:00", "22:00–07:00", "20:00–06:00", "Chủ nhật: vẫn nhận phản ánh", "✖ Hủy"]);
    const text = e.t.texts(await e.t.press(open!.payload, "2001")).join("\n");
    expect(text).toMatch(/giờ yên tĩnh của Thầy\/Cô là 21:00–06:30 hằng đêm và cả ngày Chủ nhật \(mặc định của nhà trường\)/);
    expect(text).toMatch(/gõ khung giờ mong muốn, ví dụ 21:30-06:00/);
  });

  it("takes a typed window, stored for that teacher only", async () => {
    await press("pa-quiet");
    expect(await say("21h30 - 6h")).toMatch(/đã lưu: giờ yên tĩnh của Thầy\/Cô là 21:30–06:00 hằng đêm và cả ngày Chủ nhật \(Thầy\/Cô tự đặt\)/);
    expect(e.concerns.quiet.get("id-2001")).toMatchObject({ start: 21 * 60 + 30, end: 6 * 60, sundays: true });
    as("2002", { staff: [{ ...homeroom, classGroupId: "c2", className: "6A2" }] });
    expect(await press("pa-quiet", "2002")).toMatch(/21:00–06:30/);
  });

  it("refuses a window that is not a night or cannot be read, with an example, and keeps asking", async () => {
    await press("pa-quiet");
    expect(await say("08:00-17:00")).toMatch(/khung giờ ban đêm.*21:30-06:00/);
    expect(await say("tối nay")).toMatch(/theo mẫu 21:30-06:00/);
    expect(await say("25:00-06:00")).toMatch(/theo mẫu/);
    expect(e.concerns.quiet.size).toBe(0);
    expect(await say("22:00-07:00")).toMatch(/đã lưu.*22:00–07:00/);
  });

  it("presets, Sundays and the default are buttons; after one the conversation is closed", async () => {
    await press("pa-quiet");
    expect(await press("pa-qr-2200-0700")).toMatch(/đã lưu: giờ yên tĩnh của Thầy\/Cô là 22:00–07:00/);
    expect(await press("pa-qsun-0")).toMatch(/22:00–07:00 hằng đêm; Chủ nhật Thầy\/Cô vẫn nhận phản ánh/);
    expect(e.concerns.quiet.get("id-2001")).toMatchObject({ start: 22 * 60, end: 7 * 60, sundays: false });
    // A later text is not read as a window.
    expect(await say("23:00-05:00")).not.toMatch(/đã lưu/);
    expect(e.concerns.quiet.get("id-2001")!.start).toBe(22 * 60);
    expect(await press("pa-qdef")).toMatch(/21:00–06:30.*mặc định của nhà trường/);
    expect(e.concerns.quiet.has("id-2001")).toBe(false);
    // A forged preset that is not a night window changes nothing.
    expect(await press("pa-qr-0800-1700")).toMatch(/hết hiệu lực/);
    expect(e.concerns.quiet.has("id-2001")).toBe(false);
  });

  it("is for staff only", async () => {
    as("1001", { guardianOf: [an] });
    expect(await press("pa-quiet", "1001")).toMatch(/dành cho giáo viên chủ nhiệm và Ban giám hiệu/);
    expect(await press("pa-qr-2200-0700", "1001")).toMatch(/dành cho giáo viên chủ nhiệm/);
  });

  it("reads windows the way people type them, and only night windows of at most 14 hours count", () => {
    expect(parseTimeRange("21:30-06:00")).toEqual({ start: 1290, end: 360 });
    expect(parseTimeRange("22-7")).toEqual({ start: 1320, end: 420 });
    expect(parseTimeRange("21.30 – 06.00")).toEqual({ start: 1290, end: 360 });
    expect(parseTimeRange("21:00-21:00")).toBeUndefined();
    expect(parseTimeRange("9pm-6am")).toBeUndefined();
    expect(isNightWindow({ start: 1290, end: 360 })).toBe(true);
    expect(isNightWindow({ start: 0, end: 420 })).toBe(true);
    expect(isNightWindow({ start: 18 * 60, end: 9 * 60 })).toBe(false); // 15 hours
    expect(isNightWindow({ start: 480, end: 1020 })).toBe(false);
    expect(isNightWindow({ start: 1260, end: 1380 })).toBe(false); // evening only, not the night
  });
});
