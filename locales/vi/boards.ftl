# The class parents' board recorded in the bot by the homeroom teacher or BGH (flows/class-board.ts).
menu-board = Ban đại diện lớp
meeting-action-board = Ghi nhận Ban đại diện lớp
board-not-allowed = Dạ, việc ghi nhận Ban đại diện cha mẹ học sinh của lớp dành cho giáo viên chủ nhiệm của lớp và Ban giám hiệu nhà trường; { addr-you } không có quyền ghi nhận ban của lớp này ạ.
board-pick-class = Dạ, { addr-you } muốn ghi nhận Ban đại diện cha mẹ học sinh của lớp nào ạ?
board-class-button = Lớp { $className }
board-too-few = Dạ, lớp { $className } mới có { $count } phụ huynh liên kết với Sổ liên lạc, trong khi Ban đại diện lớp cần từ 3 đến 5 phụ huynh. { addr-you } vui lòng ghi nhận khi các phụ huynh được bầu đã liên kết ạ.
board-pick-members =
    Dạ, Ban đại diện cha mẹ học sinh lớp { $className } năm học { $year } gồm 3 đến 5 phụ huynh do cuộc họp phụ huynh đầu năm bầu ra.
    { addr-you } vui lòng gõ số thứ tự của các phụ huynh trong ban, cách nhau bằng dấu phẩy (ví dụ: 2, 5, 7). Mỗi dòng là phụ huynh của một em; (1), (2) là hai phụ huynh của cùng một em, theo thứ tự liên kết với Sổ liên lạc ạ.
    { $list }
board-pick-count = Dạ, em cần từ 3 đến 5 số thứ tự, mỗi số từ 1 đến { $count } (ví dụ: 2, 5, 7). { addr-you } vui lòng gõ lại ạ.
board-pick-same-person = Dạ, một phụ huynh có nhiều con trong lớp chỉ giữ một ghế trong ban ({ $names }). { addr-you } vui lòng chọn lại ạ.
board-pick-head = Dạ, { addr-you } chọn Trưởng ban ạ:
board-pick-deputy = Dạ, { addr-you } chọn Phó trưởng ban ạ:
board-seat-button = PH em { $student }
board-confirm =
    Ban đại diện cha mẹ học sinh lớp { $className } năm học { $year }:
    Trưởng ban: PH em { $head }
    Phó trưởng ban: PH em { $deputy }
    Thành viên: { $memberCount ->
        [0] (không có)
        [1] PH em { $members }
       *[other] PH các em { $members }
    }
    { addr-you } xác nhận ghi nhận ạ? Các phụ huynh trong ban sẽ nhận tin báo trên Sổ liên lạc.
board-confirm-record = Ghi nhận
board-recorded = Dạ, em đã ghi nhận Ban đại diện cha mẹ học sinh lớp { $className } năm học { $year } ({ $count } phụ huynh) và đã báo tin cho { $told } phụ huynh trên Sổ liên lạc. Từ nay các phụ huynh trong ban có thể tạo biểu quyết, lấy ý kiến phụ huynh của lớp và thống nhất nội dung họp với { addr-you } ạ.
board-changed-meanwhile = Dạ, danh sách Ban đại diện lớp { $className } vừa được người khác ghi nhận nên em chưa ghi danh sách này. { addr-you } vui lòng mở lại mục Ban đại diện lớp để xem danh sách mới ạ.
board-list-changed = Dạ, danh sách phụ huynh liên kết của lớp { $className } vừa thay đổi nên em chưa ghi nhận. { addr-you } vui lòng mở lại mục Ban đại diện lớp và chọn lại ạ.
board-no-year = Dạ, em không tìm thấy năm học hiện tại của lớp { $className }; có thể năm học đã được kết thúc. { addr-you } vui lòng liên hệ văn phòng nhà trường ạ.
# The school parents' board recorded in the bot by BGH (flows/school-board.ts).
menu-school-board = Ban đại diện trường
board-school-not-allowed = Dạ, việc ghi nhận Ban đại diện cha mẹ học sinh của trường do Ban giám hiệu nhà trường thực hiện; { addr-you } không có quyền ghi nhận ban này. Nếu cần điều chỉnh danh sách ban, { addr-you } vui lòng trao đổi với Ban giám hiệu ạ. Em cảm ơn { addr-you }!
board-school-pick-school = Dạ, { addr-you } muốn ghi nhận Ban đại diện cha mẹ học sinh của trường nào ạ?
board-school-button = { $schoolName }
board-school-too-few = Dạ, Ban đại diện cha mẹ học sinh của trường do Trưởng ban, Phó trưởng ban các lớp bầu ra, nhưng năm học { $year } mới có { $count } phụ huynh là Trưởng ban hoặc Phó trưởng ban lớp được ghi nhận trên Sổ liên lạc. Ban của trường cần ít nhất một Trưởng ban và một Phó trưởng ban; { addr-you } vui lòng ghi nhận Ban đại diện các lớp trước (mục Ban đại diện lớp) ạ.
board-school-pick-members =
    Dạ, Ban đại diện cha mẹ học sinh { $schoolName } năm học { $year } do Trưởng ban, Phó trưởng ban các lớp bầu ra: một Trưởng ban, các Phó trưởng ban và thành viên thường trực nếu cần.
    { addr-you } vui lòng gõ số thứ tự của các phụ huynh trong ban, cách nhau bằng dấu phẩy (ví dụ: 1, 4, 6). Mỗi dòng là phụ huynh của một em, kèm lớp mà phụ huynh là Trưởng ban hoặc Phó trưởng ban ạ.
    { $list }
board-school-pick-count = Dạ, em cần ít nhất 2 số thứ tự (một Trưởng ban và ít nhất một Phó trưởng ban), mỗi số từ 1 đến { $count } (ví dụ: 1, 4, 6). { addr-you } vui lòng gõ lại ạ.
board-school-same-person = Dạ, PH các em { $names } là cùng một phụ huynh; một phụ huynh là Trưởng ban hoặc Phó trưởng ban ở nhiều lớp chỉ giữ một ghế trong ban của trường. { addr-you } vui lòng chọn lại ạ.
board-school-pick-deputies =
    Dạ, { addr-you } vui lòng gõ số thứ tự của Phó trưởng ban (một hoặc nhiều người, ví dụ: 1 hoặc 1, 3); các phụ huynh còn lại là thành viên thường trực ạ.
    { $list }
board-school-deputies-again = Dạ, em cần số thứ tự của ít nhất một Phó trưởng ban, mỗi số từ 1 đến { $count } (ví dụ: 1 hoặc 1, 3). { addr-you } vui lòng gõ lại ạ.
board-school-confirm =
    Ban đại diện cha mẹ học sinh { $schoolName } năm học { $year }:
    Trưởng ban: PH em { $head }
    Phó trưởng ban: { $deputyCount ->
        [1] PH em { $deputies }
       *[other] PH các em { $deputies }
    }
    Thành viên thường trực: { $memberCount ->
        [0] (không có)
        [1] PH em { $members }
       *[other] PH các em { $members }
    }
    { addr-you } xác nhận ghi nhận ạ? Các phụ huynh trong ban sẽ nhận tin báo trên Sổ liên lạc.
board-school-recorded = Dạ, em đã ghi nhận Ban đại diện cha mẹ học sinh { $schoolName } năm học { $year } ({ $count } phụ huynh) và đã báo tin cho { $told } phụ huynh trên Sổ liên lạc. Từ nay các phụ huynh trong ban có thể tạo biểu quyết và lấy ý kiến phụ huynh toàn trường; Trưởng ban thống nhất nội dung các cuộc họp toàn trường với nhà trường ạ. Danh sách cũng có trên trang quản trị của trường (/quantri).
board-school-changed-meanwhile = Dạ, danh sách Ban đại diện cha mẹ học sinh của trường vừa được người khác ghi nhận nên em chưa ghi danh sách này. { addr-you } vui lòng mở lại mục Ban đại diện trường để xem danh sách mới ạ.
board-school-list-changed = Dạ, danh sách Trưởng ban, Phó trưởng ban các lớp vừa thay đổi nên em chưa ghi nhận. { addr-you } vui lòng mở lại mục Ban đại diện trường và chọn lại ạ.
board-school-no-year = Dạ, em không tìm thấy năm học hiện tại của { $schoolName }; có thể năm học đã được kết thúc. { addr-you } vui lòng liên hệ văn phòng nhà trường ạ.
# The school-wide start-of-year meeting's menu (flows/meeting-manage.ts): BGH record the school board from it.
meeting-action-school-board = Ghi nhận Ban đại diện trường
