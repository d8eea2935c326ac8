# Họp phụ huynh (/hop). Các nhãn dùng chung đọc biến của tin nhắn gọi chúng.

meeting-kind-name = { $kind ->
    [start-year] Họp phụ huynh đầu năm học
    [end-semester-1] Họp phụ huynh cuối học kỳ I
    [end-year] Họp phụ huynh cuối năm học
    [extraordinary] Họp phụ huynh bất thường
   *[other] Họp phụ huynh
  }
meeting-scope-name = { $scope ->
    [class] lớp { $scopeName }
    [grade] khối { $scopeName }
   *[school] toàn trường
  }
meeting-answer-name = { $answer ->
    [yes] Tham dự
    [no] Không tham dự
    [other] Người khác trong gia đình dự
   *[none] Chưa trả lời
  }
meeting-status-name = { $status ->
    [draft] bản nháp (chờ chỉnh sửa)
    [pending-board] chờ Ban đại diện CMHS đồng ý
    [published] đã gửi thư mời
    [cancelled] đã hủy
   *[held] đã họp
  }

meeting-not-linked = Dạ, để xem lịch họp, Quý phụ huynh vui lòng liên kết với con trước bằng mã nhà trường cấp (gõ /lienket) ạ.
meeting-not-organizer = Dạ, chỉ giáo viên chủ nhiệm hoặc Ban giám hiệu mới tạo được cuộc họp ạ.
meeting-not-found = Dạ, em không tìm thấy cuộc họp này hoặc { addr-you } không có quyền với cuộc họp này ạ.
meeting-closed = Dạ, cuộc họp này đã kết thúc, đã hủy hoặc chưa mở để trả lời ạ.
meeting-none-upcoming = Dạ, hiện chưa có cuộc họp phụ huynh nào sắp tới cho con của Quý phụ huynh ạ.
meeting-organizer-prompt = Dạ, { addr-you } muốn xem cuộc họp nào, hay tạo cuộc họp mới ạ?
meeting-item-label = { $when } · { meeting-kind-name } · { meeting-status-name }
meeting-new = ➕ Tạo cuộc họp mới

meeting-ask-scope = Dạ, cuộc họp dành cho phụ huynh của lớp/khối nào ạ?
meeting-scope-class = Lớp { $className }
meeting-scope-grade = Một khối lớp
meeting-scope-school = Toàn trường
meeting-ask-grade = Dạ, { addr-you } nhập số khối (ví dụ: 6) ạ.
meeting-grade-invalid = Dạ, khối lớp là một số từ 1 đến 12 (ví dụ: 6) ạ.
meeting-ask-kind = Dạ, đây là cuộc họp nào ạ?
meeting-kind-choice = { meeting-kind-name }
meeting-ask-when = Dạ, cuộc họp diễn ra lúc nào ạ? Ví dụ: "19/9 19h30", "19/09/2026 7h30 tối" hoặc "thứ 7 tuần sau 8h".
meeting-ask-new-when = Dạ, thời gian mới của cuộc họp là lúc nào ạ? Ví dụ: "26/9 19h30".
meeting-when-past = Dạ, thời điểm này đã qua rồi ạ. { addr-you } vui lòng nhập một ngày giờ sắp tới, ví dụ: "thứ 7 tuần sau 8h".
meeting-when-impossible-date = Dạ, ngày này không có trên lịch (ví dụ 31/02) ạ. { addr-you } vui lòng nhập lại, ví dụ: "28/02 19h30".
meeting-when-impossible-time = Dạ, giờ phải từ 0h đến 23h59 ạ. Ví dụ: "19h30" hoặc "7h30 tối".
meeting-when-no-date = Dạ, em mới nhận được giờ, chưa có ngày ạ. { addr-you } vui lòng nhập cả ngày và giờ, ví dụ: "19/9 19h30".
meeting-when-no-time = Dạ, em mới nhận được ngày, chưa có giờ ạ. { addr-you } vui lòng nhập cả ngày và giờ, ví dụ: "19/9 19h30".
meeting-when-unrecognized = Dạ, em chưa đọc được ngày giờ này ạ. { addr-you } vui lòng nhập theo dạng "19/9 19h30" hoặc "thứ 7 tuần sau 8h".
meeting-when-confirm = Dạ, em hiểu là: { $when }. Đúng không ạ?
meeting-when-right = Đúng
meeting-when-retype = Nhập lại
meeting-ask-place = Dạ, { addr-you } cho em xin địa điểm họp (phòng học, hoặc đường link nếu họp trực tuyến) ạ.
meeting-ask-agenda = Dạ, { addr-you } nhập nội dung chính của cuộc họp ạ.
meeting-review =
    Dạ, { addr-you } xem lại giúp em ạ:
    { meeting-kind-name }
    Thời gian: { $when }
    Địa điểm: { $place }
    Nội dung: { $agenda }

    Gửi Ban đại diện CMHS để thống nhất nội dung (nếu chưa có Ban đại diện, em gửi thư mời ngay)?
meeting-review-send = Gửi
meeting-review-discard = Bỏ
meeting-discarded = Dạ, em đã bỏ bản nháp này ạ.
meeting-sent-to-board = Dạ, em đã gửi nội dung { meeting-kind-name } ({ $when }) tới Trưởng ban đại diện CMHS để thống nhất. Khi Ban đại diện đồng ý, em sẽ gửi thư mời tới các gia đình và báo { addr-staff } ạ.
meeting-published-no-board = Dạ, { meeting-scope-name } chưa có Trưởng ban đại diện CMHS nên em đã gửi thư mời ngay (việc này được ghi lại trong nhật ký cuộc họp). Thư mời tới { $households } gia đình ạ.

meeting-board-request =
    Kính gửi Quý phụ huynh — Trưởng ban đại diện CMHS,
    Nhà trường kính đề nghị Quý phụ huynh thống nhất nội dung { meeting-kind-name } { meeting-scope-name }:
    Thời gian: { $when }
    Địa điểm: { $place }
    Nội dung: { $agenda }
meeting-board-agree = Đồng ý
meeting-board-revise = Đề nghị sửa
meeting-board-agreed = Dạ, em đã ghi nhận Ban đại diện đồng ý và gửi thư mời tới { $households } gia đình. Em cảm ơn { addr-you } ạ.
meeting-board-stale = Dạ, nội dung này đã được xử lý hoặc đã thay đổi, em không ghi nhận nút này nữa ạ.
meeting-board-ask-comment = Dạ, { addr-you } đề nghị sửa nội dung gì ạ? Em sẽ chuyển tới người tổ chức cuộc họp.
meeting-board-revision-sent = Dạ, em đã chuyển đề nghị tới người tổ chức cuộc họp. Em cảm ơn { addr-you } ạ.
meeting-board-agreed-organizer = Dạ, Ban đại diện CMHS đã đồng ý nội dung { meeting-kind-name } ({ $when }). Em đã gửi thư mời tới { $households } gia đình ạ.
meeting-board-revise-organizer =
    Dạ, Ban đại diện CMHS đề nghị sửa nội dung { meeting-kind-name } ({ $when }):
    "{ $comment }"
    { addr-staff } gõ /hop, chọn cuộc họp để sửa nội dung và gửi lại ạ.

meeting-invite =
    Kính gửi Quý phụ huynh em { $student },
    Nhà trường trân trọng kính mời Quý phụ huynh dự { meeting-kind-name } { meeting-scope-name }.
    Thời gian: { $when }
    Địa điểm: { $place }
    Nội dung: { $agenda }
    Quý phụ huynh vui lòng cho biết có tham dự không ạ.
meeting-invite-children =
    Kính gửi Quý phụ huynh các em { $students },
    Nhà trường trân trọng kính mời Quý phụ huynh dự { meeting-kind-name } { meeting-scope-name }.
    Thời gian: { $when }
    Địa điểm: { $place }
    Nội dung: { $agenda }
    Quý phụ huynh vui lòng cho biết việc tham dự cho từng con bằng các lựa chọn bên dưới ạ.
meeting-nudge =
    Kính gửi Quý phụ huynh em { $student },
    Nhà trường chưa nhận được phản hồi về { meeting-kind-name } ({ $when }, tại { $place }). Quý phụ huynh vui lòng chọn câu trả lời bên dưới ạ.
meeting-nudge-children =
    Kính gửi Quý phụ huynh các em { $students },
    Nhà trường chưa nhận được phản hồi về { meeting-kind-name } ({ $when }, tại { $place }) cho các con. Quý phụ huynh vui lòng chọn câu trả lời cho từng con bên dưới ạ.
meeting-rsvp-yes = Tham dự
meeting-rsvp-no = Không tham dự
meeting-rsvp-other = Người nhà dự thay
meeting-rsvp-yes-all = ✅ Cả { $count } con: tham dự
meeting-rsvp-yes-for = ✅ { $student }: tham dự
meeting-rsvp-no-for = ❌ { $student }: không tham dự
meeting-rsvp-other-for = 👥 { $student }: người nhà dự thay
meeting-rsvp-recorded = Dạ, em đã ghi nhận cho em { $student }: { meeting-answer-name } ({ $when }) ạ.
meeting-rsvp-recorded-all = Dạ, em đã ghi nhận cho các em { $students }: { meeting-answer-name } ({ $when }) ạ.
meeting-rsvp-all-stale = Dạ, các con của Quý phụ huynh trong cuộc họp này đã thay đổi so với lúc em gửi tin. Quý phụ huynh vui lòng chọn câu trả lời cho từng con, hoặc gõ /hop để xem lại ạ.
meeting-ask-absence-reason = Dạ, Quý phụ huynh có thể cho biết lý do không tham dự (ví dụ "vắng có phép", "đi công tác") hoặc gõ "bỏ qua" ạ.
meeting-reason-recorded = Dạ, em đã ghi nhận lý do. Em cảm ơn Quý phụ huynh ạ.
meeting-reason-skipped = Dạ, em cảm ơn Quý phụ huynh ạ.
meeting-rsvp-by-other = Dạ, một phụ huynh khác của em { $student } đã trả lời thư mời { meeting-kind-name } ({ $when }): { meeting-answer-name }.
meeting-rsvp-by-other-children = Dạ, một phụ huynh khác đã trả lời thư mời { meeting-kind-name } ({ $when }) cho các em { $students }: { meeting-answer-name }.
meeting-guardian-item =
    { meeting-kind-name } { meeting-scope-name } — em { $student }
    Thời gian: { $when }
    Địa điểm: { $place }
    Trả lời hiện tại: { meeting-answer-name }
meeting-ask-question-button = Gửi câu hỏi cho cuộc họp
meeting-ask-question = Dạ, Quý phụ huynh nhập câu hỏi muốn nhà trường trả lời tại cuộc họp ạ.
meeting-ask-anonymous = Dạ, Quý phụ huynh có muốn ẩn tên con khi gửi câu hỏi tới nhà trường không ạ?
meeting-question-anonymous = Ẩn tên
meeting-question-named = Ghi tên em
meeting-question-sent = Dạ, em đã gửi câu hỏi tới người tổ chức cuộc họp. Em cảm ơn Quý phụ huynh ạ.

meeting-reminder =
    Kính nhắc Quý phụ huynh: { meeting-kind-name } { meeting-scope-name }
    Thời gian: { $when }
    Địa điểm: { $place }
meeting-rescheduled =
    Kính gửi Quý phụ huynh em { $student }, { meeting-kind-name } { meeting-scope-name } đổi thời gian:
    Trước đây: { $old }
    Thời gian mới: { $when }
    Địa điểm: { $place }
    { $answer ->
        [none] Quý phụ huynh vui lòng cho biết có tham dự không ạ.
       *[answered] Gia đình đã trả lời: { meeting-answer-name }. Câu trả lời này vẫn được giữ; nếu thay đổi, Quý phụ huynh chọn lại bên dưới ạ.
    }
meeting-rescheduled-children =
    Kính gửi Quý phụ huynh các em { $students }, { meeting-kind-name } { meeting-scope-name } đổi thời gian:
    Trước đây: { $old }
    Thời gian mới: { $when }
    Địa điểm: { $place }
    { $answered ->
        [none] Quý phụ huynh vui lòng cho biết việc tham dự cho từng con bằng các lựa chọn bên dưới ạ.
       *[some] Câu trả lời của gia đình đến nay:
            { $answers }
            Các câu trả lời này vẫn được giữ; nếu thay đổi, Quý phụ huynh chọn lại cho từng con bên dưới ạ.
    }
meeting-child-answer = • Em { $student }: { meeting-answer-name }
meeting-cancelled =
    Kính gửi Quý phụ huynh, { meeting-kind-name } { meeting-scope-name } ({ $when }) đã được hủy.
    Lý do: { $reason }
meeting-minutes =
    Kính gửi Quý phụ huynh, tóm tắt { meeting-kind-name } { meeting-scope-name } ({ $when }):
    { $minutes }

    Nhà trường trân trọng mời Quý phụ huynh góp ý về cuộc họp (có thể ẩn tên) bằng lựa chọn bên dưới ạ.
meeting-opinion-button = Góp ý về cuộc họp (em { $student })
meeting-ask-opinion = Dạ, Quý phụ huynh nhập ý kiến về cuộc họp ạ (mỗi tin nhắn là một ý kiến).
meeting-opinion-sent = Dạ, em đã gửi ý kiến tới người tổ chức cuộc họp. Em cảm ơn Quý phụ huynh ạ.

meeting-manage-summary =
    { meeting-kind-name } { meeting-scope-name }
    Thời gian: { $when }
    Địa điểm: { $place }
    Trạng thái: { meeting-status-name }
    Tham dự: { $yes } · Không tham dự: { $no } · Người khác dự: { $other } · Chưa trả lời: { $none } · Chưa liên lạc được: { $unreachable }{ $remindersMissed ->
        [0] {""}
       *[other] {" "}· ⚠️ Nhắc lịch: { $remindersMissed } hộ chưa nhận được
    }
meeting-manage-prompt = Dạ, { addr-you } muốn làm gì ạ?
meeting-action = { $action ->
    [tally] Danh sách trả lời
    [nudge] Nhắc gia đình chưa trả lời
    [reschedule] Đổi thời gian
    [questions] Câu hỏi của phụ huynh
    [export] Xuất CSV
    [held] Đã họp, gửi biên bản
    [opinions] Ý kiến sau cuộc họp
    [cancel] Hủy cuộc họp
   *[resubmit] Sửa nội dung, địa điểm và gửi lại
  }
meeting-tally =
    { meeting-kind-name } { meeting-scope-name } ({ $when })
    Tham dự ({ $yes }): { $yesNames }
    Người khác trong gia đình dự ({ $other }): { $otherNames }
    Không tham dự ({ $no }): { $noNames }
    Chưa trả lời ({ $none }): { $noneNames }
    Chưa liên kết với bot, chưa nhận được thư mời ({ $notLinked }): { $notLinkedNames }
    Không liên lạc được (chặn bot/chưa bắt đầu) ({ $blocked }): { $blockedNames }
    { $remindersMissed ->
        [0] {""}
       *[other] ⚠️ Nhắc lịch: { $remindersMissed } hộ chưa nhận được ({ $remindersMissedNames }); lời nhắc không được gửi lại sau giờ đã định.
    }
    { oa-routes-line }
meeting-nudged = Dạ, em đã nhắc { $households } gia đình chưa trả lời ạ.
meeting-nudge-once-a-day = Dạ, hôm nay em đã nhắc các gia đình rồi; mỗi ngày chỉ nhắc một lần để không làm phiền ạ.
meeting-questions-none = Dạ, chưa có câu hỏi nào của phụ huynh ạ.
meeting-questions-list =
    Dạ, có { $count } câu hỏi:
    { $list }
meeting-export = { $csv }
meeting-rescheduled-done = Dạ, em đã đổi sang { $when }, lên lại lịch nhắc và báo { $households } gia đình ạ.
meeting-revise-prompt =
    Dạ, bản nháp hiện tại:
    Địa điểm: { $place }
    Nội dung: { $agenda }
    { addr-you } muốn sửa gì trước khi gửi lại ạ?
meeting-revise-agenda = Sửa nội dung
meeting-revise-place = Sửa địa điểm
meeting-revise-send = Gửi lại
meeting-ask-cancel-reason = Dạ, { addr-you } cho em xin lý do hủy cuộc họp ạ (em sẽ gửi kèm thông báo tới các gia đình).
meeting-cancelled-done = Dạ, em đã hủy cuộc họp, bỏ các lời nhắc và báo { $households } gia đình ạ.
meeting-ask-minutes = Dạ, { addr-you } nhập tóm tắt/biên bản cuộc họp để gửi tới các gia đình ạ.
meeting-held-done = Dạ, em đã ghi nhận cuộc họp đã diễn ra{ $attendance ->
    [yes] , lưu điểm danh
   *[no] {""}
  } và gửi tóm tắt kèm lời mời góp ý tới { $households } gia đình ạ.
meeting-ask-attendance = Dạ, { addr-you } có muốn ghi điểm danh phụ huynh dự họp không ạ?
meeting-attendance-all = Tất cả có mặt
meeting-attendance-some = Có em vắng
meeting-attendance-skip = Không điểm danh
meeting-ask-absent =
    Dạ, { addr-you } gõ số thứ tự các em có phụ huynh vắng, cách nhau bằng dấu phẩy (ví dụ: 2, 5); các em còn lại được ghi là có mặt ạ.
    { $list }
    (Gia đình đã báo không tham dự: { $declined })
meeting-absent-invalid = Dạ, em chưa đọc được. { addr-you } gõ các số thứ tự từ 1 đến { $count }, cách nhau bằng dấu phẩy, ví dụ: "2, 5" ạ.
meeting-attendance-noted = Dạ, em đã ghi điểm danh: có mặt { $present }, vắng { $absent } ({ $names }) ạ.
meeting-opinions-none = Dạ, chưa có ý kiến nào của phụ huynh về cuộc họp ạ.
meeting-opinions-list =
    Dạ, có { $count } ý kiến về cuộc họp:
    { $list }

meeting-petition-offer = Dạ, nếu cần, Quý phụ huynh có thể đề nghị họp phụ huynh bất thường cho lớp của con (khi có ít nhất một nửa số gia đình trong lớp cùng đề nghị, em báo ngay cho giáo viên chủ nhiệm và Trưởng ban đại diện CMHS).
meeting-petition-start-button = Đề nghị họp bất thường (em { $student })
meeting-petition-ask-reason = Dạ, Quý phụ huynh vui lòng nêu lý do đề nghị họp bất thường ạ. Em sẽ gửi lý do này (không kèm tên người đề nghị) tới các gia đình khác trong lớp để cùng ký.
meeting-petition-invite =
    Kính gửi Quý phụ huynh em { $student },
    Một gia đình trong lớp đề nghị họp phụ huynh bất thường với lý do:
    "{ $reason }"
    Nếu Quý phụ huynh cùng đề nghị, vui lòng chọn bên dưới ạ.
meeting-petition-invite-children =
    Kính gửi Quý phụ huynh các em { $students },
    Một gia đình trong lớp đề nghị họp phụ huynh bất thường với lý do:
    "{ $reason }"
    Nếu Quý phụ huynh cùng đề nghị, vui lòng chọn bên dưới cho từng con (mỗi con được tính là một gia đình của lớp) ạ.
meeting-petition-sign = Cùng đề nghị
meeting-petition-sign-for = Cùng đề nghị (em { $student })
meeting-petition-signed = Dạ, em đã ghi nhận đề nghị. Hiện có { $signatures }/{ $households } gia đình đề nghị ạ.
meeting-petition-signed-reached = Dạ, em đã ghi nhận đề nghị. Đã có { $signatures }/{ $households } gia đình đề nghị — em đã báo giáo viên chủ nhiệm và Trưởng ban đại diện CMHS ạ.
meeting-petition-already = Dạ, gia đình đã đề nghị rồi ạ ({ $signatures }/{ $households } gia đình).
meeting-petition-reached =
    Dạ, { $signatures }/{ $households } gia đình lớp { $className } đề nghị họp phụ huynh bất thường (đạt một nửa theo Thông tư 55/2011, Điều 9).
    Lý do: "{ $reason }"
    { $reader ->
        [board] Kính đề nghị Quý phụ huynh trao đổi với giáo viên chủ nhiệm để tổ chức cuộc họp ạ.
        [guardian] Kính đề nghị Quý phụ huynh trao đổi với giáo viên chủ nhiệm để tổ chức cuộc họp ạ.
       *[staff] { addr-you } vui lòng xem xét tổ chức cuộc họp (gõ /hop) ạ.
    }


# Old buttons under a meeting that was cancelled or has taken place (issue 10).
meeting-rsvp-cancelled = Dạ, cuộc họp đã hủy ({ meeting-kind-name }, { $when }). Quý phụ huynh không cần trả lời nữa ạ.
meeting-rsvp-held = Dạ, cuộc họp đã diễn ra ({ meeting-kind-name }, { $when }), nên em không nhận trả lời tham dự nữa ạ.

# The meeting's summary and its actions in one message, shown again after each action (issue 10).
meeting-manage-menu =
    { meeting-manage-summary }

    { meeting-manage-prompt }
meeting-action-done = Xong
meeting-manage-done = Dạ, em đã đóng cuộc họp này. Gõ /hop khi { addr-you } cần xem lại ạ.
