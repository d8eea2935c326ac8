# Quick polls (/poll) and opinion rounds (/opinion). Shared labels read the variables of the message that uses them.

poll-scope-name = { $scope ->
    [school] the whole school
   *[class] class { $scopeName }
  }
poll-anonymity-name = { $anonymity ->
    [anonymous] fully anonymous (nobody, not even the organizer, sees who chose what)
   *[visible] the organizer sees each household's choice
  }

poll-not-linked = To use this, please link your account first with the code the school gave you (type /link).
poll-not-allowed = Only the parent board, homeroom teachers or the principal can create polls.
poll-menu-prompt = What would you like to do?
poll-menu-new = Create a new poll
poll-menu-mine = My polls (results)
poll-menu-vote = Vote for my child
poll-no-open = There is no open poll for your children right now.
poll-scope-prompt = Who should receive it?
poll-scope-class = Class { $className }
poll-scope-school = Whole school
poll-ask-question = Please type the poll question (at most 300 characters).
poll-money-reminder = Note (Circular 55/2011, Art. 10): every contribution from parents must be voluntary, never compulsory or a fixed equal amount; the board may not collect for equipment, school repairs or gifts for teachers.
poll-ask-options = Please type the options, one per line (2 to 10 options). For example:
    Agree
    Disagree
poll-options-too-few = I only got { $count } option(s); a poll needs at least 2, one per line (or on one line, separated by «;»).
poll-options-too-many = That is { $count } options, more than the 10 allowed. Please shorten the list and type it again.
poll-options-duplicate = The option "{ $option }" appears twice. Please type the list again with each option once.
poll-options-too-long = The option "{ $option }" is longer than { $max } characters. Please shorten it and type the list again.
poll-ask-mode = May each household choose one option or several?
poll-mode-single = One option
poll-mode-multiple = Several options
poll-ask-anonymity = How anonymous should it be?
poll-anonymity-anonymous = Fully anonymous
poll-anonymity-visible = Organizer can see
poll-ask-deadline = When is the deadline? For example "20/12 17h" or "20/12/2026 17:00".
poll-deadline-past = That moment has already passed. Please give a deadline in the future, e.g. "20/12 17h".
poll-deadline-impossible = That date or time does not exist. Please try again, e.g. "20/12 17h".
poll-deadline-no-date = I can't see a date. Please give a date and a time, e.g. "20/12 17h".
poll-deadline-unrecognized = I didn't understand that time. Please write it like "20/12 17h" or "20/12/2026 17:00".
poll-preview = Here is a preview:
    Poll for { poll-scope-name }
    Question: { $question }
    { $options }
    Choice: { $multiple ->
        [yes] several options allowed
       *[no] one option
      }
    Anonymity: { poll-anonymity-name }
    Deadline: { $deadline }
    { $money ->
        [yes] Note (Circular 55/2011, Art. 10): contributions must be voluntary; no collecting for equipment or gifts for teachers.
       *[no] {""}
    }
    Send this poll?
poll-confirm-send = Send
poll-confirm-cancel = Cancel
poll-cancelled = Cancelled; nothing was sent to the families.
poll-created = The poll went to { $reached }/{ $households } households (the others have not linked with me yet). It closes by itself on { $deadline } and the result goes to every household. Live results: /poll.
poll-ballot = Dear parent of { $studentName },
    The parent board/school asks { poll-scope-name }:
    { $question }
    { $options }
    { $multiple ->
        [yes] You may choose several options; choose a chosen one (✅) again to remove it.
       *[no] Choose one option; you can change it before the deadline.
      }
    Deadline: { $deadline }. Mode: { poll-anonymity-name }.
poll-vote-recorded = Recorded for { $studentName }: { $chosen }. You can change it until { $deadline }.
poll-vote-cleared = Nothing is chosen for { $studentName } now. You can choose again until { $deadline }.
poll-vote-closed = The poll "{ $question }" closed on { $deadline }; I can no longer record choices. Thank you for your interest.
poll-vote-changed = Another guardian of { $studentName } has just changed your household's choice in the poll "{ $question }" to: { $chosen }. Each household counts once; you can change it again until { $deadline }.
poll-vote-not-found = I can't find this poll for your children. Type /poll to see the open polls.
poll-none-organized = You have not created any poll yet.
poll-pick-prompt = Which poll would you like to see?
poll-tally = Poll for { poll-scope-name }: { $question }
    { $status ->
        [open] Open until { $deadline }.
       *[closed] Closed.
    }
    { $results }
    Voted: { $voted }/{ $households } households.
    Reached, not voted yet: { $notVoted } · Not linked to the bot: { $notLinked } · Unreachable (blocked the bot / never started it): { $blocked }.
poll-tally-voters = Each household's choice:
    { $lines }
poll-manage-prompt = Anything else?
poll-manage-refresh = Refresh results
poll-manage-close = Close the poll now
poll-manage-done = Done
poll-closed-early = The poll is closed and the result is on its way to the households.
poll-already-closed = This poll had already closed.
poll-done = Type /menu whenever you need me.
poll-result = Dear parents,
    Result of the poll for { poll-scope-name }: { $question }
    { $results }
    Households that voted: { $voted }/{ $households }.
    Thank you for taking part.

opinion-not-allowed = Only the school or the parent board can open an opinion round.
opinion-menu-prompt = What would you like to do?
opinion-menu-new = Open a new opinion round
opinion-menu-mine = My opinion rounds (read opinions)
opinion-menu-give = Give an opinion
opinion-ask-topic = Please type the topic (e.g. "Opinions on the semester II field trip plan").
opinion-ask-deadline = When is the deadline for opinions? For example "20/12 17h".
opinion-preview = Here is a preview:
    Opinion round for { poll-scope-name }: { $topic }
    Deadline: { $deadline }
    Each household may send one or more opinions, anonymously if they wish. Send it?
opinion-opened = The invitation went to { $reached }/{ $households } households. The round closes by itself on { $deadline }. Read opinions: /opinion.
opinion-invite = Dear parents,
    The parent board/school invites { poll-scope-name } to give opinions on: { $topic }
    Deadline: { $deadline }. You may sign with your child's name or stay anonymous.
opinion-write-button = Give an opinion
opinion-none-open = There is no open opinion round for your children right now.
opinion-pick-round = Which topic would you like to comment on?
opinion-pick-student = As the parent of which child?
opinion-ask-text = Please type your opinion on "{ $topic }" (at most 2000 characters).
opinion-ask-anonymity = Sign it or send it anonymously?
opinion-named = Sign as "parent of { $studentName }"
opinion-anonymous = Anonymous
opinion-recorded = Your opinion{ $anonymous ->
        [yes] {" "}(anonymous)
       *[no] {""}
    } on "{ $topic }" is recorded. You can send more until { $deadline } (type /opinion).
opinion-closed-refused = This opinion round has closed or is not for your children; I can no longer take opinions. Thank you.
opinion-not-found = I can't find this opinion round.
opinion-none-organized = You have not opened any opinion round yet.
opinion-pick-prompt = Which opinion round would you like to see?
opinion-list = Opinions from { poll-scope-name }: { $topic } ({ $status ->
        [open] open until { $deadline }
       *[closed] closed
    }) — { $count } opinion(s):

    { $lines }
opinion-list-empty = No opinions yet on "{ $topic }".
opinion-manage-prompt = Anything else?
opinion-manage-export = Export CSV
opinion-manage-close = Close the round
opinion-export = Here is the CSV (copy it into a spreadsheet):
    { $csv }
opinion-closed-early = The round is closed and the summary is on its way to the participants.
opinion-already-closed = This round had already closed.
opinion-summary = Dear parents,
    The opinion round for { poll-scope-name } on "{ $topic }" has closed: { $opinions } opinion(s) from { $households } household(s) ({ $named } signed, { $anonymous } anonymous). Thank you for your opinions.
opinion-text-too-short = That opinion is a little short. Please write it as a sentence (for example: "I agree, a day trip is best") and send it again.
