import { describe, it, expect } from "vitest";
import { decideOaRoute, type OaRouteInput } from "../../src/domain/zalo-oa-route.js";
import { classifyOaCode } from "../../src/channels/zalo-oa/errors.js";

const HOUR = 3_600_000;
const now = new Date("2026-10-05T03:00:00Z"); // 10:00 in Hà Nội
const ago = (ms: number) => new Date(now.getTime() - ms);
const base: OaRouteInput = {
  now, lastInteractionAt: ago(47 * HOUR), follower: true, oaUserId: "8437291047362518273", phoneShared: true,
  messageKind: "meeting-invitation", school: { paidSendsEnabled: false, templates: { "meeting-invitation": "tpl-meeting" } }, otherChannels: ["telegram"],
};
const failed = (route: "consultation" | "template-user-id" | "template-phone" | "other-channel", code: number, channel?: string) =>
  ({ route, ...classifyOaCode(code), ...(channel ? { channel } : {}) });

describe("decideOaRoute", () => {
  it("at 47 h sends a free consultation message", () => {
    expect(decideOaRoute(base)).toEqual({ route: "consultation", cost: "free" });
  });

  it("at 49 h sends a paid consultation message only when the school enabled paid sends", () => {
    const at49 = { ...base, lastInteractionAt: ago(49 * HOUR) };
    expect(decideOaRoute({ ...at49, school: { ...base.school, paidSendsEnabled: true } })).toEqual({ route: "consultation", cost: "paid" });
    expect(decideOaRoute(at49)).toEqual({ route: "template", by: "user-id", templateId: "tpl-meeting", cost: "template" });
  });

  it("at 8 days uses the template by OA user id, else by a shared phone, else the other channel, else holds", () => {
    const at8d = { ...base, lastInteractionAt: ago(8 * 24 * HOUR), school: { ...base.school, paidSendsEnabled: true } };
    expect(decideOaRoute(at8d)).toMatchObject({ route: "template", by: "user-id" });
    expect(decideOaRoute({ ...at8d, oaUserId: undefined })).toMatchObject({ route: "template", by: "phone" });
    expect(decideOaRoute({ ...at8d, oaUserId: undefined, phoneShared: false })).toEqual({ route: "other-channel", channel: "telegram", cost: "none" });
    expect(decideOaRoute({ ...at8d, messageKind: "notice" })).toEqual({ route: "other-channel", channel: "telegram", cost: "none" });
    expect(decideOaRoute({ ...at8d, messageKind: "notice", otherChannels: [] })).toEqual({ route: "hold", reason: "no-template", cost: "none" });
  });

  it("never tries consultation for a guardian who unfollowed or never interacted", () => {
    expect(decideOaRoute({ ...base, follower: false })).toMatchObject({ route: "template" });
    expect(decideOaRoute({ ...base, lastInteractionAt: undefined })).toMatchObject({ route: "template" });
  });

  it.each([-213, -230, -232, -211, -218])("after consultation failed with %i, goes down to the template", (code) => {
    expect(decideOaRoute({ ...base, failures: [failed("consultation", code)] })).toMatchObject({ route: "template", by: "user-id" });
  });

  it("after auth or transient failures keeps the same route (refresh or backoff, then again)", () => {
    expect(decideOaRoute({ ...base, failures: [failed("consultation", -216)] })).toEqual({ route: "consultation", cost: "free" });
    expect(decideOaRoute({ ...base, failures: [failed("consultation", -32)] })).toEqual({ route: "consultation", cost: "free" });
  });

  it("after the template by user id is refused for this recipient, tries the phone, then the other channel", () => {
    const f1 = [failed("consultation", -230), failed("template-user-id", -227)];
    expect(decideOaRoute({ ...base, failures: f1 })).toMatchObject({ route: "template", by: "phone" });
    const f2 = [...f1, failed("template-phone", -118)];
    expect(decideOaRoute({ ...base, failures: f2 })).toEqual({ route: "other-channel", channel: "telegram", cost: "none" });
    const f3 = [...f2, failed("other-channel", -1, "telegram")].map((f) => (f.route === "other-channel" ? { ...f, klass: "window" as const } : f));
    expect(decideOaRoute({ ...base, failures: f3 })).toEqual({ route: "hold", reason: "all-routes-failed", cost: "none" });
  });

  it("on the daily template quota (-144) goes to the other channel, else holds until tomorrow morning", () => {
    const f = [failed("consultation", -230), failed("template-user-id", -144)];
    expect(decideOaRoute({ ...base, failures: f })).toMatchObject({ route: "other-channel" });
    expect(decideOaRoute({ ...base, failures: f, otherChannels: [] })).toEqual({ route: "hold", reason: "template-deferred", retryAt: new Date("2026-10-05T23:00:00Z"), cost: "none" });
  });

  it("on the night ban holds the template until 06:00 when there is no other channel; a rejected template is skipped", () => {
    const night = new Date("2026-10-05T16:30:00Z"); // 23:30 in Hà Nội
    const f = [failed("consultation", -230), failed("template-user-id", -133)];
    expect(decideOaRoute({ ...base, now: night, failures: f, otherChannels: [] })).toEqual({ route: "hold", reason: "template-deferred", retryAt: new Date("2026-10-05T23:00:00Z"), cost: "none" });
    const early = new Date("2026-10-05T20:00:00Z"); // 03:00 next day in Hà Nội
    expect(decideOaRoute({ ...base, now: early, failures: f, otherChannels: [] })).toMatchObject({ retryAt: new Date("2026-10-05T23:00:00Z") });
    const rejected = [failed("consultation", -230), failed("template-user-id", -146)];
    expect(decideOaRoute({ ...base, failures: rejected })).toMatchObject({ route: "other-channel" });
  });

  it("uses the window lengths from settings", () => {
    const windows = { freeMs: 24 * HOUR, paidMs: 3 * 24 * HOUR };
    expect(decideOaRoute({ ...base, windows, school: { ...base.school, paidSendsEnabled: true } })).toEqual({ route: "consultation", cost: "paid" });
  });
});
