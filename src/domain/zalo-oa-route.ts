/**
 * Which route a message to one guardian takes when the school speaks through its Zalo Official
 * Account — the decision ladder of shared/reference/zalo.md §6.6, as a pure function:
 *
 * 1. **consultation, free** — the guardian interacted with the OA less than 48 h ago;
 * 2. **consultation, paid** — 48 h to 7 days, only when the school enabled paid sends;
 * 3. **ZBS template** — the school has an approved template for this kind of message: by OA
 *    user id when we hold it, else by a phone number the guardian explicitly agreed to share;
 * 4. **other channel** — the guardian's other linked messenger (Telegram, the Zalo Bot), in
 *    the guardian's order of preference;
 * 5. **hold** — kept and delivered the next time the guardian writes (and, when a template
 *    only failed for the night or a daily quota, retried at `retryAt`).
 *
 * Earlier failures of the same delivery (`failures`) move it down the ladder: a `window` or
 * `quota` error closes consultation, a template's `window` error closes that recipient (try
 * the phone after the user id), `quota`/`config`/`permanent` close templates (a template
 * rejected by Zalo → next route), the night ban defers templates to 06:00. `auth` and
 * `transient` failures change nothing (same route again, after a refresh or a backoff).
 * Nothing here reads the clock.
 */
import { localParts, zonedInstant } from "./time.js";

/** How an OA / ZBS failure is handled (see src/channels/zalo-oa/errors.ts for the code table). */
export type OaFailureClass = "auth" | "transient" | "window" | "quota" | "permanent" | "config";
/** When a closed route may work again. */
export type OaReopens = "next-interaction" | "morning" | "tomorrow";

/** One earlier attempt of this delivery that failed. */
export interface OaRouteFailure {
  route: "consultation" | "template-user-id" | "template-phone" | "other-channel";
  klass: OaFailureClass;
  reopens?: OaReopens;
  /** For `other-channel`: which channel failed. */
  channel?: string;
}

/** The school's OA settings that matter for routing. */
export interface OaSchoolRouting {
  /** Consultation messages 48 h – 7 days after the last interaction are billed; off unless enabled. */
  paidSendsEnabled: boolean;
  /** Approved ZBS template id per kind of message ("meeting-invitation", "reminder", "notice"). */
  templates: Readonly<Partial<Record<string, string>>>;
}

export interface OaRouteInput {
  now: Date;
  /** The guardian's last interaction with the OA (message, follow, button, chat-now); unknown → never. */
  lastInteractionAt?: Date;
  /** False once the guardian unfollowed the OA (consultation is then refused with -213). */
  follower: boolean;
  /** The OA user id, when the guardian is linked on the OA. */
  oaUserId?: string;
  /** A phone number the guardian explicitly agreed to share for template messages. */
  phoneShared: boolean;
  /** The kind of message, the key of `school.templates`. */
  messageKind: string;
  school: OaSchoolRouting;
  /** The guardian's other linked channels, preferred first (never "zalo-oa"). */
  otherChannels: readonly string[];
  failures?: readonly OaRouteFailure[];
  /** Window lengths (settings; defaults 48 h and 7 days). */
  windows?: { freeMs: number; paidMs: number };
  /** Time zone of the night ban and daily quotas (default Asia/Ho_Chi_Minh); the ban ends at `morning` minutes (06:00). */
  timeZone?: string;
  morning?: number;
}

export type OaRoute =
  | { route: "consultation"; cost: "free" | "paid" }
  | { route: "template"; by: "user-id" | "phone"; templateId: string; cost: "template" }
  | { route: "other-channel"; channel: string; cost: "none" }
  | { route: "hold"; reason: OaHoldReason; retryAt?: Date; cost: "none" };

export type OaHoldReason = "window-closed" | "no-template" | "template-deferred" | "all-routes-failed";

export const FREE_WINDOW_MS = 48 * 3_600_000;
export const PAID_WINDOW_MS = 7 * 86_400_000;

/** The route for one guardian now. */
export function decideOaRoute(input: OaRouteInput): OaRoute {
  const failures = input.failures ?? [];
  const closedBy = (route: OaRouteFailure["route"], ...klasses: OaFailureClass[]) =>
    failures.some((f) => f.route === route && klasses.includes(f.klass) && f.reopens !== "morning");

  const cs = consultationCost(input);
  if (cs && input.oaUserId && !closedBy("consultation", "window", "quota", "config", "permanent")) return { route: "consultation", cost: cs };

  const templateId = input.school.templates[input.messageKind];
  const templatesDead = failures.some((f) => f.route.startsWith("template-") && ["quota", "config", "permanent"].includes(f.klass));
  const nightFailure = failures.find((f) => f.route.startsWith("template-") && f.reopens === "morning");
  const quotaFailure = failures.find((f) => f.route.startsWith("template-") && f.klass === "quota");
  let retryAt: Date | undefined;
  if (templateId && !templatesDead && !nightFailure) {
    if (input.oaUserId && !closedBy("template-user-id", "window")) return { route: "template", by: "user-id", templateId, cost: "template" };
    if (input.phoneShared && !closedBy("template-phone", "window")) return { route: "template", by: "phone", templateId, cost: "template" };
  } else if (templateId && nightFailure) retryAt = reopeningAt("morning", input);
  else if (templateId && quotaFailure) retryAt = reopeningAt("tomorrow", input);

  const failedChannels = new Set(failures.filter((f) => f.route === "other-channel" && f.klass !== "transient" && f.klass !== "auth").map((f) => f.channel));
  const other = input.otherChannels.find((c) => c !== "zalo-oa" && !failedChannels.has(c));
  if (other) return { route: "other-channel", channel: other, cost: "none" };

  const reason: OaHoldReason = retryAt ? "template-deferred" : !templateId ? "no-template" : failures.length > 0 ? "all-routes-failed" : "window-closed";
  return { route: "hold", reason, ...(retryAt ? { retryAt } : {}), cost: "none" };
}

/** "free" within 48 h of the last interaction, "paid" up to 7 days when enabled, else undefined. */
export function consultationCost(input: Pick<OaRouteInput, "now" | "lastInteractionAt" | "follower" | "school" | "windows">): "free" | "paid" | undefined {
  if (!input.follower || !input.lastInteractionAt) return undefined;
  const age = input.now.getTime() - input.lastInteractionAt.getTime();
  const { freeMs, paidMs } = input.windows ?? { freeMs: FREE_WINDOW_MS, paidMs: PAID_WINDOW_MS };
  if (age < freeMs) return "free";
  if (age < paidMs && input.school.paidSendsEnabled) return "paid";
  return undefined;
}

/** The next 06:00 (`morning`) after `now` for the night ban; 06:00 of the next local day for a daily quota. */
export function reopeningAt(reopens: "morning" | "tomorrow", input: Pick<OaRouteInput, "now" | "timeZone" | "morning">): Date {
  const tz = input.timeZone ?? "Asia/Ho_Chi_Minh";
  const morning = input.morning ?? 6 * 60;
  const p = localParts(input.now, tz);
  for (let i = reopens === "tomorrow" ? 1 : 0; i < 3; i++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + i * 86_400_000);
    const at = zonedInstant({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: Math.floor(morning / 60), minute: morning % 60 }, tz);
    if (at.getTime() > input.now.getTime()) return at;
  }
  return new Date(input.now.getTime() + 86_400_000);
}
