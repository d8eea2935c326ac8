/**
 * One person across messengers (`/kenh`) against the real MongoDB-compatible server: pairing by
 * a one-time code (used once, decided once per identity, proven with concurrent attempts), the
 * grants the joined messenger gets, the messenger that gets the messages, and erasure.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { createChannels, createLinking, createPrivacy } from "../../src/features/linking/index.js";
import { normalizePairingCode } from "../../src/features/linking/channels.js";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { addressesOf, addressOf, householdsOf, otherAddressesOf } from "../../src/store/audience.js";
import { rolesOf } from "../../src/store/directory.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { FakeClock } from "../support/fakes.js";
import type { Address, ChannelName } from "../../src/engine/messages.js";
import { race, expectOneWinner, isRaceError, RACE_WIDTH } from "../support/race.js";

const tg = (id: string): Address => ({ channel: "telegram", account: "bot", userId: id, chatId: id });
const zl = (id: string): Address => ({ channel: "zalo-bot", account: "zbot", userId: id, chatId: id });

describe("one person across messengers", () => {
  const config = testConfig("people");
  const db = useDatabase(config);
  let demo: DemoSeed;
  const clock = new FakeClock(new Date("2026-12-01T03:00:00Z"));
  beforeAll(async () => {
    demo = await seedDemo(db.models, { ttlDays: 30 });
  });

  const channels = () => createChannels(db.models, clock);
  const link = (code: string, a: Address) =>
    createLinking(db.models, clock).redeem({ code, address: a, locale: "vi", consentVersion: "v1", eventId: `e-${a.userId}-${code}` });
  const pair = (code: string, a: Address) => channels().pair({ code, address: a, locale: "vi", consentVersion: "v1", eventId: `p-${a.userId}` });
  const identityOf = async (a: Address) => (await db.models.ChannelIdentity.findOne({ channel: a.channel, externalUserId: a.userId }).lean())?._id;
  const studentOf = async (code: string) => (await db.models.InviteCode.findById(code).lean())!.grant.studentId as string;

  it("pairs a new messenger by the code asked for on the linked one: consent, the same grants, and the messenger linked last gets the messages", async () => {
    const guardian = demo.codes.guardians[0]!;
    expect((await link(guardian.code, tg("lan"))).status).toBe("linked");
    expect(await channels().issueCode(zl("stranger"))).toBeUndefined();
    const issued = (await channels().issueCode(tg("lan")))!;
    expect(issued.code).toMatch(/^KN-[0-9A-Z]{6}$/);
    expect(normalizePairingCode(issued.code.toLowerCase().replace("-", " "))).toBe(issued.code);
    expect(await db.models.PairingCode.countDocuments({ _id: issued.code })).toBe(0); // only its hash is stored
    expect(await channels().check(issued.code, tg("lan"))).toBe("same-messenger");
    expect(await channels().check(issued.code, zl("lan-z"))).toBe("ok");

    expect(await pair(issued.code, zl("lan-z"))).toEqual({ status: "paired", channels: ["telegram", "zalo-bot"] });
    const [a, b] = [(await identityOf(tg("lan")))!, (await identityOf(zl("lan-z")))!];
    expect(await db.models.ConsentRecord.countDocuments({ identityId: b })).toBe(1);
    const names = async (id: string) => (await rolesOf(db.models, id)).guardianOf.map((g) => g.studentName);
    expect(await names(b)).toEqual(await names(a));
    expect(await names(b)).toHaveLength(1);
    expect((await pair(issued.code, zl("lan-z"))).status).toBe("already-paired");
    expect((await pair(issued.code, zl("someone-else"))).status).toBe("invalid");

    const status = await channels().status(zl("lan-z"));
    expect(status).toMatchObject({ status: "ok", channels: [
      { channel: "telegram", current: false, preferred: false, reachable: true },
      { channel: "zalo-bot", current: true, preferred: true, reachable: true },
    ] });
    // One address per person: the Zalo one (linked last), whichever of the two identities asks.
    const studentId = await studentOf(guardian.code);
    const [household] = await householdsOf(db.models, [studentId]);
    expect(household!.guardians).toEqual([{ identityId: b, address: zl("lan-z") }]);
    expect(await addressOf(db.models, a)).toEqual(zl("lan-z"));
    expect((await addressesOf(db.models, [a, b])).map((x) => x.identityId)).toEqual([b]);
    expect(await otherAddressesOf(db.models, b)).toEqual([tg("lan")]);

    // The person chooses Telegram; a choice of an identity that is not theirs is refused.
    expect(await channels().choose(zl("lan-z"), a)).toBe(true);
    expect(await channels().choose(tg("stranger"), a)).toBe(false);
    expect((await householdsOf(db.models, [studentId]))[0]!.guardians).toEqual([{ identityId: a, address: tg("lan") }]);
    // Telegram blocked: the other reachable messenger gets them.
    await db.models.ChannelIdentity.updateOne({ _id: a }, { $set: { reachable: false } });
    expect((await householdsOf(db.models, [studentId]))[0]!.guardians).toEqual([{ identityId: b, address: zl("lan-z") }]);
    expect(await otherAddressesOf(db.models, b)).toEqual([]);
    await db.models.ChannelIdentity.updateOne({ _id: a }, { $set: { reachable: true } });

    // A second child linked later on Zalo reaches the Telegram identity too.
    const second = demo.codes.guardians[1]!;
    expect((await link(second.code, zl("lan-z"))).status).toBe("linked");
    expect((await rolesOf(db.models, a)).guardianOf).toHaveLength(2);
    expect((await rolesOf(db.models, b)).guardianOf).toHaveLength(2);
  });

  it("a code expires after 15 minutes and an unknown one reads the same", async () => {
    await link(demo.codes.guardians[2]!.code, tg("hoa"));
    const issued = (await channels().issueCode(tg("hoa")))!;
    const later = createChannels(db.models, new FakeClock(new Date(clock.now().getTime() + 15 * 60_000 + 1)));
    expect(await later.check(issued.code, zl("hoa-z"))).toBe("invalid");
    expect((await later.pair({ code: issued.code, address: zl("hoa-z"), locale: "vi", consentVersion: "v1", eventId: "x" })).status).toBe("invalid");
    expect(await identityOf(zl("hoa-z"))).toBeUndefined(); // nothing kept for a pairing that did not happen
    expect(await channels().check("KN-000000", zl("hoa-z"))).toBe("invalid");
  });

  it(`under ${RACE_WIDTH} concurrent redemptions of one code, exactly one messenger pairs and the others keep nothing`, async () => {
    await link(demo.codes.guardians[3]!.code, tg("race-owner"));
    const issued = (await channels().issueCode(tg("race-owner")))!;
    const results = await race(RACE_WIDTH, (i) => pair(issued.code, zl(`race-${i}`)));
    expectOneWinner(results, (r) => r.status === "paired");
    expect(results.filter((r) => !isRaceError(r) && r.status === "invalid")).toHaveLength(RACE_WIDTH - 1);
    expect(await db.models.ChannelIdentity.countDocuments({ externalUserId: /^race-\d/ })).toBe(1);
    const owner = (await identityOf(tg("race-owner")))!;
    expect(await db.models.PersonLink.countDocuments({ personId: owner })).toBe(2);
  });

  it(`one messenger redeeming ${RACE_WIDTH} codes of different people at once joins exactly one of them`, async () => {
    const codes: string[] = [];
    for (let i = 0; i < RACE_WIDTH; i++) {
      const who = tg(`owner-${i}`);
      await db.models.ChannelIdentity.create({ channel: who.channel, account: who.account, externalUserId: who.userId, chatId: who.chatId });
      codes.push((await channels().issueCode(who))!.code);
    }
    const b = zl("contested");
    await db.models.ChannelIdentity.create({ channel: b.channel, account: b.account, externalUserId: b.userId, chatId: b.chatId });
    const results = await race(RACE_WIDTH, (i) => pair(codes[i]!, b));
    expectOneWinner(results, (r) => r.status === "paired");
    expect(await db.models.PersonLink.countDocuments({ _id: (await identityOf(b))! })).toBe(1);
    expect(results.filter((r) => !isRaceError(r) && r.status !== "paired").every((r) => !isRaceError(r) && r.status === "paired-elsewhere")).toBe(true);
  });

  it(`${RACE_WIDTH} concurrent choices of the messenger leave one current choice, one fact per version`, async () => {
    const person = (await identityOf(tg("lan")))!;
    const zalo = (await identityOf(zl("lan-z")))!;
    const results = await race(RACE_WIDTH, (i) => channels().choose(i % 2 ? zl("lan-z") : tg("lan"), i % 2 ? person : zalo));
    expect(results.every((r) => r === true)).toBe(true);
    const facts = await db.models.Transition.find({ entity: /^channel-pref:/ }).lean();
    expect(new Set(facts.map((f) => f._id)).size).toBe(facts.length);
    const status = await channels().status(tg("lan"));
    expect(status.status === "ok" && status.channels.filter((c) => c.preferred)).toHaveLength(1);
  });

  it("/quyenriengtu lists the paired messengers; /xoadulieu on one erases its pairing and says the other stays", async () => {
    const privacy = createPrivacy(db.models);
    expect((await privacy.report(tg("lan")))!.pairedChannels).toEqual(["telegram", "zalo-bot"]);
    const zalo = (await identityOf(zl("lan-z")))!;
    const result = await privacy.forget(zl("lan-z"), "forget-1");
    expect(result.otherChannels).toEqual(["telegram" satisfies ChannelName]);
    expect(result.deleted.personLinks).toBe(1);
    expect(await db.models.PersonLink.countDocuments({ _id: zalo })).toBe(0);
    // A person of one messenger again: Telegram gets everything, unpaired.
    expect((await privacy.report(tg("lan")))!.pairedChannels).toEqual([]);
    expect(await db.models.Transition.countDocuments({ entity: /^channel-pref:/, data: new RegExp(zalo) })).toBe(0);
    expect(await db.models.PairingCode.countDocuments({ identityId: zalo })).toBe(0);
    const studentId = await studentOf(demo.codes.guardians[0]!.code);
    expect((await householdsOf(db.models, [studentId]))[0]!.guardians.map((g) => g.address)).toEqual([tg("lan")]);
  });

  it("unpairing keeps the messenger's own links: it is a messenger of its own again", async () => {
    const issued = (await channels().issueCode(tg("hoa")))!;
    expect((await pair(issued.code, zl("hoa-z2"))).status).toBe("paired");
    expect(await channels().unpair(zl("hoa-z2"))).toBe("unpaired");
    expect(await channels().unpair(zl("hoa-z2"))).toBe("not-paired");
    const studentId = await studentOf(demo.codes.guardians[2]!.code);
    expect((await householdsOf(db.models, [studentId]))[0]!.guardians.map((g) => g.address.channel).sort()).toEqual(["telegram", "zalo-bot"]);
  });

  it("erasing the messenger a person of three was named after leaves the other two paired, and nothing names it", async () => {
    await link(demo.codes.guardians[4]!.code, tg("three-a"));
    expect((await pair((await channels().issueCode(tg("three-a")))!.code, zl("three-b"))).status).toBe("paired");
    const c: Address = { channel: "zalo-oa", account: "oa", userId: "three-c", chatId: "three-c" };
    expect((await pair((await channels().issueCode(zl("three-b")))!.code, c)).status).toBe("paired");
    const a = (await identityOf(tg("three-a")))!;
    expect(await db.models.PersonLink.countDocuments({ personId: a })).toBe(3);
    await channels().issueCode(zl("three-b")); // an unused code of the person
    await createPrivacy(db.models).forget(tg("three-a"), "forget-three");
    const [b, cId] = [(await identityOf(zl("three-b")))!, (await identityOf(c))!];
    const links = await db.models.PersonLink.find({ _id: { $in: [b, cId] } }).lean();
    expect(links).toHaveLength(2);
    expect(new Set(links.map((l) => l.personId)).size).toBe(1);
    expect(links[0]!.personId).not.toBe(a);
    expect(await db.models.PersonLink.countDocuments({ personId: a })).toBe(0);
    expect(await db.models.PairingCode.countDocuments({ $or: [{ personId: a }, { identityId: a }] })).toBe(0);
    const studentId = await studentOf(demo.codes.guardians[4]!.code);
    expect((await householdsOf(db.models, [studentId]))[0]!.guardians).toHaveLength(1);
  });
});
