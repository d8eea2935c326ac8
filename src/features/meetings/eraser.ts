/** Erases a person's traces in the meeting collections (/xoadulieu). */
import type { MeetingModels } from "../../store/meeting-models.js";

export function meetingEraser(M: MeetingModels) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const questions = await M.MeetingQuestion.deleteMany({ askedBy: identityId });
    const opinions = await M.MeetingOpinion.deleteMany({ givenBy: identityId });
    await M.MeetingAttendance.updateMany({ recordedBy: identityId }, { $set: { recordedBy: "erased" } });
    await M.MeetingRsvp.updateMany({ answeredBy: identityId }, { $set: { answeredBy: "erased" } });
    await M.MeetingPetitionSignature.updateMany({ signedBy: identityId }, { $set: { signedBy: "erased" } });
    await M.MeetingPetition.updateMany({ openedBy: identityId }, { $set: { openedBy: "erased" } });
    await M.MeetingNudge.updateMany({ by: identityId }, { $set: { by: "erased" } });
    await M.MeetingAudit.updateMany({ actor: identityId }, { $set: { actor: "erased" } });
    return { meetingQuestions: questions.deletedCount ?? 0, meetingOpinions: opinions.deletedCount ?? 0 };
  };
}
