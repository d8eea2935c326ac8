/**
 * The only reader of `process.env`. Every variable is documented in `.env.example`.
 *
 * @example
 * const config = loadConfig(process.env)
 * if (config.telegram.token) startTelegram(config)
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : ["true", "1", "yes"].includes(v)));

const schema = z.object({
  MONGODB_URI: z.string().min(1, "MONGODB_URI is required (scripts/services.sh up provisions one)"),
  MONGODB_DB: z.string().optional(),
  REDIS_URL: z.string().min(1, "REDIS_URL is required (scripts/services.sh up provisions one)"),
  QUEUE_PREFIX: z.string().min(1).default("sll"),
  ROLE: z.enum(["all", "web", "worker"]).default("all"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  TZ: z.string().default("Asia/Ho_Chi_Minh"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEFAULT_LOCALE: z.enum(["vi", "en"]).default("vi"),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  TELEGRAM_BOT_USERNAME: z.string().optional(),
  ZALO_BOT_TOKEN: z.string().optional(),
  ZALO_API_ROOT: z.string().url().default("https://bot-api.zaloplatforms.com"),
  ZALO_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,256}$/, "ZALO_WEBHOOK_SECRET: 8-256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  PLAYGROUND: bool,
  DEMO_SEED: bool,
  OUTBOX_RATE_PER_SECOND: z.coerce.number().positive().default(25),
  OUTBOX_CONCURRENCY: z.coerce.number().int().positive().default(8),
  WRONG_CODE_LIMIT: z.coerce.number().int().positive().default(5),
  WRONG_CODE_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  INVITE_CODE_TTL_DAYS: z.coerce.number().int().positive().default(60),
  CONVERSATION_TTL_HOURS: z.coerce.number().int().positive().default(48),
  MAX_WEBHOOK_BODY_BYTES: z.coerce.number().int().positive().default(1_000_000),
});

/** The database named by a MongoDB URI's path (`mongodb://host/myschool?…` → `myschool`), if any. */
export function databaseOfUri(uri: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

/** The URI's database, else MONGODB_DB, else `so-lien-lac`; two different names are an error. */
function databaseName(uri: string, dbVar: string | undefined): string {
  const fromUri = databaseOfUri(uri);
  const fromVar = dbVar || undefined;
  if (fromUri && fromVar && fromUri !== fromVar) {
    throw new ConfigError(`MONGODB_URI names the database "${fromUri}" but MONGODB_DB is "${fromVar}": set only one`);
  }
  return fromUri ?? fromVar ?? "so-lien-lac";
}

/** Typed, validated configuration. */
export interface Config {
  mongo: { uri: string; db: string };
  redis: { url: string; queuePrefix: string };
  role: "all" | "web" | "worker";
  http: { port: number; host: string };
  timeZone: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  defaultLocale: "vi" | "en";
  telegram: { token?: string; apiRoot: string; username?: string };
  /** Zalo Bot Platform; `webhookSecret` (ZALO_WEBHOOK_SECRET, else WEBHOOK_SECRET) is used in webhook mode. */
  zaloBot: { token?: string; apiRoot: string; webhookSecret?: string };
  publicUrl?: string;
  webhookSecret?: string;
  /** The web playground: on when asked for, or when no messenger token is set. */
  playground: boolean;
  /** Seed the demo school on first start (default: when the playground is on). */
  demoSeed: boolean;
  outbox: { ratePerSecond: number; concurrency: number };
  wrongCode: { limit: number; windowSeconds: number };
  inviteCodeTtlDays: number;
  conversationTtlHours: number;
  maxWebhookBodyBytes: number;
}

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses and validates an environment map (normally `process.env`). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  if (e.PUBLIC_URL && !e.WEBHOOK_SECRET) {
    throw new ConfigError("WEBHOOK_SECRET is required when PUBLIC_URL (webhook mode) is set");
  }
  const token = e.TELEGRAM_BOT_TOKEN || undefined;
  const zaloToken = e.ZALO_BOT_TOKEN || undefined;
  const zaloSecret = e.ZALO_WEBHOOK_SECRET ?? e.WEBHOOK_SECRET;
  if (e.PUBLIC_URL && zaloToken && !(zaloSecret && /^[A-Za-z0-9_-]{8,256}$/.test(zaloSecret))) {
    throw new ConfigError("ZALO_WEBHOOK_SECRET (8-256 characters; or a WEBHOOK_SECRET that long) is required when PUBLIC_URL and ZALO_BOT_TOKEN are set");
  }
  const playground = e.PLAYGROUND ?? !(token || zaloToken);
  return {
    mongo: { uri: e.MONGODB_URI, db: databaseName(e.MONGODB_URI, e.MONGODB_DB) },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    role: e.ROLE,
    http: { port: e.PORT, host: e.HOST },
    timeZone: e.TZ,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    telegram: { token, apiRoot: e.TELEGRAM_API_ROOT, username: e.TELEGRAM_BOT_USERNAME },
    zaloBot: { token: zaloToken, apiRoot: e.ZALO_API_ROOT, webhookSecret: zaloSecret },
    publicUrl: e.PUBLIC_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    playground,
    demoSeed: e.DEMO_SEED ?? playground,
    outbox: { ratePerSecond: e.OUTBOX_RATE_PER_SECOND, concurrency: e.OUTBOX_CONCURRENCY },
    wrongCode: { limit: e.WRONG_CODE_LIMIT, windowSeconds: e.WRONG_CODE_WINDOW_SECONDS },
    inviteCodeTtlDays: e.INVITE_CODE_TTL_DAYS,
    conversationTtlHours: e.CONVERSATION_TTL_HOURS,
    maxWebhookBodyBytes: e.MAX_WEBHOOK_BODY_BYTES,
  };
}
