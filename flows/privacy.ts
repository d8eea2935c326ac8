/** `/quyenriengtu`: what is stored about me, and my rights. */
import { defineFlow, end } from "./kit.js";
import { dateArg, say, type Say } from "../src/engine/say.js";
import { messengerName } from "./channel.js";

export const privacy = defineFlow({
  id: "privacy",
  version: 1,
  start: async (_args, ctx) => {
    const report = await ctx.services.privacy.report(ctx.event.address);
    if (!report) return end(say("privacy-nothing-stored"), say("privacy-rights"));
    const says: Say[] = [
      say("privacy-header", { channel: messengerName(report.channel), name: report.displayName ?? "", hasName: report.displayName ? "yes" : "no", language: report.locale }),
    ];
    if (report.consentedAt) says.push(say("privacy-consent", { at: dateArg(report.consentedAt), version: report.consentVersion ?? "-" }));
    if (report.sharedPhone) says.push(say("privacy-shared-phone", { phone: report.sharedPhone }));
    for (const s of report.students) says.push(say("privacy-student", { student: s.name, class: s.className, school: s.schoolName }));
    for (const r of report.roles) says.push(say("privacy-role", { role: r.roleKey, class: r.className ?? "none", school: r.schoolName }));
    if ((report.pairedChannels ?? []).length > 1) says.push(say("privacy-channels", { channels: report.pairedChannels!.map(messengerName).join(", ") }));
    says.push(say("privacy-rights"));
    return end(...says);
  },
  steps: {},
});
