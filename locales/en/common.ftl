# Shared messages (English, the second locale).

role-name = { $role ->
    [homeroom-teacher] homeroom teacher
    [principal] Principal
    [vice-principal] Vice-principal
    [admin] school administrator
    [board-head] Head of the parents' board
    [board-deputy] Deputy head of the parents' board
   *[board-member] member of the parents' board
  }

common-error = Sorry, something went wrong while handling your request. Please try again in a few minutes, or type /menu to start over.
common-cancelled = Done, I cancelled what we were doing. Type /menu whenever you need me.
common-nothing-to-cancel = There is nothing in progress to cancel. Type /menu to see what I can do.
common-unknown-command = Sorry, I don't know the command /{ $command }. Type /help to see what I can do.
common-stale-button = That button is no longer active. Here is the current question again.
common-choose-one = Sorry, I didn't recognise that choice. Please pick one of the options below, or type its number.
common-empty-answer = I didn't receive any text. Please type it again.
common-too-long = Your text is { $length } characters long, over the limit of { $max }. Please shorten it and send it again.
common-attachment-unsupported = I can't take attachments at this step. Please send your answer as text.
common-flow-updated = This feature was just updated, so what you were doing has ended. Sorry for the inconvenience; please start again.
common-group-private = To protect families' information I only work in private messages. Please message me directly.
feature-coming = This feature is being finished by the school and will be available soon. Thank you for your patience.
idle-linked = Sorry, I didn't understand that. Type /menu to choose a feature, or /help for guidance.
idle-unlinked = I'm the school's contact-book assistant. To begin, please send the link code (13 characters) the school gave you.

# Form of address (locales/README.md, "Conversation style"): $reader, $title and $readerName (the
# given name that goes with a recorded title, "Lan") come from the engine. Staff are addressed by
# title and given name, "Ms Lan" / "Mr Minh", never "Madam" / "Sir".
addr-you = { $title ->
    [thay] Mr { $readerName }
    [co] Ms { $readerName }
   *[none] { $reader ->
        [guardian] dear parent
        [board] dear parent
        [teacher] dear teacher
        [principal] dear colleague
        [admin] dear colleague
       *[unknown] there
    }
  }
# For messages only staff receive: whoever passes $title passes $readerName with it.
addr-staff = { $title ->
    [thay] Mr { $readerName }
    [co] Ms { $readerName }
   *[none] dear colleague
  }
addr-named = { $whoTitle ->
    [thay] Mr { $whoName }
    [co] Ms { $whoName }
   *[none] The homeroom teacher
  }

# Navigation buttons the engine adds under every step of a flow (issue 10).
common-nav-back = ↩ Back
common-nav-skip = Skip
common-nav-cancel = ✖ Cancel
idle-answer-notice = To confirm, please choose «Seen» right under the notice that asks for it.
idle-answer-meeting = To answer an invitation, please choose your answer right under it.
