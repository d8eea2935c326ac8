import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { seedDemo, type DemoSeed } from "../../src/features/school/demo.js";
import { startOaApp, connectOa, type OaTestApp } from "../support/oa-harness.js";
import { eventually } from "../support/eventually.js";

describe("the school's Zalo OA: webhook, OAuth and a guardian linking", () => {
  let t: OaTestApp;
  let demo: DemoSeed;
  // OA user ids exceed 2^53: they must survive as the exact digits.
  const lan = "8123456789012345678";
  beforeAll(async () => {
    t = await startOaApp("oa-webhook");
    demo = await seedDemo(t.app.db.models, { ttlDays: 30 });
  }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("stored the first token pair from the OAuth callback (PKCE verifier and state checked), sealed at rest", async () => {
    expect(t.fake.tokenCalls).toEqual([{ grant: "authorization_code", ok: true }]);
    const status = await t.app.zaloOa!.tokens.status(t.fake.oaId);
    expect(status.state).toBe("connected");
    const stored = await t.app.db.conn.collection("zalo_oa_tokens").findOne({});
    expect(JSON.stringify(stored)).not.toMatch(/"at-|"rt-/);
  });

  it("refuses a callback whose state is unknown or already used", async () => {
    const bad = await fetch(`${t.app.url}/zalo-oa/oauth/callback?code=x&state=not-issued&oa_id=${t.fake.oaId}`);
    expect(bad.status).toBe(400);
    await bad.text();
    const used = (await t.app.db.conn.collection<{ _id: string }>("zalo_oa_connection_uses").findOne({}))!._id;
    const again = await fetch(`${t.app.url}/zalo-oa/oauth/callback?code=x&state=${encodeURIComponent(used)}&oa_id=${t.fake.oaId}`);
    expect(again.status).toBe(409);
    await again.text();
    expect(t.fake.tokenCalls).toHaveLength(1);
  });

  it("answers Zalo's unsigned {} probe 200 and a bad signature 401 without processing it", async () => {
    expect(await t.fake.probe(t.webhookUrl)).toBe(200);
    const event = t.fake.userEvent(lan, "user_send_text", { text: "trogiup" });
    expect(await t.fake.deliver(t.webhookUrl, event, { signature: `mac=${"0".repeat(64)}` })).toBe(401);
    expect(await t.fake.deliver(t.webhookUrl, event, { signature: false })).toBe(401);
    expect(await t.app.db.models.ProcessedEvent.countDocuments({})).toBe(0);
  });

  it("links with 'LK <code>', consents with an OA button, and a redelivered event is handled once", async () => {
    expect(await t.deliver(t.fake.userEvent(lan, "follow"))).toBe(200);
    const code = demo.codes.guardians[0]!;
    const found = await t.say(lan, `LK ${code.code}`);
    expect(found, JSON.stringify(t.fake.sent.slice(-3))).toContain(code.subject);
    const agree = t.button(lan, /đồng ý/i);
    expect(agree).toMatch(/^#/); // an oa.query.hide button
    const event = t.fake.userEvent(lan, "user_send_text", { text: agree });
    const before = t.fake.sent.length;
    expect(await t.deliver(event)).toBe(200);
    expect(await t.fake.deliver(t.webhookUrl, event)).toBe(200); // Zalo's retry of the same msg_id
    await eventually(async () => (await t.app.db.models.ChannelIdentity.countDocuments({ channel: "zalo-oa", externalUserId: lan })) === 1);
    const replies = t.fake.sent.slice(before).filter((s) => s.to === lan);
    expect(replies.map((s) => String(s.message?.text)).join("\n")).toContain("liên kết thành công");
    expect(replies.filter((s) => String(s.message?.text).includes("liên kết thành công"))).toHaveLength(1);
    const identity = (await t.app.db.models.ChannelIdentity.findOne({ channel: "zalo-oa", externalUserId: lan }).lean())!;
    expect(identity).toMatchObject({ account: t.fake.oaId, chatId: lan, reachable: true });
  });

  it("a teacher on the OA sends a notice: the guardian gets it free with an 'Đã xem' button, confirms, and the report counts the OA route", async () => {
    const teacherId = "8123456789012345999";
    await t.deliver(t.fake.userEvent(teacherId, "follow"));
    await t.say(teacherId, `LK ${demo.codes.homeroomTeacher.code}`);
    await t.say(teacherId, t.button(teacherId, /đồng ý/i));
    const teacherIdentity = (await t.app.db.models.ChannelIdentity.findOne({ channel: "zalo-oa", externalUserId: teacherId }).lean())!;
    const actor = await t.app.services.directory.resolve({ channel: "zalo-oa", account: t.fake.oaId, userId: teacherId, chatId: teacherId });
    expect(actor.identityId).toBe(teacherIdentity._id);
    const classId = actor.roles.staff[0]!.classGroupId;
    const before = t.fake.sent.length;
    const created = await t.app.services.broadcast.create({ identityId: actor.identityId!, roles: actor.roles }, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: classId }, kind: "ack", text: "Kính gửi Quý phụ huynh: lớp nghỉ học thứ Sáu.",
      deadline: new Date(t.fake.now + 48 * 3_600_000), urgent: false,
    }, "oa-notice-1");
    expect(created.status).toBe("sent");
    await eventually(() => t.fake.sent.slice(before).some((s) => s.to === lan && String(s.message?.text).includes("nghỉ học thứ Sáu")), { timeoutMs: 15_000 });
    const seen = t.button(lan, /Đã xem/i);
    expect(await t.say(lan, seen)).toMatch(/xác nhận|cảm ơn/i);
    if (created.status !== "sent") throw new Error("not sent");
    const noticeId = created.notice.id;
    const report = (await t.app.services.broadcast.report({ identityId: actor.identityId!, roles: actor.roles }, noticeId))!;
    expect(report.counts.confirmed).toBe(1);
    expect(report.counts.oa.free).toBeGreaterThanOrEqual(1);
    expect(report.counts.oa.paid).toBe(0);
  });

  it("a meeting invitation on the OA: the guardian answers with the RSVP button and the answer is recorded", async () => {
    const teacherId = "8123456789012345999";
    const actor = await t.app.services.directory.resolve({ channel: "zalo-oa", account: t.fake.oaId, userId: teacherId, chatId: teacherId });
    const before = t.fake.sent.length;
    const created = await t.app.services.meetings.create({ identityId: actor.identityId!, roles: actor.roles }, {
      schoolId: demo.schoolId, scope: { kind: "class", classGroupId: actor.roles.staff[0]!.classGroupId }, kind: "other",
      startsAt: new Date(t.fake.now + 5 * 86_400_000), place: "Phòng 6A1", agenda: "Kết quả giữa kỳ",
    }, "oa-meeting-1");
    expect(created.status).toBe("published");
    await eventually(() => t.fake.sent.slice(before).some((x) => x.to === lan && String(x.message?.text).includes("Phòng 6A1")), { timeoutMs: 15_000 });
    expect(await t.say(lan, t.button(lan, /^Tham dự$/))).toMatch(/đã ghi nhận/);
  });

  it("a concern on the OA: the guardian raises it with OA buttons, the teacher (also on the OA) answers, the guardian gets the reply", async () => {
    const teacherId = "8123456789012345999";
    const textsTo = (user: string) => t.fake.sent.filter((x) => x.to === user).map((x) => String(x.message?.text ?? ""));
    let reply = await t.say(lan, "phananh");
    if (/về con nào/.test(reply)) reply = await t.say(lan, t.button(lan, /Nguyễn|Trần|Lê|Phạm/));
    expect(reply).toMatch(/chọn loại phản ánh/);
    expect(await t.say(lan, t.button(lan, /^Học tập$/))).toMatch(/viết nội dung phản ánh/);
    const concernText = "Con về kể bị trừ điểm kiểm tra 15 phút môn Toán mà không rõ lý do ạ.";
    expect(await t.say(lan, concernText)).toMatch(/xem lại/);
    expect(await t.say(lan, t.button(lan, /^Gửi$/))).toMatch(/đã gửi phản ánh PA-/);
    await eventually(() => textsTo(teacherId).some((x) => x.includes(concernText)), { timeoutMs: 15_000 });
    expect(await t.say(teacherId, t.button(teacherId, /^Trả lời$/))).toMatch(/nhập tin nhắn cho phản ánh PA-/);
    expect(await t.say(teacherId, "Cô đã xem lại bài, con làm sai câu 3 ạ.")).toMatch(/đã chuyển tin nhắn/);
    await eventually(() => textsTo(lan).some((x) => /trả lời phản ánh PA-/.test(x) && x.includes("con làm sai câu 3")), { timeoutMs: 15_000 });
  });

  it("marks the guardian unreachable on unfollow and reachable again on follow", async () => {
    await t.deliver(t.fake.userEvent(lan, "unfollow"));
    await eventually(async () => (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: lan }).lean())?.reachable === false);
    await t.deliver(t.fake.userEvent(lan, "follow"));
    await eventually(async () => (await t.app.db.models.ChannelIdentity.findOne({ externalUserId: lan }).lean())?.reachable === true);
  });

  it("refuses a callback that names another OA, and a reconnection stores a newer generation", async () => {
    const { startOaConnection } = await import("../../src/app/zalo-oa.js");
    const { url } = await startOaConnection(t.app.zaloOa!, `${t.app.url}/zalo-oa/oauth/callback`, t.app.services.clock.now());
    const link = new URL(url);
    const code = t.fake.authorize(link.searchParams.get("code_challenge")!);
    const res = await fetch(`${t.app.url}/zalo-oa/oauth/callback?code=${code}&oa_id=1111&state=${encodeURIComponent(link.searchParams.get("state")!)}`);
    expect(res.status).toBe(400);
    await res.text();
    expect(await connectOa(t.app, t.fake)).toBe(200);
    expect(await t.app.db.conn.collection("zalo_oa_tokens").countDocuments({})).toBe(2);
  });

  it("the CLI: 'zalo-oa connect' prints the permission link (PKCE challenge, state), the callback connects; 'zalo-oa status' shows expiry, usage and the last webhook", async () => {
    const { runCli } = await import("../../src/app/cli.js");
    const lines: string[] = [];
    const redirect = `${t.app.url}/zalo-oa/oauth/callback`;
    expect(await runCli(["zalo-oa", "connect", "--redirect", redirect], t.app.config, t.app.db, (l) => lines.push(l))).toBe(0);
    const link = new URL(lines.find((l) => l.startsWith(t.fake.url))!);
    expect(link.pathname).toBe("/v4/oa/permission");
    expect(link.searchParams.get("redirect_uri")).toBe(redirect);
    expect(link.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const code = t.fake.authorize(link.searchParams.get("code_challenge")!);
    const res = await fetch(`${redirect}?code=${code}&oa_id=${t.fake.oaId}&state=${encodeURIComponent(link.searchParams.get("state")!)}`);
    expect(res.status).toBe(200);
    await res.text();
    const out: string[] = [];
    expect(await runCli(["zalo-oa", "status"], t.app.config, t.app.db, (l) => out.push(l))).toBe(0);
    const status = JSON.parse(out.join("\n")) as { token: { state: string; accessExpiresAt: string }; lastWebhookAt: string; quota: { free: number; paid: number } };
    expect(status.token.state).toBe("connected");
    expect(new Date(status.token.accessExpiresAt).getTime()).toBe(t.fake.now + 25 * 3_600_000);
    expect(status.lastWebhookAt).not.toBeNull();
    expect(status.quota.free).toBeGreaterThanOrEqual(1);
    expect(status.quota.paid).toBe(0);
  });
});
