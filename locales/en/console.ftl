# The school office console (/admin).
admin-link =
    Here is your sign-in link to the { $scope ->
        [class] office console for class { $class }
       *[school] school office console
    } (single use, valid { $minutes } minutes):
    { $url }
    Please do not forward this link to anyone.
admin-not-allowed = The office console is for the school leadership, the school office and homeroom teachers linked to the school.
# Year rollover: one message per guardian, what changed for their children.
rollover-guardian-notice =
    Dear parent,
    The school year { $year } begins on { $start }. { $kind ->
        [left] { $left } has completed their studies at the school. Congratulations to them and to your family!
        [both] Your child's new class: { $moved }. { $left } has completed their studies at the school. Congratulations to them and to your family!
       *[moved] Your child's new class: { $moved }.
    }
    Your link with the school stays as it is; there is nothing you need to do. The school will let you know the new homeroom teacher once assigned.
# A roster file sent to the bot (principal, vice-principal or school admin).
roster-upload-not-allowed = I only accept pupil roster files from the school leadership and the school office. To send documents to the school, please use /concern or contact the homeroom teacher directly. Thank you!
roster-upload-no-year = The school has no open school year to import a roster into yet. Please create the year in the office console first.
roster-upload-bad-file = { $reason ->
        [type] I can only read pupil rosters as Excel (.xlsx) or CSV; "{ $detail }" is neither.
        [size] The file is larger than { $detail } MB, which is not what a roster looks like. Please check the file.
        [download] I could not download this file. Please send it again in a few minutes.
       *[unreadable] I could not read this file: { $detail } Nothing was written to the records.
    }
roster-upload-summary =
    I have read { $file } (school year { $year }) as a dry run; nothing is written yet:
    • New: { $created }
    • Updated: { $updated }
    • Unchanged: { $unchanged }
    • Rejected: { $rejected }
    { $rejected ->
        [0] No row was rejected.
       *[other] Rejected rows (line: pupil, reason):
    { $lines }
    }
    { $missing ->
        [0] {""}
       *[other] { $missing } pupil(s) on record are not in the file: they are kept (mark them as left in the office console if needed).
    }
roster-upload-confirm = Shall I apply this roster?
roster-upload-apply = Apply
roster-upload-cancel = Do not apply
roster-upload-cancelled = I did not apply the file; the records are unchanged.
roster-upload-applied = Roster applied: { $created } pupil(s) added, { $updated } updated, { $rejected } row(s) rejected.
roster-upload-gone = This file was applied already or is more than an hour old. Please send it again if needed.
