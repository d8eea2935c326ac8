import { describe, it, expect } from "vitest";
import { createLinking, createPrivacy } from "../../src/features/linking/index.js";
import { createDirectory } from "../../src/store/directory.js";
import { seedDemo } from "../../src/features/school/demo.js";
import { createConversationStore } from "../../src/store/conversations.js";
import { createInbox } from "../../src/store/inbox.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { FakeClock } from "../support/fakes.js";
import type { Address } from "../../src/engine/messages.js";
import { race, expectOneWinner, isRaceError, RACE_WIDTH } from "../support/race.js";

const addr = (id: string): Address => ({ channel: "telegram", account: "bot", userId: id, chatId: id });

describe("linking against the real MongoDB-compatible server", () => {
  const config = testConfig("linking");
  const db = useDatabase(config);
  const clock = new FakeClock(new Date());

  const redeem = (code: string, who: string) =>
    createLinking(db.models, clock).redeem({ code, address: addr(who), locale: "vi", consentVersion: "v1", eventId: `e-${who}` });

  it("under concurrent attempts on a single-use code, exactly one person wins", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    const code = demo.codes.principal.code;
    const results = await race(RACE_WIDTH, (i) => redeem(code, `race-${i}`));
    expectOneWinner(results, (r) => r.status === "linked");
    expect(results.filter((r) => !isRaceError(r) && r.status === "invalid")).toHaveLength(RACE_WIDTH - 1);
    // The losers keep nothing: no identity without a link.
    expect(await db.models.ChannelIdentity.countDocuments({ externalUserId: /^race-/ })).toBe(1);
    expect(await db.models.StaffRole.countDocuments({ role: "principal" })).toBe(1);
  });

  it("a guardian code has two slots: two parents link, the third is refused", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    const code = demo.codes.guardians[2]!.code;
    const results = await Promise.all(["mom", "dad", "aunt"].map((w) => redeem(code, w)));
    expect(results.filter((r) => r.status === "linked")).toHaveLength(2);
    expect(await db.models.GuardianLink.countDocuments({ studentId: (await db.models.InviteCode.findById(code).lean())!.grant.studentId })).toBe(2);
  });

  it("the same person redeeming twice is told they are already linked, using no slot", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    const code = demo.codes.guardians[3]!.code;
    expect((await redeem(code, "twice")).status).toBe("linked");
    expect((await redeem(code, "twice")).status).toBe("already-linked");
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
  });

  it("an expired code is invalid, and reads the same as an unknown one", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    const linking = createLinking(db.models, new FakeClock(new Date(Date.now() + 40 * 86_400_000)));
    expect(await linking.check(demo.codes.guardians[4]!.code)).toEqual({ status: "invalid" });
    expect(await linking.check("0000000000000")).toEqual({ status: "invalid" });
  });

  it("a link gives the guardian their child's name and class in roles, and a consent record", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    await redeem(demo.codes.guardians[5]!.code, "roles");
    const person = await createDirectory(db.models).resolve(addr("roles"));
    expect(person.roles.guardianOf[0]).toMatchObject({ studentName: demo.codes.guardians[5]!.subject, className: demo.codes.guardians[5]!.className });
    expect(await db.models.ConsentRecord.countDocuments({ identityId: person.identityId })).toBe(1);
  });

  it("/xoadulieu deletes the person for real and keeps the used slot used", async () => {
    const demo = await seedDemo(db.models, { ttlDays: 30 });
    const code = demo.codes.guardians[6]!.code;
    await redeem(code, "forget-me");
    const person = await createDirectory(db.models).resolve(addr("forget-me"));
    await createConversationStore(db.models).put("telegram:bot:forget-me", { flowId: "x", flowVersion: 1, step: "s", data: { a: [[1]] }, updatedAt: new Date() });
    const result = await createPrivacy(db.models).forget(addr("forget-me"), "e-final");
    expect(result.deleted).toMatchObject({ identities: 1, guardianLinks: 1, consentRecords: 1, conversations: 1 });
    const id = person.identityId!;
    expect(await db.models.GuardianLink.countDocuments({ identityId: id })).toBe(0);
    expect(await db.models.ConsentRecord.countDocuments({ identityId: id })).toBe(0);
    expect(await db.models.StaffRole.countDocuments({ identityId: id })).toBe(0);
    expect(await db.models.BoardMembership.countDocuments({ identityId: id })).toBe(0);
    expect(await db.models.ChannelIdentity.countDocuments({ _id: id })).toBe(0);
    expect(await db.models.InviteRedemption.countDocuments({ identityId: id })).toBe(0);
    expect(await db.models.InviteRedemption.countDocuments({ code })).toBe(1);
    expect(await db.models.InviteRedemption.countDocuments({ holder: "telegram:bot:forget-me" })).toBe(0);
    expect(await createPrivacy(db.models).report(addr("forget-me"))).toBeUndefined();
  });

  it("conversation data with nested arrays round-trips (stored as JSON text)", async () => {
    const store = createConversationStore(db.models);
    await store.put("k1", { flowId: "f", flowVersion: 2, step: "s", data: { rows: [["a", "b"], ["c"]] }, updatedAt: new Date() });
    expect((await store.get("k1"))?.data).toEqual({ rows: [["a", "b"], ["c"]] });
  });

  it("the inbox records an event once; a redelivery is a duplicate; unhandled events are pending", async () => {
    const inbox = createInbox(db.models);
    const event = { id: "telegram:bot:77", address: addr("in"), at: new Date(), chatType: "private" as const, kind: "text" as const, text: "xin chào" };
    const results = await Promise.all([inbox.record(event), inbox.record(event), inbox.record(event)]);
    expect(results.filter((r) => r === "new")).toHaveLength(1);
    const pending = await inbox.pending(new Date(Date.now() + 1000), 10);
    expect(pending.map((e) => e.id)).toContain("telegram:bot:77");
    expect(pending.find((e) => e.id === "telegram:bot:77")?.at).toBeInstanceOf(Date);
    await inbox.complete("telegram:bot:77");
    expect((await inbox.pending(new Date(Date.now() + 1000), 10)).map((e) => e.id)).not.toContain("telegram:bot:77");
    // The text is not kept once handled.
    expect((await db.models.ProcessedEvent.findById("telegram:bot:77").lean())?.event).toBeNull();
  });
});
