import { describe, it, expect } from "vitest";
import { readNumbers } from "../../flows/kit.js";
import type { HandleResult } from "../../src/engine/engine.js";
import type { MeetingView } from "../../src/features/meetings/port.js";
import { FakeMeetings, meetingEngine, sampleMeeting } from "./support/fake-meetings.js";

function setup() {
  const meetings = new FakeMeetings({ "id-parent": ["s1"] });
  const t = meetingEngine(meetings);
  // Replies with their button labels, as a person sees them: "text [Label | Label]".
  const shown = (r: HandleResult) => (r.status === "handled" ? r.outbound.filter((o) => o.kind !== "keyboard").map((o) => `${o.kind === "text" ? o.text : o.kind === "file" ? o.caption ?? "" : ""}${o.buttons ? ` [${o.buttons.flat().map((b) => b.label).join(" | ")}]` : ""}`) : []).join("\n");
  const say = async (text: string, user = "2001") => shown(await t.send(text, user));
  const press = async (payload: string, user = "2001") => shown(await t.press(payload, user));
  return { t, meetings, say, press };
}

describe("after the meeting (flows)", () => {
  it("reads absent pupils typed as numbers, refusing anything out of range", () => {
    expect(readNumbers("2, 5", 30)).toEqual([2, 5]);
    expect(readNumbers("5 2;2", 30)).toEqual([2, 5]);
    expect(readNumbers("2, 31", 30)).toBeUndefined();
    expect(readNumbers("0", 30)).toBeUndefined();
    expect(readNumbers("em An", 30)).toBeUndefined();
  });

  it("marking held with some absent: numbered list, a bad number re-prompts, the absent pupils' ids go to the service", async () => {
    const { say, press, meetings } = setup();
    const summary = await openManage(meetings, say, press);
    expect(summary).toMatch(/Đã họp, gửi biên bản/);
    expect(await press("c-held.mabc123")).toMatch(/ghi điểm danh/);
    const list = await press("c-some");
    expect(list).toMatch(/1\. Nguyễn Văn An\n2\. Trần Thị Bình\n3\. Lê Minh Châu/);
    expect(list).toMatch(/đã báo không tham dự: 2\)/);
    expect(await say("2, 4")).toMatch(/từ 1 đến 3/);
    const noted = await say("2");
    expect(noted).toMatch(/có mặt 2, vắng 1 \(Trần Thị Bình\)/);
    expect(noted).toMatch(/tóm tắt\/biên bản/);
    expect(await say("Đã bầu Ban đại diện.")).toMatch(/lưu điểm danh và gửi tóm tắt kèm lời mời góp ý tới 3 gia đình/);
    expect(meetings.calls.filter((c) => c.method === "markHeld")).toEqual([{ method: "markHeld", args: ["id-teacher", sampleMeeting.id, "Đã bầu Ban đại diện.", { absent: ["s2"] }] }]);
  });

  it("'all present' records attendance with nobody absent; 'no attendance' records none", async () => {
    for (const [choice, expected] of [["tat ca co mat", { absent: [] }], ["khong diem danh", null]] as const) {
      const { say, press, meetings } = setup();
      await openManage(meetings, say, press);
      await say("Đã họp, gửi biên bản");
      expect(await say(choice)).toMatch(/tóm tắt\/biên bản/);
      const done = await say("Biên bản");
      expect(done).toMatch(expected ? /lưu điểm danh/ : /đã diễn ra và gửi tóm tắt/);
      expect(meetings.calls.find((c) => c.method === "markHeld")!.args[3]).toEqual(expected);
    }
  });

  it("a held meeting offers its opinions, listed with the pupil's name unless anonymous", async () => {
    const { say, press, meetings } = setup();
    const summary = await openManage(meetings, say, press, { ...sampleMeeting, status: "held" });
    expect(summary).toMatch(/Ý kiến sau cuộc họp/);
    expect(summary).not.toMatch(/Đổi thời gian|Nhắc gia đình/);
    expect(await press("c-opinions.mabc123")).toMatch(/có 2 ý kiến về cuộc họp:\n1\. \[Nguyễn Văn An\] Cuộc họp rõ ràng\.\n2\. Nên gửi tài liệu trước\./);
  });

  it("the opinion button under the minutes asks for the text, then whether to hide the pupil's name", async () => {
    const { say, press, meetings } = setup();
    expect(await press(`mo-${sampleMeeting.id}-s1`, "3001")).toMatch(/nhập ý kiến về cuộc họp/);
    expect(await say("Cuộc họp hơi dài.", "3001")).toMatch(/ẩn tên con/);
    expect(await say("an ten", "3001")).toMatch(/đã gửi ý kiến/);
    const [call] = meetings.calls;
    expect(call!.method).toBe("giveOpinion");
    expect(call!.args.slice(0, 5)).toEqual(["id-parent", sampleMeeting.id, "s1", "Cuộc họp hơi dài.", true]);
    expect(await press(`mo-${sampleMeeting.id}-s9`, "3001")).toMatch(/nhập ý kiến/);
    await say("x", "3001");
    expect(await say("ghi ten em", "3001")).toMatch(/không tìm thấy cuộc họp này/);
  });
});

/** `/hop` as the teacher, then the meeting's button: the manage flow's summary and menu. */
async function openManage(meetings: FakeMeetings, say: (text: string) => Promise<string>, press: (payload: string) => Promise<string>, meeting: MeetingView = sampleMeeting): Promise<string> {
  meetings.managed = meeting;
  expect(await say("/hop")).toMatch(/xem cuộc họp nào/);
  return press(`c-${meeting.id}`);
}
