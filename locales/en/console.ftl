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
