# Zalo Official Account: messages to the school's admins about the OA connection.

zalo-oa-needs-reconnect = Kính gửi { addr-staff }, kết nối giữa hệ thống và Zalo Official Account của trường đã hết hiệu lực (Zalo từ chối làm mới mã truy cập). Từ lúc này, tin nhắn qua Zalo OA tạm dừng; phụ huynh vẫn nhận tin qua kênh khác nếu đã liên kết. { addr-staff } vui lòng kết nối lại bằng lệnh `npm run cli -- zalo-oa connect` (hoặc nhờ cán bộ kỹ thuật thực hiện). Em xin cảm ơn ạ.
zalo-oa-reconnected = Kính gửi { addr-staff }, Zalo Official Account của trường đã được kết nối lại. Tin nhắn qua Zalo OA hoạt động bình thường trở lại ạ.
zalo-oa-held-notice = Dạ, { $count ->
    [one] có 1 hộ gia đình
   *[other] có { $count } hộ gia đình
  } chưa nhận được tin vì đã quá thời hạn nhắn tin miễn phí của Zalo OA và không có kênh khác; tin sẽ được gửi ngay khi phụ huynh nhắn cho trường ạ.
# Households by Zalo OA route, in the senders' reports (notices, meetings); empty when none went through the OA.
oa-routes-line =
    { $viaOa ->
        [0] {""}
       *[other] 📨 Zalo OA: miễn phí { $oaFree } · tính phí { $oaPaid } · tin mẫu ZBS { $oaTemplate } · qua kênh khác { $oaOther } · chờ phụ huynh nhắn lại { $oaHeld } — số tin có phí: { $oaCharged }
    }
zalo-oa-phone-card-title = Nhận thông báo của nhà trường khi ngoài khung nhắn tin
zalo-oa-phone-card-subtitle = Kính gửi Quý phụ huynh: nếu đồng ý, nhà trường chỉ dùng số điện thoại này để gửi tin mẫu (ZBS) qua Zalo khi không thể nhắn tin trực tiếp. Không dùng cho mục đích khác; Quý phụ huynh có thể xoá bất cứ lúc nào bằng /xoadulieu.
