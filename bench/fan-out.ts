/**
 * Fan-out: one notice from the principal to N guardians through the real notice service and the
 * real outbox (real Redis, MongoDB/FerretDB, BullMQ worker, grammY bulk sender) against the fake
 * Bot API (test/support/fake-telegram.ts), unlimited or enforcing Telegram's limits (30 msg/s
 * overall, 1 msg/s per chat, real 429 + retry_after). The worker has a connection of its own with
 * the driver's command monitoring on, so every database command it sends is counted.
 * The peer: a naive sequential grammY loop with auto-retry.
 */
import mongoose from "mongoose";
import { Api } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { FakeTelegram } from "../test/support/fake-telegram.js";
import { uniqueName } from "../test/support/test-config.js";
import { dropDatabase } from "../test/support/app-harness.js";
import { openDatabase } from "../src/store/mongo.js";
import { registerModels } from "../src/store/models.js";
import { createDeliveryRepo, groupStatuses } from "../src/store/deliveries.js";
import { createDirectory, rolesOf } from "../src/store/directory.js";
import { registerNoticeModels, ensureNoticeIndexes } from "../src/store/notice-models.js";
import { createNotices, noticeGroup, type Notices } from "../src/features/notices/index.js";
import { connectRedis } from "../src/jobs/redis.js";
import { createQueues } from "../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../src/jobs/outbox.js";
import { TelegramChannel } from "../src/channels/telegram/telegram-channel.js";
import { batchedKeyboards, createKeyboards } from "../src/store/keyboards.js";
import { Translator } from "../src/i18n/fluent.js";
import { progress, quantile, type Services } from "./common.js";
import { loadHistory, type HistorySize } from "./history.js";

export interface FanOutOptions {
  households: number;
  /** Outbox rate (messages per second); Infinity: no limiter. */
  ratePerSecond: number;
  concurrency: number;
  telegramLimits: boolean;
  /** Inject this share (0..1) of 429s (retry_after 1) on top of the limits. */
  injected429?: number;
  /** Load a week of history first (bench/history.ts). */
  history?: HistorySize;
  /** A notice asking for confirmation: each message carries its *Đã xem* button (default: information, no buttons). */
  ack?: boolean;
}

export interface FanOutResult extends FanOutOptions {
  totalMs: number;
  /** Confirm (the notice created) → first message accepted by the fake. */
  firstMs: number;
  enqueueMs: number;
  sent: number;
  distinctChats: number;
  rateLimited: number;
  failed: number;
  /** Database commands of the worker per delivered message, and the breakdown (command collection → count per message). */
  dbOpsPerMessage: number;
  dbOps: Record<string, number>;
  p99JobMs: number;
  peakRssMiB: number;
}

const TEXT = "Do ảnh hưởng của bão số 3, nhà trường cho học sinh nghỉ học ngày mai. Kính đề nghị Quý phụ huynh theo dõi thông báo tiếp theo của nhà trường.";
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export async function fanOut(services: Services, o: FanOutOptions): Promise<FanOutResult> {
  const name = uniqueName(`bench-fan-${o.households}`);
  const db = await openDatabase(services.mongo, name, { serverSelectionTimeoutMS: 10_000 });
  const workerConn = mongoose.createConnection(services.mongo, { dbName: name, autoIndex: false, autoCreate: false, monitorCommands: true });
  await workerConn.asPromise();
  const workerModels = registerModels(workerConn);
  const redis = await connectRedis(services.redis);
  const workerRedis = await connectRedis(services.redis, true);
  const queues = createQueues(redis, name);
  const telegram = await FakeTelegram.start(o.telegramLimits ? { rateLimit: { globalPerSecond: 30, perChatPerSecond: 1 } } : {});
  const account = telegram.token.split(":")[0]!;
  const models = db.models;

  // A school of N pupils in classes of 40, one guardian each (a principal's school-wide notice).
  progress(`fan-out: seeding ${o.households} households`);
  const school = await models.School.create({ name: "Trường THCS Bench", slug: name });
  const year = await models.SchoolYear.create({ schoolId: school._id, name: "2026-2027" });
  const classes = await models.ClassGroup.insertMany(Array.from({ length: Math.ceil(o.households / 40) }, (_, i) => ({
    schoolId: school._id, yearId: year._id, name: `${6 + (i % 4)}A${Math.floor(i / 4) + 1}`, grade: 6 + (i % 4),
  })));
  const CH = 1_000;
  for (let start = 0; start < o.households; start += CH) {
    const n = Math.min(CH, o.households - start);
    const students = await models.Student.insertMany(Array.from({ length: n }, (_, k) => ({
      schoolId: school._id, classGroupId: classes[Math.floor((start + k) / 40)]!._id, fullName: `Học Sinh ${start + k}`, studentCode: `B${start + k}`,
    })));
    const identities = await models.ChannelIdentity.insertMany(Array.from({ length: n }, (_, k) => {
      const id = String(10_000_000 + start + k);
      telegram.knownChat(Number(id));
      return { channel: "telegram", account, externalUserId: id, chatId: id, locale: "vi" };
    }));
    await models.GuardianLink.insertMany(identities.map((i, k) => ({ identityId: i._id, studentId: students[k]!._id, schoolId: school._id })));
  }
  const principalIdentity = await models.ChannelIdentity.create({ channel: "telegram", account, externalUserId: "1", chatId: "1" });
  const staff = await models.Staff.create({ schoolId: school._id, fullName: "Trần Văn Minh", title: "Thầy" });
  await models.StaffRole.create({ identityId: principalIdentity._id, staffId: staff._id, schoolId: school._id, role: "principal", classGroupId: "" });

  if (o.history) await loadHistory(models, o.history, "fan-out history");
  if (o.injected429) {
    // Every k-th sendMessage answers 429 retry_after 1, spread over the run.
    const every = Math.round(1 / o.injected429);
    for (let i = 0; i < o.households; i += every) telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, chatId: 10_000_000 + i });
  }
  const notices = registerNoticeModels(db.conn);
  await ensureNoticeIndexes(notices);
  const outbox = createOutbox(queues.outbox, createDeliveryRepo(models));
  // The fan-out job runs inline here, so "created + recorded + enqueued" still measures it.
  const none = async () => {};
  const feature: Notices = createNotices({
    models, notices, outbox, clock: { now: () => new Date() },
    jobs: {
      schedule: none, unschedule: none, scheduleReportRefresh: none, restoreSchedule: async () => false, restoreFanOut: async () => false,
      fanOut: async (noticeId, round) => void (await feature.handlers.fanOut({ noticeId, round })),
    },
  });
  const service = feature.port;
  // As the app wires it: the outbox remembers each chat's buttons, in batches (src/store/keyboards.ts).
  const keyboards = createKeyboards(workerConn);
  const batched = batchedKeyboards(keyboards, quiet);
  const channel = new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, logger: quiet, keyboards: batched.now, bulkKeyboards: batched.bulk });
  const directory = createDirectory(workerModels);
  const worker = startOutboxWorker({
    connection: workerRedis, prefix: name, repo: createDeliveryRepo(workerModels), senders: { telegram: channel.bulk }, translator: new Translator(),
    ratePerSecond: Number.isFinite(o.ratePerSecond) ? o.ratePerSecond : 1_000_000, concurrency: o.concurrency,
    onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
  });
  await worker.waitUntilReady();

  const ops = new Map<string, number>();
  const client = workerConn.getClient();
  client.on("commandStarted", (e) => {
    const target = e.command[e.commandName];
    const key = `${e.commandName} ${typeof target === "string" ? target : ""}`.trim();
    ops.set(key, (ops.get(key) ?? 0) + 1);
  });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const jobMs: number[] = [];
  let lastDone = 0, failed = 0, completed = 0;
  const done = new Promise<void>((resolveDone) => {
    worker.on("completed", (job) => {
      lastDone = Date.now();
      jobMs.push((job.finishedOn ?? lastDone) - (job.processedOn ?? lastDone));
      if (++completed + failed >= o.households) resolveDone();
    });
    worker.on("failed", (job) => { if (job && job.attemptsMade >= (job.opts.attempts ?? 1) && ++failed + completed >= o.households) resolveDone(); });
  });
  const ticker = setInterval(() => progress(`fan-out: ${completed}/${o.households} sent, ${telegram.stats().rateLimited} × 429`), 20_000);

  progress(`fan-out: notice to ${o.households} (${o.telegramLimits ? "Telegram limits" : "fake unlimited"}, outbox ${Number.isFinite(o.ratePerSecond) ? `${o.ratePerSecond}/s` : "unlimited"})`);
  // Urgent (khẩn cấp) so quiet hours never defer the run, whatever the time of day.
  const principal = { identityId: principalIdentity._id, roles: await rolesOf(models, principalIdentity._id) };
  const t0 = Date.now();
  const result = await service.create(principal, { schoolId: school._id, scope: { kind: "school" }, kind: o.ack ? "ack" : "info", urgent: true, text: TEXT, ...(o.ack ? { deadline: new Date(Date.now() + 3 * 86_400_000) } : {}) }, `bench-${name}`);
  const enqueueMs = Date.now() - t0;
  if (result.status !== "sent") throw new Error(`notice not sent: ${JSON.stringify(result)}`);
  await done;
  await batched.flush(); // the last batch of remembered buttons counts too
  clearInterval(ticker);
  clearInterval(sampler);

  const sentRecords = telegram.sent({ method: "sendMessage" });
  const stats = telegram.stats();
  const sentDocs = [...(await groupStatuses(models, noticeGroup(result.notice.id))).values()].filter((d) => d.status === "sent").length;
  const totalOps = [...ops.values()].reduce((a, b) => a + b, 0);
  jobMs.sort((a, b) => a - b);
  const out: FanOutResult = {
    ...o, totalMs: lastDone - t0, firstMs: (sentRecords[0]?.at ?? NaN) - t0, enqueueMs,
    sent: sentDocs, distinctChats: new Set(sentRecords.map((r) => String(r.chatId))).size, rateLimited: stats.rateLimited, failed,
    dbOpsPerMessage: totalOps / Math.max(1, sentDocs),
    dbOps: Object.fromEntries([...ops].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Number((v / Math.max(1, sentDocs)).toFixed(2))])),
    p99JobMs: quantile(jobMs, 0.99), peakRssMiB: peakRss / 1024 / 1024,
  };

  await worker.close();
  await queues.outbox.obliterate({ force: true });
  await queues.close();
  await Promise.all([redis.quit(), workerRedis.quit()]);
  await telegram.close();
  await workerConn.close();
  await db.close();
  await dropDatabase(services.mongo, name);
  return out;
}

/** The peer: a naive sequential grammY loop with auto-retry, no storage, to N known chats. */
export async function naiveGrammyLoop(households: number, telegramLimits: boolean): Promise<{ totalMs: number; firstMs: number; rateLimited: number; sent: number }> {
  const telegram = await FakeTelegram.start(telegramLimits ? { rateLimit: { globalPerSecond: 30, perChatPerSecond: 1 } } : {});
  const chats = Array.from({ length: households }, (_, k) => 10_000_000 + k);
  for (const id of chats) telegram.knownChat(id);
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  api.config.use(autoRetry());
  progress(`fan-out: naive grammY loop to ${households} (${telegramLimits ? "Telegram limits" : "fake unlimited"})`);
  const t0 = Date.now();
  for (const id of chats) await api.sendMessage(id, TEXT);
  const totalMs = Date.now() - t0;
  const sent = telegram.sent({ method: "sendMessage" });
  const out = { totalMs, firstMs: (sent[0]?.at ?? NaN) - t0, rateLimited: telegram.stats().rateLimited, sent: sent.length };
  await telegram.close();
  return out;
}
