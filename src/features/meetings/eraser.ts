/** Erases a person's traces in the meeting collections (/xoadulieu). */
import type { MeetingModels } from "../../store/meeting-models.js";
import type { Models } from "../../store/models.js";
import { redactDeliveryGroups } from "../../store/deliveries.js";

/** What stays of a text the person wrote where the record itself is the class's (a petition). */
const ERASED_TEXT = "[đã xóa theo yêu cầu]";

export function meetingEraser(M: MeetingModels, models: Models) {
  return async ({ identityId }: { identityId?: string }): Promise<Record<string, number>> => {
    if (!identityId) return {};
    const questions = await M.MeetingQuestion.deleteMany({ askedBy: identityId });
    const opinions = await M.MeetingOpinion.deleteMany({ givenBy: identityId });
    // The household's answer stays (the class's record), without the reason the person gave.
    await M.MeetingRsvp.updateMany({ answeredBy: identityId }, { $set: { answeredBy: "erased", reason: "" } });
    // A petition's reason reached the other families (`mpi-…`) and the teacher (`mpr-…`).
    const petitions = (await M.MeetingPetition.find({ openedBy: identityId }).select({ _id: 1 }).lean()).map((p) => String(p._id));
    const { deliveriesRedacted } = await redactDeliveryGroups(models, petitions.flatMap((id) => [`mpi-${id}`, `mpr-${id}`]));
    await M.MeetingPetition.updateMany({ openedBy: identityId }, { $set: { openedBy: "erased", reason: ERASED_TEXT } });
    await M.MeetingAttendance.updateMany({ recordedBy: identityId }, { $set: { recordedBy: "erased" } });
    await M.MeetingPetitionSignature.updateMany({ signedBy: identityId }, { $set: { signedBy: "erased" } });
    await M.MeetingNudge.updateMany({ by: identityId }, { $set: { by: "erased" } });
    await M.Meeting.updateMany({ organizerIdentityId: identityId }, { $set: { organizerIdentityId: "erased" } });
    await M.Meeting.updateMany({ boardHeadIdentityId: identityId }, { $set: { boardHeadIdentityId: "erased" } });
    await M.MeetingAudit.updateMany({ actor: identityId }, { $set: { actor: "erased" } });
    return { meetingQuestions: questions.deletedCount ?? 0, meetingOpinions: opinions.deletedCount ?? 0, meetingDeliveriesRedacted: deliveriesRedacted };
  };
}
