import { describe, it, expect } from "vitest";
import { createTestEngine } from "../support/fakes.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import type { Services } from "../../src/features/services.js";
import type { NoticeReport } from "../../src/features/notices/port.js";
import { reportRefreshSay } from "../../src/features/notices/messages.js";

const teacherRoles: Roles = { ...NO_ROLES, staff: [{ role: "homeroom-teacher", schoolId: "sch1", classGroupId: "c1", className: "6A1", staffName: "Nguyễn Thị Lan" }] };

const reportOf = (id: string): NoticeReport => ({
  notice: { id, kind: "ack", scope: "class", scopeName: "6A1", text: `Thông báo ${id}`, urgent: false, status: "sent", sentAt: new Date("2026-09-14T02:00:00Z"), rounds: 0 },
  rows: [{ studentId: "s1", studentName: "Nguyễn Văn An", reach: "reached", linked: true, confirmed: false, possibleDuplicate: false }],
  counts: { households: 1, reached: 1, pending: 0, failed: 0, unreachable: 0, notLinked: 0, blocked: 0, confirmed: 0, notConfirmed: 1, toRemind: 1, oa: { free: 0, paid: 0, template: 0, otherChannel: 0, held: 0 } },
});

function setup() {
  const renotified: [string, number][] = [];
  const broadcast = {
    listSent: async () => [reportOf("nA").notice, reportOf("nB").notice],
    report: async (_a: unknown, id: string) => (id === "nA" || id === "nB" ? reportOf(id) : undefined),
    renotify: async (_a: unknown, id: string, round: number) => (renotified.push([id, round]), { status: "sent" as const, households: 1, round }),
  } as unknown as Services["broadcast"];
  const t = createTestEngine({ broadcast });
  t.directory.people.set("telegram:bot:2001", { identityId: "id-teacher", roles: teacherRoles, locale: "vi" });
  return { t, renotified };
}

describe("a report button acts on the notice it was shown under", () => {
  it("Nhắc lại under notice A's pushed report re-notifies A's families while notice B's report is open", async () => {
    const { t, renotified } = setup();
    await t.send("/thongbao", "2001");
    await t.press("c-nB", "2001"); // B's report is open
    const pushedA = reportRefreshSay(reportOf("nA"));
    const renotifyA = pushedA.buttons!.flat().find((b) => "key" in b && b.key === "notice-action-renotify")!.payload;
    expect(renotifyA).toMatch(/^nr-renotify-1\.nA$/);
    const reply = t.texts(await t.press(renotifyA, "2001")).join("\n");
    expect(renotified).toEqual([["nA", 1]]);
    expect(reply).toMatch(/Thông báo nA|6A1/);
  });

  it("an in-flow report button of another notice does not act on the open one", async () => {
    const { t, renotified } = setup();
    await t.send("/thongbao", "2001");
    await t.press("c-nB", "2001");
    await t.press("c-renotify-1.nA", "2001"); // a button left under A's earlier report
    expect(renotified).toEqual([]);
    await t.press("c-renotify-1.nB", "2001");
    expect(renotified).toEqual([["nB", 1]]);
  });
});
