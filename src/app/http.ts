/**
 * The HTTP surface of the `web` role on `node:http`: `/healthz`, `/readyz`, `/metrics`, the
 * Telegram and Zalo Bot webhooks and the playground. Bodies are size-limited; malformed input gets a 4xx
 * and the process keeps running.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import { Registry, collectDefaultMetrics, Counter } from "prom-client";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Database } from "../store/mongo.js";
import type { WebMessages } from "../store/web-messages.js";
import type { DemoSeed } from "../store/demo.js";
import { DEMO_PEOPLE } from "../store/demo.js";
import type { Receiver } from "../engine/receiver.js";
import { addressKey } from "../engine/messages.js";
import type { TelegramChannel } from "../channels/telegram/telegram-channel.js";
import type { ZaloBotChannel } from "../channels/zalo/zalo-channel.js";
import { parseWebRequest, WEB_ACCOUNT } from "../channels/web/parse-web.js";
import { renderPlaygroundPage } from "../channels/web/playground-page.js";

export interface HttpDeps {
  config: Config;
  db: Database;
  redis: Redis;
  receiver: Receiver;
  telegram?: TelegramChannel;
  zalo?: ZaloBotChannel;
  webMessages: WebMessages;
  demo?: DemoSeed;
  logger: Logger;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json; charset=utf-8", extra: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
  res.end(text);
}

const PLAYGROUND_PEOPLE = [
  { id: DEMO_PEOPLE.guardian, label: "Phụ huynh em Nguyễn Văn An (6A1)", hint: "Phụ huynh" },
  { id: DEMO_PEOPLE.teacher, label: "Cô Nguyễn Thị Lan", hint: "Giáo viên chủ nhiệm 6A1" },
  { id: DEMO_PEOPLE.board, label: "Phụ huynh em Trần Thị Bình", hint: "Trưởng ban đại diện CMHS 6A1" },
  { id: DEMO_PEOPLE.principal, label: "Thầy Trần Văn Minh", hint: "Hiệu trưởng" },
];

/** Builds the server (not yet listening). */
export function createHttpServer(d: HttpDeps): Server {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sll_" });
  const requests = new Counter({ name: "sll_http_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "status"], registers: [registry] });

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<number>> = {
    "GET /healthz": async (_req, res) => (send(res, 200, { status: "ok" }), 200),
    "GET /readyz": async (_req, res) => {
      const [mongo, redis] = await Promise.all([d.db.ping(), d.redis.ping().then(() => true, () => false)]);
      const status = mongo && redis ? 200 : 503;
      send(res, status, { status: status === 200 ? "ready" : "not-ready", mongo, redis });
      return status;
    },
    "GET /metrics": async (_req, res) => (send(res, 200, await registry.metrics(), registry.contentType), 200),
  };

  if (d.telegram && d.config.publicUrl && d.config.webhookSecret) {
    const telegram = d.telegram, secret = d.config.webhookSecret;
    routes["POST /telegram/webhook"] = async (req, res) => {
      const body = await readBody(req, d.config.maxWebhookBodyBytes);
      const header = req.headers["x-telegram-bot-api-secret-token"];
      const status = await telegram.handleWebhook(d.receiver, Array.isArray(header) ? header[0] : header, body, secret);
      send(res, status, status === 200 ? { ok: true } : { ok: false });
      return status;
    };
  }

  if (d.zalo && d.config.publicUrl && d.config.zaloBot.webhookSecret) {
    const zalo = d.zalo, secret = d.config.zaloBot.webhookSecret;
    routes["POST /zalo/webhook"] = async (req, res) => {
      const body = await readBody(req, d.config.maxWebhookBodyBytes);
      const header = req.headers["x-bot-api-secret-token"];
      const status = await zalo.handleWebhook(d.receiver, Array.isArray(header) ? header[0] : header, body, secret);
      send(res, status, status === 200 ? { ok: true } : { ok: false });
      return status;
    };
  }

  if (d.config.playground) {
    routes["GET /"] = async (_req, res) => (res.writeHead(302, { location: "/playground" }).end(), 302);
    routes["GET /playground"] = async (_req, res) => (send(res, 200, renderPlaygroundPage(), "text/html; charset=utf-8"), 200);
    routes["GET /playground/api/people"] = async (_req, res) => {
      const guardianCodes = (d.demo?.codes.guardians ?? []).map((c) => ({ code: c.code, student: c.subject, className: c.className }));
      send(res, 200, { people: PLAYGROUND_PEOPLE, guardianCodes });
      return 200;
    };
    routes["POST /playground/api/send"] = async (req, res) => {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, 64_000));
      } catch (err) {
        if (err instanceof BodyTooLarge) throw err;
        send(res, 400, { error: "body must be JSON" });
        return 400;
      }
      const event = parseWebRequest(body, req.headers["accept-language"]?.slice(0, 2));
      if (!event) {
        send(res, 400, { error: "expected { person, text } or { person, payload }" });
        return 400;
      }
      const chatKey = addressKey(event.address);
      const before = await d.webMessages.lastSeq(chatKey);
      const result = await d.receiver.receive(event);
      // After /xoadulieu the chat's log starts again from 1.
      const after = (await d.webMessages.lastSeq(chatKey)) < before ? 0 : before;
      send(res, 200, { status: result.status, messages: await d.webMessages.since(chatKey, after) });
      return 200;
    };
    routes["GET /playground/api/messages"] = async (_req, res, url) => {
      const person = url.searchParams.get("person") ?? "";
      const after = Number(url.searchParams.get("after") ?? "0");
      if (!/^[a-z0-9-]{1,64}$/.test(person) || !Number.isFinite(after)) {
        send(res, 400, { error: "person and after are required" });
        return 400;
      }
      const chatKey = addressKey({ channel: "web", account: WEB_ACCOUNT, userId: person, chatId: person });
      send(res, 200, { messages: await d.webMessages.since(chatKey, after) });
      return 200;
    };
  }

  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = `${req.method} ${url.pathname}`;
    const route = routes[key];
    let status = 404;
    try {
      if (route) status = await route(req, res, url);
      else send(res, 404, { error: "not found" });
    } catch (err) {
      status = err instanceof BodyTooLarge ? 400 : 500;
      if (status === 500) d.logger.error({ err, route: key }, "request failed");
      // The rest of an oversized body is never read: close the connection rather than reuse it.
      const close: Record<string, string> = err instanceof BodyTooLarge ? { connection: "close" } : {};
      if (!res.headersSent) send(res, status, { error: status === 400 ? "body too large" : "internal error" }, undefined, close);
      else res.end();
    }
    requests.inc({ route: route ? key : "unknown", status: String(status) });
  });
}

/** Listens and returns the base URL (port 0 picks a free port, for tests). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
}
