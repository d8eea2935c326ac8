/**
 * The outbox's route for a delivery to a guardian on the school's OA (`DeliveryRouter`): the
 * window and cost ladder of `deliverViaOa` (free consultation within 48 h of the guardian's
 * last interaction; 48 h – 7 days only when the school enabled paid sends; else a ZBS template
 * configured for the kind of message; else the guardian's other linked channel; else held
 * until the guardian next writes). The route and its cost class become the delivery's
 * `route-<k>` fact. An OA that needs reconnecting is a closed route, not an error.
 */
import { createHash } from "node:crypto";
import { addressKey, type Address, type Button, type Outbound } from "../engine/messages.js";
import { oaButtonsRef, renderOa } from "../channels/zalo-oa/render-outbound.js";
import type { Clock, KeyboardMemory } from "../engine/ports.js";
import type { DeliveryRecord } from "../store/deliveries.js";
import type { ZaloOaHeldRepository } from "../store/zalo-oa-activity.js";
import type { DeliveryRouter, RoutedOutcome } from "../jobs/outbox.js";
import { deliverViaOa } from "../channels/zalo-oa/deliver.js";
import { toChannelError } from "../channels/zalo-oa/errors.js";
import { OaNeedsReconnectError, OaNotConnectedError } from "../channels/zalo-oa/tokens.js";
import type { ZaloOaParts } from "./zalo-oa.js";

/** The kind of message a delivery group carries (the key of ZALO_OA_TEMPLATES). */
export function messageKindOf(group: string): string {
  if (group.startsWith("n-")) return "notice";
  if (group.startsWith("mrem-")) return "reminder";
  if (/^m(inv|chg|can|min)-/.test(group)) return "meeting-invitation";
  return "other";
}

/** Template parameters: `noi_dung` = the message's first text, trimmed to fit a ZBS paragraph (≤ 400). */
export function templateDataOf(outbound: readonly Outbound[]): Record<string, string> {
  const first = outbound.find((o) => o.kind === "text");
  const text = first && first.kind === "text" ? first.text : "";
  const chars = [...text.normalize("NFC")];
  return { noi_dung: chars.length > 400 ? `${chars.slice(0, 399).join("")}…` : text.normalize("NFC") };
}

/** The hold reason of a delivery that waits for the OA to be connected again. */
const DISCONNECTED = "oa-disconnected";

export interface OaRouterDeps {
  oa: ZaloOaParts;
  held: ZaloOaHeldRepository;
  /**
   * Where the buttons of consultation sends are remembered (a typed "2" or label presses one):
   * the container's batched memory (`batchedKeyboards(...).bulk`), shared with the channel's.
   */
  keyboards: KeyboardMemory;
  clock: Clock;
  /** The guardian's addresses on other channels, preferred first. */
  otherAddresses(identityId: string): Promise<Address[]>;
  /** Adds a held delivery's job again (after `delayMs`). */
  requeue(deliveryId: string, tag: string, delayMs: number): Promise<void>;
  /**
   * Puts a released delivery back into the reconciler's open set, under its new job's tag (the
   * held repository took it out when it was held, so that the reconciler does not send it meanwhile).
   */
  reopen(deliveryId: string, tag: string): Promise<void>;
  /** The phone the guardian agreed to share for templates ("84…"); never logged, never in a job. */
  phoneOf?(identityId: string): Promise<string | undefined>;
}

export interface OaRouter extends DeliveryRouter {
  /** The guardian wrote (the free window is open): what was held for them goes now. */
  releaseFor(userId: string): Promise<number>;
  /** The OA was connected again: every delivery held because it was disconnected goes now (paced by the outbox). */
  releaseDisconnected(): Promise<number>;
}

export function createOaRouter(d: OaRouterDeps): OaRouter {
  const c = d.oa.config;
  const render = { buttons: c.buttons, maxTitle: c.buttonTitleMax };
  // The hold is recorded by the outbox's call of `keep`, once the try is cleared: a release
  // (which finds it in the held set) then never sees a try still in flight, and the held
  // repository settles the open entry before the hold becomes visible to a release.
  // `seen` is the guardian's last interaction the route decision read.
  const hold = (delivery: DeliveryRecord, seen: Date | undefined, reason: string, retryAt?: Date): RoutedOutcome => ({
    status: "held", route: `hold:${reason}:none`,
    async keep() {
      const now = d.clock.now();
      const userId = delivery.recipient.userId;
      const retry = retryAt ? { at: retryAt, job: `at${retryAt.getTime()}` } : undefined;
      // Open entry first (in `hold`), then the delayed job: a crash in between leaves the reconciler to add the job.
      await d.held.hold({ deliveryId: delivery.id, oaId: d.oa.oaId, userId, reason, at: now, ...(retry ? { retry } : {}) });
      if (retry) return d.requeue(delivery.id, retry.job, retry.at.getTime() - now.getTime());
      // A reconnection stores its tokens, and a guardian's message its interaction, before
      // releasing: one that released between our route decision and the hold above did not
      // find it. Looking at that cause again now that the hold is visible closes the gap.
      if (reason === DISCONNECTED) {
        if ((await d.oa.tokens.status(d.oa.oaId)).state === "connected") await releaseDisconnected();
        return;
      }
      const last = (await d.oa.activity.stateOf(d.oa.oaId, userId)).lastInteractionAt;
      if (last && last.getTime() !== seen?.getTime()) await releaseFor(userId);
    },
  });
  // Open first, then the job: a crash in between leaves the reconciler to add the job.
  const release = async (released: { deliveryId: string; at: Date }[]): Promise<number> => {
    for (const h of released) {
      const tag = `r${h.at.getTime()}`;
      await d.reopen(h.deliveryId, tag);
      await d.requeue(h.deliveryId, tag, 0);
    }
    return released.length;
  };
  const releaseDisconnected = async () => release(await d.held.releaseReason(d.oa.oaId, DISCONNECTED));
  const releaseFor = async (userId: string) => release(await d.held.release(d.oa.oaId, userId));
  /**
   * The last buttons the messages showed (a numbered list, or real buttons with the message
   * carrying them), remembered in the outbox's batches; messages without buttons leave the
   * chat's buttons as they are.
   */
  const rememberShown = async (chatKey: string, outbound: readonly Outbound[], messageIds: string[]) => {
    let sent = 0, shown: { keyboard: Button[]; ref?: string } | undefined;
    for (const o of outbound) {
      if (o.kind === "keyboard") continue;
      const r = renderOa(o, render);
      sent += r.messages.length;
      if (r.shown === "numbered") shown = { keyboard: r.keyboard };
      if (r.shown === "buttons") shown = { keyboard: r.keyboard, ref: oaButtonsRef(messageIds[sent - 1] ?? "") };
    }
    if (shown) await d.keyboards.remember(chatKey, shown.keyboard, shown.ref);
  };
  return {
    async route(delivery, outbound) {
      const userId = delivery.recipient.userId;
      const [state, others, phone] = await Promise.all([
        d.oa.activity.stateOf(d.oa.oaId, userId), d.otherAddresses(delivery.identityId),
        d.phoneOf && delivery.identityId && Object.keys(c.templates).length > 0 ? d.phoneOf(delivery.identityId) : undefined,
      ]);
      const redirect = (channel: string, why: string): RoutedOutcome | undefined => {
        const to = others.find((a) => a.channel === channel);
        return to ? { status: "redirect", to, route: `other-channel:${channel}:${why}` } : undefined;
      };
      try {
        const r = await deliverViaOa({ client: d.oa.client, tokens: d.oa.tokens, render, templateMode: c.templateMode }, {
          oaId: d.oa.oaId, outbound,
          routing: {
            now: d.clock.now(), ...(state.lastInteractionAt ? { lastInteractionAt: state.lastInteractionAt } : {}), follower: state.follower,
            oaUserId: userId, phoneShared: phone !== undefined, messageKind: messageKindOf(delivery.group),
            school: { paidSendsEnabled: c.paidSends, templates: c.templates }, otherChannels: others.map((a) => a.channel),
            windows: { freeMs: c.freeWindowMs, paidMs: c.paidWindowMs },
          },
          template: { data: templateDataOf(outbound), trackingId: createHash("sha256").update(delivery.id).digest("hex").slice(0, 40) },
          ...(phone !== undefined ? { phone } : {}),
        });
        if (r.status === "sent" && r.route === "consultation") {
          await rememberShown(addressKey(delivery.recipient), outbound, r.messageIds);
          return { status: "sent", route: `consultation:${r.cost}` };
        }
        if (r.status === "sent") return { status: "sent", route: `template:${r.by}:template` };
        if (r.status === "other-channel") return redirect(r.channel, "none") ?? hold(delivery, state.lastInteractionAt, "all-routes-failed");
        return hold(delivery, state.lastInteractionAt, r.reason, r.retryAt);
      } catch (err) {
        // The OA is not usable at all: the other channel, else wait for a reconnection.
        if (err instanceof OaNeedsReconnectError || err instanceof OaNotConnectedError)
          return (others[0] && redirect(others[0].channel, "none")) ?? hold(delivery, state.lastInteractionAt, DISCONNECTED);
        throw toChannelError(err);
      }
    },
    releaseFor,
    releaseDisconnected,
  };
}
