/**
 * Test helpers over the outbox's delivery facts (src/store/deliveries.ts): a delivery's
 * status is derived from its marks, so tests read it through the repository, never from a
 * field of the `Delivery` document.
 */
import type { Models } from "../../src/store/models.js";
import { deliveryStatus as statusOf, groupStatuses, type DeliveryReportRow, type DeliveryState, type DeliveryStatus } from "../../src/store/deliveries.js";

/** One delivery's derived state (status, possibleDuplicate, tries, error); undefined if it does not exist. */
export const deliveryState = (models: Models, id: string): Promise<DeliveryState | undefined> => statusOf(models, id);

/** One delivery's status; undefined if it does not exist. */
export const deliveryStatus = async (models: Models, id: string): Promise<DeliveryStatus | undefined> => (await statusOf(models, id))?.status;

/** The states of every delivery of a group, or of every delivery when no group is given. */
export async function deliveryStates(models: Models, group?: string): Promise<(DeliveryReportRow & { id: string })[]> {
  const groups = group !== undefined ? [group] : ((await models.Delivery.distinct("group")) as string[]);
  const out: (DeliveryReportRow & { id: string })[] = [];
  for (const g of groups) for (const [id, s] of await groupStatuses(models, g)) out.push({ id, ...s });
  return out;
}

/** How many deliveries (of a group, or in all) have one of these statuses. */
export async function countByStatus(models: Models, status: DeliveryStatus | DeliveryStatus[], group?: string): Promise<number> {
  const wanted = new Set(Array.isArray(status) ? status : [status]);
  return (await deliveryStates(models, group)).filter((s) => wanted.has(s.status)).length;
}
