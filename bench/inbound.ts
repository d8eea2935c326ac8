/**
 * Inbound: the product (`src/app/main.ts`, ROLE=all, in a child process of its own) and bare
 * grammY (bench/bare-grammy.ts) answer the same command (/trogiup from a private chat) on the
 * same fake Bot API, by long polling or webhook, at fixed offered rates. Latency is update
 * pushed → first reply accepted by the fake; CPU is the bot process's own (from /proc).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { FakeTelegram } from "../test/support/fake-telegram.js";
import { uniqueName } from "../test/support/test-config.js";
import { dropDatabase } from "../test/support/app-harness.js";
import { eventually } from "../test/support/eventually.js";
import { cpuMsOf, progress, quantile, root, rssMiBOf, type Services } from "./common.js";

export type Bot = "product" | "grammY";
export type Mode = "polling" | "webhook";

export interface InboundResult {
  bot: Bot;
  mode: Mode;
  rate: number;
  updates: number;
  answered: number;
  p50Ms: number;
  p99Ms: number;
  achievedPerSecond: number;
  cpuMsPerUpdate: number;
  rssMiB: number;
}

const SECRET = "bench-secret_123";
const USERS = 200;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startBot(bot: Bot, mode: Mode, fake: FakeTelegram, services: Services, db: string, port: number): ChildProcess {
  const webhook: Record<string, string> = mode === "webhook" ? { PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET } : {};
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production",
    TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot,
    MONGODB_URI: services.mongo, MONGODB_DB: db, REDIS_URL: services.redis, QUEUE_PREFIX: db,
    LOG_LEVEL: "warn", PLAYGROUND: "false", DEMO_SEED: "false", HOST: "127.0.0.1", PORT: String(port),
  };
  return spawn(process.execPath, ["--import", "tsx", bot === "product" ? "src/app/main.ts" : "bench/bare-grammy.ts"], {
    cwd: root, env: { ...env, ...webhook, BENCH_MODE: mode }, stdio: ["ignore", "ignore", "inherit"],
  });
}

/** One bot, one intake mode, each offered rate for `seconds`. */
export async function inbound(services: Services, bot: Bot, mode: Mode, rates: number[], seconds: number): Promise<InboundResult[]> {
  const fake = await FakeTelegram.start();
  const db = uniqueName(`bench-in-${bot}-${mode}`);
  const port = await freePort();
  const child = startBot(bot, mode, fake, services, db, port);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await eventually(() => (mode === "webhook" ? fake.webhookUrl() !== undefined : fake.calls("getUpdates").length > 0), { timeoutMs: 120_000, message: `${bot} did not start` });
    const users = Array.from({ length: USERS }, (_, i) => ({ id: 20_000_000 + i, first_name: "Phụ huynh" }));
    // Warm-up: every user once (the product learns each new chat), and how many replies a command gets.
    for (const u of users) fake.userMessage(u, "/trogiup");
    await eventually(() => new Set(fake.sent().map((r) => String(r.chatId))).size >= USERS, { timeoutMs: 300_000, message: `${bot} warm-up` });
    await eventually(() => fake.stats().pendingUpdates === 0, { timeoutMs: 60_000 });
    const perCommand = Math.max(1, Math.round(fake.sent().length / USERS));
    const results: InboundResult[] = [];
    for (const rate of rates) {
      progress(`inbound: ${bot} ${mode} at ${rate} updates/s for ${seconds} s`);
      const since = fake.sent().length;
      const total = Math.round(rate * seconds);
      const pushed: { chat: string; at: number }[] = [];
      const cpu0 = cpuMsOf(child.pid!);
      const t0 = Date.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const user = users[i % USERS]!;
        fake.userMessage(user, "/trogiup");
        pushed.push({ chat: String(user.id), at: Date.now() });
      }
      await eventually(() => fake.sent().length - since >= total * perCommand, { timeoutMs: 120_000, intervalMs: 50, message: `${bot} ${mode} ${rate}/s: replies` }).catch(() => undefined);
      const replies = fake.sent().slice(since);
      const cpu = cpuMsOf(child.pid!) - cpu0;
      // Each chat's replies come in order: the k-th command of a chat is answered by its k-th group of replies.
      const byChat = new Map<string, number[]>();
      for (const r of replies) byChat.set(String(r.chatId), [...(byChat.get(String(r.chatId)) ?? []), r.at]);
      const seen = new Map<string, number>();
      const latencies: number[] = [];
      let last = t0;
      for (const p of pushed) {
        const k = seen.get(p.chat) ?? 0;
        seen.set(p.chat, k + 1);
        const at = byChat.get(p.chat)?.[k * perCommand];
        if (at === undefined) continue;
        latencies.push(at - p.at);
        last = Math.max(last, at);
      }
      latencies.sort((a, b) => a - b);
      results.push({
        bot, mode, rate, updates: total, answered: latencies.length,
        p50Ms: quantile(latencies, 0.5), p99Ms: latencies.length === total ? quantile(latencies, 0.99) : Infinity,
        achievedPerSecond: latencies.length / ((last - t0) / 1000), cpuMsPerUpdate: cpu / total, rssMiB: rssMiBOf(child.pid!),
      });
    }
    return results;
  } finally {
    child.kill("SIGTERM");
    await exited;
    await fake.close();
    if (bot === "product") await dropDatabase(services.mongo, db);
  }
}
