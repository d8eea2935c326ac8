/**
 * On the school's Zalo OA, a guardian types the number or the words of a real OA button
 * (`oa.query.hide`, shown without numbers) instead of tapping it, as on Telegram: through the
 * real app, the outbox and the fake OA server. A message without buttons in between leaves the
 * buttons typable; a number a step is waiting for stays that step's answer.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startOaApp, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";

describe("the Zalo OA: a number or a label typed under real OA buttons presses them", () => {
  let t: OaTestApp;
  let demo: DemoSeed;
  let actor: Parameters<OaTestApp["app"]["services"]["broadcast"]["create"]>[0];
  const lan = "8123456789012340001";
  const teacherId = "8123456789012340999";
  const textsTo = (user: string, since: number) => t.fake.sent.slice(since).filter((x) => x.to === user).map((x) => String(x.message?.text ?? ""));
  const received = (user: string, pattern: RegExp, since: number) =>
    eventually(() => textsTo(user, since).some((x) => pattern.test(x)), { timeoutMs: 15_000, message: `no ${pattern} to ${user}` });
  /** The titles of the real OA buttons of the last message to `user` that had some. */
  const lastButtons = (user: string) => {
    for (let i = t.fake.sent.length - 1; i >= 0; i--) {
      const s = t.fake.sent[i]!;
      const buttons = (s.message?.attachment as { payload?: { buttons?: { title: string }[] } } | undefined)?.payload?.buttons;
      if (s.to === user && buttons?.length) return buttons.map((b) => b.title);
    }
    return [];
  };
  const confirmations = () => t.app.db.conn.collection("notice_confirmations").countDocuments({});

  beforeAll(async () => {
    t = await startOaApp("oa-typed");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
    for (const [user, code] of [[lan, demo.codes.guardians.find((c) => c.className === "6A1")!.code], [teacherId, demo.codes.homeroomTeacher.code]] as const) {
      await t.deliver(t.fake.userEvent(user, "follow"));
      await t.say(user, `LK ${code}`);
      await t.say(user, t.button(user, /đồng ý/i));
    }
    const resolved = await t.app.services.directory.resolve({ channel: "zalo-oa", account: t.fake.oaId, userId: teacherId, chatId: teacherId });
    actor = { identityId: resolved.identityId!, roles: resolved.roles };
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  const notice = async (text: string, kind: "ack" | "info", key: string) => {
    t.advance(60_000); // a minute after the buttons shown before (a batch never overwrites newer ones)
    const since = t.fake.sent.length;
    const created = await t.app.services.broadcast.create(actor, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: actor.roles.staff[0]!.classGroupId }, kind, text,
      ...(kind === "ack" ? { deadline: new Date(t.fake.now + 48 * 3_600_000) } : {}), urgent: false,
    }, key);
    expect(created.status).toBe("sent");
    await received(lan, new RegExp(text.slice(-20)), since);
    await t.app.flushKeyboards();
  };

  it("«1» under a notice's real «Đã xem» button confirms it once, also after a notice without buttons; typed again, nothing more is recorded", async () => {
    await notice("Kính gửi Quý phụ huynh: thứ Sáu lớp nghỉ học.", "ack", "oa-typed-ack-1");
    expect(lastButtons(lan)).toEqual(["✅ Đã xem"]); // real buttons, no numbers shown
    // A notice without buttons, sent through the outbox, does not forget them.
    await notice("Kính gửi Quý phụ huynh: lịch thi học kỳ đã có trên bảng tin.", "info", "oa-typed-info-1");
    expect(await t.say(lan, "1")).toMatch(/xác nhận|cảm ơn/i);
    expect(await confirmations()).toBe(1);
    await t.say(lan, "1");
    expect(await confirmations()).toBe(1);
  });

  it("«tham dự ạ» under a meeting invitation's real buttons answers it, also after a reply without buttons", async () => {
    t.advance(60_000);
    const since = t.fake.sent.length;
    const created = await t.app.services.meetings.create(actor, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: actor.roles.staff[0]!.classGroupId }, kind: "other",
      startsAt: new Date(t.fake.now + 5 * 86_400_000), place: "Phòng 6A1", agenda: "Kết quả giữa kỳ",
    }, "oa-typed-meeting-1");
    expect(created.status).toBe("published");
    await received(lan, /Phòng 6A1/, since);
    await t.app.flushKeyboards();
    expect(lastButtons(lan)).toContain("Tham dự");
    // A reply the channel sends without buttons leaves the invitation's buttons as they are.
    await t.app.zaloOa!.channel.sender.send({ channel: "zalo-oa", account: t.fake.oaId, userId: lan, chatId: lan }, { kind: "text", text: "Nhà trường xin cảm ơn Quý phụ huynh." });
    expect(await t.say(lan, "tham du a")).toMatch(/đã ghi nhận/);
    const answers = await t.app.db.conn.collection("meeting_rsvps").find({}).toArray();
    expect(answers.map((a) => a.answer)).toEqual(["yes"]);
  });

  it("a number the open step is waiting for stays its answer under a ballot's real buttons", async () => {
    // Lan is writing a concern when a ballot arrives: her "1" is the concern's text (too short), not a vote.
    let reply = await t.say(lan, "phananh");
    if (/về con nào/.test(reply)) reply = await t.say(lan, t.button(lan, /Nguyễn|Trần|Lê|Phạm/));
    expect(await t.say(lan, t.button(lan, /^Học tập$/))).toMatch(/viết nội dung phản ánh/);
    t.advance(60_000);
    const since = t.fake.sent.length;
    for (const answer of ["bieuquyet", "Tạo biểu quyết mới", "Chọn màu áo lớp?", "Xanh\nĐỏ", "1", "1", "20/10 17h"]) await t.say(teacherId, answer);
    expect(await t.say(teacherId, "gui")).toMatch(/hộ gia đình/);
    await received(lan, /Chọn màu áo lớp\?/, since);
    await t.app.flushKeyboards();
    expect(lastButtons(lan)).toEqual(["1. Xanh", "2. Đỏ"]); // real buttons (the options carry their numbers, as on Telegram)
    expect(await t.say(lan, "1")).toMatch(/hơi ngắn/);
    await t.say(lan, "huy");
    // The step is over; the ballot, shown again with /bieuquyet, takes the typed number.
    await t.say(lan, "bieuquyet");
    expect(await t.say(lan, "2")).toMatch(/đã ghi nhận lựa chọn .*Đỏ/);
    expect(await t.app.db.conn.collection("poll_votes").countDocuments({})).toBe(1);
  });
});
