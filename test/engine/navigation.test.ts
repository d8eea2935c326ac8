import { describe, it, expect } from "vitest";
import { createTestEngine } from "../support/fakes.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import type { HandleResult } from "../../src/engine/engine.js";
import type { Outbound } from "../../src/engine/messages.js";
import { FakeMeetings, asPort } from "../meetings/support/fake-meetings.js";

const teacherRoles: Roles = { ...NO_ROLES, staff: [{ role: "homeroom-teacher", schoolId: "sch1", classGroupId: "c1", className: "6A1", staffName: "Nguyễn Thị Lan" }] };
const guardianRoles: Roles = { ...NO_ROLES, guardianOf: [{ studentId: "s1", studentName: "Nguyễn Văn An", classGroupId: "c1", className: "6A1", schoolId: "sch1" }] };
const T = "2001";
const P = "3001";

function setup() {
  const meetings = new FakeMeetings({ "id-parent": ["s1"] });
  const t = createTestEngine({ meetings: asPort(meetings) });
  t.directory.people.set("telegram:bot:2001", { identityId: "id-teacher", roles: teacherRoles, locale: "vi" });
  t.directory.people.set("telegram:bot:3001", { identityId: "id-parent", roles: guardianRoles, locale: "vi" });
  /** Presses `payload` under the bot's message `messageRef` (as Telegram tells it). */
  const tap = (payload: string, messageRef: string, user = T) => t.engine.handle(t.event({ kind: "button", payload, messageRef }, user));
  return { t, meetings, tap, say: async (text: string, user = T) => t.texts(await t.send(text, user)).join("\n") };
}

const outbound = (r: HandleResult): Outbound[] => (r.status === "handled" ? r.outbound : []);
const labels = (o: Outbound | undefined) => (o && o.kind !== "keyboard" ? (o.buttons ?? []).flat().map((b) => b.label) : []);

describe("buttons that stop working look like it", () => {
  it("a choice made replaces its keyboard by the choice, and a second tap on it is silent", async () => {
    const { tap, say } = setup();
    await say("/hop");
    const first = outbound(await tap("c-new", "41"));
    expect(first[0]).toEqual({ kind: "keyboard", messageRef: "41", buttons: [[{ label: "✓ ➕ Tạo cuộc họp mới", payload: "x-done" }]] });
    expect(await tap("c-new", "41")).toEqual({ status: "ignored", reason: "answered-button" });
    expect(await tap("x-done", "41")).toEqual({ status: "ignored", reason: "answered-button" });
  });

  it("an old button while another question is open loses its keyboard, and the current question is asked again", async () => {
    const { t, tap, say } = setup();
    await say("/hop");
    await tap("c-new", "41");
    const r = outbound(await tap("c-nonexistent", "12"));
    expect(r[0]).toEqual({ kind: "keyboard", messageRef: "12", buttons: [] });
    expect(t.texts(await tap("c-nonexistent", "13")).join("\n")).toMatch(/cuộc họp nào/);
  });
});

describe("every step has Quay lại and Hủy, optional steps Bỏ qua", () => {
  it("back returns to the previous step with its answers, by button and typed", async () => {
    const { t, say, meetings } = setup();
    await say("/hop");
    const kindPrompt = outbound(await t.press("c-new", T)).at(-1);
    expect(labels(kindPrompt)).toContain("✖ Hủy");
    expect(labels(kindPrompt)).not.toContain("↩ Quay lại"); // nothing behind the first step
    const whenPrompt = outbound(await t.press("c-start-year", T)).at(-1);
    expect(labels(whenPrompt)).toEqual(["↩ Quay lại", "✖ Hủy"]);
    expect(t.texts(await t.press("c-_back", T)).join()).toMatch(/cuộc họp nào ạ\?/);
    await t.press("c-start-year", T);
    expect(await say("19/9 19h30")).toMatch(/em hiểu là/);
    expect(await say("quay lại")).toMatch(/diễn ra lúc nào/);
    expect(await say("Quay lai")).toMatch(/cuộc họp nào ạ\?/);
    expect(meetings.calls).toEqual([]);
  });

  it("cancel leaves the flow from any step, by button and typed", async () => {
    const { t, say } = setup();
    await say("/hop");
    await t.press("c-new", T);
    await t.press("c-start-year", T);
    expect(t.texts(await t.press("c-_cancel", T)).join()).toMatch(/đã hủy thao tác/);
    expect(t.conversations.states.size).toBe(0);
    await say("/hop");
    await t.press("c-new", T);
    await t.press("c-start-year", T);
    expect(await say("hủy")).toMatch(/đã hủy thao tác/);
    expect(t.conversations.states.size).toBe(0);
    // "Never mind" as parents and teachers type it, without diacritics.
    for (const words of ["Thôi ạ", "khong can", "dừng lại"]) {
      await say("/hop");
      await t.press("c-new", T);
      expect(await say(words), words).toMatch(/đã hủy thao tác/);
      expect(t.conversations.states.size).toBe(0);
    }
  });

  it("an optional step has Bỏ qua instead of typing «không»; typing it still works", async () => {
    const { t, say } = setup();
    const asked = outbound(await t.press("mr-mabc123-s1-n", P)).at(-1);
    expect(labels(asked)).toEqual(["Bỏ qua", "✖ Hủy"]);
    expect(t.texts(await t.press("c-_skip", P)).join()).toMatch(/Dạ/);
    expect(t.conversations.states.size).toBe(0);
    await t.press("mr-mabc123-s1-n", P);
    expect(await say("không", P)).toMatch(/Dạ/);
    expect(t.conversations.states.size).toBe(0);
    // «không cần» (not needed) skips an optional step; it does not cancel.
    await t.press("mr-mabc123-s1-n", P);
    expect(await say("Không cần ạ", P)).not.toMatch(/đã hủy thao tác/);
    expect(t.conversations.states.size).toBe(0);
  });
});
