/**
 * The linking feature: invite codes, consent and linking (`/start`, `/lienket`), access and
 * erasure (`/quyenriengtu`, `/xoadulieu`). `createLinking` / `createPrivacy` assemble the ports
 * from the use cases over the store's repositories.
 *
 * @example
 * const services = { linking: createLinking(db.models, clock), privacy: createPrivacy(db.models, erasers), … };
 */
import type { Clock } from "../../engine/ports.js";
import type { Models } from "../../store/models.js";
import { createInviteRepo } from "../../store/invites.js";
import { createPersonRecords, type Eraser } from "../../store/privacy.js";
import { checkCode, type LinkingDeps } from "./codes.js";
import { redeemCode } from "./redeem.js";
import { forgetPerson, privacyReport, type PrivacyDeps } from "./privacy.js";
import type { ChannelsPort, Linking, Privacy } from "./port.js";
import { channelStatus, checkPairingCode, chooseChannel, issuePairingCode, pairWithCode, shareWithPerson, unpairChannel, type ChannelsDeps } from "./channels.js";

export type { LinkingDeps } from "./codes.js";
export type { PrivacyDeps } from "./privacy.js";
export type * from "./port.js";

/** The `Linking` port over any invite repository (tests wrap one to inject failures). */
export function linkingPort(deps: LinkingDeps): Linking {
  return {
    check: (code, address) => checkCode(deps, code, address),
    redeem: (input) => redeemCode(deps, input),
  };
}

/** The `Linking` port over MongoDB. */
export function createLinking(models: Models, clock: Clock): Linking {
  return linkingPort({ invites: createInviteRepo(models), clock, shareWithPerson: (identityId) => shareWithPerson(models, identityId) });
}

/** The `Privacy` port over any person records. */
export function privacyPort(deps: PrivacyDeps): Privacy {
  return {
    report: (address) => privacyReport(deps, address),
    forget: (address, eventId) => forgetPerson(deps, address, eventId),
  };
}

/** The `Privacy` port over MongoDB; `erasers` delete each feature's own data. */
export function createPrivacy(models: Models, erasers: Eraser[] = [], extra: Pick<PrivacyDeps, "sharedPhone"> = {}): Privacy {
  return privacyPort({ records: createPersonRecords(models), erasers, ...extra });
}

/** The `ChannelsPort` (`/kenh`) over any deps. */
export function channelsPort(deps: ChannelsDeps): ChannelsPort {
  return {
    status: (address) => channelStatus(deps, address),
    issueCode: (address) => issuePairingCode(deps, address),
    check: (code, address) => checkPairingCode(deps, code, address),
    pair: (input) => pairWithCode(deps, input),
    choose: (address, identityId) => chooseChannel(deps, address, identityId),
    unpair: (address) => unpairChannel(deps, address),
  };
}

/** The `ChannelsPort` over MongoDB. */
export function createChannels(models: Models, clock: Clock): ChannelsPort {
  return channelsPort({ models, invites: createInviteRepo(models), clock });
}
