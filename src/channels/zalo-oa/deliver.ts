/**
 * One message to one guardian through the OA, down the route ladder (`decideOaRoute`): try the
 * route, and on a `window` / `quota` / `config` / `permanent` failure record it and decide again,
 * until something was sent or the answer is "other channel" / "hold" — which the caller (the
 * outbox) carries out. `auth` failures were already retried once by the token manager and
 * `transient` ones are thrown for the caller's backoff: a retry repeats only the routes that
 * sent nothing. The outcome names the route and its cost class, to store as a delivery fact.
 */
import type { Outbound } from "../../engine/messages.js";
import { decideOaRoute, type OaRouteFailure, type OaRouteInput } from "../../domain/zalo-oa-route.js";
import type { ZaloOaClient } from "./client.js";
import { ZaloOaError } from "./errors.js";
import { renderOa, type OaRenderOptions } from "./render-outbound.js";
import type { OaTokens } from "./tokens.js";

export interface OaDeliveryDeps {
  client: Pick<ZaloOaClient, "sendConsultation" | "sendTemplateToUser" | "sendTemplateToPhone">;
  tokens: Pick<OaTokens, "withAccessToken">;
  render: OaRenderOptions;
  templateMode?: "production" | "development";
}

export interface OaDeliveryRequest {
  oaId: string;
  /** The messages, as for any channel (sent as consultation messages). */
  outbound: readonly Outbound[];
  /** Everything the route decision needs except earlier failures. */
  routing: Omit<OaRouteInput, "failures">;
  /** The guardian's explicitly shared phone (used only for a template by phone; never logged). */
  phone?: string;
  /** Template parameters for `routing.messageKind`, and the tracking id (≤ 48 chars) for phone sends. */
  template?: { data: Readonly<Record<string, string>>; trackingId: string };
}

export type OaDeliveryOutcome = { failures: OaRouteFailure[] } & (
  | { status: "sent"; route: "consultation"; cost: "free" | "paid"; messageIds: string[] }
  | { status: "sent"; route: "template"; by: "user-id" | "phone"; cost: "template"; messageIds: string[] }
  | { status: "other-channel"; channel: string }
  | { status: "held"; reason: string; retryAt?: Date });

/** Delivers `req` by the first route that works. Throws transient errors (retry later). */
export async function deliverViaOa(deps: OaDeliveryDeps, req: OaDeliveryRequest): Promise<OaDeliveryOutcome> {
  const failures: OaRouteFailure[] = [];
  for (let step = 0; step < 8; step++) {
    const route = decideOaRoute({ ...req.routing, failures });
    if (route.route === "other-channel") return { status: "other-channel", channel: route.channel, failures };
    if (route.route === "hold") return { status: "held", reason: route.reason, ...(route.retryAt ? { retryAt: route.retryAt } : {}), failures };
    const attempt: OaRouteFailure["route"] = route.route === "consultation" ? "consultation" : route.by === "user-id" ? "template-user-id" : "template-phone";
    try {
      if (route.route === "consultation") {
        const messageIds = await sendConsultation(deps, req);
        return { status: "sent", route: "consultation", cost: route.cost, messageIds, failures };
      }
      const messageIds = [await sendTemplate(deps, req, route.by, route.templateId)];
      return { status: "sent", route: "template", by: route.by, cost: "template", messageIds, failures };
    } catch (err) {
      if (!(err instanceof ZaloOaError) || err.klass === "transient" || err.klass === "auth") throw err;
      failures.push({ route: attempt, klass: err.klass, ...(err.reopens ? { reopens: err.reopens } : {}) });
    }
  }
  return { status: "held", reason: "all-routes-failed", failures };
}

async function sendConsultation(deps: OaDeliveryDeps, req: OaDeliveryRequest): Promise<string[]> {
  const userId = req.routing.oaUserId;
  if (!userId) throw new ZaloOaError("message/cs", -213, "no OA user id");
  const ids: string[] = [];
  for (const o of req.outbound)
    if (o.kind !== "keyboard") for (const message of renderOa(o, deps.render).messages)
      ids.push((await deps.tokens.withAccessToken(req.oaId, (t) => deps.client.sendConsultation(t, userId, message))).messageId);
  return ids;
}

async function sendTemplate(deps: OaDeliveryDeps, req: OaDeliveryRequest, by: "user-id" | "phone", templateId: string): Promise<string> {
  const t = { templateId, data: req.template?.data ?? {}, ...(deps.templateMode ? { mode: deps.templateMode } : {}) };
  if (by === "user-id") {
    const userId = req.routing.oaUserId!;
    return (await deps.tokens.withAccessToken(req.oaId, (tok) => deps.client.sendTemplateToUser(tok, userId, t))).messageId;
  }
  if (!req.phone || !req.template) throw new ZaloOaError("template-phone", -108, "no shared phone or tracking id");
  const trackingId = req.template.trackingId;
  const phone = req.phone;
  return (await deps.tokens.withAccessToken(req.oaId, (tok) => deps.client.sendTemplateToPhone(tok, phone, { ...t, trackingId }))).messageId;
}
