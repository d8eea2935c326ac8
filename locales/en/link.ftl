link-welcome = Welcome! I'm the school's contact-book assistant: I carry notices, meeting invitations, concerns and polls between families and the school — privately, without sharing phone numbers.
link-ask-code = Please type the link code the school gave you (for example: K7M2-Q9XD-4RT8B).
link-invalid-code = This code can't be used: it is wrong, expired or already used. Please check each character, or ask the homeroom teacher for a new code.
link-too-many = The code was typed wrongly too many times. To protect pupils' information, please try again in { $minutes } minutes.
link-found-student = Valid code: pupil { $student }, class { $class }, { $school }.
link-found-role = Valid code: role { role-name }{ $class ->
    [none] {""}
   *[other] {" "}of class { $class }
  }, { $school }.
privacy-notice =
    Before linking, please read how your personal data is handled (Law on Personal Data Protection No. 91/2025/QH15, Decree 356/2025/ND-CP):
    • What is stored: your messenger account id (not your display name), the pupil/class you link to, your language, the messages you send through me (concerns, replies, votes) and when you consented.
    • Purpose: school–family communication only. No advertising, no selling, no sharing with third parties.
    • Who sees it: the homeroom teacher and the school leadership see the pupil's name, never your phone number or messenger account; other parents see nothing about you.
    • Storage: on servers managed by the school, until the pupil leaves, the school year is archived, or you ask for deletion.
    • Your rights: see your data (/privacy), delete it and withdraw consent (/forget) at any time.
    Do you agree?
link-consent-agree = I agree
link-consent-decline = I do not agree
link-declined = Noted: you do not agree. I stored nothing and linked nothing. You can send the code again at any time.
link-code-gone = The code was used up or expired meanwhile. Please ask the homeroom teacher for a new code.
link-already = You are already linked with this code.
link-done-student = You are now linked with pupil { $student }, class { $class }. You will receive the class's notices and meeting invitations here. If another of your children attends the school, just send their code too.
link-done-role = Your role is confirmed: { role-name }{ $class ->
    [none] {""}
   *[other] {" "}of class { $class }
  }. Welcome, { $role ->
        [board-head] dear parent
        [board-deputy] dear parent
        [board-member] dear parent
       *[staff] { addr-staff }
    }!
