/**
 * The peer of the inbound benchmark: bare grammY, no storage, answering the same command on the
 * same fake Bot API. `BENCH_MODE=polling|webhook`; webhook mode listens on PORT and registers
 * PUBLIC_URL/telegram/webhook with WEBHOOK_SECRET, like the product.
 */
import { createServer } from "node:http";
import { Bot, webhookCallback } from "grammy";

const env = process.env;
const bot = new Bot(env.TELEGRAM_BOT_TOKEN!, { client: { apiRoot: env.TELEGRAM_API_ROOT! } });
bot.command("trogiup", (ctx) => ctx.reply("Kính gửi Quý phụ huynh, đây là trợ giúp của Sổ liên lạc."));

if (env.BENCH_MODE === "webhook") {
  await bot.init();
  const handle = webhookCallback(bot, "http", { secretToken: env.WEBHOOK_SECRET });
  createServer((req, res) => void handle(req, res)).listen(Number(env.PORT), "127.0.0.1");
  await bot.api.setWebhook(new URL("/telegram/webhook", env.PUBLIC_URL).toString(), { secret_token: env.WEBHOOK_SECRET });
} else {
  void bot.start({ drop_pending_updates: false });
}
process.on("SIGTERM", () => process.exit(0));
