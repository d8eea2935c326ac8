/** A person's time zone is their school's setting (`School.timeZone`), read by the directory. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { openDatabase, type Database } from "../../src/store/mongo.js";
import { createDirectory } from "../../src/store/directory.js";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";

describe("the directory gives a person their school's time zone", () => {
  const config = testConfig("directory-zone");
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(config.mongo.uri, config.mongo.db);
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(config.mongo.uri, config.mongo.db);
  });

  it("set on the school → on the person; unset → none (the deployment's default applies)", async () => {
    const m = db.models;
    await m.School.create({ _id: "sch-tokyo", name: "Trường Việt Nam tại Tokyo", slug: "tokyo", timeZone: "Asia/Tokyo" });
    await m.School.create({ _id: "sch-hn", name: "THCS Hà Nội", slug: "ha-noi" });
    for (const [n, school] of [["1", "sch-tokyo"], ["2", "sch-hn"]] as const) {
      await m.ChannelIdentity.create({ _id: `id-${n}`, channel: "telegram", account: "bot", externalUserId: `70${n}`, chatId: `70${n}` });
      await m.Staff.create({ _id: `st-${n}`, schoolId: school, fullName: "Nguyễn Thị Lan", title: "Cô" });
      await m.StaffRole.create({ _id: `sr-${n}`, identityId: `id-${n}`, staffId: `st-${n}`, schoolId: school, role: "principal" });
    }
    const directory = createDirectory(m);
    const at = (userId: string) => directory.resolve({ channel: "telegram", account: "bot", userId, chatId: userId });
    expect((await at("701")).timeZone).toBe("Asia/Tokyo");
    expect((await at("702")).timeZone).toBeUndefined();
    expect((await at("709")).timeZone).toBeUndefined();
  });
});
