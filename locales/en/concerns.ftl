# Concerns (/concern).

concern-category-name = { $category ->
    [study] Learning
    [health] Health
    [bullying] Friends / bullying
    [safety] School safety
    [fees] Fees / payments
    [teacher] About a teacher
   *[other] Other
  }
concern-status-name = { $status ->
    [sent] Sent
    [acknowledged] Teacher has seen it
    [in-progress] In progress
    [escalated] Passed to the school leadership
   *[resolved] Resolved
  }
concern-from-name = { $from ->
    [guardian] Parent
    [teacher] Homeroom teacher
   *[principal] School leadership
  }
concern-urgent-mark = { $urgent ->
    [yes] {"‼️ URGENT — "}
   *[no] {""}
  }

concern-not-linked = To raise a concern, please first link to your child with the code from the school (type /link).
concern-not-found = I cannot find this concern, or you may not see it.
concern-not-allowed = This action does not apply to the concern in its current state.
concern-closed = Concern { $number } is resolved and takes no more messages. { $reader ->
    [guardian] If the matter is not settled, you can choose "Reopen" within 7 days.
    [board] If the matter is not settled, you can choose "Reopen" within 7 days.
   *[staff] If the matter is not settled, the parent can reopen it within 7 days.
  }
concern-guardian-pick = Would you like to raise a new concern or look at one you sent?
concern-new = ✉️ Raise a new concern
concern-ticket-label = { $number } · { $student } · { concern-status-name }
concern-ask-child = Which child is this concern about?
concern-ask-category = Please choose the kind of concern below.
concern-category-choice = { concern-category-name }
concern-urgent-note = Concerns of this kind go at once to the homeroom teacher and the school leadership, whatever the hour.
concern-teacher-note = A concern about a teacher goes to the school leadership only, never to that teacher.
concern-ask-text = Please write your concern (at most { $max } characters). You may attach one photo.
concern-ask-text-after-photo = Please write the concern that goes with the photo (at most { $max } characters).
concern-text-too-short = That is a little short; please describe it more fully (at least { $min } characters) so the teacher understands what happened.
concern-photo-only = I can only take a photo with a concern (no other files).
concern-photo-too-large = The photo is too large (at most { $maxMb } MB). Please send a smaller one.
concern-photo-received = I have received the photo.
concern-confirm =
    Please check:
    Child: { $student }
    Kind: { concern-category-name }
    Photo attached: { $photo ->
        [yes] yes
       *[no] no
    }
    Concern: { $text }
concern-send = Send
concern-edit = Edit
concern-cancel = Cancel
concern-cancelled = Cancelled; nothing was sent.
concern-created = { $urgent ->
    [yes] Concern { $number } went at once to the homeroom teacher and the school leadership. The school will contact you as soon as possible.
   *[no] Concern { $number } is sent to { $to ->
        [principal] the school leadership
       *[teacher] the homeroom teacher
    }. You will have an answer by { $respondBy } at the latest (counted in school hours).{ $to ->
        [principal] {""}
       *[teacher] {" "}Without an answer by then it goes to the school leadership automatically.
    }
  }
concern-created-quiet = It is outside contact hours, so { $to ->
    [principal] the school leadership
   *[teacher] the homeroom teacher
  } will receive it on { $deliverAt }.
concern-created-unassigned = { $to ->
    [principal] The school leadership does not use the contact book yet. I have kept your concern and will forward it as soon as they join.
   *[teacher] Your child's homeroom teacher does not use the contact book yet. I have kept your concern and will forward it as soon as they join; past the deadline it goes to the school leadership.
  }

concern-to-staff =
    { concern-urgent-mark }Concern { $number } — { concern-category-name }
    Parent of { $student }, class { $className }:
    { $text }
    { $urgent ->
        [yes] Urgent concern: please act now.
       *[no] Please answer before { $respondBy }.
    }
concern-photo = Photo attached to concern { $number }
concern-escalated-to-principal =
    { concern-urgent-mark }Concern { $number } passed to the school leadership — { $reason ->
        [first-response] no first answer in time
        [resolution] not resolved in time
        [reopen] reopened a third time by the parent
       *[teacher] at the homeroom teacher's request
    }
    { concern-category-name } · Parent of { $student }, class { $className }:
    { $text }
concern-escalated-guardian = Concern { $number } was passed to the school leadership { $reason ->
    [first-response] because it had no answer in time
    [resolution] because it was not resolved in time
   *[other] for review
  }. The school will answer you.
concern-acknowledged-guardian = { $who ->
    [principal] The school leadership
   *[teacher] { addr-named }
  } has seen concern { $number }.
concern-staff-message-guardian =
    { concern-from-name } answered concern { $number } ({ $student }):
    { $text }
concern-guardian-message-staff =
    The parent of { $student } (class { $className }) added to concern { $number }:
    { $text }
concern-resolved-guardian = Concern { $number } was marked resolved. Please confirm and rate it (1–5 stars). If it is not settled, you can reopen it within 7 days.
concern-resolved-principal = Concern { $number } (escalated to the school leadership) has just been marked resolved by { $who ->
    [teacher] the homeroom teacher
   *[principal] the school leadership
  }; the parent has been told. No further action is needed.
concern-handed-back-teacher =
    The school leadership hands concern { $number } back to you.
    { concern-category-name } · Parent of { $student }, class { $className }:
    { $text }
concern-handed-back-guardian = The school leadership handed concern { $number } back to the homeroom teacher.
concern-reopened-staff =
    The parent of { $student } (class { $className }) reopened concern { $number }.
    { $text }
concern-digest =
    Good morning. You have { $count } open { $count ->
        [one] concern
       *[other] concerns
    }{ $soon ->
        [0] .
       *[other] , { $soon } of them close to their deadline (⏰).
    }
    { $list }

concern-view =
    { concern-urgent-mark }Concern { $number } — { concern-category-name }
    { $student }, class { $className } · sent { $createdAt }
    Status: { concern-status-name }{ $rating ->
        [0] {""}
       *[other] {" "}· Rating: { $rating }/5
    }
concern-view-message = { concern-from-name } ({ $at }){ $photo ->
    [yes] {" "}[photo]
   *[no] {""}
  }: { $text }

concern-btn-ack = Seen
concern-btn-reply = Reply
concern-btn-resolve = Resolved
concern-btn-escalate = To the leadership
concern-btn-handback = Back to the teacher
concern-btn-incident = Incident report
concern-btn-add = Add a message
concern-btn-status = Status
concern-btn-reopen = Reopen
concern-btn-star = { $n } ⭐
concern-btn-stats = 📊 Concern figures
concern-btn-new = ✉️ Raise a concern (as a parent)

concern-staff-list = You have { $count } open { $count ->
    [one] concern
   *[other] concerns
  } (oldest first):
concern-staff-none = There are no open concerns.
concern-write-prompt = Please type your message for concern { $number } (/cancel to stop).
concern-message-sent = Your message on concern { $number } was passed on.
concern-ack-done = I told the parent that you have seen concern { $number }.
concern-resolve-done = Concern { $number } is marked resolved; the parent is asked to confirm.
concern-escalate-done = Concern { $number } was passed to the school leadership.
concern-handback-done = Concern { $number } was handed back to the homeroom teacher.
concern-rated = Thank you for confirming and rating concern { $number }: { $stars }/5.
concern-rate-not-resolved = This concern is not resolved yet, so it cannot be rated.
concern-reopened = Concern { $number } is reopened and went to { $to ->
    [principal] the school leadership
   *[teacher] the homeroom teacher
  }.
concern-reopen-too-late = The concern was resolved more than 7 days ago and cannot be reopened. Please raise a new one (/concern).
concern-reopen-not-resolved = This concern is still being handled.

concern-incident-what = Incident report: what happened?
concern-incident-when = When did it happen?
concern-incident-informed = Who has been informed (family, teachers, medical staff, police…)?
concern-incident-actions = What has the school done and what will it do?
concern-incident-review =
    Please check the incident report from concern { $number }:
    What: { $what }
    When: { $when }
    Informed: { $informed }
    Actions: { $actions }
concern-incident-recorded = The incident report from concern { $number } is saved (time-stamped) and recorded as sent to the managing authority: { $contact }. Note: there is no direct channel to that authority in this system yet; please forward it through official correspondence.
concern-incident-no-authority = The incident report from concern { $number } is saved, but the school has no managing-authority contact configured, so it was not sent.

concern-stats =
    School concern figures:
    Total: { $total } (open: { $open })
    Learning: { $study } · Health: { $health } · Friends/bullying: { $bullying } · Safety: { $safety } · Fees: { $fees } · About a teacher: { $teacher } · Other: { $other }
    Median time to first answer: { $hasMedian ->
        [yes] { $median } minutes
       *[no] none yet
    }
    Passed to the leadership: { $escalations }

concern-btn-quiet = 🌙 My quiet hours
concern-quiet-current =
    Your quiet hours are { $start }–{ $end } every night{ $sundays ->
        [yes] {" "}and all of Sunday
       *[no] {""}; on Sundays you still receive concerns
    } ({ $custom ->
        [yes] set by you
       *[no] the school's default
    }).
    During quiet hours ordinary concerns are held and delivered when they end; urgent ones (bullying, school safety) still reach you at once.
concern-quiet-saved =
    Saved: your quiet hours are { $start }–{ $end } every night{ $sundays ->
        [yes] {" "}and all of Sunday
       *[no] {""}; on Sundays you still receive concerns
    } ({ $custom ->
        [yes] set by you
       *[no] the school's default
    }). Parents are told from these hours when you will receive their concern.
concern-quiet-ask = Choose a window with the buttons above, or type the one you want, for example 21:30-06:00 (/huy keeps it as it is).
concern-quiet-bad = That window cannot be used. Quiet hours are a night window, from the evening to the next morning, at most 14 hours long; please type it like 21:30-06:00.
concern-quiet-btn-sundays = { $sundays ->
    [yes] Sundays: receive concerns
   *[no] Sundays: quiet all day
  }
concern-quiet-btn-default = Use the school's default
concern-quiet-staff-only = Quiet hours are for teachers and school leaders who receive concerns.
concern-assigned-late = Concern { $number } was sent by the family on { $createdAt }, before you joined the bot; it is forwarded to you now.
concern-text-kept = I have kept what you wrote. Please choose the kind of concern so that I pass it to the right person.
