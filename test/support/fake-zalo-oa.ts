/**
 * An in-repo fake of the Zalo Official Account platform on `node:http` (loopback), built from
 * shared/reference/zalo.md §1 and §3. One server plays three hosts (point `apiRoot`,
 * `oauthRoot` and `businessRoot` at it):
 *
 * - `POST /v4/oa/access_token` (form body, `secret_key` header): code exchange with PKCE and
 *   refresh. Access tokens expire after `expires_in` = "90000" s (25 h) by the fake's clock;
 *   refresh tokens are single use and rotate: a used one is refused with an OAuth-style body
 *   on HTTP 200 (no `access_token`).
 * - `POST /v3.0/oa/message/cs`: consultation messages, envelope errors inside HTTP 200: -216
 *   unknown token, -220 expired token, -213 not a follower, -232 never interacted, -230 more
 *   than 7 days since the last interaction; between 48 h and 7 days the send succeeds and is
 *   recorded as `paid`; -201 for a text over 2,000 characters or more than 5 buttons.
 *   A `request_user_info` card needs exactly one element with a title (≤ 100) and a subtitle
 *   (≤ 500); `submitInfo` builds the user's answer (`user_submit_info`).
 * - `POST /v3.0/oa/message/template` (by user id) and `POST /message/template` (by phone):
 *   ZBS template sends checked against registered templates (params, `maxLength`), daily quota
 *   (-144), optional night ban (-133, 22:00–06:00 Asia/Ho_Chi_Minh), phone without Zalo
 *   (-118), malformed phone (-108), ZBS token error -124, `mode: development` to a non-admin (-127).
 * - Webhook delivery to the app, signed with the real formula
 *   `sha256hex(app_id + rawBody + timestamp + OA secret)` in `X-ZEvent-Signature: mac=…`, and
 *   the unsigned `{}` probe sent when a webhook URL is saved.
 *
 * Codes the reference does not give are choices, named here: a refused refresh token answers
 * `{error: -14014, error_name: "Invalid refresh token"}`; an unknown or disabled template -146;
 * a template without UID support -249.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";

type Json = Record<string, unknown>;

export interface FakeTemplate { id: string; params: { name: string; maxLength: number }[]; uid: boolean; enabled: boolean }
export interface FakeOaSent {
  endpoint: "message/cs" | "template-uid" | "template-phone";
  to: string;
  cost: "free" | "paid" | "template";
  message?: Json;
  templateId?: string;
  templateData?: Json;
  trackingId?: string;
  at: number;
}
export interface FakeOaFault { endpoint: FakeOaSent["endpoint"] | "access_token"; error: number; message?: string; count?: number }

const HOUR = 3_600_000;
const sha256hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const token = (prefix: string) => `${prefix}-${randomBytes(12).toString("base64url")}`;

export class FakeZaloOa {
  readonly url: string;
  readonly appId = "3608465249409039671";
  readonly appSecret = "fake-app-secret";
  readonly oaId = "2918475639182736455";
  readonly oaSecret = "fake-oa-secret-key";
  /** The fake's clock (ms since epoch); tests move it. */
  now = Date.UTC(2026, 9, 5, 3, 0); // 10:00 in Hà Nội
  /** Token requests currently held by `holdTokenEndpoint`. */
  tokenWaiting = 0;
  private tokenGate?: Promise<void>;
  templateNightBan = false;
  dailyTemplateQuota = Infinity;
  readonly sent: FakeOaSent[] = [];
  /** Every call of the token endpoint, in order. */
  readonly tokenCalls: { grant: string; ok: boolean }[] = [];
  private readonly access = new Map<string, number>(); // token → expiresAt
  private readonly refresh = new Map<string, { used: boolean }>();
  private readonly codes = new Map<string, { challenge: string; expiresAt: number; used: boolean }>();
  private readonly followers = new Set<string>();
  private readonly lastInteraction = new Map<string, number>();
  private readonly phones = new Set<string>();
  private readonly admins = new Set<string>();
  private readonly templates = new Map<string, FakeTemplate>();
  private readonly faults: (FakeOaFault & { remaining: number })[] = [];
  private templateDay = "";
  private templatesToday = 0;

  private constructor(private readonly server: Server) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on("request", (req, res) => void this.onRequest(req, res).catch((err: unknown) => send(res, 500, { error: -1, message: String(err) })));
  }

  static async start(): Promise<FakeZaloOa> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(0, "127.0.0.1", () => resolve()); });
    return new FakeZaloOa(server);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => { this.server.close(() => resolve()); this.server.closeAllConnections(); });
  }

  // ---- control surface ----------------------------------------------------------------------

  advance(ms: number): void { this.now += ms; }
  /** A token pair as the API Explorer hands it out (seeds the store). */
  issueTokens(): { accessToken: string; refreshToken: string; expiresInSeconds: number } {
    const accessToken = token("at"), refreshToken = token("rt");
    this.access.set(accessToken, this.now + 25 * HOUR);
    this.refresh.set(refreshToken, { used: false });
    return { accessToken, refreshToken, expiresInSeconds: 90_000 };
  }
  /** Expires every access token now (Zalo may drop a token before its stated 25 h). */
  expireAccessTokens(): void { for (const t of this.access.keys()) this.access.set(t, this.now); }
  /** An authorization code as the callback would carry it, bound to a PKCE challenge. */
  authorize(challenge: string): string {
    const code = token("code");
    this.codes.set(code, { challenge, expiresAt: this.now + 10 * 60_000, used: false });
    return code;
  }
  /** The user follows the OA (an interaction). */
  follow(userId: string): void { this.followers.add(userId); this.lastInteraction.set(userId, this.now); }
  unfollow(userId: string): void { this.followers.delete(userId); }
  /** The user did something that counts as an interaction `agoMs` before the fake's now. */
  interact(userId: string, agoMs = 0): void { this.lastInteraction.set(userId, this.now - agoMs); }
  registerPhone(phone: string, admin = false): void { this.phones.add(phone); if (admin) this.admins.add(phone); }
  addTemplate(t: Partial<FakeTemplate> & { id: string }): void {
    this.templates.set(t.id, { params: [], uid: true, enabled: true, ...t });
  }
  injectFault(f: FakeOaFault): void { this.faults.push({ ...f, remaining: f.count ?? 1 }); }
  /** Holds every token request until the returned function is called (to line up racers). */
  holdTokenEndpoint(): () => void {
    let release!: () => void;
    this.tokenGate = new Promise<void>((r) => (release = r));
    return () => { this.tokenGate = undefined; release(); };
  }
  refreshCalls(): number { return this.tokenCalls.filter((c) => c.grant === "refresh_token").length; }

  // ---- webhook delivery ---------------------------------------------------------------------

  /** A user event as Zalo sends it (ids and timestamp as strings). Counts as an interaction. */
  userEvent(userId: string, eventName: string, message: Json = {}): Json {
    if (eventName !== "unfollow") this.lastInteraction.set(userId, this.now);
    if (eventName === "follow") this.followers.add(userId);
    if (eventName === "unfollow") this.followers.delete(userId);
    if (eventName === "follow" || eventName === "unfollow")
      return { app_id: this.appId, oa_id: this.oaId, user_id_by_app: `app-${userId}`, event_name: eventName, timestamp: String(this.now), source: "oa_profile", follower: { id: userId } };
    return {
      app_id: this.appId, user_id_by_app: `app-${userId}`, event_name: eventName, timestamp: String(this.now),
      sender: { id: userId }, recipient: { id: this.oaId }, message: { msg_id: randomBytes(10).toString("hex"), ...message },
    };
  }

  /**
   * The answer to a `request_user_info` card: the user filled it in and tapped send (an
   * interaction). `info` sits at the top level here (the reference says the path varies).
   */
  submitInfo(userId: string, info: { name?: string; phone?: string }): Json {
    this.lastInteraction.set(userId, this.now);
    return {
      app_id: this.appId, user_id_by_app: `app-${userId}`, event_name: "user_submit_info", timestamp: String(this.now),
      sender: { id: userId }, recipient: { id: this.oaId }, info: { ...info, user_dob: "", gender: "", full_address: {} },
    };
  }

  /** The signature Zalo puts on `raw` (the real formula). */
  sign(raw: string, timestamp: string, secret = this.oaSecret): string {
    return `mac=${sha256hex(this.appId + raw + timestamp + secret)}`;
  }

  /** POSTs `event` to `url` signed as Zalo does; returns the HTTP status. `signature: false` sends none. */
  async deliver(url: string, event: Json, options: { signature?: string | false } = {}): Promise<number> {
    const raw = JSON.stringify(event);
    const ts = String(event.timestamp ?? "");
    const headers: Record<string, string> = { "content-type": "application/json", "x-zevent-timestamp": ts };
    const signature = options.signature === undefined ? this.sign(raw, ts) : options.signature;
    if (signature) headers["x-zevent-signature"] = signature;
    const res = await fetch(url, { method: "POST", headers, body: raw });
    await res.arrayBuffer();
    return res.status;
  }

  /** The unsigned `{}` Zalo sends when a webhook URL is saved. */
  async probe(url: string): Promise<number> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await res.arrayBuffer();
    return res.status;
  }

  // ---- the API ------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "POST") return send(res, 404, { error: -404, message: "Not found" });
    if (path === "/v4/oa/access_token") return this.tokenEndpoint(req, raw, res);
    const endpoint = path === "/v3.0/oa/message/cs" ? "message/cs" : path === "/v3.0/oa/message/template" ? "template-uid" : path === "/message/template" ? "template-phone" : undefined;
    if (!endpoint) return send(res, 404, { error: -404, message: "Not found" });
    let body: Json;
    try { body = JSON.parse(raw) as Json; } catch { return send(res, 200, { error: -201, message: "body is invalid" }); }
    const tokenHeader = req.headers["access_token"];
    const at = typeof tokenHeader === "string" ? this.access.get(tokenHeader) : undefined;
    const authError = endpoint === "template-phone" ? -124 : undefined;
    if (at === undefined) return send(res, 200, { error: authError ?? -216, message: "Access token is invalid" });
    if (at <= this.now) return send(res, 200, { error: authError ?? -220, message: "Access token has expired" });
    const fault = this.takeFault(endpoint);
    if (fault) return send(res, 200, { error: fault.error, message: fault.message ?? "injected" });
    return send(res, 200, endpoint === "message/cs" ? this.consultation(body) : this.template(endpoint, body));
  }

  private consultation(body: Json): Json {
    const userId = String((body.recipient as Json | undefined)?.user_id ?? "");
    const message = (body.message ?? {}) as Json;
    if (typeof message.text === "string" && [...message.text].length > 2000) return { error: -201, message: "text is invalid" };
    const attachment = message.attachment as Json | undefined;
    const buttons = (attachment?.payload as Json | undefined)?.buttons;
    if (Array.isArray(buttons) && buttons.length > 5) return { error: -201, message: "buttons is invalid" };
    const payload = attachment?.payload as Json | undefined;
    if (payload?.template_type === "request_user_info") {
      // One element with a title and a subtitle (the purpose); lengths are the fake's choice (UNCONFIRMED).
      const elements = payload.elements;
      const e = Array.isArray(elements) && elements.length === 1 ? (elements[0] as Json) : undefined;
      if (!e || typeof e.title !== "string" || !e.title || [...e.title].length > 100 || typeof e.subtitle !== "string" || [...e.subtitle].length > 500)
        return { error: -201, message: "elements is invalid" };
    }
    if (!this.followers.has(userId)) return { error: -213, message: "User has not followed OA" };
    const last = this.lastInteraction.get(userId);
    if (last === undefined) return { error: -232, message: "User has not interacted with the OA" };
    const age = this.now - last;
    if (age > 7 * 24 * HOUR) return { error: -230, message: "User has not interacted with the OA in the past 7 days" };
    const cost = age <= 48 * HOUR ? "free" : "paid";
    this.sent.push({ endpoint: "message/cs", to: userId, cost, message, at: this.now });
    return { error: 0, message: "Success", data: { message_id: randomBytes(10).toString("hex"), user_id: userId, sent_time: String(this.now), quota: { quota_type: "reply", remain: "8", total: "8" } } };
  }

  private template(endpoint: "template-uid" | "template-phone", body: Json): Json {
    const t = this.templates.get(String(body.template_id ?? ""));
    if (!t || !t.enabled) return { error: -146, message: "Template is disabled or does not exist" };
    if (endpoint === "template-uid" && !t.uid) return { error: -249, message: "Template does not support UID" };
    const data = (body.template_data ?? {}) as Json;
    for (const p of t.params) {
      const v = data[p.name];
      if (typeof v !== "string" || [...v.normalize("NFC")].length > p.maxLength) return { error: -201, message: `${p.name} is invalid` };
    }
    let to: string;
    if (endpoint === "template-phone") {
      to = String(body.phone ?? "");
      if (!/^84\d{9,10}$/.test(to)) return { error: -108, message: "Phone number is invalid" };
      if (typeof body.tracking_id !== "string" || !body.tracking_id || body.tracking_id.length > 48) return { error: -201, message: "tracking_id is invalid" };
      if (!this.phones.has(to)) return { error: -118, message: "Zalo account does not exist" };
      if (body.mode === "development" && !this.admins.has(to)) return { error: -127, message: "Development mode sends only to admins" };
    } else {
      to = String(body.user_id ?? "");
    }
    if (this.templateNightBan) {
      const hour = new Date(this.now + 7 * HOUR).getUTCHours();
      if (hour >= 22 || hour < 6) return { error: -133, message: "Cannot send at night" };
    }
    const day = new Date(this.now + 7 * HOUR).toISOString().slice(0, 10);
    if (day !== this.templateDay) { this.templateDay = day; this.templatesToday = 0; }
    if (this.templatesToday >= this.dailyTemplateQuota) return { error: -144, message: "OA has reached the daily quota" };
    this.templatesToday++;
    this.sent.push({ endpoint, to, cost: "template", templateId: t.id, templateData: data, ...(typeof body.tracking_id === "string" ? { trackingId: body.tracking_id } : {}), at: this.now });
    const remaining = this.dailyTemplateQuota === Infinity ? 500 - this.templatesToday : this.dailyTemplateQuota - this.templatesToday;
    return { error: 0, message: "Success", data: { msg_id: randomBytes(10).toString("hex"), sent_time: String(this.now), quota: { dailyQuota: String(this.dailyTemplateQuota === Infinity ? 500 : this.dailyTemplateQuota), remainingQuota: String(remaining) } } };
  }

  private async tokenEndpoint(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    if (this.tokenGate) {
      this.tokenWaiting++;
      await this.tokenGate;
      this.tokenWaiting--;
    }
    const form = new URLSearchParams(raw);
    const grant = form.get("grant_type") ?? "";
    const refuse = (error: number, name: string) => { this.tokenCalls.push({ grant, ok: false }); send(res, 200, { error, error_name: name, error_reason: name, error_description: name }); };
    if (req.headers["secret_key"] !== this.appSecret || form.get("app_id") !== this.appId) return refuse(-14001, "Invalid app");
    const fault = this.takeFault("access_token");
    if (fault) return refuse(fault.error, fault.message ?? "injected");
    if (grant === "refresh_token") {
      const rt = this.refresh.get(form.get("refresh_token") ?? "");
      if (!rt || rt.used) return refuse(-14014, "Invalid refresh token");
      rt.used = true; // single use: dead from now on
    } else if (grant === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      if (!code || code.used || code.expiresAt <= this.now) return refuse(-14019, "Invalid authorization code");
      code.used = true;
      if (createHash("sha256").update(verifier).digest("base64url") !== code.challenge) return refuse(-14020, "Invalid code verifier");
    } else return refuse(-14000, "Invalid grant type");
    const pair = this.issueTokens();
    this.tokenCalls.push({ grant, ok: true });
    send(res, 200, { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: "90000" });
  }

  private takeFault(endpoint: FakeOaFault["endpoint"]): FakeOaFault | undefined {
    const f = this.faults.find((x) => x.endpoint === endpoint && x.remaining > 0);
    if (f) f.remaining--;
    return f;
  }

  /** Is `accessToken` currently accepted? */
  accepts(accessToken: string): boolean {
    const at = this.access.get(accessToken);
    return at !== undefined && at > this.now;
  }
}

function send(res: ServerResponse, status: number, body: Json): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
