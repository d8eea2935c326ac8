/**
 * Fault (d): the database (FerretDB) stops while updates keep coming, in webhook and in polling
 * mode. No update is acknowledged (a 2xx to the webhook, a confirming getUpdates offset) before
 * it is recorded; once the database is back every update is handled, each once.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { freePort, type AppProcess } from "../support/processes.js";
import type { FakeTelegram, TgUser } from "../support/fake-telegram.js";
import { startFaultStack, STOP_TIMEOUT_MS, type FaultStack } from "../support/fault-stack.js";
import { eventually } from "../support/eventually.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";
import { replyFacts } from "./support.js";

const SECRET = "fault-d-secret";

describe("fault (d): the database stopped and restarted", () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack("database-outage");
  }, 120_000);

  afterAll(() => stack?.stop(), STOP_TIMEOUT_MS);

  /** Starts an app in the given mode against a fresh fake Telegram. */
  async function start(mode: "webhook" | "polling") {
    // Telegram retries a webhook for a long time; the fake keeps trying every ≤ 500 ms.
    // A bot of its own per mode (event ids are per bot); one database, so the second start is quicker.
    const token = mode === "webhook" ? "700001:fault-webhook" : "700002:fault-polling";
    const telegram = await stack.addTelegram({ token, webhook: { maxAttempts: 1_000, backoffMs: 100, maxBackoffMs: 500, timeoutMs: 15_000 } });
    const port = await freePort();
    const env: Record<string, string> = mode === "webhook" ? { PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_SECRET: SECRET } : {};
    const app = await stack.app({ role: "all", env, port, telegram });
    await app.start();
    return { telegram, app, account: telegram.token.split(":")[0]! };
  }

  /** The outage: stop FerretDB, push updates, wait until `refused` holds, restart, let everything settle. */
  async function outage(telegram: FakeTelegram, app: AppProcess, users: TgUser[], refused: () => boolean | Promise<boolean>) {
    await stack.services.ferret.stop();
    await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 503, { timeoutMs: 20_000, intervalMs: 200, message: "readyz reports the database down" });
    const updates = users.map((u) => telegram.userMessage(u, "/start"));
    await eventually(refused, { timeoutMs: 40_000, intervalMs: 100, message: "updates refused while the database is down" });
    await stack.services.ferret.start();
    await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, { timeoutMs: 60_000, intervalMs: 200, message: "ready again" });
    return updates;
  }

  async function expectHandledOnce(telegram: FakeTelegram, account: string, users: TgUser[], ids: string[]) {
    await eventually(async () => (await stack.db.models.ProcessedEvent.countDocuments({ _id: { $in: ids }, status: "done" })) === ids.length, { timeoutMs: 90_000, intervalMs: 250, message: "every update handled" });
    expect(await stack.db.models.Turn.countDocuments({ _id: { $in: ids } })).toBe(ids.length);
    const facts = await replyFacts(stack.db.models);
    for (const u of users) {
      expect(facts.sentTo(`telegram:${account}:${u.id}`)).toBeGreaterThan(0);
      expect(telegram.sent({ chatId: u.id })).toHaveLength(facts.sentTo(`telegram:${account}:${u.id}`));
    }
    expect(facts.duplicates).toBe(0);
  }

  it("webhook: every request during the outage is answered 5xx, never 2xx; afterwards each update is handled once", async () => {
    const { telegram, app, account } = await start("webhook");
    const users = Array.from({ length: 3 }, (_, i) => ({ id: 6_400_001 + i, first_name: "Lan" }));
    const before = telegram.webhookDeliveries().length;
    const updates = await outage(telegram, app, users, () => telegram.webhookDeliveries().slice(before).filter((d) => d.status !== null && d.status >= 500).length >= 3);
    const ids = updates.map((u) => telegramEventId(u, account));
    await expectHandledOnce(telegram, account, users, ids);
    const attempts = telegram.webhookDeliveries().slice(before);
    // Every acknowledgement came after the database was back: 2xx only once per update, and only when recorded.
    for (const u of updates) expect(attempts.filter((d) => d.updateId === u.update_id && d.status === 200)).toHaveLength(1);
    expect(attempts.filter((d) => d.status !== 200).length).toBeGreaterThanOrEqual(3);
    expect(telegram.stats().webhookGaveUp).toBe(0);
    await app.stop(); // one app at a time on this database: its recovery would answer the other bot's chats
  }, 240_000);

  it("polling: no update is confirmed (getUpdates offset) while the database is down; afterwards each is handled once", async () => {
    const { telegram, app, account } = await start("polling");
    const users = Array.from({ length: 3 }, (_, i) => ({ id: 6_410_001 + i, first_name: "Lan" }));
    const polls = () => telegram.calls("getUpdates").length;
    let pollsAtStop = 0;
    const updates = await outage(telegram, app, users, async () => {
      pollsAtStop ||= polls();
      // The loop keeps polling (the same updates come again) and confirms none of them.
      return polls() >= pollsAtStop + 2 && telegram.stats().pendingUpdates === users.length;
    });
    expect(app.logs().some((l) => l.msg === "telegram polling failed; retrying")).toBe(true);
    await expectHandledOnce(telegram, account, users, updates.map((u) => telegramEventId(u, account)));
    await eventually(() => telegram.stats().pendingUpdates === 0, { timeoutMs: 30_000, message: "confirmed once recorded" });
  }, 240_000);
});
