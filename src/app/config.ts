/**
 * The only reader of `process.env`. Every variable is documented in `.env.example`.
 *
 * @example
 * const config = loadConfig(process.env)
 * if (config.telegram.token) startTelegram(config)
 */
import { z } from "zod";
import { keyPrefix } from "../jobs/redis.js";

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
  // The schools' time zone when a school sets none (the process's TZ plays no part in reading or showing times).
  SCHOOL_TIME_ZONE: z.string().default("Asia/Ho_Chi_Minh").refine(isTimeZone, "SCHOOL_TIME_ZONE must be an IANA time zone such as Asia/Ho_Chi_Minh"),
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
  ZALO_OA_APP_ID: z.string().regex(/^\d{1,32}$/, "ZALO_OA_APP_ID: the app's numeric id").optional(),
  ZALO_OA_APP_SECRET: z.string().optional(),
  ZALO_OA_SECRET_KEY: z.string().optional(),
  ZALO_OA_SIGNATURE: z.string().default("app-id+oa-secret"),
  ZALO_OA_TOKEN_KEY: z.string().optional(),
  ZALO_OA_PKCE_VERIFIER: z.string().regex(/^[A-Za-z0-9_-]{43,128}$/, "ZALO_OA_PKCE_VERIFIER: 43-128 base64url characters").optional(),
  ZALO_OA_API_ROOT: z.string().url().default("https://openapi.zalo.me"),
  ZALO_OA_OAUTH_ROOT: z.string().url().default("https://oauth.zaloapp.com"),
  ZALO_OA_BUSINESS_API_ROOT: z.string().url().default("https://business.openapi.zalo.me"),
  ZALO_OA_BUTTONS: z.enum(["oa-query", "numbered"]).default("oa-query"),
  ZALO_OA_BUTTON_TITLE_MAX: z.coerce.number().int().min(1).max(100).default(20),
  ZALO_OA_TEMPLATE_MODE: z.enum(["production", "development"]).default("production"),
  ZALO_OA_FREE_WINDOW_HOURS: z.coerce.number().positive().default(48),
  ZALO_OA_PAID_WINDOW_DAYS: z.coerce.number().positive().default(7),
  ZALO_OA_ID: z.string().regex(/^\d{1,32}$/, "ZALO_OA_ID: the OA's numeric id").optional(),
  ZALO_OA_SCHOOL: z.string().optional(),
  ZALO_OA_PAID_SENDS: z.enum(["true", "false"]).default("false"),
  ZALO_OA_TEMPLATES: z.string().default(""),
  PUBLIC_URL: z.string().url().optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  NODE_ENV: z.string().default("development"),
  PLAYGROUND: bool,
  PLAYGROUND_PUBLIC: bool,
  PLAYGROUND_SESSIONS_PER_HOUR: z.coerce.number().int().positive().default(20),
  PLAYGROUND_SENDS_PER_MINUTE: z.coerce.number().int().positive().default(120),
  DEMO_SEED: bool,
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN: at least 16 characters").optional(),
  OUTBOX_RATE_PER_SECOND: z.coerce.number().positive().default(30),
  OUTBOX_CONCURRENCY: z.coerce.number().int().positive().default(8),
  OUTBOX_LOCK_SECONDS: z.coerce.number().positive().default(30),
  WRONG_CODE_LIMIT: z.coerce.number().int().positive().default(5),
  WRONG_CODE_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  INVITE_CODE_TTL_DAYS: z.coerce.number().int().positive().default(60),
  CONVERSATION_TTL_HOURS: z.coerce.number().int().positive().default(48),
  DELIVERY_PAYLOAD_RETENTION_HOURS: z.coerce.number().int().positive().default(72),
  INBOUND_RETENTION_DAYS: z.coerce.number().int().positive().default(7),
  CONCERN_TEXT_RETENTION_MONTHS: z.coerce.number().int().positive().default(12),
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
  /** `queuePrefix` prefixes every Redis key; on a Redis Cluster it is a hash tag (`keyPrefix`). */
  redis: { url: string; queuePrefix: string };
  role: "all" | "web" | "worker";
  http: { port: number; host: string };
  timeZone: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  defaultLocale: "vi" | "en";
  telegram: { token?: string; apiRoot: string; username?: string };
  /** Zalo Bot Platform; `webhookSecret` (ZALO_WEBHOOK_SECRET, else WEBHOOK_SECRET) is used in webhook mode. */
  zaloBot: { token?: string; apiRoot: string; webhookSecret?: string };
  /** Zalo Official Account (OA v3 + ZBS templates); absent unless ZALO_OA_APP_ID is set. */
  zaloOa?: ZaloOaConfig;
  publicUrl?: string;
  webhookSecret?: string;
  /**
   * The web playground: on when asked for (PLAYGROUND=true), or in development when no messenger
   * token is set; never on by itself with NODE_ENV=production. Only on loopback unless
   * PLAYGROUND_PUBLIC=true, and always against its own database (`<db>-playground`).
   */
  playground: boolean;
  /** New playground sessions per client address an hour, and sends per session a minute. */
  playgroundLimits: { sessionsPerHour: number; sendsPerMinute: number };
  /** Bearer token for /metrics and /readyz; without it they answer loopback clients only. */
  metricsToken?: string;
  /** Seed the demo school on first start (default: when the playground is on). */
  demoSeed: boolean;
  /** `lockSeconds`: a killed worker's in-flight sends are taken over by another after about this long. */
  outbox: { ratePerSecond: number; concurrency: number; lockSeconds: number };
  wrongCode: { limit: number; windowSeconds: number };
  inviteCodeTtlDays: number;
  conversationTtlHours: number;
  /** Hours a delivered message's text stays in its outbox record after the terminal mark. */
  deliveryPayloadRetentionHours: number;
  /** Days processed inbound events and their recorded turns (reply texts) are kept. */
  inboundRetentionDays: number;
  /** Months after its school year ended that a resolved concern keeps its texts. */
  concernTextRetentionMonths: number;
  maxWebhookBodyBytes: number;
}

/** Settings of the Zalo OA channel (src/channels/zalo-oa); where sources disagree, a setting. */
export interface ZaloOaConfig {
  appId: string;
  appSecret: string;
  /** OA Secret Key from the app's Webhook page (webhook signatures). */
  secretKey: string;
  /** Accepted `X-ZEvent-Signature` formulas, tried in order (bring-up: list several, then keep the one logged). */
  signatureFormulas: ("app-id+oa-secret" | "oa-id+oa-secret" | "app-id+app-secret")[];
  /** AES-256-GCM key for tokens at rest (32 bytes). */
  tokenKey: Buffer;
  /** The fixed PKCE verifier matching the console's Code Challenge; unset: one per connection. */
  pkceVerifier?: string;
  apiRoot: string;
  oauthRoot: string;
  businessApiRoot: string;
  buttons: "oa-query" | "numbered";
  buttonTitleMax: number;
  templateMode: "production" | "development";
  freeWindowMs: number;
  paidWindowMs: number;
  /** The OA's id (OA Manager → account info); the channel's account. */
  oaId: string;
  /** The school this OA speaks for (its slug): whose admins hear about the connection. */
  schoolSlug?: string;
  /** Consultation messages 48 h – 7 days after a guardian's last interaction are billed: off unless enabled. */
  paidSends: boolean;
  /** Approved ZBS template ids per kind of message ("notice", "meeting-invitation", "reminder"). */
  templates: Record<string, string>;
}

const SIGNATURE_FORMULAS = ["app-id+oa-secret", "oa-id+oa-secret", "app-id+app-secret"] as const;

function zaloOaConfig(e: z.infer<typeof schema>): ZaloOaConfig | undefined {
  if (!e.ZALO_OA_APP_ID) return undefined;
  const missing = (["ZALO_OA_ID", "ZALO_OA_APP_SECRET", "ZALO_OA_SECRET_KEY", "ZALO_OA_TOKEN_KEY"] as const).filter((k) => !e[k]);
  if (missing.length > 0) throw new ConfigError(`${missing.join(", ")} required when ZALO_OA_APP_ID is set`);
  const keyText = e.ZALO_OA_TOKEN_KEY!;
  const tokenKey = /^[0-9a-fA-F]{64}$/.test(keyText) ? Buffer.from(keyText, "hex") : Buffer.from(keyText, "base64");
  if (tokenKey.length !== 32) throw new ConfigError("ZALO_OA_TOKEN_KEY: 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)");
  const formulas = e.ZALO_OA_SIGNATURE.split(",").map((f) => f.trim()).filter(Boolean);
  const bad = formulas.filter((f) => !(SIGNATURE_FORMULAS as readonly string[]).includes(f));
  if (bad.length > 0 || formulas.length === 0) throw new ConfigError(`ZALO_OA_SIGNATURE: a comma list of ${SIGNATURE_FORMULAS.join(" | ")}`);
  return {
    appId: e.ZALO_OA_APP_ID, appSecret: e.ZALO_OA_APP_SECRET!, secretKey: e.ZALO_OA_SECRET_KEY!,
    signatureFormulas: formulas as ZaloOaConfig["signatureFormulas"], tokenKey,
    ...(e.ZALO_OA_PKCE_VERIFIER ? { pkceVerifier: e.ZALO_OA_PKCE_VERIFIER } : {}),
    apiRoot: e.ZALO_OA_API_ROOT, oauthRoot: e.ZALO_OA_OAUTH_ROOT, businessApiRoot: e.ZALO_OA_BUSINESS_API_ROOT,
    buttons: e.ZALO_OA_BUTTONS, buttonTitleMax: e.ZALO_OA_BUTTON_TITLE_MAX, templateMode: e.ZALO_OA_TEMPLATE_MODE,
    freeWindowMs: e.ZALO_OA_FREE_WINDOW_HOURS * 3_600_000, paidWindowMs: e.ZALO_OA_PAID_WINDOW_DAYS * 86_400_000,
    oaId: e.ZALO_OA_ID!, ...(e.ZALO_OA_SCHOOL ? { schoolSlug: e.ZALO_OA_SCHOOL } : {}), paidSends: e.ZALO_OA_PAID_SENDS === "true",
    templates: oaTemplates(e.ZALO_OA_TEMPLATES),
  };
}

/** "notice=7895417a,reminder=1234abcd" → {notice: "7895417a", reminder: "1234abcd"}. */
function oaTemplates(text: string): Record<string, string> {
  const pairs = text.split(",").map((p) => p.trim()).filter(Boolean).map((p) => p.split("=").map((x) => x.trim()));
  if (pairs.some((p) => p.length !== 2 || !/^[a-z-]+$/.test(p[0]!) || !/^[A-Za-z0-9]+$/.test(p[1]!)))
    throw new ConfigError("ZALO_OA_TEMPLATES: a comma list of kind=templateId (kinds: notice, meeting-invitation, reminder)");
  return Object.fromEntries(pairs as [string, string][]);
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
  const zaloOa = zaloOaConfig(e);
  const playground = e.PLAYGROUND ?? (!(token || zaloToken || zaloOa) && e.NODE_ENV !== "production");
  if (playground && !isLoopback(e.HOST) && !e.PLAYGROUND_PUBLIC) {
    throw new ConfigError(`The playground listens on loopback only (HOST=${e.HOST}): set HOST=127.0.0.1, turn it off with PLAYGROUND=false, or expose it on purpose with PLAYGROUND_PUBLIC=true`);
  }
  // The playground's fictional school and chats never share a database with a real school.
  const named = databaseName(e.MONGODB_URI, e.MONGODB_DB);
  const db = playground && !/-(demo|playground)$/.test(named) ? `${named}-playground` : named;
  return {
    mongo: { uri: e.MONGODB_URI, db },
    redis: { url: e.REDIS_URL, queuePrefix: keyPrefix(e.REDIS_URL, e.QUEUE_PREFIX) },
    role: e.ROLE,
    http: { port: e.PORT, host: e.HOST },
    timeZone: e.SCHOOL_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    telegram: { token, apiRoot: e.TELEGRAM_API_ROOT, username: e.TELEGRAM_BOT_USERNAME },
    zaloBot: { token: zaloToken, apiRoot: e.ZALO_API_ROOT, webhookSecret: zaloSecret },
    ...(zaloOa ? { zaloOa } : {}),
    publicUrl: e.PUBLIC_URL,
    webhookSecret: e.WEBHOOK_SECRET,
    playground,
    metricsToken: e.METRICS_TOKEN,
    playgroundLimits: { sessionsPerHour: e.PLAYGROUND_SESSIONS_PER_HOUR, sendsPerMinute: e.PLAYGROUND_SENDS_PER_MINUTE },
    demoSeed: e.DEMO_SEED ?? playground,
    outbox: { ratePerSecond: e.OUTBOX_RATE_PER_SECOND, concurrency: e.OUTBOX_CONCURRENCY, lockSeconds: e.OUTBOX_LOCK_SECONDS },
    wrongCode: { limit: e.WRONG_CODE_LIMIT, windowSeconds: e.WRONG_CODE_WINDOW_SECONDS },
    inviteCodeTtlDays: e.INVITE_CODE_TTL_DAYS,
    conversationTtlHours: e.CONVERSATION_TTL_HOURS,
    deliveryPayloadRetentionHours: e.DELIVERY_PAYLOAD_RETENTION_HOURS,
    inboundRetentionDays: e.INBOUND_RETENTION_DAYS,
    concernTextRetentionMonths: e.CONCERN_TEXT_RETENTION_MONTHS,
    maxWebhookBodyBytes: e.MAX_WEBHOOK_BODY_BYTES,
  };
}

/** True for a host name or address that only this machine can reach. */
/** True for a time zone name Intl knows ("Asia/Ho_Chi_Minh"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
