/**
 * Issue 8, item 7: an invite redemption interrupted halfway (a database error after its slot
 * was taken) resumes on the same person's next try with the same slot, and concurrent
 * redemptions of two-slot and one-slot codes give exactly as many links as slots.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { createInviteRepo, type InviteRepo } from "../../src/store/invites.js";
import { createLinking, linkingPort } from "../../src/features/linking/index.js";
import { createDirectory } from "../../src/store/directory.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { FakeClock } from "../support/fakes.js";
import { race, expectOneWinner, isRaceError, RACE_WIDTH } from "../support/race.js";
import type { Address } from "../../src/engine/messages.js";

const addr = (id: string): Address => ({ channel: "telegram", account: "bot", userId: id, chatId: id });

/** The real repository, with one step that fails once (a database error at that point). */
function failingOnce(repo: InviteRepo, step: "recordConsent" | "applyGrant" | "recordRedeemed"): InviteRepo & { failed: number } {
  const wrapped = { ...repo, failed: 0 };
  wrapped[step] = (async (...args: never[]) => {
    if (wrapped.failed++ === 0) throw Object.assign(new Error("connection reset while writing"), { name: "MongoNetworkError" });
    return (repo[step] as (...a: never[]) => Promise<boolean>)(...args);
  }) as never;
  return wrapped;
}

describe("invite redemption: interrupted halfway, and raced", () => {
  const config = testConfig("redemption");
  const db = useDatabase(config);
  let demo: DemoSeed;
  const clock = new FakeClock(new Date());
  beforeAll(async () => {
    demo = await seedDemo(db.models, { ttlDays: 30 });
  });

  const input = (code: string, who: string, eventId: string) => ({ code, address: addr(who), locale: "vi" as const, consentVersion: "v1", eventId });
  const staffRolesOf = async (who: string) => (await createDirectory(db.models).resolve(addr(who))).roles.staff;

  it("a one-slot staff code whose redemption failed after the slot was taken links the same person on the next try", async () => {
    const code = demo.codes.homeroomTeacher.code;
    const invites = failingOnce(createInviteRepo(db.models), "recordConsent");
    const linking = linkingPort({ invites, clock });
    await expect(linking.redeem(input(code, "teacher-1", "ev-1"))).rejects.toThrow("connection reset");
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
    // The code is used up for anybody else, but not for the person who holds its slot.
    expect(await linking.check(code, addr("someone-else"))).toEqual({ status: "invalid" });
    expect((await linking.check(code, addr("teacher-1"))).status).toBe("ok");
    const retry = await linking.redeem(input(code, "teacher-1", "ev-2"));
    expect(retry.status).toBe("linked");
    expect(await staffRolesOf("teacher-1")).toMatchObject([{ role: "homeroom-teacher" }]);
    const slots = await db.models.InviteRedemption.find({ code }).lean();
    expect(slots.map((s) => ({ _id: s._id, holder: s.holder, eventId: s.eventId }))).toEqual([{ _id: `${code}#1`, holder: "telegram:bot:teacher-1", eventId: "ev-1" }]);
    const identityId = (await createDirectory(db.models).resolve(addr("teacher-1"))).identityId;
    expect(await db.models.ConsentRecord.countDocuments({ identityId })).toBe(1);
    // Once finished, the same code again is "already linked" and still one slot.
    expect((await linking.redeem(input(code, "teacher-1", "ev-3"))).status).toBe("already-linked");
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
  });

  it("a guardian code interrupted after the grant keeps the second slot for the other parent", async () => {
    const code = demo.codes.guardians[0]!.code;
    const linking = linkingPort({ invites: failingOnce(createInviteRepo(db.models), "recordRedeemed"), clock });
    await expect(linking.redeem(input(code, "mum", "ev-m1"))).rejects.toThrow("connection reset");
    // The recovery job replays the same event: it finishes with the same slot.
    expect((await linking.redeem(input(code, "mum", "ev-m1"))).status).toBe("linked");
    expect((await createLinking(db.models, clock).redeem(input(code, "dad", "ev-d1"))).status).toBe("linked");
    expect((await createLinking(db.models, clock).redeem(input(code, "aunt", "ev-a1"))).status).toBe("invalid");
    const slots = await db.models.InviteRedemption.find({ code }).sort({ _id: 1 }).lean();
    expect(slots.map((s) => s.holder)).toEqual(["telegram:bot:mum", "telegram:bot:dad"]);
    expect(await db.models.GuardianLink.countDocuments({ studentId: (await db.models.InviteCode.findById(code).lean())!.grant.studentId })).toBe(2);
  });

  it(`${RACE_WIDTH} people racing for a two-slot code: two are linked, the others keep nothing`, async () => {
    const code = demo.codes.guardians[1]!.code;
    const results = await race(RACE_WIDTH, (i) => createLinking(db.models, clock).redeem(input(code, `two-${i}`, `ev-two-${i}`)));
    expect(results.filter(isRaceError)).toEqual([]);
    expect(results.filter((r) => !isRaceError(r) && r.status === "linked")).toHaveLength(2);
    expect(results.filter((r) => !isRaceError(r) && r.status === "invalid")).toHaveLength(RACE_WIDTH - 2);
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(2);
    expect(await db.models.ChannelIdentity.countDocuments({ externalUserId: /^two-/ })).toBe(2);
  });

  it(`${RACE_WIDTH} people racing for a one-slot board code: exactly one wins`, async () => {
    const code = demo.codes.boardHead.code;
    const results = await race(RACE_WIDTH, (i) => createLinking(db.models, clock).redeem(input(code, `one-${i}`, `ev-one-${i}`)));
    expectOneWinner(results, (r) => r.status === "linked");
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
    const people = await db.models.ChannelIdentity.find({ externalUserId: /^one-/ }).lean();
    expect(people).toHaveLength(1);
    expect(await db.models.BoardMembership.countDocuments({ identityId: people[0]!._id, position: "head" })).toBe(1);
  });

  it(`one person's ${RACE_WIDTH} concurrent tries of a two-slot code take one slot and link once`, async () => {
    const code = demo.codes.guardians[2]!.code;
    const results = await race(RACE_WIDTH, (i) => createLinking(db.models, clock).redeem(input(code, "double-tap", `ev-tap-${i}`)));
    expectOneWinner(results, (r) => r.status === "linked");
    expect(results.every((r) => !isRaceError(r) && r.status !== "invalid")).toBe(true);
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
    const identityId = (await createDirectory(db.models).resolve(addr("double-tap"))).identityId;
    expect(await db.models.GuardianLink.countDocuments({ identityId })).toBe(1);
    expect(await db.models.ConsentRecord.countDocuments({ identityId })).toBe(1);
  });
});
