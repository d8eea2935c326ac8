import { describe, it, expect } from "vitest";
import type { Outbound } from "../../src/engine/messages.js";
import type { HandleResult } from "../../src/engine/engine.js";
import { FakeMeetings, meetingEngine, sampleMeeting } from "./support/fake-meetings.js";

const T = "2001";

function setup() {
  const meetings = new FakeMeetings({ "id-parent": ["s1"] });
  meetings.managed = sampleMeeting;
  const t = meetingEngine(meetings);
  const tap = (payload: string, messageRef: string, user = T) => t.engine.handle(t.event({ kind: "button", payload, messageRef }, user));
  return { t, meetings, tap };
}
const outbound = (r: HandleResult): Outbound[] => (r.status === "handled" ? r.outbound : []);
const text = (o: Outbound | undefined) => (o?.kind === "text" ? o.text : "");

describe("fewer taps for a teacher managing a meeting", () => {
  it("after an action the summary and the actions come back, in place of the message whose button was pressed", async () => {
    const { t, tap } = setup();
    await t.send("/hop", T);
    const opened = outbound(await tap(`c-${sampleMeeting.id}`, "50"));
    const menu = opened.at(-1)!;
    expect(text(menu)).toMatch(/Trạng thái: đã gửi thư mời[\s\S]*muốn làm gì/);
    // A button left under another meeting's menu does not act on this one.
    expect(t.texts(await tap("c-cancel.mother9", "49")).join()).toMatch(/hết hiệu lực[\s\S]*muốn làm gì/);
    const after = outbound(await tap("c-tally.mabc123", "51"));
    expect(text(after[0])).toMatch(/Chưa trả lời/);
    expect(after.at(-1)).toMatchObject({ kind: "text", editRef: "51" });
    expect(text(after.at(-1))).toMatch(/Trạng thái: đã gửi thư mời[\s\S]*muốn làm gì/);
    expect(t.conversations.states.size).toBe(1); // still in the meeting's menu: the next action is one tap away
    expect(t.texts(await tap("c-done.mabc123", "52")).join()).toMatch(/đã đóng cuộc họp/);
    expect(t.conversations.states.size).toBe(0);
  });

  it("an old RSVP button under a cancelled meeting says the meeting was cancelled", async () => {
    const { t, meetings } = setup();
    meetings.rsvp = async () => ({ status: "closed", meeting: { ...sampleMeeting, status: "cancelled" } });
    expect(t.texts(await t.press("mr-mabc123-s1-y", "3001")).join()).toMatch(/cuộc họp đã hủy/);
  });
});
