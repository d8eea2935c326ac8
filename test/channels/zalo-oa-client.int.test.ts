import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { openDatabase, ensureCollections, type Database } from "../../src/store/mongo.js";
import { createZaloOaTokenRepository, zaloOaTokenModels } from "../../src/store/zalo-oa-tokens.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createRedisLock } from "../../src/jobs/redis-lock.js";
import { ZaloOaClient } from "../../src/channels/zalo-oa/client.js";
import { createTokenCipher } from "../../src/channels/zalo-oa/token-cipher.js";
import { OaTokens } from "../../src/channels/zalo-oa/tokens.js";
import { ZaloOaError } from "../../src/channels/zalo-oa/errors.js";
import { renderOa } from "../../src/channels/zalo-oa/render-outbound.js";
import { verifyOaWebhook, type OaWebhookVerdict } from "../../src/channels/zalo-oa/webhook.js";
import { parseOaEvent } from "../../src/channels/zalo-oa/parse-event.js";
import { decideOaRoute } from "../../src/domain/zalo-oa-route.js";
import { FakeZaloOa } from "../support/fake-zalo-oa.js";
import { uniqueName } from "../support/test-config.js";

const HOUR = 3_600_000;
const USER = "8437291047362518273";

describe("Zalo OA client against the fake OA", () => {
  let db: Database;
  let redis: Redis;
  let fake: FakeZaloOa;
  let client: ZaloOaClient;
  let tokens: OaTokens;
  let oaId: string;

  beforeAll(async () => {
    db = await openDatabase(process.env.MONGODB_URI!, uniqueName("zalo-oa-client"));
    await ensureCollections(Object.values(zaloOaTokenModels(db.conn)));
    redis = await connectRedis(process.env.REDIS_URL!);
  });
  afterAll(async () => {
    redis.disconnect();
    await db.conn.dropDatabase();
    await db.close();
  });
  beforeEach(async () => {
    fake = await FakeZaloOa.start();
    client = new ZaloOaClient({ apiRoot: fake.url, oauthRoot: fake.url, businessRoot: fake.url, appId: fake.appId, appSecret: fake.appSecret });
    tokens = new OaTokens({
      store: createZaloOaTokenRepository(db.conn), lock: createRedisLock(redis, { prefix: uniqueName("oa") }),
      cipher: createTokenCipher(Buffer.alloc(32, 3)), refresher: client, now: () => new Date(fake.now),
    });
    oaId = uniqueName("oa");
    await tokens.connect(oaId, fake.issueTokens());
  });
  afterEach(() => fake.close());

  const send = (text: string, userId = USER) => {
    const [message] = renderOa({ kind: "text", text, buttons: [[{ label: "Đã xem", payload: "seen-n7" }]] }, { buttons: "oa-query" }).messages;
    return tokens.withAccessToken(oaId, (t) => client.sendConsultation(t, userId, message!));
  };
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as ZaloOaError);

  it("sends a consultation message with OA buttons within 48 h (free), and at 49 h it is billed", async () => {
    fake.follow(USER);
    fake.interact(USER, 47 * HOUR);
    const sent = await send("Kính gửi Quý phụ huynh, lịch họp đã có.");
    expect(sent.messageId).toMatch(/^[0-9a-f]+$/);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ endpoint: "message/cs", to: USER, cost: "free" });
    expect((fake.sent[0]!.message as { attachment: { payload: { buttons: unknown[] } } }).attachment.payload.buttons).toEqual([{ title: "Đã xem", type: "oa.query.hide", payload: "#seen-n7" }]);
    fake.advance(2 * HOUR);
    await send("Nhắc lịch họp.");
    expect(fake.sent[1]).toMatchObject({ cost: "paid" });
  });

  it("classifies the window errors (inside HTTP 200) so the route ladder moves on", async () => {
    fake.follow(USER);
    fake.interact(USER, 8 * 24 * HOUR);
    const after8d = await failure(send("x"));
    expect(after8d).toBeInstanceOf(ZaloOaError);
    expect(after8d).toMatchObject({ code: -230, klass: "window", httpStatus: 200 });
    fake.unfollow(USER);
    expect(await failure(send("x"))).toMatchObject({ code: -213, klass: "window" });
    expect(await failure(send("x", "5550001"))).toMatchObject({ code: -213 });
    const route = decideOaRoute({
      now: new Date(fake.now), lastInteractionAt: new Date(fake.now - HOUR), follower: true, oaUserId: USER, phoneShared: false, messageKind: "notice",
      school: { paidSendsEnabled: false, templates: { notice: "tpl" } }, otherChannels: [], failures: [{ route: "consultation", klass: after8d!.klass, reopens: after8d!.reopens! }],
    });
    expect(route).toMatchObject({ route: "template", by: "user-id" });
    expect(fake.sent).toHaveLength(0);
  });

  it("when the access token expires mid-broadcast, refreshes once and each message goes out once", async () => {
    const users = ["u1", "u2", "u3", "u4", "u5"];
    for (const u of users) fake.follow(u);
    await send("first", "u1");
    fake.expireAccessTokens(); // Zalo dropped the token before its stated expiry
    await Promise.all(users.map((u) => send(`Thông báo cho ${u}`, u)));
    expect(fake.refreshCalls()).toBe(1);
    expect(fake.sent.map((s) => s.to).sort()).toEqual(["u1", ...users].sort());
  });

  it("sends ZBS templates by user id and by phone (normalised, with a tracking id), and classifies their errors", async () => {
    fake.addTemplate({ id: "tpl-meeting", params: [{ name: "student_name", maxLength: 30 }, { name: "date", maxLength: 10 }] });
    fake.registerPhone("84912345678");
    const data = { student_name: "Nguyễn Bảo An", date: "20/10/2026" };
    const byUid = await tokens.withAccessToken(oaId, (t) => client.sendTemplateToUser(t, USER, { templateId: "tpl-meeting", data }));
    expect(byUid.messageId).not.toBe("");
    const byPhone = await tokens.withAccessToken(oaId, (t) => client.sendTemplateToPhone(t, "0912 345 678", { templateId: "tpl-meeting", data, trackingId: "m42-g7" }));
    expect(byPhone.quota).toEqual({ remain: 498, total: 500 });
    expect(fake.sent.map((s) => [s.endpoint, s.to, s.trackingId])).toEqual([["template-uid", USER, undefined], ["template-phone", "84912345678", "m42-g7"]]);

    const tpl = (templateId: string, phone = "84912345678") => failure(tokens.withAccessToken(oaId, (t) => client.sendTemplateToPhone(t, phone, { templateId, data, trackingId: "t" })));
    expect(await tpl("tpl-unknown")).toMatchObject({ code: -146, klass: "config" });
    expect(await tpl("tpl-meeting", "84900000000")).toMatchObject({ code: -118, klass: "window" });
    fake.dailyTemplateQuota = 2;
    expect(await tpl("tpl-meeting")).toMatchObject({ code: -144, klass: "quota", reopens: "tomorrow" });
    fake.dailyTemplateQuota = Infinity;
    fake.templateNightBan = true;
    fake.now = Date.UTC(2026, 9, 5, 16, 30); // 23:30 in Hà Nội
    expect(await tpl("tpl-meeting")).toMatchObject({ code: -133, klass: "window", reopens: "morning" });
  });

  it("refreshes once on the ZBS auth error (-124) and retries the template send", async () => {
    fake.addTemplate({ id: "tpl", params: [] });
    fake.registerPhone("84912345678");
    fake.expireAccessTokens();
    await tokens.withAccessToken(oaId, (t) => client.sendTemplateToPhone(t, "84912345678", { templateId: "tpl", data: {}, trackingId: "x" }));
    expect(fake.refreshCalls()).toBe(1);
    expect(fake.sent).toHaveLength(1);
  });

  describe("webhook delivery signed with the real formula", () => {
    let server: Server;
    let url: string;
    const verdicts: OaWebhookVerdict[] = [];
    beforeEach(async () => {
      verdicts.length = 0;
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const v = verifyOaWebhook(Buffer.concat(chunks).toString("utf8"), req.headers["x-zevent-signature"] as string | undefined,
            { appId: fake.appId, oaSecret: fake.oaSecret, formulas: ["app-id+oa-secret"] });
          verdicts.push(v);
          res.writeHead(v.status).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zalo-oa/webhook`;
    });
    afterEach(() => new Promise<void>((r) => server.close(() => r())));

    it("accepts signed events, answers the unsigned probe, refuses a wrong signature", async () => {
      expect(await fake.probe(url)).toBe(200);
      const event = fake.userEvent(USER, "user_send_text", { text: "#rsvp-m42-y" });
      expect(await fake.deliver(url, event)).toBe(200);
      expect(await fake.deliver(url, event, { signature: fake.sign(JSON.stringify(event), String(event.timestamp), "wrong-secret") })).toBe(401);
      expect(await fake.deliver(url, event, { signature: false })).toBe(401);
      expect(verdicts.map((v) => v.kind)).toEqual(["probe", "event", "bad-signature", "bad-signature"]);
      const parsed = parseOaEvent((verdicts[1] as { payload: unknown }).payload, { commandWords: new Set() });
      expect(parsed).toMatchObject({ kind: "button", payload: "rsvp-m42-y", address: { account: fake.oaId, userId: USER } });
    });
  });
});
