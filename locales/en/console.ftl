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

# Staff and boards (issue 13): told in the bot.
staff-homeroom-assigned =
    Dear teacher: from today you are the homeroom teacher of class { $className }.
    { $concerns } open concerns and { $meetings } upcoming meetings of the class are now yours; see them with /concern and /meeting.
staff-homeroom-ended = Dear teacher: the school has assigned another homeroom teacher to class { $className }. You no longer receive its concerns or manage its meetings. Thank you for your work with the class.
board-chosen =
    Dear parent of { $student }: you are recorded as { $position ->
        [head] head
        [deputy] deputy head
       *[member] a member
    } of the parents' board { $scope ->
        [school] of the school
       *[class] of class { $className }
    } for the school year { $year }.
    You can collect parents' opinions (/opinion), run quick polls (/poll) and agree meeting content with the school (/meeting). Thank you.
board-left = Dear parent: the parents' board { $scope ->
        [school] of the school
       *[class] of class { $className }
    } has been recorded anew; your term on it has ended. Thank you for your help.
concern-admin-refused = The school office manages the school's records but does not read parents' concerns. Concerns are handled by the homeroom teacher and the school leadership.
