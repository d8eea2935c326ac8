/**
 * The composition root: opens MongoDB and Redis (saying which one is down), builds the
 * services, the engine, the receiver, the channels and — per role — the HTTP server and the
 * workers. `createApp` is what `main.ts` runs and what end-to-end tests start in-process.
 */
import type { RedisConnection } from "../jobs/redis.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Closable } from "./feature.js";
import { wireMeetings } from "../features/meetings/wiring.js";
import { wireConcerns } from "../features/concerns/wiring.js";
import { wireNotices } from "../features/notices/wiring.js";
import { wirePolls } from "../features/polls/wiring.js";
import { createHttpServer, listen, type HttpServer } from "./http.js";
import { Engine } from "../engine/engine.js";
import { PASTE_JOIN_MS, Receiver, type Sender } from "../engine/receiver.js";
import type { Clock } from "../engine/ports.js";
import type { Services } from "../features/services.js";
import type { ChannelName } from "../engine/messages.js";
import { Translator } from "../i18n/fluent.js";
import { openDatabase, type Database } from "../store/mongo.js";
import { createDirectory } from "../store/directory.js";
import { expireCodes } from "../store/invites.js";
import { createChannels, createLinking, createPrivacy } from "../features/linking/index.js";
import { otherAddressesOf } from "../store/audience.js";
import { createConversationStore } from "../store/conversations.js";
import { createInbox, inboxEraser } from "../store/inbox.js";
import { createWebMessages } from "../store/web-messages.js";
import { createDeliveryRepo, importLegacyDeliveryStates } from "../store/deliveries.js";
import { seedDemo, type DemoSeed } from "../features/school/demo.js";
import { connectRedisClient, redactUrl } from "../jobs/redis.js";
import { createQueues, closeWorkers, logUnhandledErrors, type Queues, type Worker } from "../jobs/runtime.js";
import { createOutbox, requeueDelivery, startOutboxWorker } from "../jobs/outbox.js";
import { RECOVER_AFTER_MS, reconcileAll, scheduleMaintenance, startMaintenanceWorker, watchSchedulers, type Reconciler } from "../jobs/maintenance.js";
import { reconcileOutbox } from "../jobs/outbox-reconcile.js";
import { createThrottle } from "../jobs/throttle.js";
import { createConsolePort } from "../features/console/index.js";
import { createChatLock } from "../jobs/chat-lock.js";
import { observeOutcomes, queueDepths } from "../jobs/job-metrics.js";
import { QUEUES } from "../jobs/queues.js";
import { createMetrics, type AppMetrics } from "./metrics.js";
import { retentionTasks } from "./retention.js";
import { TelegramChannel } from "../channels/telegram/telegram-channel.js";
import { ZaloBotChannel } from "../channels/zalo/zalo-channel.js";
import { batchedKeyboards, createKeyboards } from "../store/keyboards.js";
import { createMessageRefs } from "../store/message-refs.js";
import { WebChannel } from "../channels/web/web-channel.js";
import { wireZaloOa, type ZaloOaApp } from "./zalo-oa.js";
import { createOaRouter } from "./zalo-oa-router.js";
import { createZaloOaHeldRepository, zaloOaActivityEraser } from "../store/zalo-oa-activity.js";
import { createOaPhoneBook } from "./zalo-oa-phones.js";
import { createZaloOaPhoneRepository } from "../store/zalo-oa-phones.js";
import { createTokenCipher } from "../channels/zalo-oa/token-cipher.js";
import { pickLocale } from "../i18n/fluent.js";
import { flows, actions, commands, IDLE_FLOW_ID, ATTACHMENT_FLOW_ID } from "../../flows/index.js";
import { createRosterUploads } from "../features/roster/index.js";
import { createBoardsPort } from "../features/boards/index.js";
import { registerMeetingModels } from "../store/meeting-models.js";
import { registerConcernModels } from "../store/concern-models.js";

/** Thrown when a service the app needs is not reachable at start; the message names it. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface App {
  config: Config;
  db: Database;
  engine: Engine<Services>;
  receiver: Receiver;
  services: Services;
  queues: Queues;
  metrics: AppMetrics;
  telegram?: TelegramChannel;
  zalo?: ZaloBotChannel;
  /** The school's Zalo Official Account, when ZALO_OA_* are set. */
  zaloOa?: ZaloOaApp;
  demo?: DemoSeed;
  /** The HTTP server's base URL (web and all roles). */
  url?: string;
  /** Rebuilds from MongoDB every job Redis should hold (worker and all roles); what the
   * `reconcile` job scheduler runs every minute. Returns how many jobs it re-created. */
  reconcile?: () => Promise<number>;
  /** Writes the buttons the outbox remembered in its last batch (tests settle on it; `stop` does it too). */
  flushKeyboards(): Promise<void>;
  /** Closes intake, finishes active jobs, closes connections. */
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Commands shown in Telegram's menu (Vietnamese first). */
const TELEGRAM_COMMANDS = [
  { command: "menu", description: "Các chức năng" },
  { command: "hop", description: "Họp phụ huynh" },
  { command: "phananh", description: "Phản ánh" },
  { command: "thongbao", description: "Thông báo" },
  { command: "bieuquyet", description: "Biểu quyết" },
  { command: "gopy", description: "Góp ý" },
  { command: "lienket", description: "Liên kết với con" },
  { command: "trogiup", description: "Hướng dẫn" },
  { command: "huy", description: "Hủy thao tác" },
  { command: "ngonngu", description: "Tiếng Việt / English" },
  { command: "quyenriengtu", description: "Dữ liệu của tôi" },
  { command: "xoadulieu", description: "Xóa dữ liệu của tôi" },
  { command: "kenh", description: "Kênh nhận tin nhắn" },
];

async function openServices(config: Config, logger: Logger): Promise<{ db: Database; redis: RedisConnection; workerRedis: RedisConnection }> {
  let db: Database;
  try {
    db = await openDatabase(config.mongo.uri, config.mongo.db);
  } catch (cause) {
    throw new StartupError(`MongoDB is not reachable at ${redactUrl(config.mongo.uri)} (${(cause as Error).message})`, { cause });
  }
  try {
    const redis = await connectRedisClient(config.redis.url, false, logger);
    const workerRedis = await connectRedisClient(config.redis.url, true, logger);
    return { db, redis, workerRedis };
  } catch (cause) {
    await db.close();
    throw new StartupError(`Redis is not reachable at ${redactUrl(config.redis.url)}`, { cause });
  }
}

/** Builds and starts the app for `config.role`. */
export async function createApp(config: Config, logger: Logger, options: { clock?: Clock } = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const { db, redis, workerRedis } = await openServices(config, logger);
  const { models } = db;
  const prefix = config.redis.queuePrefix;
  const translator = new Translator(config.timeZone);
  // Phones guardians agreed to share with the OA (sealed with the OA token key).
  const oaPhones = config.zaloOa ? createOaPhoneBook(createZaloOaPhoneRepository(db.conn), createTokenCipher(config.zaloOa.tokenKey)) : undefined;
  const queues = createQueues(redis, prefix, logger);
  const metrics = createMetrics({ depths: () => queueDepths(queues) });
  const deliveries = createDeliveryRepo(models, config.defaultLocale);
  // Deliveries recorded before the append-only facts (a status field): converted once.
  await importLegacyDeliveryStates(models);
  const outbox = createOutbox(queues.outbox, deliveries, () => clock.now());
  const directory = createDirectory(models, config.defaultLocale);
  const webMessages = createWebMessages(models);

  const featureDeps = { config, db, queues, outbox, directory, translator, clock, logger, workerConnection: workerRedis, queuePrefix: prefix };
  const meetings = wireMeetings(featureDeps);
  const concerns = wireConcerns(featureDeps);
  const broadcast = wireNotices(featureDeps);
  const polls = wirePolls(featureDeps);
  const features = [meetings, concerns, broadcast, polls];
  for (const f of features) await f.init?.();

  // The last buttons sent to each chat, on every channel: a typed "1" or "đồng ý" presses one.
  const stored = createKeyboards(db.conn, () => clock.now());
  // The outbox remembers a broadcast's buttons in batches (`bulk`); replies and reads go through `now`.
  const batched = batchedKeyboards(stored, logger, () => clock.now());
  const keyboards = { ...batched.now, eraser: batched.eraser };
  const messageRefs = createMessageRefs(db.conn, () => clock.now());
  await messageRefs.init();
  const services: Services = {
    conversations: createConversationStore(models),
    directory,
    linking: createLinking(models, clock),
    channels: createChannels(models, clock),
    privacy: createPrivacy(models, [...features.flatMap((f) => f.erasers ?? []), keyboards.eraser, messageRefs.eraser, inboxEraser(models), ...(oaPhones ? [oaPhones.repo.eraser, zaloOaActivityEraser(db.conn)] : [])],
      oaPhones ? { sharedPhone: (id) => oaPhones.masked(id) } : {}),
    throttle: createThrottle(redis, { limit: config.wrongCode.limit, windowSeconds: config.wrongCode.windowSeconds, prefix }),
    outbox,
    clock,
    meetings: meetings.service,
    concerns: concerns.service,
    broadcast: broadcast.service,
    polls: polls.service,
    // The console's links point at PUBLIC_URL, else at this process's own listener.
    console: createConsolePort({ models, clock, baseUrl: () => config.publicUrl ?? url ?? `http://${config.http.host}:${config.http.port}` }),
    // Roster files sent to the bot; the channel is created below, so the download looks it up when called.
    roster: createRosterUploads({ models, clock, download: (channel, fileRef, maxBytes) => {
      if (channel !== "telegram" || !telegram) return Promise.reject(new Error(`no file download on ${channel}`));
      return telegram.downloadFile(fileRef, maxBytes);
    } }),
    // The class board recorded in the bot: the console's use case, its news sent through the outbox.
    boards: createBoardsPort({ models, meetings: registerMeetingModels(db.conn), concerns: registerConcernModels(db.conn), outbox, clock, ttlDays: config.inviteCodeTtlDays }),
  };
  const engine = new Engine({ flows, actions, commands, idleFlowId: IDLE_FLOW_ID, attachmentFlowId: ATTACHMENT_FLOW_ID, services, translator, logger, keyboards });

  const web = new WebChannel(webMessages, keyboards);
  let telegram: TelegramChannel | undefined;
  if (config.telegram.token) {
    telegram = new TelegramChannel({ token: config.telegram.token, apiRoot: config.telegram.apiRoot, logger, messageRefs, keyboards, bulkKeyboards: batched.bulk });
    try {
      await telegram.init();
    } catch (cause) {
      await Promise.all([db.close(), redis.quit(), workerRedis.quit()]);
      throw new StartupError((cause as Error).message, { cause });
    }
  }
  let zalo: ZaloBotChannel | undefined;
  if (config.zaloBot.token) {
    zalo = new ZaloBotChannel({
      token: config.zaloBot.token, apiRoot: config.zaloBot.apiRoot, logger, keyboards, now: () => clock.now(),
      commandWords: [...Object.keys(commands), "huy", "cancel"],
    });
    try {
      await zalo.init();
    } catch (cause) {
      await Promise.all([db.close(), redis.quit(), workerRedis.quit()]);
      throw new StartupError((cause as Error).message, { cause });
    }
  }
  const zaloOa = config.zaloOa ? wireZaloOa({
    config: config.zaloOa, db, redis, prefix, clock, logger, keyboards, commandWords: [...Object.keys(commands), "huy", "cancel"], enqueue: (items) => outbox.enqueue(items),
    setReachable: async (a, reachable) => { await models.ChannelIdentity.updateOne({ channel: a.channel, account: a.account, externalUserId: a.userId }, { $set: { reachable } }); },
    // A guardian who writes opens the free window: what was held for them goes now.
    onInteraction: async (a) => { await oaRouter?.releaseFor(a.userId); },
    // Connected again: what waited for the reconnection goes now (paced by the outbox).
    onConnected: async () => { await oaRouter?.releaseDisconnected(); },
    ...(oaPhones ? { phones: oaPhones } : {}),
    phoneCard: (locale) => ({ title: translator.t(pickLocale(locale), "zalo-oa-phone-card-title"), subtitle: translator.t(pickLocale(locale), "zalo-oa-phone-card-subtitle") }),
  }) : undefined;
  const oaRouter = zaloOa ? createOaRouter({
    oa: zaloOa, held: createZaloOaHeldRepository(db.conn, deliveries), keyboards: batched.bulk, clock,
    // The same person's other messengers (paired with /kenh), the preferred first.
    otherAddresses: (identityId) => otherAddressesOf(models, identityId),
    requeue: (id, tag, delayMs) => requeueDelivery(queues.outbox, id, tag, delayMs),
    reopen: (id, tag) => deliveries.reopen(id, { dueAt: new Date(0), job: tag }),
    ...(oaPhones ? { phoneOf: (identityId: string) => oaPhones.phoneOf(identityId) } : {}),
  }) : undefined;
  const oaSender: Partial<Record<ChannelName, Sender>> = zaloOa ? { "zalo-oa": zaloOa.channel.sender } : {};
  const interactive: Partial<Record<ChannelName, Sender>> = { web, ...(telegram ? { telegram: telegram.interactive } : {}), ...(zalo ? { "zalo-bot": zalo.interactive } : {}), ...oaSender };
  const bulk: Partial<Record<ChannelName, Sender>> = { web, ...(telegram ? { telegram: telegram.bulk } : {}), ...(zalo ? { "zalo-bot": zalo.bulk } : {}), ...oaSender };
  const receiver = new Receiver({
    engine, inbox: createInbox(models), lock: createChatLock(redis, { prefix, logger }), conversations: services.conversations, senders: interactive, logger,
    onBlocked: (address) => directory.markUnreachable(address), observer: metrics.turns,
    join: { ms: PASTE_JOIN_MS },
  });

  let demo: DemoSeed | undefined;
  // The playground seeds a school of its own per browser session (src/app/http-playground.ts).
  if (config.demoSeed) demo = await seedDemo(models, { ttlDays: config.inviteCodeTtlDays });

  const closables: Closable[] = [];
  const workers: Worker[] = [];
  let reconcile: (() => Promise<number>) | undefined;
  if (config.role !== "web") {
    workers.push(startOutboxWorker({
      connection: workerRedis, prefix, repo: deliveries, senders: bulk, translator, ...(oaRouter ? { routers: { "zalo-oa": oaRouter } } : {}),
      ratePerSecond: config.outbox.ratePerSecond, concurrency: config.outbox.concurrency,
      lockDuration: config.outbox.lockSeconds * 1000, stalledInterval: config.outbox.lockSeconds * 1000,
      onUnreachable: (d) => directory.markUnreachable(d.recipient), logger, onResult: metrics.outboxSend, onRateLimited: metrics.outboxRateLimited,
    }));
    // MongoDB is the source of truth; this rebuilds every job Redis should hold (see README).
    const reconcilers: Reconciler[] = [
      { name: "outbox", run: () => reconcileOutbox({ queue: queues.outbox, redis, repo: deliveries, now: () => clock.now() }) },
      ...Object.entries({ meetings, concerns, broadcast, polls }).flatMap(([name, f]) => (f.reconcile ? [{ name, run: f.reconcile }] : [])),
    ];
    const reconcileNow = () => reconcileAll(reconcilers, logger);
    reconcile = reconcileNow;
    workers.push(startMaintenanceWorker(workerRedis, prefix, {
      "recover-inbound": () => receiver.recover(new Date(clock.now().getTime() - RECOVER_AFTER_MS)),
      "expire-codes": () => expireCodes(models, clock.now()),
      ...retentionTasks(db, config, clock),
      reconcile: reconcileNow,
      "zalo-oa-refresh": () => zaloOa?.refreshAhead() ?? Promise.resolve(0),
      "zalo-oa-prune": () => zaloOa?.pruneActivity() ?? Promise.resolve(0),
    }, (obj, msg) => logger.info(obj, msg), logger));
    await scheduleMaintenance(queues.maintenance, config.timeZone);
    for (const f of features) {
      await f.schedule?.();
      closables.push(...((await f.startWorkers?.()) ?? []));
    }
    await reconcileNow().catch((err: unknown) => logger.warn({ err }, "reconcile at start failed"));
    closables.push(watchSchedulers(queues.maintenance, { everyMs: 60_000, log: logger, onLost: async () => {
      await scheduleMaintenance(queues.maintenance, config.timeZone);
      for (const f of features) await f.schedule?.();
      await reconcileNow();
    } }));
    logUnhandledErrors([...workers, ...closables], logger);
    observeOutcomes(closables, { [QUEUES.concernClocks]: { escalated: metrics.escalation }, [QUEUES.meetingReminders]: { sent: metrics.reminderFired } });
  }

  let server: HttpServer | undefined;
  let url: string | undefined;
  if (config.role !== "worker") {
    const playgroundThrottles = config.playground
      ? {
          sessions: createThrottle(redis, { limit: config.playgroundLimits.sessionsPerHour + 1, windowSeconds: 3600, prefix }),
          sends: createThrottle(redis, { limit: config.playgroundLimits.sendsPerMinute + 1, windowSeconds: 60, prefix }),
        }
      : undefined;
    server = await createHttpServer({ config, db, redis, receiver, telegram, zalo, zaloOa, webMessages, logger, clock, playgroundThrottles, outbox, queues, metrics });
    url = await listen(server, config.http.port, config.http.host);
    if (telegram) {
      await telegram.setCommands(TELEGRAM_COMMANDS);
      if (config.publicUrl) await telegram.setWebhook(new URL("/telegram/webhook", config.publicUrl).toString(), config.webhookSecret!);
      else await telegram.startPolling(receiver);
    }
    if (zalo) {
      if (config.publicUrl) await zalo.setWebhook(new URL("/zalo/webhook", config.publicUrl).toString(), config.zaloBot.webhookSecret!);
      else await zalo.startPolling(receiver);
    }
  }
  logger.info({ role: config.role, url, telegram: telegram ? (config.publicUrl ? "webhook" : "polling") : "off", zalo: zalo ? (config.publicUrl ? "webhook" : "polling") : "off", playground: config.playground }, "so-lien-lac started");

  return {
    config, db, engine, receiver, services, queues, metrics, telegram, zalo, zaloOa, demo, url, reconcile,
    flushKeyboards: () => batched.flush(),
    async stop() {
      // Intake first, then let active jobs finish, then connections.
      await telegram?.stop();
      await zalo?.stop();
      await server?.close();
      await receiver.idle(); // turns a webhook acknowledged before handling them

      await closeWorkers(workers);
      await batched.flush();
      await Promise.all(closables.map((c) => c.close()));
      await queues.close();
      await Promise.all([redis.quit(), workerRedis.quit()]);
      await db.close();
      logger.info({}, "so-lien-lac stopped");
    },
  };
}
