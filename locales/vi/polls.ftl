# Biểu quyết nhanh (/bieuquyet) và lấy ý kiến (/gopy). Các nhãn dùng chung đọc biến của tin nhắn gọi chúng.

poll-scope-name = { $scope ->
    [school] toàn trường
   *[class] lớp { $scopeName }
  }
poll-anonymity-name = { $anonymity ->
    [anonymous] ẩn danh hoàn toàn (không ai, kể cả người tạo, biết hộ nào chọn gì)
   *[visible] người tạo xem được lựa chọn của từng hộ
  }

poll-not-linked = Dạ, để dùng chức năng này, { addr-you } vui lòng liên kết trước bằng mã nhà trường cấp (gõ /lienket) ạ.
poll-not-allowed = Dạ, chỉ Ban đại diện cha mẹ học sinh, giáo viên chủ nhiệm hoặc Hiệu trưởng mới tạo được biểu quyết ạ.
poll-menu-prompt = Dạ, { addr-you } muốn làm gì ạ?
poll-menu-new = Tạo biểu quyết mới
poll-menu-mine = Biểu quyết đã tạo (kết quả)
poll-menu-vote = Biểu quyết cho con
poll-no-open = Dạ, hiện chưa có biểu quyết nào đang mở cho con của Quý phụ huynh ạ.
poll-scope-prompt = Dạ, { addr-you } muốn gửi tới phụ huynh lớp nào, hay toàn trường ạ?
poll-scope-class = Lớp { $className }
poll-scope-school = Toàn trường
poll-ask-question = Dạ, { addr-you } vui lòng nhập câu hỏi biểu quyết (tối đa 300 ký tự) ạ.
poll-money-reminder = Lưu ý (Thông tư 55/2011, Điều 10): mọi khoản đóng góp của cha mẹ học sinh phải là tự nguyện, không bắt buộc, không cào bằng; Ban đại diện không được thu để mua sắm trang thiết bị, sửa chữa trường lớp hay quà tặng giáo viên ạ.
poll-ask-options = Dạ, { addr-you } vui lòng nhập các phương án, mỗi dòng một phương án (từ 2 đến 10 phương án). Ví dụ:
    Đồng ý
    Không đồng ý
poll-options-too-few = Dạ, em mới nhận được { $count } phương án; biểu quyết cần ít nhất 2 phương án, mỗi dòng một phương án (hoặc viết trên một dòng, ngăn cách bằng dấu «;») ạ.
poll-options-too-many = Dạ, có { $count } phương án, vượt quá 10 phương án cho phép. { addr-you } vui lòng rút gọn và nhập lại ạ.
poll-options-duplicate = Dạ, phương án "{ $option }" bị trùng. { addr-you } vui lòng nhập lại danh sách, mỗi phương án một lần ạ.
poll-options-too-long = Dạ, phương án "{ $option }" dài quá { $max } ký tự. { addr-you } vui lòng rút gọn và nhập lại danh sách ạ.
poll-ask-mode = Dạ, mỗi hộ được chọn một hay nhiều phương án ạ?
poll-mode-single = Chọn một phương án
poll-mode-multiple = Chọn nhiều phương án
poll-ask-anonymity = Dạ, { addr-you } muốn biểu quyết ẩn danh hay người tạo xem được lựa chọn của từng hộ ạ?
poll-anonymity-anonymous = Ẩn danh hoàn toàn
poll-anonymity-visible = Người tạo xem được
poll-ask-deadline = Dạ, hạn chót biểu quyết là khi nào ạ? Ví dụ: "20/12 17h" hoặc "20/12/2026 17:00".
poll-deadline-past = Dạ, thời điểm này đã qua rồi ạ. { addr-you } vui lòng nhập một hạn chót trong tương lai, ví dụ "20/12 17h".
poll-deadline-impossible = Dạ, ngày hoặc giờ này không có thật ạ. { addr-you } vui lòng nhập lại, ví dụ "20/12 17h".
poll-deadline-no-date = Dạ, em mới nhận được giờ, chưa có ngày. { addr-you } vui lòng nhập cả ngày và giờ, ví dụ "20/12 17h" ạ.
poll-deadline-unrecognized = Dạ, em chưa đọc được thời điểm này. { addr-you } vui lòng nhập theo dạng "20/12 17h" hoặc "20/12/2026 17:00" ạ.
poll-preview = Dạ, em xin gửi { addr-you } bản xem trước:
    Biểu quyết gửi { poll-scope-name }
    Câu hỏi: { $question }
    { $options }
    Cách chọn: { $multiple ->
        [yes] được chọn nhiều phương án
       *[no] chọn một phương án
      }
    Ẩn danh: { poll-anonymity-name }
    Hạn chót: { $deadline }
    { $money ->
        [yes] Lưu ý (Thông tư 55/2011, Điều 10): mọi khoản đóng góp phải tự nguyện; không thu để mua sắm trang thiết bị hay quà tặng giáo viên.
       *[no] {""}
    }
    { addr-you } gửi biểu quyết này chứ ạ?
poll-confirm-send = Gửi
poll-confirm-cancel = Hủy
poll-cancelled = Dạ, em đã hủy, chưa gửi gì tới các gia đình ạ.
poll-created = Dạ, em đã gửi biểu quyết tới { $reached }/{ $households } hộ gia đình (các hộ còn lại chưa liên kết với em). Biểu quyết tự đóng vào { $deadline } và kết quả sẽ gửi tới mọi hộ. Xem kết quả trực tiếp: /bieuquyet ạ.
poll-ballot = Kính gửi Quý phụ huynh em { $studentName },
    Kính mời Quý phụ huynh biểu quyết ({ poll-scope-name }):
    { $question }
    { $options }
    { $multiple ->
        [yes] Quý phụ huynh được chọn nhiều phương án; chọn lại phương án đã chọn (✅) để bỏ chọn.
       *[no] Quý phụ huynh chọn một phương án; có thể đổi lựa chọn trước hạn chót.
      }
    Hạn chót: { $deadline }. Chế độ: { poll-anonymity-name }.
poll-vote-recorded = Dạ, em đã ghi nhận lựa chọn cho em { $studentName }: { $chosen }. Quý phụ huynh có thể đổi lựa chọn đến { $deadline } ạ.
poll-vote-cleared = Dạ, em { $studentName } hiện chưa chọn phương án nào. Quý phụ huynh có thể chọn lại đến { $deadline } ạ.
poll-vote-closed = Dạ, biểu quyết "{ $question }" đã kết thúc vào { $deadline }, em không ghi nhận thêm lựa chọn được nữa. Em cảm ơn Quý phụ huynh đã quan tâm ạ.
poll-vote-changed = Kính gửi Quý phụ huynh, phụ huynh khác của em { $studentName } vừa đổi lựa chọn của gia đình trong biểu quyết "{ $question }" thành: { $chosen }. Mỗi hộ được tính một phiếu; Quý phụ huynh có thể đổi lại đến { $deadline } ạ.
poll-vote-not-found = Dạ, em không tìm thấy biểu quyết này cho con của Quý phụ huynh. Gõ /bieuquyet để xem các biểu quyết đang mở ạ.
poll-none-organized = Dạ, { addr-you } chưa tạo biểu quyết nào ạ.
poll-pick-prompt = Dạ, { addr-you } muốn xem biểu quyết nào ạ?
poll-tally = Biểu quyết { poll-scope-name }: { $question }
    { $status ->
        [open] Đang mở, hạn chót { $deadline }.
       *[closed] Đã kết thúc.
    }
    { $results }
    Đã biểu quyết: { $voted }/{ $households } hộ.
    Đã nhận phiếu, chưa biểu quyết: { $notVoted } hộ · Chưa liên kết với bot: { $notLinked } hộ · Không liên lạc được (chặn bot/chưa bắt đầu): { $blocked } hộ.
poll-tally-voters = Lựa chọn của từng hộ:
    { $lines }
poll-manage-prompt = Dạ, { addr-you } cần gì thêm ạ?
poll-manage-refresh = Làm mới kết quả
poll-manage-close = Đóng biểu quyết ngay
poll-manage-done = Xong
poll-closed-early = Dạ, em đã đóng biểu quyết và gửi kết quả tới các hộ gia đình ạ.
poll-already-closed = Dạ, biểu quyết này đã kết thúc từ trước ạ.
poll-done = Dạ, khi cần { addr-you } gõ /menu ạ.
poll-result = Kính gửi Quý phụ huynh,
    Kết quả biểu quyết { poll-scope-name }: { $question }
    { $results }
    Số hộ đã biểu quyết: { $voted }/{ $households }.
    Em cảm ơn Quý phụ huynh đã tham gia ạ.

opinion-not-allowed = Dạ, chỉ nhà trường hoặc Ban đại diện cha mẹ học sinh mới mở được đợt lấy ý kiến ạ.
opinion-menu-prompt = Dạ, { addr-you } muốn làm gì ạ?
opinion-menu-new = Mở đợt góp ý mới
opinion-menu-mine = Đợt góp ý đã mở (đọc ý kiến)
opinion-menu-give = Gửi góp ý cho con
opinion-ask-topic = Dạ, { addr-you } vui lòng nhập chủ đề lấy ý kiến (ví dụ: "Kế hoạch dã ngoại học kỳ II") ạ.
opinion-ask-deadline = Dạ, hạn chót nhận góp ý là khi nào ạ? Ví dụ: "20/12 17h".
opinion-preview = Dạ, em xin gửi { addr-you } bản xem trước:
    Lấy ý kiến { poll-scope-name }: { $topic }
    Hạn chót: { $deadline }
    Mỗi hộ gửi được một hay nhiều ý kiến, có thể ẩn danh. { addr-you } gửi chứ ạ?
opinion-opened = Dạ, em đã gửi lời mời góp ý tới { $reached }/{ $households } hộ gia đình. Đợt góp ý tự đóng vào { $deadline }. Đọc ý kiến: /gopy ạ.
opinion-invite = Kính gửi Quý phụ huynh,
    Kính mời Quý phụ huynh { poll-scope-name } đóng góp ý kiến.
    Chủ đề: { $topic }
    Hạn chót: { $deadline }. Quý phụ huynh có thể gửi ý kiến ghi tên con hoặc ẩn danh.
opinion-write-button = Gửi góp ý
opinion-none-open = Dạ, hiện chưa có đợt góp ý nào đang mở cho con của Quý phụ huynh ạ.
opinion-pick-round = Dạ, Quý phụ huynh muốn góp ý cho chủ đề nào ạ?
opinion-pick-student = Dạ, Quý phụ huynh góp ý với tư cách phụ huynh của em nào ạ?
opinion-ask-text = Dạ, kính mời Quý phụ huynh nhập ý kiến về "{ $topic }" (tối đa 2000 ký tự) ạ.
opinion-ask-anonymity = Dạ, Quý phụ huynh muốn gửi ý kiến ghi tên hay ẩn danh ạ?
opinion-named = Ghi "Phụ huynh em { $studentName }"
opinion-anonymous = Ẩn danh
opinion-recorded = Dạ, em đã ghi nhận ý kiến{ $anonymous ->
        [yes] {" "}(ẩn danh)
       *[no] {""}
    } của Quý phụ huynh về "{ $topic }". Quý phụ huynh có thể gửi thêm ý kiến đến { $deadline } (gõ /gopy) ạ.
opinion-closed-refused = Dạ, đợt góp ý này đã kết thúc hoặc không còn dành cho con của Quý phụ huynh, em không nhận thêm ý kiến được nữa. Em cảm ơn Quý phụ huynh ạ.
opinion-not-found = Dạ, em không tìm thấy đợt góp ý này ạ.
opinion-none-organized = Dạ, { addr-you } chưa mở đợt góp ý nào ạ.
opinion-pick-prompt = Dạ, { addr-you } muốn xem đợt góp ý nào ạ?
opinion-list = Góp ý { poll-scope-name }: { $topic } ({ $status ->
        [open] đang mở đến { $deadline }
       *[closed] đã kết thúc
    }) — { $count } ý kiến:

    { $lines }
opinion-list-empty = Dạ, đợt góp ý "{ $topic }" chưa có ý kiến nào ạ.
opinion-manage-prompt = Dạ, { addr-you } cần gì thêm ạ?
opinion-manage-export = Xuất CSV
opinion-manage-close = Kết thúc đợt góp ý
opinion-export = Dạ, em gửi { addr-you } dữ liệu dạng CSV (sao chép vào bảng tính) ạ:
    { $csv }
opinion-closed-early = Dạ, em đã kết thúc đợt góp ý và gửi bản tổng hợp tới các hộ đã tham gia ạ.
opinion-already-closed = Dạ, đợt góp ý này đã kết thúc từ trước ạ.
opinion-summary = Kính gửi Quý phụ huynh,
    Đợt góp ý { poll-scope-name } về "{ $topic }" đã kết thúc: { $opinions } ý kiến từ { $households } hộ gia đình ({ $named } ghi tên, { $anonymous } ẩn danh). Em cảm ơn Quý phụ huynh đã đóng góp ý kiến ạ.
opinion-text-too-short = Dạ, ý kiến hơi ngắn ạ. Kính mời Quý phụ huynh viết ý kiến thành câu (ví dụ: "Em đồng ý, nên đi về trong ngày") rồi gửi lại ạ.
