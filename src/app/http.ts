/**
 * The HTTP surface of the `web` role, on Fastify: `/healthz`, `/readyz` and `/metrics` (the
 * last two for a bearer token or loopback clients only), the Telegram and Zalo Bot webhooks, and
 * the office console (src/console) and the playground (src/app/http-playground.ts). Bodies reach handlers as raw text (a webhook's
 * signature is over its bytes) and are size-limited; a webhook's secret is checked before its
 * body is read; malformed input gets a 4xx and the process keeps running.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { RedisConnection } from "../jobs/redis.js";
import { Counter } from "prom-client";
import type { AppMetrics } from "./metrics.js";
import { isLoopback, type Config } from "./config.js";
import type { Logger } from "./logger.js";
import { registerPlayground } from "./http-playground.js";
import type { Database } from "../store/mongo.js";
import type { WebMessages } from "../store/web-messages.js";
import type { Models } from "../store/models.js";
import type { Receiver } from "../engine/receiver.js";
import type { Clock, Throttle } from "../engine/ports.js";
import { registerConsole, type ConsoleDeps } from "../console/routes.js";
import { createSchoolSettings } from "../store/school-settings.js";
import type { Outbox } from "../engine/ports.js";
import type { Queues } from "../jobs/runtime.js";
import { registerNoticeModels } from "../store/notice-models.js";
import { registerMeetingModels } from "../store/meeting-models.js";
import { registerPollModels } from "../store/poll-models.js";
import { registerConcernModels } from "../store/concern-models.js";
import type { TelegramChannel } from "../channels/telegram/telegram-channel.js";
import type { ZaloBotChannel } from "../channels/zalo/zalo-channel.js";
import { secretMatches } from "../channels/webhook-secret.js";
import { completeOaConnection, type ZaloOaApp } from "./zalo-oa.js";

export interface HttpDeps {
  config: Config;
  db: Database;
  redis: RedisConnection;
  receiver: Receiver;
  telegram?: TelegramChannel;
  zalo?: ZaloBotChannel;
  zaloOa?: ZaloOaApp;
  webMessages: WebMessages;
  logger: Logger;
  clock: Clock;
  /** The outbox and the queues the console's rollover and queue dashboard use (absent: those pages are not served). */
  outbox?: Outbox & NonNullable<ConsoleDeps["outbox"]>;
  queues?: Queues;
  /** Playground limits: sessions per client address, sends per session. */
  playgroundThrottles?: { sessions: Throttle; sends: Throttle };
  /** The app's metrics registry (src/app/metrics.ts), served at /metrics. */
  metrics: AppMetrics;
}

export type HttpServer = FastifyInstance;

const READY_TIMEOUT_MS = 1000;

/** A probe that answers false instead of hanging when its service does not answer in time. */
function probe(check: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
  return Promise.race([check.then(() => true, () => false), timeout]).finally(() => clearTimeout(timer));
}

/** True for a request from this machine that no proxy forwarded. */
export function fromLoopback(req: FastifyRequest): boolean {
  return isLoopback(req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "") && req.headers["x-forwarded-for"] === undefined;
}

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Builds the server (not yet listening). */
export async function createHttpServer(d: HttpDeps): Promise<HttpServer> {
  const app = Fastify({ logger: false, bodyLimit: d.config.maxWebhookBodyBytes, forceCloseConnections: "idle", return503OnClosing: true });
  const registry = d.metrics.registry;
  const requests = new Counter({ name: "sll_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "status"], registers: [registry] });

  // Every body reaches its handler as text: webhooks verify and parse their own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: "not found" }));
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      // The rest of an oversized body is never read: close the connection rather than reuse it.
      return reply.code(400).header("connection", "close").send({ error: "body too large" });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: "bad request" });
    d.logger.error({ err, route: req.routeOptions.url }, "request failed");
    return reply.code(500).send({ error: "internal error" });
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  app.addHook("onResponse", async (req, reply) => {
    requests.inc({ route: req.routeOptions.url ?? "unknown", status: String(reply.statusCode) });
  });

  // ---- health, readiness, metrics ---------------------------------------------------------
  const opsAllowed = (req: FastifyRequest) =>
    d.config.metricsToken ? secretMatches(header(req, "authorization")?.replace(/^Bearer /, ""), d.config.metricsToken) : fromLoopback(req);
  const guardOps = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!opsAllowed(req)) return reply.code(401).send({ error: "metrics and readiness need METRICS_TOKEN or a loopback client" });
  };
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", { onRequest: guardOps }, async (_req, reply) => {
    const [mongo, redis] = await Promise.all([probe(d.db.ping().then((ok) => ok || Promise.reject(new Error("down")))), probe(d.redis.ping())]);
    return reply.code(mongo && redis ? 200 : 503).send({ status: mongo && redis ? "ready" : "not-ready", mongo, redis });
  });
  app.get("/metrics", { onRequest: guardOps }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  // ---- webhooks ---------------------------------------------------------------------------
  const webhook = (path: string, secret: string, secretHeader: string, handle: (given: string | undefined, body: string) => Promise<number>) =>
    app.post(path, {
      // A wrong secret is refused before a byte of the body is read.
      onRequest: async (req, reply) => {
        if (!secretMatches(header(req, secretHeader), secret)) return reply.code(401).header("connection", "close").send({ ok: false });
      },
    }, async (req, reply) => {
      const status = await handle(header(req, secretHeader), typeof req.body === "string" ? req.body : "");
      return reply.code(status).send(status === 200 ? { ok: true } : { ok: false });
    });
  if (d.telegram && d.config.publicUrl && d.config.webhookSecret) {
    const telegram = d.telegram, secret = d.config.webhookSecret;
    webhook("/telegram/webhook", secret, "x-telegram-bot-api-secret-token", (given, body) => telegram.handleWebhook(d.receiver, given, body, secret));
  }
  if (d.zalo && d.config.publicUrl && d.config.zaloBot.webhookSecret) {
    const zalo = d.zalo, secret = d.config.zaloBot.webhookSecret;
    webhook("/zalo/webhook", secret, "x-bot-api-secret-token", (given, body) => zalo.handleWebhook(d.receiver, given, body, secret));
  }

  // Zalo OA: the signature covers the raw body, so it is checked in the channel (constant time);
  // the unsigned `{}` probe gets 200. The OAuth callback stores the first token pair.
  if (d.zaloOa) {
    const oa = d.zaloOa;
    app.post("/zalo-oa/webhook", async (req, reply) => {
      const status = await oa.channel.handleWebhook(d.receiver, header(req, "x-zevent-signature"), typeof req.body === "string" ? req.body : "");
      if (status === 401) reply.header("connection", "close");
      return reply.code(status).send(status === 200 ? { ok: true } : { ok: false });
    });
    app.get("/zalo-oa/oauth/callback", async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const r = await completeOaConnection(oa, { code: q.code, state: q.state, oa_id: q.oa_id }, d.clock.now(), d.logger);
      const text = r.outcome === "connected" ? "Đã kết nối Zalo Official Account. / The Zalo Official Account is connected." : `Không kết nối được (${r.outcome}). / Not connected (${r.outcome}).`;
      return reply.code(r.status).type("text/plain; charset=utf-8").send(text);
    });
  }

  // The school office console (/admin), signed in by a one-time link from /quantri.
  const conn = d.db.conn;
  await registerConsole(app, { config: d.config, models: d.db.models as Models, clock: d.clock, ...(d.outbox ? { outbox: d.outbox } : {}), reports: {
    notices: registerNoticeModels(conn), meetings: registerMeetingModels(conn), polls: registerPollModels(conn), concerns: registerConcernModels(conn),
  }, ...(d.outbox ? { rollover: { outbox: d.outbox, settings: createSchoolSettings(conn) } } : {}), ...(d.queues ? { queues: d.queues } : {}) });

  if (d.config.playground) {
    if (!d.playgroundThrottles) throw new Error("the playground needs its throttles");
    await registerPlayground(app, {
      config: d.config, models: d.db.models as Models, receiver: d.receiver, webMessages: d.webMessages, throttles: d.playgroundThrottles, logger: d.logger,
    });
  }
  return app;
}

/** Listens and returns the base URL (port 0 picks a free port, for tests). */
export async function listen(app: HttpServer, port: number, host: string): Promise<string> {
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
}
