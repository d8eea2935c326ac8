# The school office console (/admin).
admin-link =
    Here is your sign-in link to the { $scope ->
        [class] office console for class { $class }
       *[school] school office console
    } (single use, valid { $minutes } minutes):
    { $url }
    Please do not forward this link to anyone.
admin-not-allowed = The office console is for the school leadership, the school office and homeroom teachers linked to the school.
