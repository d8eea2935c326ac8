# Notices (/notice). Shared labels read the variables of the message that uses them.

notice-scope-name = { $scope ->
    [class] class { $scopeName }
    [grade] grade { $scopeName }
   *[school] { $scopeName }
  }
notice-signature = { $signerTitle ->
    [thay] Mr { $signerName }
    [co] Ms { $signerName }
   *[none] { $signerName }
  } — { $signerRole ->
    [homeroom-teacher] Homeroom teacher of { $signerClass }
    [vice-principal] Vice-principal
   *[principal] Principal
  }
notice-kind-name = { $kind ->
    [ack] Confirmation needed
   *[info] For information
  }
notice-status-name = { $status ->
    [scheduled] scheduled
    [cancelled] cancelled
   *[sent] sent
  }

notice-message = { $urgent ->
    [yes] 🔴 URGENT NOTICE
   *[no] 📢 NOTICE
  }
    To: the parents of pupils of { notice-scope-name }

    { $text }

    { $kind ->
        [ack] 👉 Please choose «Seen» to confirm for { $student } before { $deadline }.
            Kind regards,
       *[info] Kind regards,
    }
    { notice-signature }
notice-reminder = 🔔 REMINDER: the notice below has not yet been confirmed for { $student } (due { $deadline }).

    To: the parents of pupils of { notice-scope-name }

    { $text }

    Kind regards,
    { notice-signature }
notice-confirm-button = ✅ Seen
notice-confirm-for = ✅ Seen ({ $student })

notice-not-linked = To see notices, please link with your child first using the school's code (type /link).
notice-not-sender = Only homeroom teachers (for their class) and the school leadership can send notices.
notice-not-found = I could not find this notice, or you have no access to it.
notice-sender-prompt = Would you like to write a new notice, or see the report of one you sent?
notice-new = ✍️ Write a new notice
notice-item-label = { $when } · { notice-kind-name } · { notice-status-name } · { $excerpt }
notice-my-children = 📬 Notices for my children
notice-none-recent = No notice has been sent to your child's class in the last 30 days.
notice-inbox-intro = { $count ->
    [one] Here is the recent notice
   *[other] Here are { $count } recent notices
  } for your child's class:
notice-guardian-item = 📢 { $when } · { notice-kind-name }
    To: the parents of pupils of { notice-scope-name }

    { $text }

    { notice-signature }
    { $kind ->
        [ack] Confirm by: { $deadline }. Confirmed for: { $confirmed }
       *[info] {""}
    }
notice-confirmed = Thank you: recorded that the parents of { $student } have seen the notice.
notice-already-confirmed = This notice was already confirmed for { $student }. Thank you.
notice-preview-button = This is a preview button: parents will press it to confirm.

notice-ask-scope = Which class or grade is the notice for?
notice-scope-class = Class { $className }
notice-scope-grade = A whole grade
notice-scope-school = The whole school
notice-ask-grade = Please type the grade number (e.g. 6).
notice-grade-invalid = The grade is a number from 1 to 12.
notice-ask-text = Please type the notice (at most { $max } characters; I add the greeting and your signature).
notice-text-first = Please type the notice text first; I will ask for an attachment next.
notice-text-empty = The notice has no text, so I cannot send it. Please write it again.
notice-ask-file = Would you like to attach a photo or a file (PDF, DOCX, XLSX)? Send it here, or type «no» to skip.
notice-file-expected = I am waiting for a photo or a PDF/DOCX/XLSX file; type «no» to skip.
notice-file-type = The file «{ $name }» is not a type I can send. Please send a PDF, DOCX or XLSX file (or type «no»).
notice-file-too-big = The file is about { $size } MB, over the platform's { $max } MB limit. Please compress or split it and send it again (or type «no»).
notice-file-received = Received the file «{ $name }».
notice-file-received-photo = Received the photo.
notice-ask-kind = What kind of notice is it?
notice-kind-info = For information
notice-kind-ack = Confirmation needed (parents choose «Seen»)
notice-ask-deadline = By when must parents confirm? (e.g. "20/9 17h", "next Friday 17h")
notice-deadline-past = The confirmation deadline must be after the sending time. Please type another one.
notice-deadline-before-send = The sending time must be before the confirmation deadline. Please choose an earlier time.
notice-ask-urgent = Is this notice urgent? Urgent notices are sent even during quiet hours (21:00–06:30).
notice-urgent-no = Normal
notice-urgent-yes = 🔴 Urgent (storm closure, safety…)
notice-urgent-principal-only = Only the school leadership can send urgent notices.
notice-ask-when = Send now, or at a chosen time?
notice-when-now = Send now
notice-when-later = Schedule
notice-ask-send-at = When should I send it? (e.g. "tomorrow 7h", "20/9 6h45")
notice-send-at-past = That time has passed. Please choose a time after now.
notice-when-impossible-date = That day is not on the calendar. Example: "28/02 17h".
notice-when-impossible-time = That time is not right. Example: "17h", "17:30".
notice-when-no-date = Please give the day too. Example: "20/9 17h".
notice-when-no-time = Please give the time too. Example: "20/9 17h".
notice-when-unrecognized = I did not understand that time. Example: "20/9 17h", "tomorrow 7h".
notice-preview-intro = Parents will receive the notice like this (the pupil's name is an example):
notice-review = { $when ->
    [later] I will send it on { $sendAt }{ $urgent ->
        [yes] {""}
       *[no] {""} (during quiet hours 21:00–06:30 it waits until 06:30)
    }.
   *[now] { $urgent ->
        [yes] I will send it now to every parent, even during quiet hours.
       *[no] I will send it now (during quiet hours 21:00–06:30 it waits until 06:30).
    }
  } Shall I send it?
notice-review-send = Send
notice-review-discard = Discard the draft
notice-discarded = The draft was discarded; nothing was sent to parents.
notice-scheduled = The notice is scheduled for { $sendAt }. You can cancel it before then in /notice.
notice-sent = Sending the notice to the parents of { $households } { $households ->
    [one] pupil
   *[other] pupils
  }. See the report in /notice.
notice-sent-deferred = It is quiet hours, so the notice goes to the parents of { $households } { $households ->
    [one] pupil
   *[other] pupils
  } on { $until }.

notice-report = 📊 Notice report ({ notice-kind-name }, { notice-scope-name }, { notice-status-name }: { $when })
    Households (pupils): { $households }
    ✅ Reached: { $reached }
    ⏳ Being sent: { $pending } — { $pendingNames }
    ⚠️ Failed: { $failed } — { $failedNames }
    🔗 Not linked to the bot: { $notLinked } — { $notLinkedNames }
    🚫 Unreachable (blocked the bot / never started it): { $blocked } — { $blockedNames }
    { $kind ->
        [ack] 👁 Confirmed: { $confirmed } — { $confirmedNames }
            ❔ Reached, not yet confirmed: { $notConfirmed } — { $notConfirmedNames }
            Deadline: { $deadline }; reminders sent: { $rounds }
       *[info] {""}
    }
    { $duplicates ->
        [0] {""}
       *[other] (*) { $duplicates } households may have received two copies because of a server failure mid-send.
    }
    { oa-routes-line }
notice-action-refresh = 🔄 Refresh the report
notice-action-renotify = 🔔 Remind { $count } households not yet confirmed
notice-action-cancel = ❌ Cancel the scheduled send
notice-action-done = Done
notice-manage-done = All right.
notice-cancelled = The scheduled notice was cancelled; parents will not receive it.
notice-cancel-too-late = The notice was already sent and can no longer be cancelled.
notice-renotified = Reminded the parents of { $households } { $households ->
    [one] pupil
   *[other] pupils
  } who had not confirmed.
notice-renotify-nothing = No household needs a reminder (every reachable household has confirmed).
notice-renotify-not-sent = The notice has not been sent yet, so there is nothing to remind.
