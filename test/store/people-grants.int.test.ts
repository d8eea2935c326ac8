/**
 * Grants given after two messengers were paired (/kenh) reach both: a class board seat and a
 * homeroom class decided later are held on each of the person's messengers, and a paired parent
 * is one board candidate and one linked guardian in the console, not two. Real MongoDB-compatible server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { registerMeetingModels } from "../../src/store/meeting-models.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { rolesOf } from "../../src/store/directory.js";
import { createChannels, createLinking } from "../../src/features/linking/index.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { createSchoolAdmin } from "../../src/features/school/admin.js";
import { classBoardCandidates, recordClassBoard } from "../../src/features/boards/boards.js";
import { assignHomeroom } from "../../src/features/staff/homeroom.js";
import { classRoster } from "../../src/features/console/records.js";
import type { StaffDeps } from "../../src/features/staff/deps.js";
import type { Address } from "../../src/engine/messages.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { FakeClock } from "../support/fakes.js";

const tg = (id: string): Address => ({ channel: "telegram", account: "bot", userId: id, chatId: id });
const zl = (id: string): Address => ({ channel: "zalo-bot", account: "zbot", userId: id, chatId: id });

describe("grants follow a paired person", { timeout: 60_000 }, () => {
  const config = testConfig("people-grants");
  const clock = new FakeClock(new Date("2026-12-01T03:00:00Z"));
  const db = useDatabase(config);
  let demo: DemoSeed;
  let deps: StaffDeps;
  beforeAll(async () => {
    demo = await seedDemo(db.models, { ttlDays: 30 });
    deps = { models: db.models, meetings: registerMeetingModels(db.conn), concerns: registerConcernModels(db.conn), clock, ttlDays: 30 };
  });

  const link = (code: string, a: Address) => createLinking(db.models, clock).redeem({ code, address: a, locale: "vi", consentVersion: "v1", eventId: `e-${a.userId}-${code}` });
  const pairBoth = async (first: Address, second: Address) => {
    const issued = (await createChannels(db.models, clock).issueCode(first))!;
    expect((await createChannels(db.models, clock).pair({ code: issued.code, address: second, locale: "vi", consentVersion: "v1", eventId: `p-${second.userId}` })).status).toBe("paired");
    const id = async (a: Address) => (await db.models.ChannelIdentity.findOne({ channel: a.channel, externalUserId: a.userId }).lean())!._id;
    return [await id(first), await id(second)] as const;
  };

  it("a paired parent is one board candidate, counts once in the console, and a seat recorded later is held on both messengers", async () => {
    const a1 = demo.classes[0]!.id;
    const codes = demo.codes.guardians.filter((c) => c.className === demo.classes[0]!.name);
    expect((await link(codes[0]!.code, tg("mai"))).status).toBe("linked");
    const [maiTg, maiZl] = await pairBoth(tg("mai"), zl("mai-z"));
    for (const [i, c] of codes.slice(1, 3).entries()) expect((await link(c.code, tg(`g${i}`))).status).toBe("linked");

    const cands = await classBoardCandidates(deps, a1);
    expect(cands.filter((c) => c.identityId === maiTg || c.identityId === maiZl)).toEqual([expect.objectContaining({ identityId: maiTg })]);
    const roster = (await classRoster(db.models, { schoolId: demo.schoolId, role: "principal" } as never, a1))!;
    expect(roster.pupils.find((p) => p.name === codes[0]!.subject)!.linked).toBe(1);

    const seats = cands.filter((c) => c.studentId !== "").slice(0, 3).map((c, i) => ({ identityId: c.identityId, studentId: c.studentId, position: (["head", "deputy", "member"] as const)[i]! }));
    expect(seats.some((s) => s.identityId === maiTg)).toBe(true);
    expect(await recordClassBoard(deps, { schoolId: demo.schoolId, classGroupId: a1, seats, by: "principal" })).toMatchObject({ status: "recorded" });
    const position = seats.find((s) => s.identityId === maiTg)!.position;
    for (const id of [maiTg, maiZl]) expect((await rolesOf(db.models, id)).board).toEqual([expect.objectContaining({ classGroupId: a1, position })]);
  });

  it("a teacher paired on two messengers who is given a class later holds it on both", async () => {
    const staff = await createSchoolAdmin(db.models).addStaff({ schoolId: demo.schoolId, fullName: "Trần Thị Hạnh", title: "Cô" });
    const first = await db.models.ChannelIdentity.create({ channel: "telegram", account: "bot", externalUserId: "hanh", chatId: "hanh", displayName: "Hạnh" });
    await db.models.StaffRole.create({ identityId: first._id, staffId: staff._id, schoolId: demo.schoolId, role: "admin", classGroupId: "" });
    const [hanhTg, hanhZl] = await pairBoth(tg("hanh"), zl("hanh-z"));
    expect(hanhTg).toBe(first._id);
    const a2 = demo.classes[1]!.id;
    expect(await assignHomeroom(deps, { schoolId: demo.schoolId, classGroupId: a2, staffId: staff._id, by: "principal" })).toMatchObject({ status: "assigned" });
    for (const id of [hanhTg, hanhZl]) expect((await rolesOf(db.models, id)).staff.filter((r) => r.role === "homeroom-teacher").map((r) => r.classGroupId)).toEqual([a2]);
  });
});
