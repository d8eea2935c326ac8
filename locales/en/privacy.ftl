privacy-nothing-stored = I have not stored any personal data about you (you are not linked).
privacy-header = What I store about you: messenger { $channel }{ $hasName ->
    [yes] , display name "{ $name }"
   *[no] {""}
  }, language { $language ->
    [en] English
   *[vi] Vietnamese
  }.
privacy-consent = Consent to data processing given on { $at } (notice version { $version }).
privacy-student = • Guardian of pupil { $student }, class { $class }, { $school }.
privacy-role = • Role { role-name }{ $class ->
    [none] {""}
   *[other] {" "}of class { $class }
  }, { $school }.
privacy-rights = Your rights (Law 91/2025/QH15): see your data (/privacy), delete all of it and withdraw consent (/forget). Your phone number and messenger account are never shown to teachers or other parents.
forget-confirm = Delete all your data: links to pupils, roles, language choice and your conversation history with me? After that you will no longer receive school messages here until you link again with a new code.
forget-yes = Delete my data
forget-no = No, keep it
forget-kept = OK, nothing was deleted.
forget-done = All your data has been deleted and your consent withdrawal recorded. The erasure is complete as of now, including what you sent to teachers, the school and other parents; records the school must keep (such as concern numbers) no longer carry your name, account or words. Thank you for being with the school.
privacy-erased-content = [erased on request]
privacy-shared-phone = Phone number you agreed to share with the school's Zalo OA: { $phone } (used only to send Zalo template messages when a chat message cannot reach you; delete it with /xoadulieu).
