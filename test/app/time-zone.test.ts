/**
 * Times are read and shown in the school's time zone whatever the process's `TZ` is: this file
 * runs with TZ=Etc/GMT+10 (a zone where 19:30 in Hà Nội is 02:30).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { ConfigError, loadConfig } from "../../src/app/config.js";
import { Translator } from "../../src/i18n/fluent.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import { createTestEngine } from "../support/fakes.js";
import { FakeMeetings, asPort } from "../meetings/support/fake-meetings.js";
import type { PollDraft, PollsPort } from "../../src/features/polls/port.js";
import type { OpinionsPort } from "../../src/features/opinions/port.js";

const base = { REDIS_URL: "redis://127.0.0.1:6379", MONGODB_URI: "mongodb://127.0.0.1:27017/school", TELEGRAM_BOT_TOKEN: "1:x" };
const boardRoles: Roles = { ...NO_ROLES, board: [{ scope: "class", position: "head", schoolId: "sch1", classGroupId: "c1", className: "6A1" }] };
const teacherRoles: Roles = { ...NO_ROLES, staff: [{ role: "homeroom-teacher", schoolId: "sch1", classGroupId: "c1", className: "6A1", staffName: "Nguyễn Thị Lan" }] };

describe("the school's time zone, whatever the process's TZ", () => {
  const processZone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Etc/GMT+10";
  });
  afterAll(() => {
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
  });

  /** Creates a meeting "11/12 19h30" through engine.handle, as the app is configured from `env`. */
  async function createMeeting(env: Record<string, string>, timeZone?: string) {
    const config = loadConfig({ ...base, ...env });
    const meetings = new FakeMeetings({});
    const t = createTestEngine({ meetings: asPort(meetings) }, { translator: new Translator(config.timeZone) });
    t.directory.people.set("telegram:bot:2001", { identityId: "id-teacher", roles: teacherRoles, locale: "vi", ...(timeZone ? { timeZone } : {}) });
    const say = async (text: string) => t.texts(await t.send(text, "2001")).join("\n");
    await say("/hop");
    await say("1");
    await say("Họp phụ huynh cuối học kỳ I");
    const confirm = await say("11/12 19h30");
    await say("dung");
    await say("Phòng 6A1");
    await say("Tổng kết học kỳ I");
    await say("gui");
    return { confirm, startsAt: (meetings.calls.find((c) => c.method === "create")?.args[1] as { startsAt: Date }).startsAt };
  }

  it("the process really is in Etc/GMT+10 here", () => {
    expect(new Date("2026-12-11T12:30:00Z").getHours()).toBe(2);
  });

  it("is not the process's TZ: SCHOOL_TIME_ZONE, Asia/Ho_Chi_Minh by default, and checked", () => {
    expect(loadConfig({ ...base, TZ: "Etc/GMT+10" }).timeZone).toBe("Asia/Ho_Chi_Minh");
    expect(loadConfig({ ...base, TZ: "Etc/GMT+10", SCHOOL_TIME_ZONE: "Asia/Bangkok" }).timeZone).toBe("Asia/Bangkok");
    expect(() => loadConfig({ ...base, SCHOOL_TIME_ZONE: "Hanoi" })).toThrow(ConfigError);
  });

  it('"11/12 19h30" typed with TZ=Etc/GMT+10 is confirmed as 19:30 and stored as 19:30 in Hà Nội', async () => {
    const { confirm, startsAt } = await createMeeting({ TZ: "Etc/GMT+10" });
    expect(confirm).toContain("Thứ Sáu, 11/12/2026 lúc 19:30");
    expect(startsAt).toEqual(new Date("2026-12-11T12:30:00Z"));
  });

  it("a school in another zone reads and shows its own wall clock", async () => {
    const { confirm, startsAt } = await createMeeting({ TZ: "Etc/GMT+10" }, "Asia/Tokyo");
    expect(confirm).toContain("11/12/2026 lúc 19:30");
    expect(startsAt).toEqual(new Date("2026-12-11T10:30:00Z"));
  });

  it("with SCHOOL_TIME_ZONE=Asia/Tokyo, a school without its own zone reads and shows Tokyo's wall clock", async () => {
    const { confirm, startsAt } = await createMeeting({ TZ: "Etc/GMT+10", SCHOOL_TIME_ZONE: "Asia/Tokyo" });
    expect(confirm).toContain("11/12/2026 lúc 19:30");
    expect(startsAt).toEqual(new Date("2026-12-11T10:30:00Z"));
  });

  it("a poll's typed deadline is read in the school's zone", async () => {
    const created: PollDraft[] = [];
    const polls = {
      createPoll: async (_a: unknown, d: PollDraft) => {
        created.push(d);
        return { status: "created", poll: { id: "p1", question: d.question, options: d.options, multiple: false, anonymity: "anonymous", scope: "class", scopeName: "6A1", closesAt: d.closesAt, status: "open" }, households: 2, reached: 2 };
      },
    } as unknown as PollsPort & OpinionsPort;
    const t = createTestEngine({ polls }, { translator: new Translator("Asia/Ho_Chi_Minh") });
    t.directory.people.set("telegram:bot:2002", { identityId: "id-board", roles: boardRoles, locale: "vi", timeZone: "Asia/Tokyo" });
    const say = async (text: string) => t.texts(await t.send(text, "2002")).join("\n");
    for (const line of ["/bieuquyet", "1", "Chọn ngày dã ngoại?", "Thứ Bảy\nChủ Nhật", "chon mot phuong an", "an danh hoan toan"]) await say(line);
    expect(await say("20/9 17h")).toContain("20/09/2026 lúc 17:00");
    await say("gui");
    expect(created[0]?.closesAt).toEqual(new Date("2026-09-20T08:00:00Z")); // 17:00 in Tokyo
  });
});
