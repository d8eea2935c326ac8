/**
 * The meeting tally shows, like the notice report, how many households each Zalo OA route
 * reached and what the paid part cost in messages — read from the invitations' route facts
 * (the shared tally in src/domain/oa-route-counts.ts).
 */
import { describe, it, expect } from "vitest";
import { useMeetingWorld } from "./support/service-harness.js";
import { tallySay } from "../../flows/meeting-manage.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createDeliveryRepo, MARK } from "../../src/store/deliveries.js";
import { routeMark } from "../../src/jobs/outbox.js";
import { reportSay } from "../../src/features/notices/messages.js";
import type { NoticeReport } from "../../src/features/notices/port.js";

describe("the meeting tally's OA routes", () => {
  const { h, world, publish } = useMeetingWorld("meet-oa-routes");

  it("one household reached free, one by a ZBS template (after a first held try): 1 free, 1 template, 1 paid message", async () => {
    h.clock.set(new Date("2026-09-14T03:00:00Z"));
    const { teacher, id } = await publish("ev-oa-routes");
    const text = (t: Parameters<typeof tallySay>[0]) => new Translator().t("vi", tallySay(t).key, tallySay(t).args);

    // No route facts (Telegram guardians): no OA line at all.
    const plain = (await h.service.tally(teacher, id))!;
    expect(plain.oa).toEqual({ free: 0, paid: 0, template: 0, otherChannel: 0, held: 0 });
    expect(text(plain)).not.toContain("Zalo OA");

    const repo = createDeliveryRepo(h.db.models);
    const invites = await h.deliveries(`minv-${id}`);
    const of = (identityId: string) => invites.find((d) => d.identityId === identityId)!;
    const an = { id: of(world.identities.anMom)._id, group: `minv-${id}` }, anDad = { id: of(world.identities.anDad)._id, group: `minv-${id}` };
    const binh = { id: of(world.identities.binhMom)._id, group: `minv-${id}` };
    // An's household: the mother's invitation went free, the father's was held (the sent one counts).
    // The facts as the outbox writes them: a try slot, its route, then the outcome.
    for (const d of [an, anDad, binh]) await repo.mark(d, MARK.sending(1));
    await repo.mark(binh, MARK.sending(2));
    await repo.mark(anDad, routeMark(1), "hold:no-template:none");
    await repo.mark(an, routeMark(1), "consultation:free");
    await repo.mark(an, MARK.sent);
    // Bình's: held first, then a template when the notice template became available.
    await repo.mark(binh, routeMark(1), "hold:no-template:none");
    await repo.mark(binh, routeMark(2), "template:user-id:template");
    await repo.mark(binh, MARK.sent);

    const tally = (await h.service.tally(teacher, id))!;
    expect(tally.oa).toEqual({ free: 1, paid: 0, template: 1, otherChannel: 0, held: 0 });
    expect(text(tally)).toContain("📨 Zalo OA: miễn phí 1 · tính phí 0 · tin mẫu ZBS 1 · qua kênh khác 0 · chờ phụ huynh nhắn lại 0 — số tin có phí: 1");
    expect(new Translator().t("en", tallySay(tally).key, tallySay(tally).args)).toContain("Zalo OA: free 1 · paid 0 · ZBS template 1");
  });

  it("the notice report shows the same line, from the same code", () => {
    const report = {
      notice: { kind: "info", scope: "class", scopeName: "6A1", status: "sent", rounds: 0, sentAt: new Date("2026-09-14T03:00:00Z") },
      rows: [],
      counts: { households: 3, reached: 3, pending: 0, failed: 0, unreachable: 0, notLinked: 0, blocked: 0, confirmed: 0, notConfirmed: 0, toRemind: 0,
        oa: { free: 2, paid: 1, template: 0, otherChannel: 0, held: 0 } },
    } as unknown as NoticeReport;
    const s = reportSay(report);
    expect(new Translator().t("vi", s.key, s.args)).toContain("📨 Zalo OA: miễn phí 2 · tính phí 1 · tin mẫu ZBS 0 · qua kênh khác 0 · chờ phụ huynh nhắn lại 0 — số tin có phí: 1");
  });
});
