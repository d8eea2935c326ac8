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

const base = { REDIS_URL: "redis://127.0.0.1:6379", MONGODB_URI: "mongodb://127.0.0.1:27017/school", TELEGRAM_BOT_TOKEN: "1:x" };
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
});
