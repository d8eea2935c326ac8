/** What the staff, board and code use cases get: the store, the features' models they move, the outbox, the clock. */
import type { Clock, OutboxItem } from "../../engine/ports.js";
import type { Say } from "../../engine/say.js";
import type { Models } from "../../store/models.js";
import type { MeetingModels } from "../../store/meeting-models.js";
import type { ConcernModels } from "../../store/concern-models.js";
import { addressOf } from "../../store/audience.js";

export interface StaffDeps {
  models: Models;
  meetings: MeetingModels;
  concerns: ConcernModels;
  /** Absent in a CLI run without Redis: then nobody is told in the bot. */
  outbox?: { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  clock: Clock;
  /** How long a new invite code stays usable. */
  ttlDays: number;
}

/** Tells one person in the bot (at once: these are about their own role), if reachable. */
export async function tell(deps: StaffDeps, group: string, key: string, identityId: string, messages: Say[]): Promise<boolean> {
  const recipient = identityId ? await addressOf(deps.models, identityId) : undefined;
  if (!recipient || !deps.outbox) return false;
  await deps.outbox.enqueueGroup(group, [{ key, recipient, messages }]);
  return true;
}

/** One audit entry (ids and counts only). */
export async function audit(deps: StaffDeps, actor: string, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
  await deps.models.AuditLog.create({ at: deps.clock.now(), actor, action, subject, details });
}
