/** /xoadulieu in the poll and opinion collections: named opinions, participations, who pressed a visible vote; organizers detached. */
import type { PollModels } from "../../store/poll-models.js";

/** Deletes a person's data in the poll collections. Anonymous votes and opinions hold no link to a guardian. */
export function pollEraser(P: PollModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const participants = await P.OpinionParticipant.deleteMany({ identityId });
    const opinions = await P.Opinion.deleteMany({ authorIdentityId: identityId });
    const votes = await P.PollVote.updateMany({ by: identityId }, { $set: { by: "" } });
    const polls = await P.Poll.updateMany({ organizerIdentityId: identityId }, { $set: { organizerIdentityId: "erased" } });
    const rounds = await P.OpinionRound.updateMany({ organizerIdentityId: identityId }, { $set: { organizerIdentityId: "erased" } });
    return {
      opinionParticipants: participants.deletedCount ?? 0, namedOpinions: opinions.deletedCount ?? 0, pollVotesDetached: votes.modifiedCount ?? 0,
      pollsDetached: polls.modifiedCount ?? 0, opinionRoundsDetached: rounds.modifiedCount ?? 0,
    };
  };
}
