/**
 * The web playground's routes. It is a local tool for trying the bot, so it is locked down
 * even when misconfigured:
 * - each browser gets a session (an unguessable httpOnly, SameSite=Strict cookie) that owns its
 *   own demo school and people: nobody can act as, or read the chats of, another browser's people;
 * - new sessions are throttled per client address and sends per session (code guessing included);
 * - requests must name an allowed Host (no DNS rebinding), and posts must be JSON from the same
 *   Origin (no cross-site posts);
 * - config.ts keeps it on loopback and on its own database (`<db>-playground`).
 */
import { randomBytes } from "node:crypto";
import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isLoopback, type Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Models } from "../store/models.js";
import type { WebMessages } from "../store/web-messages.js";
import { DEMO_ROLES, seedDemo } from "../features/school/demo.js";
import type { Receiver } from "../engine/receiver.js";
import type { Throttle } from "../engine/ports.js";
import { addressKey } from "../engine/messages.js";
import { parseWebRequest, WEB_ACCOUNT } from "../channels/web/parse-web.js";
import { renderPlaygroundPage } from "../channels/web/playground-page.js";

export interface PlaygroundDeps {
  config: Config;
  models: Models;
  receiver: Receiver;
  webMessages: WebMessages;
  throttles: { sessions: Throttle; sends: Throttle };
  logger: Logger;
}

const COOKIE = "sll_pg";
const SESSION = /^[0-9a-f]{24}$/;
const GUEST = "guest";
const PERSONS = new Set<string>([...DEMO_ROLES, GUEST]);

const PEOPLE: Record<(typeof DEMO_ROLES)[number] | typeof GUEST, { label: string; hint: string }> = {
  guardian: { label: "Phụ huynh em Nguyễn Văn An (6A1)", hint: "Phụ huynh" },
  teacher: { label: "Cô Nguyễn Thị Lan", hint: "Giáo viên chủ nhiệm 6A1" },
  board: { label: "Phụ huynh em Trần Thị Bình", hint: "Trưởng ban đại diện CMHS 6A1" },
  principal: { label: "Thầy Trần Văn Minh", hint: "Hiệu trưởng" },
  guest: { label: "Phụ huynh mới (chưa liên kết)", hint: "Gửi một mã bên dưới để liên kết" },
};

/** The host names a playground request may carry: loopback, the configured host, PUBLIC_URL's. */
function allowedHosts(config: Config): Set<string> {
  const hosts = new Set(["localhost", "127.0.0.1", "[::1]", "::1", config.http.host]);
  if (config.publicUrl) hosts.add(new URL(config.publicUrl).hostname);
  return hosts;
}

const hostnameOf = (host: string | undefined) => (host ?? "").replace(/:\d+$/, "").toLowerCase();

export async function registerPlayground(app: FastifyInstance, d: PlaygroundDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(cookie);
    const hosts = allowedHosts(d.config);
    const secure = d.config.publicUrl?.startsWith("https:") ?? false;

    scope.addHook("onRequest", async (req, reply) => {
      const host = hostnameOf(req.headers.host);
      if (!hosts.has(host) && !(d.config.http.host === "0.0.0.0" && isLoopback(host))) return reply.code(421).send({ error: "unknown host" });
      if (req.method === "POST") {
        const origin = req.headers.origin;
        if (!origin || hostnameOf(new URL(origin, "http://invalid").host) !== host || req.headers["sec-fetch-site"] === "cross-site")
          return reply.code(403).send({ error: "cross-site request" });
        if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return reply.code(415).send({ error: "body must be JSON" });
      }
    });

    const sessionOf = (req: FastifyRequest) => {
      const sid = req.cookies[COOKIE];
      return sid && SESSION.test(sid) ? sid : undefined;
    };
    const needSession = (req: FastifyRequest, reply: FastifyReply) => {
      const sid = sessionOf(req);
      if (!sid) void reply.code(401).send({ error: "open /playground first (no session)" });
      return sid;
    };
    const userOf = (sid: string, person: unknown) => (typeof person === "string" && PERSONS.has(person) ? `${sid}-${person}` : undefined);

    scope.get("/", async (_req, reply) => reply.redirect("/playground"));
    scope.get("/playground", async (req, reply) => {
      if (!sessionOf(req)) {
        reply.setCookie(COOKIE, randomBytes(12).toString("hex"), { path: "/playground", httpOnly: true, sameSite: "strict", secure, maxAge: 7 * 86_400 });
      }
      return reply.type("text/html; charset=utf-8").send(renderPlaygroundPage());
    });

    scope.get("/playground/api/people", async (req, reply) => {
      const sid = needSession(req, reply);
      if (!sid) return reply;
      const slug = `pg-${sid}`;
      if (!(await d.models.School.exists({ slug }))) {
        const limited = await d.throttles.sessions.fail(`pg-session:${req.ip}`);
        if (limited.blocked) return reply.code(429).header("retry-after", String(limited.retryAfterSeconds)).send({ error: "too many new sessions" });
      }
      const demo = await seedDemo(d.models, { ttlDays: d.config.inviteCodeTtlDays, account: WEB_ACCOUNT, slug, people: sid });
      return {
        people: ([...DEMO_ROLES, GUEST] as const).map((id) => ({ id, ...PEOPLE[id] })),
        guardianCodes: demo.codes.guardians.map((c) => ({ code: c.code, student: c.subject, className: c.className })),
      };
    });

    scope.post("/playground/api/send", async (req, reply) => {
      const sid = needSession(req, reply);
      if (!sid) return reply;
      const sends = await d.throttles.sends.fail(`pg-send:${sid}`);
      if (sends.blocked) return reply.code(429).header("retry-after", String(sends.retryAfterSeconds)).send({ error: "slow down" });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(String(req.body ?? "")) as Record<string, unknown>;
      } catch {
        return reply.code(400).send({ error: "body must be JSON" });
      }
      const user = typeof body === "object" && body !== null ? userOf(sid, body.person) : undefined;
      const event = user ? parseWebRequest({ ...body, person: user }, req.headers["accept-language"]?.slice(0, 2)) : undefined;
      if (!event) return reply.code(400).send({ error: "expected { person, text } or { person, payload }" });
      const chatKey = addressKey(event.address);
      const before = await d.webMessages.lastSeq(chatKey);
      const result = await d.receiver.receive(event);
      // After /xoadulieu the chat's log starts again from 1.
      const after = (await d.webMessages.lastSeq(chatKey)) < before ? 0 : before;
      return { status: result.status, messages: await d.webMessages.since(chatKey, after) };
    });

    scope.get("/playground/api/messages", async (req, reply) => {
      const sid = needSession(req, reply);
      if (!sid) return reply;
      const q = req.query as Record<string, string | undefined>;
      const user = userOf(sid, q.person);
      const after = Number(q.after ?? "0");
      if (!user || !Number.isFinite(after)) return reply.code(400).send({ error: "person and after are required" });
      const chatKey = addressKey({ channel: "web", account: WEB_ACCOUNT, userId: user, chatId: user });
      return { messages: await d.webMessages.since(chatKey, after) };
    });
  });
}
