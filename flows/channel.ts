/**
 * `/kenh` (`/channel`): one person on several messengers. On a linked messenger it lists the
 * person's messengers and which one gets the school's messages, with buttons to switch, to get
 * a one-time pairing code ("Thêm kênh khác") and to unpair. The code sent on another messenger
 * (alone or as `/kenh <code>`) pairs it, after the privacy notice when that messenger has no
 * consent yet. Wrong codes are throttled per chat like invite codes.
 */
import { addressKey } from "../src/engine/messages.js";
import { ask, CONSENT_CHOICES, defineFlow, end, go, type Choice, type FlowContext, type Transition } from "./kit.js";
import { say, type Say } from "../src/engine/say.js";
import { normalizePairingCode, PAIRING_CODE_TTL_MS } from "../src/features/linking/channels.js";
import { CONSENT_VERSION } from "./link.js";

type ChannelData = { code?: string; options?: { id: string; channel: string }[]; paired?: boolean };
type ChannelStep = "menu" | "consent";

/** A messenger's name as people say it (the same in both languages). */
export const messengerName = (channel: string): string =>
  ({ telegram: "Telegram", "zalo-bot": "Zalo", "zalo-oa": "Zalo OA", web: "Web" } as Record<string, string>)[channel] ?? channel;

const REFUSALS = {
  invalid: "channel-code-invalid", "same-messenger": "channel-code-same", "already-paired": "channel-already-paired", "paired-elsewhere": "channel-paired-elsewhere",
} as const;

async function showChannels(ctx: Omit<FlowContext<ChannelData>, "data">): Promise<Transition<ChannelStep>> {
  const status = await ctx.services.channels.status(ctx.event.address);
  if (status.status === "not-linked") return end(say("channel-not-linked"));
  const says: Say[] = status.channels.length === 1
    ? [say("channel-single", { channel: messengerName(status.channels[0]!.channel) })]
    : [say("channel-header"), ...status.channels.map((c) => say("channel-item", {
      channel: messengerName(c.channel), state: c.preferred ? "preferred" : c.reachable ? "other" : "unreachable", current: c.current ? "yes" : "no",
    }))];
  const options = status.channels.filter((c) => c.reachable && !c.preferred).map((c) => ({ id: c.identityId, channel: c.channel }));
  return go("menu", { options, paired: status.channels.length > 1 }, ...says);
}

async function pair(code: string, ctx: Omit<FlowContext<ChannelData>, "data">, consented: boolean): Promise<Transition<ChannelStep>> {
  const result = await ctx.services.channels.pair({
    code, address: ctx.event.address, displayName: ctx.person.displayName, locale: ctx.person.locale, eventId: ctx.event.id,
    ...(consented ? { consentVersion: CONSENT_VERSION } : {}),
  });
  if (result.status !== "paired") return end(say(REFUSALS[result.status]));
  const other = result.channels.find((c) => c !== ctx.event.address.channel) ?? result.channels[0] ?? "";
  return end(say("channel-paired", { channel: messengerName(other) }), say("menu-hint"));
}

async function tryCode(input: string, ctx: Omit<FlowContext<ChannelData>, "data">): Promise<Transition<ChannelStep>> {
  const key = `code:${addressKey(ctx.event.address)}`;
  const blocked = await ctx.services.throttle.isBlocked(key);
  if (blocked.blocked) return end(say("channel-too-many", { minutes: Math.ceil(blocked.retryAfterSeconds / 60) }));
  const code = normalizePairingCode(input);
  const check = code ? await ctx.services.channels.check(code, ctx.event.address) : "invalid";
  if (check === "invalid" || !code) {
    const after = await ctx.services.throttle.fail(key);
    if (after.blocked) return end(say("channel-too-many", { minutes: Math.ceil(after.retryAfterSeconds / 60) }));
    return end(say("channel-code-invalid"));
  }
  if (check !== "ok") return end(say(REFUSALS[check]));
  // A messenger with an identity has consented already; a new one reads the privacy notice first.
  if (ctx.person.identityId) return pair(code, ctx, false);
  return go("consent", { code }, say("channel-pair-intro"));
}

export const channel = defineFlow<ChannelData, ChannelStep>({
  id: "channel",
  version: 1,
  start: (args, ctx) => (args.trim() ? tryCode(args, ctx) : showChannels(ctx)),
  steps: {
    menu: ask.choice({
      prompt: say("channel-prompt"),
      perRow: 1,
      choices: ({ data }) => [
        ...(data.options ?? []).map((o): Choice => ({ id: `use.${o.id}`, label: { key: "channel-use", args: { channel: messengerName(o.channel) } } })),
        { id: "add", label: { key: "channel-add" }, aliases: ["them", "them kenh", "add"] },
        ...(data.paired ? [{ id: "unpair", label: { key: "channel-unpair" }, aliases: ["bo lien ket", "unpair"] } satisfies Choice] : []),
      ],
      onAnswer: async (choice, ctx) => {
        if (choice === "add") {
          const issued = await ctx.services.channels.issueCode(ctx.event.address);
          if (!issued) return end(say("channel-not-linked"));
          return end(say("channel-code", { code: issued.code, minutes: PAIRING_CODE_TTL_MS / 60_000 }));
        }
        if (choice === "unpair") return end(say((await ctx.services.channels.unpair(ctx.event.address)) === "unpaired" ? "channel-unpaired" : "channel-not-paired"));
        const target = (ctx.data.options ?? []).find((o) => `use.${o.id}` === choice);
        const ok = target ? await ctx.services.channels.choose(ctx.event.address, target.id) : false;
        return end(ok ? say("channel-chosen", { channel: messengerName(target!.channel) }) : say("channel-choose-failed"));
      },
    }),
    consent: ask.choice({
      prompt: say("privacy-notice"),
      perRow: 1,
      choices: CONSENT_CHOICES,
      onAnswer: (choice, ctx) => (choice === "decline" ? end(say("link-declined")) : pair(ctx.data.code ?? "", ctx, true)),
    }),
  },
});
