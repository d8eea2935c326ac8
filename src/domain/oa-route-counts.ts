/**
 * How many households each Zalo OA route reached, for the senders' reports (notices, meetings):
 * read from the deliveries' `route-<k>` facts ("consultation:free", "consultation:paid",
 * "template:<by>:template", "other-channel:<channel>:<why>", "hold:<reason>:none"). Pure.
 */

/** Households by route; `paid` consultation and `template` messages are the ones Zalo charges. */
export interface OaRouteCounts { free: number; paid: number; template: number; otherChannel: number; held: number }

/** The route a household counts under: a route that delivered beats one that did not. */
export function householdRoute(current: string | undefined, delivery: { route?: string; status: string }): string | undefined {
  return delivery.route && (delivery.status === "sent" || !current) ? delivery.route : current;
}

/** Tallies one route per household. */
export function countOaRoutes(routes: Iterable<string>): OaRouteCounts {
  const oa: OaRouteCounts = { free: 0, paid: 0, template: 0, otherChannel: 0, held: 0 };
  for (const r of routes) {
    if (r === "consultation:free") oa.free++;
    else if (r === "consultation:paid") oa.paid++;
    else if (r.startsWith("template:")) oa.template++;
    else if (r.startsWith("other-channel:")) oa.otherChannel++;
    else if (r.startsWith("hold:")) oa.held++;
  }
  return oa;
}

/** The arguments of the `oa-routes-line` message (locales/*\/zalo-oa.ftl); an empty line when no household went through the OA. */
export function oaRouteArgs(oa: OaRouteCounts): { viaOa: number; oaFree: number; oaPaid: number; oaTemplate: number; oaOther: number; oaHeld: number; oaCharged: number } {
  return {
    viaOa: oa.free + oa.paid + oa.template + oa.otherChannel + oa.held,
    oaFree: oa.free, oaPaid: oa.paid, oaTemplate: oa.template, oaOther: oa.otherChannel, oaHeld: oa.held,
    oaCharged: oa.paid + oa.template,
  };
}
