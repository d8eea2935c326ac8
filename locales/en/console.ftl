# The school office console (/admin).
admin-link =
    Here is your sign-in link to the { $scope ->
        [class] office console for class { $class }
       *[school] school office console
    } (single use, valid { $minutes } minutes):
    { $url }
    Please do not forward this link to anyone.
admin-not-allowed = The office console is for the school leadership, the school office and homeroom teachers linked to the school.

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
    } has been updated and you are no longer on it. Thank you for your help.
concern-admin-refused = The school office manages the school's records but does not read parents' concerns. Concerns are handled by the homeroom teacher and the school leadership.
