/**
 * The OA's access token, kept alive across processes (shared/reference/zalo.md §1.2, §6.3).
 * Access tokens live 25 h; refresh tokens live 3 months and are **single use**: the old one
 * dies when a refresh succeeds, so two processes refreshing at once would lose the grant.
 * Hence:
 *
 * - a refresh runs under a cross-process lock per OA (Redis, `src/jobs/redis-lock.ts`), and
 *   re-reads the stored pair inside it (another process may have just rotated it);
 * - the new pair is written durably (a new generation, an insert) **before** it is used;
 * - on an `auth` error (-216, -220, ZBS -124) `withAccessToken` refreshes once and retries once;
 * - a refused refresh marks the OA "needs reconnect" (a fact on that generation), calls
 *   `onNeedsReconnect` (alert the school's admins) and stops: every later call fails fast with
 *   `OaNeedsReconnectError` until an admin connects again (`connect`).
 *
 * Tokens are sealed with AES-256-GCM before they reach the store and opened only here.
 */
import { ZaloOaTokenError, failureClassOf } from "./errors.js";
import type { OaTokenPair } from "./client.js";
import type { TokenCipher } from "./token-cipher.js";
import type { OaTokenGeneration } from "../../store/zalo-oa-tokens.js";

/** One stored token pair, values sealed: the store's record (src/store/zalo-oa-tokens.ts). */
export type { OaTokenGeneration } from "../../store/zalo-oa-tokens.js";

/** The port this module needs from the store (implemented by `createZaloOaTokenRepository`). */
export interface OaTokenStore {
  latest(oaId: string): Promise<OaTokenGeneration | undefined>;
  insert(generation: OaTokenGeneration): Promise<boolean>;
  markNeedsReconnect(fault: { oaId: string; version: number; reason: string; at: Date }): Promise<void>;
  fault(oaId: string, version: number): Promise<{ reason: string; at: Date } | undefined>;
  prune(oaId: string, keep: number): Promise<number>;
}

export interface OaTokenLock {
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface OaTokensOptions {
  store: OaTokenStore;
  lock: OaTokenLock;
  cipher: TokenCipher;
  refresher: { refreshAccessToken(refreshToken: string): Promise<OaTokenPair> };
  now?: () => Date;
  /** Refresh when the access token expires within this (default 5 min). */
  refreshAheadMs?: number;
  /** Generations kept (default 3: the current pair and two older ones, for audit). */
  keepGenerations?: number;
  /** Told once when a refresh was refused (alert the school's admins in the bot). */
  onNeedsReconnect?: (oaId: string, reason: string) => Promise<void>;
  logger?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class OaNotConnectedError extends Error {
  override name = "OaNotConnectedError";
  constructor(readonly oaId: string) { super(`Zalo OA ${oaId} is not connected (run: zalo-oa connect)`); }
}

/** The refresh token was refused: a human must connect the OA again. Never retried. */
export class OaNeedsReconnectError extends Error {
  override name = "OaNeedsReconnectError";
  constructor(readonly oaId: string, readonly reason: string) { super(`Zalo OA ${oaId} needs to be reconnected (${reason})`); }
}

export type OaTokenStatus =
  | { state: "not-connected" }
  | { state: "connected" | "needs-reconnect"; version: number; accessExpiresAt: Date; refreshExpiresAt: Date; reason?: string };

/** A refresh token is valid for 3 months from issue. */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

export class OaTokens {
  private readonly now: () => Date;
  private readonly aheadMs: number;
  constructor(private readonly o: OaTokensOptions) {
    this.now = o.now ?? (() => new Date());
    this.aheadMs = o.refreshAheadMs ?? 5 * 60_000;
  }

  /** Stores the first pair (OAuth callback, or a pair from the API Explorer) as the newest generation. */
  async connect(oaId: string, pair: OaTokenPair): Promise<void> {
    for (;;) {
      const latest = await this.o.store.latest(oaId);
      if (await this.o.store.insert(this.generation(oaId, (latest?.version ?? 0) + 1, pair, "connect"))) return;
    }
  }

  /** A valid access token, refreshed first when it expires within `refreshAheadMs`. */
  async accessToken(oaId: string): Promise<string> {
    const gen = await this.current(oaId);
    if (gen.accessExpiresAt.getTime() - this.now().getTime() > this.aheadMs) return this.open(gen, "access");
    return (await this.refresh(oaId)).accessToken;
  }

  /** Calls `call` with a token; on an auth error, refreshes once and calls once more. */
  async withAccessToken<T>(oaId: string, call: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken(oaId);
    try {
      return await call(token);
    } catch (err) {
      if (failureClassOf(err) !== "auth") throw err;
      const { accessToken } = await this.refresh(oaId, { rejected: token });
      return call(accessToken);
    }
  }

  /**
   * Refreshes under the OA's lock unless the stored pair is already fresh (another process
   * refreshed it while we waited): `refreshed` tells whether this call used the refresh token.
   * `rejected` is an access token the API just refused: refresh even if it looks fresh.
   * `withinMs` (proactive job) refreshes when expiry is closer than that.
   */
  async refresh(oaId: string, opts: { rejected?: string; withinMs?: number } = {}): Promise<{ accessToken: string; refreshed: boolean }> {
    return this.o.lock.withLock(`zalo-oa-refresh:${oaId}`, async () => {
      const gen = await this.current(oaId);
      const current = this.open(gen, "access");
      const left = gen.accessExpiresAt.getTime() - this.now().getTime();
      const rejectedThis = opts.rejected !== undefined && opts.rejected === current;
      if (!rejectedThis && left > Math.max(this.aheadMs, opts.withinMs ?? 0)) return { accessToken: current, refreshed: false };

      let pair: OaTokenPair;
      try {
        pair = await this.o.refresher.refreshAccessToken(this.open(gen, "refresh"));
      } catch (err) {
        if (!(err instanceof ZaloOaTokenError) || !err.terminal) throw err;
        const again = await this.o.store.latest(oaId);
        if (again && again.version > gen.version) return { accessToken: this.open(again, "access"), refreshed: false };
        const reason = `refresh-refused:${err.code ?? "no-access-token"}`;
        await this.o.store.markNeedsReconnect({ oaId, version: gen.version, reason, at: this.now() });
        this.o.logger?.error({ oaId, version: gen.version, code: err.code }, "zalo oa refresh refused; the OA needs to be reconnected");
        await this.o.onNeedsReconnect?.(oaId, reason).catch((e: unknown) => this.o.logger?.error({ err: e, oaId }, "needs-reconnect alert failed"));
        throw new OaNeedsReconnectError(oaId, reason);
      }
      // Durable before use. The lock makes a conflict impossible unless it expired mid-refresh;
      // then our pair is the newest issued, so it goes on top.
      for (let version = gen.version + 1; !(await this.o.store.insert(this.generation(oaId, version, pair, "refresh"))); version++)
        this.o.logger?.error({ oaId, version }, "zalo oa token generation taken while refreshing under the lock");
      this.o.logger?.info({ oaId, version: gen.version + 1 }, "zalo oa access token refreshed");
      await this.o.store.prune(oaId, this.o.keepGenerations ?? 3).catch(() => 0);
      return { accessToken: pair.accessToken, refreshed: true };
    });
  }

  /**
   * For the hourly job: refreshes when the access token expires within `withinMs` (default 6 h,
   * so one missed run never lets a 25 h token lapse, and the refresh token never nears its
   * 3 months). A channel already waiting for reconnection is left alone (its admins were told).
   */
  async refreshAhead(oaId: string, withinMs = 6 * 3_600_000): Promise<"refreshed" | "fresh" | "needs-reconnect" | "not-connected"> {
    try {
      return (await this.refresh(oaId, { withinMs })).refreshed ? "refreshed" : "fresh";
    } catch (err) {
      if (err instanceof OaNeedsReconnectError) return "needs-reconnect";
      if (err instanceof OaNotConnectedError) return "not-connected";
      throw err;
    }
  }

  /** What `zalo-oa status` shows. */
  async status(oaId: string): Promise<OaTokenStatus> {
    const gen = await this.o.store.latest(oaId);
    if (!gen) return { state: "not-connected" };
    const fault = await this.o.store.fault(oaId, gen.version);
    const refreshExpiresAt = new Date(gen.refreshIssuedAt.getTime() + REFRESH_TOKEN_LIFETIME_MS);
    return { state: fault ? "needs-reconnect" : "connected", version: gen.version, accessExpiresAt: gen.accessExpiresAt, refreshExpiresAt, ...(fault ? { reason: fault.reason } : {}) };
  }

  private async current(oaId: string): Promise<OaTokenGeneration> {
    const gen = await this.o.store.latest(oaId);
    if (!gen) throw new OaNotConnectedError(oaId);
    const fault = await this.o.store.fault(oaId, gen.version);
    if (fault) throw new OaNeedsReconnectError(oaId, fault.reason);
    return gen;
  }

  private generation(oaId: string, version: number, pair: OaTokenPair, source: "connect" | "refresh"): OaTokenGeneration {
    const now = this.now();
    return {
      oaId, version, source, createdAt: now, refreshIssuedAt: now,
      accessSealed: this.o.cipher.seal(pair.accessToken, `${oaId}#${version}:access`),
      refreshSealed: this.o.cipher.seal(pair.refreshToken, `${oaId}#${version}:refresh`),
      accessExpiresAt: new Date(now.getTime() + pair.expiresInSeconds * 1000),
    };
  }

  private open(gen: OaTokenGeneration, field: "access" | "refresh"): string {
    return this.o.cipher.open(field === "access" ? gen.accessSealed : gen.refreshSealed, `${gen.oaId}#${gen.version}:${field}`);
  }
}
