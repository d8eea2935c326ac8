/**
 * Benchmark (a script printing figures, not a test): one notice from the principal to every
 * guardian of a school, through the real notice service and the real outbox (real Redis, real
 * FerretDB/MongoDB, real BullMQ worker, the real grammY bulk sender) against the fake Bot API
 * (test/support/fake-telegram.ts) — once with the fake unlimited, once enforcing Telegram's
 * limits (30 msg/s overall, 1 msg/s per chat, real 429 + retry_after).
 *
 *   npm run bench
 *   BENCH_N=10000 BENCH_LIMITED_N=2000 BENCH_RUNS=unlimited,limited npm run bench
 *
 * Knobs: BENCH_N (unlimited run, default 10000), BENCH_LIMITED_N (default 10000: ~7 minutes at
 * 25/s), BENCH_RATE (outbox rate of the limited run, default 25 = production default),
 * BENCH_UNLIMITED_RATE (default 100000, i.e. no limiter), BENCH_CONCURRENCY (default 8 =
 * production default), BENCH_RUNS (default "unlimited,limited").
 * Services are provisioned like the tests do (scripts/services.sh up → .cache/services.env)
 * unless MONGODB_URI and REDIS_URL are set. Figures include the fake Bot API, which runs in
 * this same process (so peak RSS covers worker + producer + fake).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeTelegram } from "../test/support/fake-telegram.js";
import { uniqueName } from "../test/support/test-config.js";
import { dropDatabase } from "../test/support/app-harness.js";
import { openDatabase } from "../src/store/mongo.js";
import { createDeliveryRepo, groupStatuses } from "../src/store/deliveries.js";
import { createDirectory, rolesOf } from "../src/store/directory.js";
import { registerNoticeModels, ensureNoticeIndexes } from "../src/store/notice-models.js";
import { createNotices, noticeGroup, type Notices } from "../src/features/notices/index.js";
import { connectRedis } from "../src/jobs/redis.js";
import { createQueues } from "../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../src/jobs/outbox.js";
import { TelegramChannel } from "../src/channels/telegram/telegram-channel.js";
import { Translator } from "../src/i18n/fluent.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const env = process.env;
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

function provision(): { mongo: string; redis: string } {
  if (!env.MONGODB_URI || !env.REDIS_URL) {
    execFileSync("bash", [resolve(root, "scripts/services.sh"), "up"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
    for (const line of readFileSync(resolve(root, env.SERVICES_CACHE_DIR ?? ".cache", "services.env"), "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0 && !env[line.slice(0, eq)]) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return { mongo: env.MONGODB_URI!, redis: env.REDIS_URL! };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface RunOptions {
  label: string;
  households: number;
  ratePerSecond: number;
  concurrency: number;
  telegramLimits: boolean;
}

async function run(services: { mongo: string; redis: string }, o: RunOptions): Promise<void> {
  const name = uniqueName(`bench-${o.label}`);
  const db = await openDatabase(services.mongo, name, { serverSelectionTimeoutMS: 10_000 });
  const redis = await connectRedis(services.redis);
  const workerRedis = await connectRedis(services.redis, true);
  const queues = createQueues(redis, name);
  const telegram = await FakeTelegram.start(o.telegramLimits ? { rateLimit: { globalPerSecond: 30, perChatPerSecond: 1 } } : {});
  const account = telegram.token.split(":")[0]!;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const models = db.models;

  // A school of N pupils in classes of 40, one guardian each (a principal's school-wide notice).
  process.stdout.write(`\n[${o.label}] seeding ${o.households} households… `);
  const seedStart = Date.now();
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
  process.stdout.write(`${fmt(Date.now() - seedStart)}\n`);

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
  const channel = new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, logger: quiet });
  const directory = createDirectory(models);
  const worker = startOutboxWorker({
    connection: workerRedis, prefix: name, repo: createDeliveryRepo(models), senders: { telegram: channel.bulk }, translator: new Translator(),
    ratePerSecond: o.ratePerSecond, concurrency: o.concurrency, onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
  });
  await worker.waitUntilReady();

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const endToEnd: number[] = [];
  const processing: number[] = [];
  let firstDone = 0, lastDone = 0, failed = 0;
  const done = new Promise<void>((resolveDone) => {
    worker.on("completed", (job) => {
      const now = Date.now();
      firstDone ||= now;
      lastDone = now;
      endToEnd.push((job.finishedOn ?? now) - job.timestamp);
      processing.push((job.finishedOn ?? now) - (job.processedOn ?? now));
      if (endToEnd.length + failed >= o.households) resolveDone();
    });
    worker.on("failed", (job) => { if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) failed++; });
  });
  const progress = setInterval(() => process.stdout.write(`  … ${endToEnd.length}/${o.households} sent, ${telegram.stats().rateLimited} × 429\n`), 30_000);

  // Urgent (khẩn cấp) so quiet hours never defer the run, whatever the time of day.
  const principal = { identityId: principalIdentity._id, roles: await rolesOf(models, principalIdentity._id) };
  const t0 = Date.now();
  const result = await service.create(principal, {
    schoolId: school._id, scope: { kind: "school" }, kind: "info", urgent: true,
    text: "Do ảnh hưởng của bão số 3, nhà trường cho học sinh nghỉ học ngày mai. Kính đề nghị Quý phụ huynh theo dõi thông báo tiếp theo của nhà trường.",
  }, `bench-${name}`);
  const enqueuedMs = Date.now() - t0;
  if (result.status !== "sent") throw new Error(`notice not sent: ${JSON.stringify(result)}`);
  await done;
  const totalMs = lastDone - t0;
  clearInterval(progress);
  clearInterval(sampler);

  const stats = telegram.stats();
  const distinctChats = new Set(telegram.sent({ method: "sendMessage" }).map((r) => String(r.chatId))).size;
  const sentDocs = [...(await groupStatuses(models, noticeGroup(result.notice.id))).values()].filter((d) => d.status === "sent").length;
  endToEnd.sort((a, b) => a - b);
  processing.sort((a, b) => a - b);
  const limitedBy = Math.min(o.ratePerSecond, o.telegramLimits ? 30 : Infinity);
  const ideal = Number.isFinite(limitedBy) && limitedBy < 50_000 ? (o.households / limitedBy) * 1000 : NaN;
  console.log([
    `[${o.label}] N=${o.households} households, outbox rate ${o.ratePerSecond >= 50_000 ? "unlimited" : `${o.ratePerSecond}/s`}, concurrency ${o.concurrency}, fake Bot API ${o.telegramLimits ? "enforcing 30 msg/s overall + 1 msg/s per chat (429 + retry_after)" : "unlimited"}`,
    `  notice created + ${o.households} deliveries recorded + jobs enqueued: ${fmt(enqueuedMs)}`,
    `  total (create → last message sent): ${fmt(totalMs)}${Number.isNaN(ideal) ? "" : `   ideal N/rate = ${fmt(ideal)} (${(totalMs / ideal).toFixed(2)} × ideal)`}`,
    `  throughput: ${(o.households / (totalMs / 1000)).toFixed(1)} msg/s overall; ${(o.households / ((lastDone - firstDone) / 1000)).toFixed(1)} msg/s while sending`,
    `  per-message latency enqueue → sent: p50 ${fmt(quantile(endToEnd, 0.5))}, p99 ${fmt(quantile(endToEnd, 0.99))}, max ${fmt(endToEnd.at(-1) ?? NaN)}`,
    `  per-message processing (job start → sent): p50 ${quantile(processing, 0.5)} ms, p99 ${quantile(processing, 0.99)} ms`,
    `  Bot API: ${stats.sentOk} messages accepted to ${distinctChats} distinct chats, ${stats.rateLimited} × 429 from flood control; deliveries marked sent: ${sentDocs}; failed jobs: ${failed}`,
    `  peak RSS (worker + producer + fake Bot API in one process): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
  ].join("\n"));

  await worker.close();
  await queues.outbox.obliterate({ force: true });
  await queues.close();
  await Promise.all([redis.quit(), workerRedis.quit()]);
  await telegram.close();
  await db.close();
  await dropDatabase(services.mongo, name);
}

const services = provision();
const runs = (env.BENCH_RUNS ?? "unlimited,limited").split(",").map((s) => s.trim());
const concurrency = num("BENCH_CONCURRENCY", 8);
if (runs.includes("unlimited"))
  await run(services, { label: "unlimited", households: num("BENCH_N", 10_000), ratePerSecond: num("BENCH_UNLIMITED_RATE", 100_000), concurrency, telegramLimits: false });
if (runs.includes("limited"))
  await run(services, { label: "limited", households: num("BENCH_LIMITED_N", 10_000), ratePerSecond: num("BENCH_RATE", 25), concurrency, telegramLimits: true });
