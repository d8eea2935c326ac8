# Parent meetings (/meeting). Shared labels read the variables of the message that uses them.

meeting-kind-name = { $kind ->
    [start-year] Start-of-year parent meeting
    [end-semester-1] End-of-semester-I parent meeting
    [end-year] End-of-year parent meeting
    [extraordinary] Extraordinary parent meeting
   *[other] Parent meeting
  }
meeting-scope-name = { $scope ->
    [class] class { $scopeName }
    [grade] grade { $scopeName }
   *[school] whole school
  }
meeting-answer-name = { $answer ->
    [yes] Attending
    [no] Not attending
    [other] Another family member attends
   *[none] No answer yet
  }
meeting-status-name = { $status ->
    [draft] draft (to be revised)
    [pending-board] waiting for the parents' board
    [published] invitations sent
    [cancelled] cancelled
   *[held] held
  }

meeting-not-linked = To see meetings, please link with your child first using the school's code (/link).
meeting-not-organizer = Only homeroom teachers and the school leadership can create meetings.
meeting-not-found = I could not find this meeting, or you have no access to it.
meeting-closed = This meeting is over, cancelled, or not open for answers.
meeting-none-upcoming = There are no upcoming parent meetings for your children.
meeting-organizer-prompt = Which meeting would you like to open, or create a new one?
meeting-item-label = { $when } · { meeting-kind-name } · { meeting-status-name }
meeting-new = ➕ New meeting

meeting-ask-scope = Which class or grade is the meeting for?
meeting-scope-class = Class { $className }
meeting-scope-grade = A grade
meeting-scope-school = Whole school
meeting-ask-grade = Please type the grade number (e.g. 6).
meeting-grade-invalid = The grade is a number from 1 to 12 (e.g. 6).
meeting-ask-kind = What kind of meeting is it?
meeting-kind-choice = { meeting-kind-name }
meeting-ask-when = When is the meeting? For example: "19/9 19h30", "19/09/2026 7:30pm" or "next Saturday 8am".
meeting-ask-new-when = What is the new date and time? For example: "26/9 19h30".
meeting-when-past = That moment has already passed. Please type an upcoming date and time, e.g. "next Saturday 8am".
meeting-when-impossible-date = That day does not exist (e.g. 31/02). Please type it again, e.g. "28/02 19h30".
meeting-when-impossible-time = The time must be between 0h and 23h59, e.g. "19h30" or "7:30pm".
meeting-when-no-date = I got a time but no date. Please type both, e.g. "19/9 19h30".
meeting-when-no-time = I got a date but no time. Please type both, e.g. "19/9 19h30".
meeting-when-unrecognized = I could not read that date and time. Please type it like "19/9 19h30" or "next Saturday 8am".
meeting-when-confirm = I understood: { $when }. Is that right?
meeting-when-right = Right
meeting-when-retype = Type again
meeting-ask-place = Where is it (a room or an online meeting link)?
meeting-ask-agenda = Please type the main agenda of the meeting.
meeting-review =
    Please check:
    { meeting-kind-name }
    When: { $when }
    Where: { $place }
    Agenda: { $agenda }

    Send to the parents' board for agreement (without a board, invitations go out at once)?
meeting-review-send = Send
meeting-review-discard = Discard
meeting-discarded = The draft was discarded.
meeting-sent-to-board = I sent the { meeting-kind-name } ({ $when }) to the head of the parents' board for agreement. Once the board agrees, I will invite the families and tell you.
meeting-published-no-board = There is no parents' board head for { meeting-scope-name } yet, so I sent the invitations at once (this is recorded in the meeting's log). Invitations went to { $households } { $households ->
    [one] family
   *[other] families
  }.

meeting-board-request =
    Dear head of the parents' board,
    The school asks you to agree the content of the { meeting-kind-name } for { meeting-scope-name }:
    When: { $when }
    Where: { $place }
    Agenda: { $agenda }
meeting-board-agree = Agree
meeting-board-revise = Ask for changes
meeting-board-agreed = Noted: the board agrees. Invitations went to { $households } { $households ->
    [one] family
   *[other] families
  }. Thank you.
meeting-board-stale = This draft was already handled or has changed; this button no longer applies.
meeting-board-ask-comment = What changes would you like? I will pass them on to the organizer.
meeting-board-revision-sent = I passed your request on to the organizer. Thank you.
meeting-board-agreed-organizer = The parents' board agreed the { meeting-kind-name } ({ $when }). Invitations went to { $households } { $households ->
    [one] family
   *[other] families
  }.
meeting-board-revise-organizer =
    The parents' board asks for changes to the { meeting-kind-name } ({ $when }):
    "{ $comment }"
    Type /meeting and open the meeting to revise and send it again.

meeting-invite =
    Dear parents of { $student },
    The school kindly invites you to the { meeting-kind-name } for { meeting-scope-name }.
    When: { $when }
    Where: { $place }
    Agenda: { $agenda }
    Please let us know whether you will attend.
meeting-invite-children =
    Dear parents of { $students },
    The school kindly invites you to the { meeting-kind-name } for { meeting-scope-name }.
    When: { $when }
    Where: { $place }
    Agenda: { $agenda }
    Please let us know, for each child, whether you will attend, with the choices below.
meeting-nudge =
    Dear parents of { $student },
    We have not yet received your answer about the { meeting-kind-name } on { $when }, { $place }. Please choose your answer below.
meeting-nudge-children =
    Dear parents of { $students },
    We have not yet received your answer about the { meeting-kind-name } on { $when }, { $place }, for your children. Please choose an answer for each child below.
meeting-rsvp-yes = Attending
meeting-rsvp-no = Not attending
meeting-rsvp-other = A relative attends
meeting-rsvp-yes-all = ✅ All { $count } children: attending
meeting-rsvp-yes-for = ✅ { $student }: attending
meeting-rsvp-no-for = ❌ { $student }: not attending
meeting-rsvp-other-for = 👥 { $student }: a relative attends
meeting-rsvp-recorded = Noted for { $student }: { meeting-answer-name } ({ $when }).
meeting-rsvp-recorded-all = Noted for { $students }: { meeting-answer-name } ({ $when }).
meeting-rsvp-all-stale = Your children in this meeting have changed since this message was sent. Please choose an answer for each child, or type /hop to see the meeting again.
meeting-ask-absence-reason = You may tell us why you cannot attend (e.g. "excused", "business trip"), or type "skip".
meeting-reason-recorded = Your reason is noted. Thank you.
meeting-reason-skipped = Thank you.
meeting-rsvp-by-other = Another guardian of { $student } answered the invitation to the { meeting-kind-name } ({ $when }): { meeting-answer-name }.
meeting-rsvp-by-other-children = Another guardian answered the invitation to the { meeting-kind-name } ({ $when }) for { $students }: { meeting-answer-name }.
meeting-guardian-item =
    { meeting-kind-name }, { meeting-scope-name } — { $student }
    When: { $when }
    Where: { $place }
    Current answer: { meeting-answer-name }
meeting-ask-question-button = Send a question for the meeting
meeting-ask-question = Please type the question you would like the school to answer at the meeting.
meeting-ask-anonymous = Would you like to hide your child's name from the teacher?
meeting-question-anonymous = Hide the name
meeting-question-named = Show the name
meeting-question-sent = Your question was sent to the organizer. Thank you.

meeting-reminder =
    Reminder: { meeting-kind-name }, { meeting-scope-name }
    When: { $when }
    Where: { $place }
meeting-rescheduled =
    Dear parents of { $student }, the { meeting-kind-name } for { meeting-scope-name } has a new time:
    Before: { $old }
    New time: { $when }
    Where: { $place }
    { $answer ->
        [none] Please let us know whether you will attend.
       *[answered] Your family answered: { meeting-answer-name }. This answer is kept; to change it, choose again below.
    }
meeting-rescheduled-children =
    Dear parents of { $students }, the { meeting-kind-name } for { meeting-scope-name } has a new time:
    Before: { $old }
    New time: { $when }
    Where: { $place }
    { $answered ->
        [none] Please let us know, for each child, whether you will attend, with the choices below.
       *[some] Your family's answers so far:
            { $answers }
            These answers are kept; to change one, choose again for that child below.
    }
meeting-child-answer = • { $student }: { meeting-answer-name }
meeting-cancelled =
    Dear parents, the { meeting-kind-name } for { meeting-scope-name } on { $when } is cancelled.
    Reason: { $reason }
meeting-minutes =
    Dear parents, summary of the { meeting-kind-name } for { meeting-scope-name } ({ $when }):
    { $minutes }

    The school warmly invites you to give your opinion on the meeting (you may stay anonymous) with the choice below.
meeting-opinion-button = Opinion on the meeting ({ $student })
meeting-ask-opinion = Please type your opinion on the meeting (each message is one opinion).
meeting-opinion-sent = Your opinion has been passed to the organizer. Thank you.

meeting-manage-summary =
    { meeting-kind-name }, { meeting-scope-name }
    When: { $when }
    Where: { $place }
    Status: { meeting-status-name }
    Attending: { $yes } · Not attending: { $no } · Another member: { $other } · No answer: { $none } · Unreachable: { $unreachable }{ $remindersMissed ->
        [0] {""}
       *[other] {" "}· ⚠️ Reminder not received: { $remindersMissed } { $remindersMissed ->
            [one] family
           *[other] families
        }
    }
meeting-manage-prompt = What would you like to do?
meeting-action = { $action ->
    [tally] Answers
    [nudge] Remind families without an answer
    [reschedule] Change the time
    [questions] Parents' questions
    [export] Export CSV
    [held] Held: send the minutes
    [opinions] Opinions after the meeting
    [cancel] Cancel the meeting
   *[resubmit] Revise agenda or place and send again
  }
meeting-tally =
    { meeting-kind-name }, { meeting-scope-name } ({ $when })
    Attending ({ $yes }): { $yesNames }
    Another family member ({ $other }): { $otherNames }
    Not attending ({ $no }): { $noNames }
    No answer ({ $none }): { $noneNames }
    Not linked to the bot, never invited ({ $notLinked }): { $notLinkedNames }
    Unreachable (blocked the bot / never started it) ({ $blocked }): { $blockedNames }
    { $remindersMissed ->
        [0] {""}
       *[other] ⚠️ Meeting reminder: not received by { $remindersMissed } { $remindersMissed ->
            [one] family
           *[other] families
        } ({ $remindersMissedNames }); a reminder is not sent again after its time.
    }
    { oa-routes-line }
meeting-nudged = I reminded { $households } { $households ->
    [one] family
   *[other] families
  } without an answer.
meeting-nudge-once-a-day = Families were already reminded today; reminders go out at most once a day.
meeting-questions-none = There are no questions from parents yet.
meeting-questions-list =
    { $count } { $count ->
        [one] question
       *[other] questions
    }:
    { $list }
meeting-export = { $csv }
meeting-rescheduled-done = Moved to { $when }; reminders re-planned and { $households } { $households ->
    [one] family
   *[other] families
  } told.
meeting-revise-prompt =
    The current draft:
    Where: { $place }
    Agenda: { $agenda }
    What would you like to change before sending it again?
meeting-revise-agenda = Change the agenda
meeting-revise-place = Change the place
meeting-revise-send = Send again
meeting-ask-cancel-reason = Why is the meeting cancelled? (sent with the notice to families)
meeting-cancelled-done = The meeting is cancelled, its reminders removed and { $households } { $households ->
    [one] family
   *[other] families
  } told.
meeting-ask-minutes = Please type the summary/minutes of the meeting to send to the families.
meeting-held-done = Marked as held{ $attendance ->
    [yes] , attendance saved
   *[no] {""}
  }; the summary and an invitation to give an opinion went to { $households } { $households ->
    [one] family
   *[other] families
  }.
meeting-ask-attendance = Would you like to record which families attended?
meeting-attendance-all = Everyone was present
meeting-attendance-some = Some were absent
meeting-attendance-skip = No attendance
meeting-ask-absent =
    Please type the numbers of the pupils whose family was absent, separated by commas (e.g. 2, 5); everyone else is recorded as present.
    { $list }
    (Families who said they would not attend: { $declined })
meeting-absent-invalid = I could not read that. Please type numbers from 1 to { $count }, separated by commas, e.g. "2, 5".
meeting-attendance-noted = Noted: present { $present }, absent { $absent } ({ $names }).
meeting-opinions-none = There are no opinions from parents on this meeting yet.
meeting-opinions-list =
    { $count } opinions on the meeting:
    { $list }

meeting-petition-offer = If needed, you can ask for an extraordinary parent meeting of your child's class (once at least half of the class's families ask, I tell the homeroom teacher and the board head at once).
meeting-petition-start-button = Ask for an extraordinary meeting ({ $student })
meeting-petition-ask-reason = Please give the reason for an extraordinary meeting. I will send it (without your name) to the other families of the class to co-sign.
meeting-petition-invite =
    Dear parents of { $student },
    A family of the class asks for an extraordinary parent meeting, because:
    "{ $reason }"
    If you also ask for it, please choose it below.
meeting-petition-invite-children =
    Dear parents of { $students },
    A family of the class asks for an extraordinary parent meeting, because:
    "{ $reason }"
    If you also ask for it, please choose below for each child (each child counts as one family of the class).
meeting-petition-sign = Ask too
meeting-petition-sign-for = Ask too ({ $student })
meeting-petition-signed = Noted. { $signatures }/{ $households } families have asked so far.
meeting-petition-signed-reached = Noted. { $signatures }/{ $households } families have asked — I have told the homeroom teacher and the board head.
meeting-petition-already = Your family has already asked ({ $signatures }/{ $households } families).
meeting-petition-reached =
    { $signatures }/{ $households } families of class { $className } ask for an extraordinary parent meeting (half of the class, Circular 55/2011 Art. 9).
    Reason: "{ $reason }"
    { $reader ->
        [board] Please agree with the homeroom teacher on calling the meeting.
        [guardian] Please agree with the homeroom teacher on calling the meeting.
       *[staff] Please consider calling the meeting (/meeting).
    }


# Old buttons under a meeting that was cancelled or has taken place (issue 10).
meeting-rsvp-cancelled = The meeting has been cancelled ({ meeting-kind-name }, { $when }). No answer is needed any more.
meeting-rsvp-held = The meeting has already taken place ({ meeting-kind-name }, { $when }), so attendance answers are closed.

# The meeting's summary and its actions in one message, shown again after each action (issue 10).
meeting-manage-menu =
    { meeting-manage-summary }

    { meeting-manage-prompt }
meeting-action-done = Done
meeting-manage-done = Closed. Type /meeting whenever you need it again.
