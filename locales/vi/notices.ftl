# Thông báo (/thongbao). Các nhãn dùng chung đọc biến của tin nhắn gọi chúng.

notice-scope-name = { $scope ->
    [class] lớp { $scopeName }
    [grade] khối { $scopeName }
   *[school] { $scopeName }
  }
notice-signature = { $signerTitle ->
    [thay] Thầy { $signerName }
    [co] Cô { $signerName }
   *[none] { $signerName }
  } — { $signerRole ->
    [homeroom-teacher] GVCN lớp { $signerClass }
    [vice-principal] Phó Hiệu trưởng
   *[principal] Hiệu trưởng
  }
notice-kind-name = { $kind ->
    [ack] Cần xác nhận
   *[info] Để biết
  }
notice-status-name = { $status ->
    [scheduled] hẹn giờ gửi
    [cancelled] đã hủy
   *[sent] đã gửi
  }

notice-message = { $urgent ->
    [yes] 🔴 THÔNG BÁO KHẨN
   *[no] 📢 THÔNG BÁO
  }
    Kính gửi: Quý phụ huynh học sinh { notice-scope-name }

    { $text }

    { $kind ->
        [ack] 👉 Kính đề nghị Quý phụ huynh em { $student } chọn «Đã xem» để xác nhận trước { $deadline }.
            Trân trọng cảm ơn Quý phụ huynh!
       *[info] Trân trọng cảm ơn Quý phụ huynh!
    }
    { notice-signature }
notice-reminder = 🔔 KÍNH NHẮC: Quý phụ huynh em { $student } chưa xác nhận đã xem thông báo dưới đây (hạn { $deadline }).

    Kính gửi: Quý phụ huynh học sinh { notice-scope-name }

    { $text }

    Trân trọng cảm ơn Quý phụ huynh!
    { notice-signature }
notice-confirm-button = ✅ Đã xem
notice-confirm-for = ✅ Đã xem (em { $student })

notice-not-linked = Dạ, để xem thông báo, Quý phụ huynh vui lòng liên kết với con trước bằng mã nhà trường cấp (gõ /lienket) ạ.
notice-not-sender = Dạ, chỉ giáo viên chủ nhiệm (cho lớp mình) hoặc Ban giám hiệu mới gửi được thông báo ạ.
notice-not-found = Dạ, em không tìm thấy thông báo này hoặc { addr-you } không có quyền với thông báo này ạ.
notice-sender-prompt = Dạ, { addr-you } muốn soạn thông báo mới, hay xem báo cáo một thông báo đã gửi ạ?
notice-new = ✍️ Soạn thông báo mới
notice-item-label = { $when } · { notice-kind-name } · { notice-status-name } · { $excerpt }
notice-my-children = 📬 Thông báo gửi cho con tôi
notice-none-recent = Dạ, trong 30 ngày qua chưa có thông báo nào gửi tới lớp của con ạ.
notice-inbox-intro = Dạ, em gửi lại { $count } thông báo gần đây của lớp con ạ:
notice-guardian-item = 📢 { $when } · { notice-kind-name }
    Kính gửi: Quý phụ huynh học sinh { notice-scope-name }

    { $text }

    { notice-signature }
    { $kind ->
        [ack] Hạn xác nhận: { $deadline }. Đã xác nhận: { $confirmed }
       *[info] {""}
    }
notice-confirmed = Dạ, em đã ghi nhận Quý phụ huynh em { $student } đã xem thông báo. Em cảm ơn Quý phụ huynh ạ!
notice-already-confirmed = Dạ, thông báo này đã được xác nhận cho em { $student } rồi ạ. Em cảm ơn Quý phụ huynh.
notice-preview-button = Dạ, đây là nút xem thử: phụ huynh sẽ bấm nút này để xác nhận ạ.

notice-ask-scope = Dạ, thông báo gửi tới phụ huynh của lớp/khối nào ạ?
notice-scope-class = Lớp { $className }
notice-scope-grade = Một khối lớp
notice-scope-school = Toàn trường
notice-ask-grade = Dạ, { addr-you } gõ số khối lớp (ví dụ: 6) ạ.
notice-grade-invalid = Dạ, khối lớp là một số từ 1 đến 12 (ví dụ: 6) ạ.
notice-ask-text = Dạ, { addr-you } gõ nội dung thông báo (tối đa { $max } ký tự; em tự thêm lời kính gửi và chữ ký) ạ.
notice-text-first = Dạ, { addr-you } vui lòng gõ nội dung thông báo trước; tệp đính kèm em xin ở bước sau ạ.
notice-text-empty = Dạ, thông báo chưa có nội dung nên em chưa gửi được. { addr-you } vui lòng soạn lại ạ.
notice-ask-file = Dạ, { addr-you } có muốn đính kèm ảnh hoặc tệp (PDF, DOCX, XLSX) không ạ? Gửi tệp vào đây, hoặc gõ «không» để bỏ qua.
notice-file-expected = Dạ, em chờ một ảnh hoặc tệp PDF/DOCX/XLSX; nếu không đính kèm, { addr-you } gõ «không» ạ.
notice-file-type = Dạ, tệp «{ $name }» không thuộc loại em gửi được. { addr-you } vui lòng gửi tệp PDF, DOCX hoặc XLSX (hoặc gõ «không») ạ.
notice-file-too-big = Dạ, tệp nặng khoảng { $size } MB, vượt giới hạn { $max } MB của nền tảng. { addr-you } vui lòng nén hoặc chia nhỏ tệp rồi gửi lại (hoặc gõ «không») ạ.
notice-file-received = Dạ, em đã nhận tệp «{ $name }» ạ.
notice-file-received-photo = Dạ, em đã nhận ảnh ạ.
notice-ask-kind = Dạ, đây là thông báo loại nào ạ?
notice-kind-info = Để biết
notice-kind-ack = Cần xác nhận (phụ huynh chọn «Đã xem»)
notice-ask-deadline = Dạ, hạn xác nhận là lúc nào ạ? (ví dụ: «20/9 17h», «thứ 6 tuần sau 17h»)
notice-deadline-past = Dạ, hạn xác nhận phải ở sau thời điểm gửi. { addr-you } vui lòng nhập hạn khác ạ.
notice-deadline-before-send = Dạ, giờ gửi phải trước hạn xác nhận. { addr-you } vui lòng chọn giờ gửi sớm hơn ạ.
notice-ask-urgent = Dạ, thông báo này có khẩn cấp không ạ? Thông báo khẩn cấp được gửi ngay cả trong giờ nghỉ (21:00–06:30).
notice-urgent-no = Bình thường
notice-urgent-yes = 🔴 Khẩn cấp (nghỉ học do bão, an toàn…)
notice-urgent-principal-only = Dạ, chỉ Ban giám hiệu mới gửi được thông báo khẩn cấp ạ.
notice-ask-when = Dạ, { addr-you } muốn gửi ngay hay hẹn giờ ạ?
notice-when-now = Gửi ngay
notice-when-later = Hẹn giờ
notice-ask-send-at = Dạ, { addr-you } muốn em gửi lúc nào ạ? (ví dụ: «mai 7h», «20/9 6h45»)
notice-send-at-past = Dạ, thời điểm gửi đã qua. { addr-you } vui lòng chọn thời điểm sau bây giờ ạ.
notice-when-impossible-date = Dạ, ngày này không có trên lịch ạ. { addr-you } vui lòng nhập lại, ví dụ: «28/02 17h».
notice-when-impossible-time = Dạ, giờ phải từ 0h đến 23h59 ạ. Ví dụ: «17h», «17:30».
notice-when-no-date = Dạ, { addr-you } cho em xin cả ngày nữa ạ. Ví dụ: «20/9 17h».
notice-when-no-time = Dạ, { addr-you } cho em xin cả giờ nữa ạ. Ví dụ: «20/9 17h».
notice-when-unrecognized = Dạ, em chưa đọc được thời điểm này ạ. { addr-you } vui lòng nhập theo dạng «20/9 17h», «mai 7h», «thứ 6 tuần sau 17h».
notice-preview-intro = Dạ, phụ huynh sẽ nhận được thông báo như sau (tên học sinh là ví dụ):
notice-review = { $when ->
    [later] Em sẽ gửi vào { $sendAt }{ $urgent ->
        [yes] {""}
       *[no] {""} (nếu rơi vào giờ nghỉ 21:00–06:30, em gửi lúc 06:30)
    }.
   *[now] { $urgent ->
        [yes] Em gửi ngay tới mọi phụ huynh, kể cả trong giờ nghỉ.
       *[no] Em gửi ngay (nếu đang trong giờ nghỉ 21:00–06:30, em gửi lúc 06:30).
    }
  } { addr-you } xác nhận gửi ạ?
notice-review-send = Gửi
notice-review-discard = Hủy bản nháp
notice-discarded = Dạ, em đã hủy bản nháp, chưa gửi gì cho phụ huynh ạ.
notice-scheduled = Dạ, em đã hẹn gửi thông báo vào { $sendAt }. { addr-you } có thể hủy trước giờ đó trong /thongbao ạ.
notice-sent = Dạ, em đang gửi thông báo tới phụ huynh của { $households } học sinh. { addr-you } xem báo cáo trong /thongbao ạ.
notice-sent-deferred = Dạ, đang là giờ nghỉ nên em sẽ gửi thông báo tới phụ huynh của { $households } học sinh vào { $until } ạ.

notice-report = 📊 Báo cáo thông báo ({ notice-kind-name }, { notice-scope-name }, { notice-status-name }: { $when })
    Số hộ (học sinh): { $households }
    ✅ Đã nhận: { $reached }
    ⏳ Đang gửi: { $pending } — { $pendingNames }
    ⚠️ Gửi lỗi: { $failed } — { $failedNames }
    🔗 Chưa liên kết với bot: { $notLinked } — { $notLinkedNames }
    🚫 Không liên lạc được (chặn bot/chưa bắt đầu): { $blocked } — { $blockedNames }
    { $kind ->
        [ack] 👁 Đã xác nhận: { $confirmed } — { $confirmedNames }
            ❔ Đã nhận, chưa xác nhận: { $notConfirmed } — { $notConfirmedNames }
            Hạn: { $deadline }; số lần nhắc: { $rounds }
       *[info] {""}
    }
    { $duplicates ->
        [0] {""}
       *[other] (*) { $duplicates } hộ có thể đã nhận 2 bản do sự cố máy chủ khi đang gửi.
    }
    { oa-routes-line }
notice-action-refresh = 🔄 Cập nhật báo cáo
notice-action-renotify = 🔔 Nhắc lại { $count } hộ chưa xác nhận
notice-action-cancel = ❌ Hủy lịch gửi
notice-action-done = Xong
notice-manage-done = Dạ, khi cần { addr-you } gõ /thongbao để xem lại báo cáo ạ.
notice-cancelled = Dạ, em đã hủy lịch gửi thông báo; phụ huynh sẽ không nhận được ạ.
notice-cancel-too-late = Dạ, thông báo đã được gửi nên không hủy được nữa ạ.
notice-renotified = Dạ, em đã nhắc lại phụ huynh của { $households } học sinh chưa xác nhận ạ.
notice-renotify-nothing = Dạ, không còn hộ nào cần nhắc (mọi hộ liên lạc được đã xác nhận) ạ.
notice-renotify-not-sent = Dạ, thông báo chưa được gửi nên chưa nhắc lại được ạ.
