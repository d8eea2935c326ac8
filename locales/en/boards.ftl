# The class parents' board recorded in the bot by the homeroom teacher or BGH (flows/class-board.ts).
menu-board = Class parents' board
meeting-action-board = Record the class parents' board
board-not-allowed = The class parents' board is recorded by the class's homeroom teacher and the school leadership; you are not allowed to record this class's board.
board-pick-class = Which class's parents' board would you like to record?
board-class-button = Class { $className }
board-too-few = Class { $className } has { $count } { $count ->
    [one] parent
   *[other] parents
  } linked to the bot so far, and a class board needs 3 to 5 parents. Please record it once the elected parents have linked.
board-pick-members =
    The parents' board of class { $className } for the school year { $year } has 3 to 5 parents, elected at the start-of-year parents' meeting.
    Please type the numbers of the parents on the board, separated by commas (for example: 2, 5, 7). Each line is a pupil's parent; (1) and (2) are two parents of the same pupil, in the order they linked to the bot.
    { $list }
board-pick-count = I need 3 to 5 numbers, each from 1 to { $count } (for example: 2, 5, 7). Please type them again.
board-pick-same-person = A parent with several children in the class holds one seat on the board ({ $names }). Please choose again.
board-pick-head = Please choose the head of the board:
board-pick-deputy = Please choose the deputy head:
board-seat-button = Parent of { $student }
board-confirm =
    Parents' board of class { $className }, school year { $year }:
    Head: parent of { $head }
    Deputy head: parent of { $deputy }
    Members: { $memberCount ->
        [0] (none)
        [1] parent of { $members }
       *[other] parents of { $members }
    }
    Shall I record it? The parents on the board will be told in the bot.
board-confirm-record = Record
board-recorded = I have recorded the parents' board of class { $className } for { $year } ({ $count } parents) and told { $told } of them in the bot. From now on the board's parents can run quick polls, collect the class parents' opinions and agree meeting content with you.
board-changed-meanwhile = Someone else has just recorded the board of class { $className }, so I did not record this list. Please open the class parents' board again to see the new list.
board-list-changed = The linked parents of class { $className } have just changed, so I did not record the board. Please open the class parents' board again and choose again.
board-no-year = I could not find the current school year of class { $className }; the year may have ended. Please contact the school office.
# The school parents' board recorded in the bot by BGH (flows/school-board.ts).
menu-school-board = School parent board
board-school-not-allowed = The school's parents' board is recorded by the school leadership; you are not allowed to record it. If the board's list needs a change, please speak with the school leadership. Thank you!
board-school-pick-school = Which school's parents' board would you like to record?
board-school-button = { $schoolName }
board-school-too-few = The school's parents' board is elected by the heads and deputy heads of the class boards, but for { $year } only { $count } parents are recorded as a class board's head or deputy. The school board needs at least a head and a deputy; please record the class boards first (the class parents' board entry).
board-school-pick-members =
    The parents' board of { $schoolName } for the school year { $year } is elected by the class boards' heads and deputy heads: a head, deputy heads, and standing members if needed.
    Please type the numbers of the parents on the board, separated by commas (for example: 1, 4, 6). Each line is a pupil's parent, with the class whose board they head or deputise.
    { $list }
board-school-pick-count = I need at least 2 numbers (a head and at least one deputy head), each from 1 to { $count } (for example: 1, 4, 6). Please type them again.
board-school-same-person = The parent of { $names } is one person; a parent who heads or deputises several class boards holds one seat on the school board. Please choose again.
board-school-pick-deputies =
    Please type the numbers of the deputy heads (one or more, for example: 1 or 1, 3); the other parents are standing members.
    { $list }
board-school-deputies-again = I need the number of at least one deputy head, each from 1 to { $count } (for example: 1 or 1, 3). Please type them again.
board-school-confirm =
    Parents' board of { $schoolName }, school year { $year }:
    Head: parent of { $head }
    Deputy { $deputyCount ->
        [1] head: parent of { $deputies }
       *[other] heads: parents of { $deputies }
    }
    Standing members: { $memberCount ->
        [0] (none)
        [1] parent of { $members }
       *[other] parents of { $members }
    }
    Shall I record it? The parents on the board will be told in the bot.
board-school-recorded = I have recorded the parents' board of { $schoolName } for { $year } ({ $count } parents) and told { $told } of them in the bot. From now on the board's parents can run quick polls and collect opinions across the school, and the head agrees the content of school-wide meetings with the school. The list is also shown in the school's office console (/admin).
board-school-changed-meanwhile = Someone else has just recorded the school's parents' board, so I did not record this list. Please open the school parents' board again to see the new list.
board-school-list-changed = The class boards' heads and deputy heads have just changed, so I did not record the board. Please open the school parents' board again and choose again.
board-school-no-year = I could not find the current school year of { $schoolName }; the year may have ended. Please contact the school office.
# The school-wide start-of-year meeting's menu (flows/meeting-manage.ts): BGH record the school board from it.
meeting-action-school-board = Record the school parents' board
