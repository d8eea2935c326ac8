/**
 * The opinion-rounds feature: the port assembled from its use cases, plus the deadline job's
 * processor. Rounds share the polls' dependencies and deadline queue.
 */
import type { OpinionDeps } from "./deps.js";
import type { OpinionsPort } from "./port.js";
import { openRound } from "./open-round.js";
import { submitOpinion } from "./give-opinion.js";
import { closeRound, runRoundDeadline } from "./close-round.js";
import { listOrganizedRounds, opinions, roundsForGuardian } from "./list-rounds.js";
import { exportOpinionsCsv } from "./export-opinions.js";

export function createOpinions(deps: OpinionDeps): OpinionsPort & { runRoundDeadline(roundId: string): ReturnType<typeof runRoundDeadline> } {
  return {
    openRound: (actor, draft, eventId) => openRound(deps, actor, draft, eventId),
    listOrganizedRounds: (actor) => listOrganizedRounds(deps, actor),
    roundsForGuardian: (actor) => roundsForGuardian(deps, actor),
    submitOpinion: (actor, input) => submitOpinion(deps, actor, input),
    opinions: (actor, roundId) => opinions(deps, actor, roundId),
    exportOpinionsCsv: (actor, roundId) => exportOpinionsCsv(deps, actor, roundId),
    closeRound: (actor, roundId) => closeRound(deps, actor, roundId),
    runRoundDeadline: (roundId) => runRoundDeadline(deps, roundId),
  };
}

export type { OpinionDeps } from "./deps.js";
export * from "./port.js";
export * from "./messages.js";
