import { describe, it, expect } from "vitest";
import type { HandleResult } from "../../src/engine/engine.js";
import { FakeMeetings, meetingEngine, sampleMeeting } from "./support/fake-meetings.js";

function setup() {
  const meetings = new FakeMeetings();
  meetings.managed = { ...sampleMeeting, status: "draft" };
  const t = meetingEngine(meetings);
  const shown = (r: HandleResult) => (r.status === "handled" ? r.outbound.map((o) => `${o.kind === "text" ? o.text : ""}${o.buttons ? ` [${o.buttons.flat().map((b) => b.label).join(" | ")}]` : ""}`) : []).join("\n");
  const say = async (text: string) => shown(await t.send(text, "2001"));
  const press = async (payload: string) => shown(await t.press(payload, "2001"));
  return { meetings, say, press };
}

describe("revising a draft the board sent back", () => {
  it("changes the place (too long re-prompts), then the agenda, shows the draft after each, and sends both to the board", async () => {
    const { meetings, say, press } = setup();
    await say("/hop");
    expect(await press(`c-${sampleMeeting.id}`)).toMatch(/Sửa nội dung, địa điểm và gửi lại/);
    const first = await press("c-resubmit.mabc123");
    expect(first).toMatch(/Địa điểm: Phòng 6A1\nNội dung: Bầu Ban đại diện/);
    expect(first).toMatch(/\[Sửa nội dung \| Sửa địa điểm \| Gửi lại \| ↩ Quay lại \| ✖ Hủy\]/);
    expect(await say("sua dia diem")).toMatch(/địa điểm họp/);
    expect(await say("x".repeat(201))).toMatch(/vượt quá giới hạn 200/);
    expect(await say("Hội trường tầng 2")).toMatch(/Địa điểm: Hội trường tầng 2\nNội dung: Bầu Ban đại diện/);
    expect(await press("c-agenda")).toMatch(/nội dung chính/);
    expect(await say("Bầu Ban đại diện; quỹ lớp")).toMatch(/Địa điểm: Hội trường tầng 2\nNội dung: Bầu Ban đại diện; quỹ lớp/);
    expect(await say("gui lai")).toMatch(/tới Trưởng ban đại diện CMHS/);
    expect(meetings.calls).toEqual([{ method: "resubmit", args: ["id-teacher", sampleMeeting.id, { place: "Hội trường tầng 2", agenda: "Bầu Ban đại diện; quỹ lớp" }] }]);
  });

  it("only the place may change: the agenda is not sent", async () => {
    const { meetings, say, press } = setup();
    await say("/hop");
    await press(`c-${sampleMeeting.id}`);
    await press("c-resubmit.mabc123");
    await press("c-place");
    await say("https://meet.google.com/abc-defg-hij");
    await press("c-send");
    expect(meetings.calls.map((c) => c.args[2])).toEqual([{ place: "https://meet.google.com/abc-defg-hij" }]);
  });
});
