# Phản ánh (/phananh). Nhãn dùng chung đọc biến của tin nhắn gọi chúng.

concern-category-name = { $category ->
    [study] Học tập
    [health] Sức khỏe
    [bullying] Bạn bè / bắt nạt
    [safety] An toàn trường học
    [fees] Thu chi / khoản thu
    [teacher] Về giáo viên
   *[other] Khác
  }
concern-status-name = { $status ->
    [sent] Đã gửi
    [acknowledged] Đã tiếp nhận
    [in-progress] Đang xử lý
    [escalated] Đã chuyển Ban giám hiệu
   *[resolved] Đã giải quyết
  }
concern-from-name = { $from ->
    [guardian] Phụ huynh
    [teacher] Giáo viên chủ nhiệm
   *[principal] Ban giám hiệu
  }
concern-urgent-mark = { $urgent ->
    [yes] {"‼️ KHẨN — "}
   *[no] {""}
  }

concern-not-linked = Dạ, để gửi phản ánh, Quý phụ huynh vui lòng liên kết với con trước bằng mã nhà trường cấp (gõ /lienket) ạ.
concern-not-found = Dạ, em không tìm thấy phản ánh này hoặc { addr-you } không có quyền xem phản ánh này ạ.
concern-not-allowed = Dạ, thao tác này không áp dụng cho phản ánh ở trạng thái hiện tại ạ.
concern-closed = Dạ, phản ánh { $number } đã được giải quyết nên không nhận thêm tin nhắn ạ. { $reader ->
    [guardian] Nếu vấn đề chưa xong, Quý phụ huynh có thể chọn "Mở lại" trong vòng 7 ngày.
    [board] Nếu vấn đề chưa xong, Quý phụ huynh có thể chọn "Mở lại" trong vòng 7 ngày.
   *[staff] Nếu vấn đề chưa xong, phụ huynh có thể mở lại trong vòng 7 ngày.
  }
concern-guardian-pick = Dạ, Quý phụ huynh muốn gửi phản ánh mới hay xem phản ánh đã gửi ạ?
concern-new = ✉️ Gửi phản ánh mới
concern-ticket-label = { $number } · em { $student } · { concern-status-name }
concern-ask-child = Dạ, phản ánh này về con nào ạ?
concern-ask-category = Dạ, Quý phụ huynh vui lòng chọn loại phản ánh dưới đây ạ.
concern-category-choice = { concern-category-name }
concern-urgent-note = Dạ, phản ánh loại này được chuyển ngay cho giáo viên chủ nhiệm và Ban giám hiệu, bất kể giờ nào ạ.
concern-teacher-note = Dạ, phản ánh về giáo viên chỉ được gửi tới Ban giám hiệu, không gửi tới giáo viên đó ạ.
concern-ask-text = Dạ, Quý phụ huynh vui lòng viết nội dung phản ánh (tối đa { $max } ký tự). Có thể gửi kèm một ảnh ạ.
concern-ask-text-after-photo = Dạ, Quý phụ huynh vui lòng viết thêm nội dung phản ánh đi kèm ảnh (tối đa { $max } ký tự) ạ.
concern-text-too-short = Dạ, nội dung hơi ngắn, Quý phụ huynh vui lòng viết rõ hơn (ít nhất { $min } ký tự) để nhà trường nắm được sự việc ạ.
concern-photo-only = Dạ, em chỉ nhận ảnh chụp kèm phản ánh (không nhận tệp khác) ạ.
concern-photo-too-large = Dạ, ảnh quá lớn (tối đa { $maxMb } MB). Quý phụ huynh vui lòng gửi ảnh nhỏ hơn ạ.
concern-photo-received = Dạ, em đã nhận ảnh ạ.
concern-confirm =
    Dạ, Quý phụ huynh xem lại giúp em ạ:
    Con: { $student }
    Loại: { concern-category-name }
    Ảnh đính kèm: { $photo ->
        [yes] có
       *[no] không
    }
    Nội dung: { $text }
concern-send = Gửi
concern-edit = Sửa lại
concern-cancel = Hủy
concern-cancelled = Dạ, em đã hủy, chưa gửi gì ạ.
concern-created = { $urgent ->
    [yes] Dạ, em đã chuyển ngay phản ánh { $number } tới giáo viên chủ nhiệm và Ban giám hiệu ạ. Nhà trường sẽ liên hệ sớm nhất.
   *[no] Dạ, em đã gửi phản ánh { $number } tới { $to ->
        [principal] Ban giám hiệu
       *[teacher] giáo viên chủ nhiệm
    } ạ. Quý phụ huynh sẽ nhận được phản hồi chậm nhất { $respondBy } (tính theo giờ làm việc của nhà trường).{ $to ->
        [principal] {""}
       *[teacher] {" "}Nếu chưa có phản hồi đúng hạn, phản ánh sẽ được tự động chuyển lên Ban giám hiệu.
    }
  }
concern-created-quiet = Dạ, hiện đang ngoài giờ liên lạc nên { $to ->
    [principal] Ban giám hiệu
   *[teacher] giáo viên chủ nhiệm
  } sẽ nhận được phản ánh vào { $deliverAt } ạ.
concern-created-unassigned = { $to ->
    [principal] Dạ, Ban giám hiệu hiện chưa dùng Sổ liên lạc. Em đã lưu phản ánh và sẽ chuyển ngay khi Ban giám hiệu bắt đầu dùng ạ.
   *[teacher] Dạ, giáo viên chủ nhiệm của lớp con hiện chưa dùng Sổ liên lạc. Em đã lưu phản ánh và sẽ chuyển ngay khi giáo viên chủ nhiệm bắt đầu dùng; nếu quá hạn phản hồi, phản ánh được chuyển lên Ban giám hiệu ạ.
  }

concern-to-staff =
    { concern-urgent-mark }Phản ánh { $number } — { concern-category-name }
    Phụ huynh em { $student }, lớp { $className }:
    { $text }
    { $urgent ->
        [yes] Phản ánh khẩn: đề nghị { addr-staff } xử lý ngay ạ.
       *[no] Đề nghị { addr-staff } phản hồi trước { $respondBy } ạ.
    }
concern-photo = Ảnh đính kèm phản ánh { $number }
concern-escalated-to-principal =
    { concern-urgent-mark }Phản ánh { $number } được chuyển lên Ban giám hiệu — { $reason ->
        [first-response] quá hạn phản hồi lần đầu
        [resolution] quá hạn giải quyết
        [reopen] phụ huynh mở lại lần thứ ba
       *[teacher] giáo viên chủ nhiệm đề nghị
    }
    { concern-category-name } · Phụ huynh em { $student }, lớp { $className }:
    { $text }
concern-escalated-guardian = Dạ, phản ánh { $number } đã được chuyển lên Ban giám hiệu { $reason ->
    [first-response] vì chưa có phản hồi đúng hạn
    [resolution] vì chưa được giải quyết đúng hạn
   *[other] để xem xét
  } ạ. Nhà trường sẽ phản hồi Quý phụ huynh.
concern-acknowledged-guardian = Dạ, { $who ->
    [principal] Ban giám hiệu
   *[teacher] { addr-named }
  } đã nhận phản ánh { $number } ạ.
concern-staff-message-guardian =
    Dạ, { concern-from-name } trả lời phản ánh { $number } (em { $student }):
    { $text }
concern-guardian-message-staff =
    Phụ huynh em { $student } (lớp { $className }) viết thêm về phản ánh { $number }:
    { $text }
concern-resolved-guardian = Dạ, phản ánh { $number } đã được đánh dấu là đã giải quyết ạ. Quý phụ huynh vui lòng xác nhận và đánh giá (1–5 sao). Nếu vấn đề chưa xong, Quý phụ huynh có thể mở lại trong vòng 7 ngày.
concern-resolved-principal = Phản ánh { $number } (đã chuyển lên Ban giám hiệu) vừa được { $who ->
    [teacher] giáo viên chủ nhiệm
   *[principal] Ban giám hiệu
  } đánh dấu là đã giải quyết; phụ huynh đã được thông báo. { addr-staff } không cần xử lý thêm ạ.
concern-handed-back-teacher =
    Ban giám hiệu giao lại phản ánh { $number } cho { addr-staff } xử lý ạ.
    { concern-category-name } · Phụ huynh em { $student }, lớp { $className }:
    { $text }
concern-handed-back-guardian = Dạ, Ban giám hiệu đã giao phản ánh { $number } cho giáo viên chủ nhiệm tiếp tục xử lý ạ.
concern-reopened-staff =
    Phụ huynh em { $student } (lớp { $className }) đã mở lại phản ánh { $number } ạ.
    { $text }
concern-digest =
    Kính chào { addr-staff }! Sáng nay { addr-staff } đang có { $count } phản ánh chưa giải quyết{ $soon ->
        [0] .
       *[other] , trong đó { $soon } phản ánh sắp đến hạn (⏰).
    }
    { $list }

concern-view =
    { concern-urgent-mark }Phản ánh { $number } — { concern-category-name }
    Em { $student }, lớp { $className } · gửi { $createdAt }
    Trạng thái: { concern-status-name }{ $rating ->
        [0] {""}
       *[other] {" "}· Đánh giá: { $rating }/5
    }
concern-view-message = { concern-from-name } ({ $at }){ $photo ->
    [yes] {" "}[có ảnh]
   *[no] {""}
  }: { $text }

concern-btn-ack = Đã nhận
concern-btn-reply = Trả lời
concern-btn-resolve = Đã giải quyết
concern-btn-escalate = Chuyển Ban giám hiệu
concern-btn-handback = Giao lại GVCN
concern-btn-incident = Lập báo cáo sự việc
concern-btn-add = Viết thêm
concern-btn-status = Xem trạng thái
concern-btn-reopen = Mở lại
concern-btn-star = { $n } ⭐
concern-btn-stats = 📊 Thống kê phản ánh
concern-btn-new = ✉️ Gửi phản ánh (với tư cách phụ huynh)

concern-staff-list = Dạ, { addr-you } có { $count } phản ánh đang mở (cũ nhất trước) ạ:
concern-staff-none = Dạ, hiện không có phản ánh nào đang mở ạ.
concern-write-prompt = Dạ, { addr-you } vui lòng nhập tin nhắn cho phản ánh { $number } ạ (gõ /huy nếu không gửi nữa).
concern-message-sent = Dạ, em đã chuyển tin nhắn về phản ánh { $number } ạ.
concern-ack-done = Dạ, em đã báo phụ huynh là { addr-you } đã nhận phản ánh { $number } ạ.
concern-resolve-done = Dạ, phản ánh { $number } đã được đánh dấu đã giải quyết; em đã mời phụ huynh xác nhận ạ.
concern-escalate-done = Dạ, em đã chuyển phản ánh { $number } lên Ban giám hiệu ạ.
concern-handback-done = Dạ, em đã giao lại phản ánh { $number } cho giáo viên chủ nhiệm ạ.
concern-rated = Dạ, em cảm ơn Quý phụ huynh đã xác nhận và đánh giá phản ánh { $number }: { $stars }/5 ạ.
concern-rate-not-resolved = Dạ, phản ánh này chưa ở trạng thái đã giải quyết nên chưa đánh giá được ạ.
concern-reopened = Dạ, em đã mở lại phản ánh { $number } và chuyển tới { $to ->
    [principal] Ban giám hiệu
   *[teacher] giáo viên chủ nhiệm
  } ạ.
concern-reopen-too-late = Dạ, phản ánh đã giải quyết quá 7 ngày nên không mở lại được. Quý phụ huynh vui lòng gửi phản ánh mới (gõ /phananh) ạ.
concern-reopen-not-resolved = Dạ, phản ánh này vẫn đang được xử lý ạ.

concern-incident-what = Dạ, báo cáo sự việc: điều gì đã xảy ra ạ?
concern-incident-when = Dạ, sự việc xảy ra khi nào ạ?
concern-incident-informed = Dạ, những ai đã được thông báo (gia đình, giáo viên, y tế, công an…) ạ?
concern-incident-actions = Dạ, nhà trường đã và sẽ làm gì ạ?
concern-incident-review =
    Dạ, { addr-you } xem lại báo cáo sự việc từ phản ánh { $number } ạ:
    Sự việc: { $what }
    Thời gian: { $when }
    Đã thông báo: { $informed }
    Biện pháp: { $actions }
concern-incident-recorded = Dạ, em đã lưu báo cáo sự việc từ phản ánh { $number } (có ghi thời gian) và ghi nhận gửi tới cơ quan quản lý: { $contact }. Lưu ý: hệ thống chưa có kênh nhắn trực tiếp tới cơ quan này, nhà trường vui lòng chuyển báo cáo theo đường công văn ạ.
concern-incident-no-authority = Dạ, em đã lưu báo cáo sự việc từ phản ánh { $number }, nhưng nhà trường chưa cấu hình đầu mối cơ quan quản lý nên chưa gửi đi được ạ.

concern-stats =
    Dạ, thống kê phản ánh của trường ạ:
    Tổng số: { $total } (đang mở: { $open })
    Học tập: { $study } · Sức khỏe: { $health } · Bạn bè/bắt nạt: { $bullying } · An toàn: { $safety } · Thu chi: { $fees } · Về giáo viên: { $teacher } · Khác: { $other }
    Thời gian phản hồi lần đầu (trung vị): { $hasMedian ->
        [yes] { $median } phút
       *[no] chưa có
    }
    Số lần chuyển Ban giám hiệu: { $escalations }

concern-btn-quiet = 🌙 Giờ yên tĩnh của tôi
concern-quiet-current =
    Dạ, giờ yên tĩnh của { addr-you } là { $start }–{ $end } hằng đêm{ $sundays ->
        [yes] {" "}và cả ngày Chủ nhật
       *[no] {""}; Chủ nhật { addr-you } vẫn nhận phản ánh
    } ({ $custom ->
        [yes] { addr-you } tự đặt
       *[no] mặc định của nhà trường
    }).
    Trong giờ yên tĩnh, em giữ lại phản ánh thông thường và chuyển tới { addr-you } khi hết giờ; phản ánh khẩn (bắt nạt, an toàn trường học) vẫn được chuyển ngay ạ.
concern-quiet-saved =
    Dạ, em đã lưu: giờ yên tĩnh của { addr-you } là { $start }–{ $end } hằng đêm{ $sundays ->
        [yes] {" "}và cả ngày Chủ nhật
       *[no] {""}; Chủ nhật { addr-you } vẫn nhận phản ánh
    } ({ $custom ->
        [yes] { addr-you } tự đặt
       *[no] mặc định của nhà trường
    }) ạ. Phụ huynh cũng được báo theo giờ này khi nào { addr-you } nhận được phản ánh.
concern-quiet-ask = Dạ, { addr-you } chọn một khung giờ ở các nút trên, hoặc gõ khung giờ mong muốn, ví dụ 21:30-06:00 ạ (gõ /huy để giữ nguyên).
concern-quiet-bad = Dạ, em chưa dùng được khung giờ này. Giờ yên tĩnh là một khung giờ ban đêm, từ tối tới sáng hôm sau và dài tối đa 14 giờ; { addr-you } vui lòng gõ theo mẫu 21:30-06:00 ạ.
concern-quiet-btn-sundays = { $sundays ->
    [yes] Chủ nhật: vẫn nhận phản ánh
   *[no] Chủ nhật: yên tĩnh cả ngày
  }
concern-quiet-btn-default = Dùng giờ mặc định của trường
concern-quiet-staff-only = Dạ, giờ yên tĩnh dành cho giáo viên chủ nhiệm và Ban giám hiệu, những người nhận phản ánh ạ.
concern-assigned-late = Dạ, phản ánh { $number } được phụ huynh gửi vào { $createdAt }, khi { addr-staff } chưa dùng Sổ liên lạc; nay em chuyển để { addr-staff } xử lý ạ.
concern-text-kept = Dạ, em đã ghi lại nội dung phản ánh này. { addr-you } vui lòng chọn loại phản ánh để em chuyển đúng người ạ.
