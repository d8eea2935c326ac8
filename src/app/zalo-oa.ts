/**
 * The Zalo Official Account, wired (src/channels/zalo-oa holds the parts): the token manager
 * over the encrypted token store and a Redis lock, the client, the channel and its webhook
 * side facts (last interaction, follow / unfollow → reachable / unreachable), the OAuth
 * connection (`zalo-oa connect` and the callback), the hourly jobs and `zalo-oa status`.
 * Built by the container when `ZALO_OA_*` are set; the CLI builds the parts it needs.
 */
import type { RedisConnection } from "../jobs/redis.js";
import type { ZaloOaConfig } from "./config.js";
import type { Clock, KeyboardMemory, OutboxItem } from "../engine/ports.js";
import type { Address } from "../engine/messages.js";
import { say } from "../engine/say.js";
import type { Database } from "../store/mongo.js";
import { createZaloOaTokenRepository, createZaloOaConnectionRepository } from "../store/zalo-oa-tokens.js";
import { createZaloOaActivityRepository, type ZaloOaActivityRepository } from "../store/zalo-oa-activity.js";
import { toAddress } from "../store/audience.js";
import { createRedisLock } from "../jobs/redis-lock.js";
import { ZaloOaClient } from "../channels/zalo-oa/client.js";
import { OaTokens } from "../channels/zalo-oa/tokens.js";
import { createTokenCipher, type TokenCipher } from "../channels/zalo-oa/token-cipher.js";
import { ZaloOaChannel, type ZaloOaLogger } from "../channels/zalo-oa/oa-channel.js";
import { activityFacts, type OaActivity } from "../channels/zalo-oa/parse-event.js";
import { oauthState, permissionUrl, pkcePair, stateMatches } from "../channels/zalo-oa/oauth.js";
import { phoneRequestCard } from "../channels/zalo-oa/render-outbound.js";
import type { OaPhoneBook, PhoneCardText } from "./zalo-oa-phones.js";

/** A started connection is good for this long (the admin opens the link and approves). */
const CONNECT_WINDOW_MS = 30 * 60_000;

export interface ZaloOaParts {
  config: ZaloOaConfig;
  oaId: string;
  client: ZaloOaClient;
  cipher: TokenCipher;
  tokens: OaTokens;
  activity: ZaloOaActivityRepository;
  connections: ReturnType<typeof createZaloOaConnectionRepository>;
  /** Called after the OAuth callback stored a new token pair (releases what waited for the reconnection). */
  onConnected?: () => Promise<void>;
}

export interface ZaloOaPartsDeps {
  config: ZaloOaConfig;
  db: Database;
  /** Absent in the CLI, which never refreshes. */
  redis?: RedisConnection;
  prefix: string;
  clock: Clock;
  logger?: ZaloOaLogger;
  /** Told once when a refresh was refused (alert the school's admins). */
  onNeedsReconnect?: (oaId: string, reason: string) => Promise<void>;
  fetch?: typeof fetch;
}

/** The token manager, the client and the stores (what the CLI and the app share). */
export function zaloOaParts(d: ZaloOaPartsDeps): ZaloOaParts {
  const c = d.config;
  const client = new ZaloOaClient({ apiRoot: c.apiRoot, oauthRoot: c.oauthRoot, businessRoot: c.businessApiRoot, appId: c.appId, appSecret: c.appSecret, ...(d.fetch ? { fetch: d.fetch } : {}) });
  const cipher = createTokenCipher(c.tokenKey);
  // The lock outlives the token call's 15 s timeout (reference §6.3).
  const lock = d.redis ? createRedisLock(d.redis, { prefix: d.prefix, ttlMs: 30_000 })
    : { withLock: () => Promise.reject(new Error("no Redis in this process: token refresh is the app's")) };
  const tokens = new OaTokens({
    store: createZaloOaTokenRepository(d.db.conn), lock, cipher, refresher: client, now: () => d.clock.now(),
    ...(d.onNeedsReconnect ? { onNeedsReconnect: d.onNeedsReconnect } : {}), ...(d.logger ? { logger: d.logger } : {}),
  });
  return { config: c, oaId: c.oaId, client, cipher, tokens, activity: createZaloOaActivityRepository(d.db.conn), connections: createZaloOaConnectionRepository(d.db.conn) };
}

/** `zalo-oa connect`: stores a PKCE verifier and a state, returns the link the OA admin opens. */
export async function startOaConnection(p: ZaloOaParts, redirectUri: string, now: Date): Promise<{ url: string; state: string; challenge: string }> {
  const { verifier, challenge } = pkcePair(p.config.pkceVerifier);
  const state = oauthState();
  await p.connections.start({ state, verifierSealed: p.cipher.seal(verifier, `connect:${state}`), createdAt: now });
  return { url: permissionUrl({ oauthRoot: p.config.oauthRoot, appId: p.config.appId, redirectUri, challenge, state }), state, challenge };
}

export type OaCallbackResult = { status: 200 | 400 | 409 | 502; outcome: "connected" | "bad-request" | "unknown-state" | "expired" | "used" | "wrong-oa" | "exchange-failed" };

/** `GET /zalo-oa/oauth/callback?code&oa_id&state`: checks the state, exchanges the code with its verifier, stores the first pair. */
export async function completeOaConnection(p: ZaloOaParts, q: { code?: string; state?: string; oa_id?: string }, now: Date, log?: ZaloOaLogger): Promise<OaCallbackResult> {
  if (!q.code || !q.state || q.code.length > 512 || q.state.length > 128) return { status: 400, outcome: "bad-request" };
  const pending = await p.connections.find(q.state);
  if (!pending || !stateMatches(q.state, pending.state)) return { status: 400, outcome: "unknown-state" };
  if (now.getTime() - pending.createdAt.getTime() > CONNECT_WINDOW_MS) return { status: 400, outcome: "expired" };
  if (q.oa_id && q.oa_id !== p.oaId) return { status: 400, outcome: "wrong-oa" };
  if (!(await p.connections.use(q.state, now))) return { status: 409, outcome: "used" };
  try {
    const pair = await p.client.exchangeCode(q.code, p.cipher.open(pending.verifierSealed, `connect:${q.state}`));
    await p.tokens.connect(p.oaId, pair);
  } catch (err) {
    log?.error({ err, oaId: p.oaId }, "zalo oa code exchange failed");
    return { status: 502, outcome: "exchange-failed" };
  }
  log?.info({ oaId: p.oaId }, "zalo oa connected");
  try {
    await p.onConnected?.();
  } catch (err) {
    // Connected all the same; the held deliveries still go when each guardian writes.
    log?.error({ err, oaId: p.oaId }, "zalo oa connected, but releasing the held deliveries failed");
  }
  return { status: 200, outcome: "connected" };
}

/** What `zalo-oa status` prints. */
export async function oaStatus(p: ZaloOaParts, db: Database, now: Date) {
  const token = await p.tokens.status(p.oaId);
  const lastWebhook = await p.activity.lastSeen(p.oaId);
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const usage = await routeUsage(db, since);
  return {
    oaId: p.oaId,
    token: token.state === "not-connected" ? { state: token.state }
      : { state: token.state, accessExpiresAt: token.accessExpiresAt.toISOString(), refreshExpiresAt: token.refreshExpiresAt.toISOString(), ...(token.reason ? { reason: token.reason } : {}) },
    lastWebhookAt: lastWebhook?.toISOString() ?? null,
    // Zalo meters paid consultation and template messages: our count over 30 days.
    quota: { since: since.toISOString(), ...usage, paidSendsEnabled: p.config.paidSends, templates: p.config.templates },
  };
}

/** Messages sent per route over the OA since `since`, from the deliveries' route facts. */
async function routeUsage(db: Database, since: Date): Promise<{ free: number; paid: number; template: number; held: number; otherChannel: number }> {
  const rows = await db.models.DeliveryMark.find({ kind: /^route-/, at: { $gte: since } }).lean();
  const n = { free: 0, paid: 0, template: 0, held: 0, otherChannel: 0 };
  for (const r of rows) {
    const e = String(r.error ?? "");
    if (e.endsWith(":free")) n.free++;
    else if (e.endsWith(":paid")) n.paid++;
    else if (e.startsWith("template")) n.template++;
    else if (e.startsWith("hold")) n.held++;
    else if (e.startsWith("other-channel")) n.otherChannel++;
  }
  return n;
}

export interface ZaloOaApp extends ZaloOaParts {
  channel: ZaloOaChannel;
  /** Hourly: refresh ahead of expiry (under the lock); 1 when a refresh happened. */
  refreshAhead(): Promise<number>;
  /** Daily: drops interaction facts older than the paid window (they no longer open anything). */
  pruneActivity(): Promise<number>;
}

export interface ZaloOaAppDeps extends ZaloOaPartsDeps {
  logger: ZaloOaLogger;
  commandWords: Iterable<string>;
  /** Marks the identity of an address reachable or unreachable (follow / unfollow). */
  setReachable(address: Address, reachable: boolean): Promise<void>;
  /** Called after an interaction was recorded (releases deliveries held for this follower). */
  onInteraction?(address: Address): Promise<void>;
  /** Called after a (re)connection through the OAuth callback (releases deliveries held while disconnected). */
  onConnected?(): Promise<void>;
  /** The outbox (for the admins' alert). */
  enqueue(items: OutboxItem[]): Promise<void>;
  /** Consented phones for templates by phone: stored from `user_submit_info`, asked for once after a guardian's turn. */
  phones?: OaPhoneBook;
  /** The phone card's texts in a language. */
  phoneCard?(locale: string): PhoneCardText;
  /**
   * The process's memory of each chat's last buttons, written at once (the container's
   * `batchedKeyboards(...).now`): the channel remembers its replies' buttons there and reads a
   * typed number back from it, the same memory the engine and the outbox's batches use.
   */
  keyboards: KeyboardMemory;
}

/** Builds the OA channel and everything around it. */
export function wireZaloOa(d: ZaloOaAppDeps): ZaloOaApp {
  const p: ZaloOaParts = zaloOaParts({ ...d, onNeedsReconnect: async (oaId, reason) => {
    d.logger.warn({ oaId, reason }, "zalo oa needs reconnect; alerting the school's admins");
    await d.enqueue(await reconnectAlerts(d, p, oaId));
  } });
  if (d.onConnected) p.onConnected = () => d.onConnected!();
  const address = (userId: string): Address => ({ channel: "zalo-oa", account: p.oaId, userId, chatId: userId });
  const onActivity = async (a: OaActivity) => {
    for (const fact of activityFacts(a)) await p.activity.record(fact);
    if (!a.userId || (a.oaId && a.oaId !== p.oaId)) return;
    if (a.follow) await d.setReachable(address(a.userId), a.follow === "follow");
    if (a.sharedInfo?.phone && d.phones) await keepPhone(a.userId, a.sharedInfo.phone, a.at);
    if (a.interaction && d.onInteraction) await d.onInteraction(address(a.userId));
  };
  const identityOf = (userId: string) => d.db.models.ChannelIdentity.findOne({ channel: "zalo-oa", account: p.oaId, externalUserId: userId }).lean();
  // The answer to the card is the consent. Never log the number.
  const keepPhone = async (userId: string, phone: string, at: Date) => {
    const identity = await identityOf(userId);
    if (!identity) return d.logger.info({ oaId: p.oaId }, "zalo oa: a phone shared by a follower who is not linked was not kept");
    const kept = await d.phones!.consent({ identityId: identity._id, address: address(userId), phone, at, cardText: d.phoneCard?.(identity.locale || "vi").subtitle ?? "" });
    d.logger.info({ oaId: p.oaId, identityId: identity._id, kept }, kept ? "zalo oa: consented phone kept (sealed)" : "zalo oa: a shared phone ZBS cannot use was not kept");
  };
  // Guardians already asked (or known to have a phone) in this process: no reads on their next turns.
  const settled = new Set<string>();
  // `asked`: the guardian tapped the menu item (show it again); otherwise once per identity.
  const askPhone = async (to: Address, asked = false) => {
    if (!d.phones || !d.phoneCard || Object.keys(d.config.templates).length === 0 || (!asked && settled.has(to.userId))) return;
    const identity = await identityOf(to.userId);
    if (!identity || !(await d.db.models.GuardianLink.exists({ identityId: identity._id }))) return;
    if (settled.size > 10_000) settled.clear();
    settled.add(to.userId);
    if (!asked && (await d.phones.repo.latest(identity._id))) return;
    if (!(await d.phones.decideAsk(identity._id, to, d.clock.now())) && !asked) return;
    const card = phoneRequestCard(d.phoneCard(identity.locale || "vi"));
    await p.tokens.withAccessToken(p.oaId, (token) => p.client.sendConsultation(token, to.userId, card));
  };
  const channel = new ZaloOaChannel({
    oaId: p.oaId, client: p.client, tokens: p.tokens, keyboards: d.keyboards,
    commandWords: d.commandWords, render: { buttons: d.config.buttons, maxTitle: d.config.buttonTitleMax },
    webhook: { appId: d.config.appId, oaSecret: d.config.secretKey, appSecret: d.config.appSecret, formulas: d.config.signatureFormulas },
    logger: d.logger, onActivity, afterTurn: (to) => askPhone(to), onPhoneMenu: (to) => askPhone(to, true), now: () => d.clock.now(),
  });
  return {
    ...p, channel,
    async refreshAhead() {
      const result = await p.tokens.refreshAhead(p.oaId);
      if (result !== "refreshed" && result !== "fresh") d.logger.info({ oaId: p.oaId, result }, "zalo oa token not refreshed");
      return result === "refreshed" ? 1 : 0;
    },
    pruneActivity: () => p.activity.pruneBefore(new Date(d.clock.now().getTime() - d.config.paidWindowMs - 86_400_000)),
  };
}

/** One alert per admin, principal and vice-principal of the OA's school, on their other channels, keyed by the token generation (sent once). */
async function reconnectAlerts(d: ZaloOaAppDeps, p: ZaloOaParts, oaId: string): Promise<OutboxItem[]> {
  const { models } = d.db;
  const school = d.config.schoolSlug ? await models.School.findOne({ slug: d.config.schoolSlug }).lean() : undefined;
  if (!school) {
    d.logger.warn({ oaId }, "zalo oa needs reconnect but ZALO_OA_SCHOOL names no school: nobody alerted in the bot");
    return [];
  }
  const status = await p.tokens.status(oaId);
  const generation = status.state === "not-connected" ? 0 : status.version;
  const roles = await models.StaffRole.find({ schoolId: school._id, role: { $in: ["admin", "principal", "vice-principal"] } }).lean();
  const identities = await models.ChannelIdentity.find({ _id: { $in: [...new Set(roles.map((r) => r.identityId))] }, channel: { $ne: "zalo-oa" }, reachable: { $ne: false } }).lean();
  return identities.map((i) => ({ key: `zalo-oa-reconnect:${oaId}:${generation}:${i._id}`, recipient: toAddress(i), messages: [say("zalo-oa-needs-reconnect")] }));
}
