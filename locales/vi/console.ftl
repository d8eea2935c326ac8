# The school office console (/quantri).
admin-link =
    Dạ, đây là đường dẫn đăng nhập trang quản trị { $scope ->
        [class] của lớp { $class }
       *[school] của nhà trường
    } (dùng một lần, trong { $minutes } phút):
    { $url }
    { addr-you } vui lòng không chuyển tiếp đường dẫn này cho người khác ạ.
admin-not-allowed = Dạ, trang quản trị dành cho Ban giám hiệu, cán bộ văn thư và giáo viên chủ nhiệm đã liên kết với nhà trường ạ.
# Year rollover: one message per guardian, what changed for their children.
rollover-guardian-notice =
    Kính gửi Quý phụ huynh,
    Nhà trường xin thông báo năm học { $year } bắt đầu từ ngày { $start }. { $kind ->
        [left] Con { $left } đã hoàn thành chương trình học tại trường. Chúc mừng con và gia đình!
        [both] Lớp mới của con: { $moved }. Con { $left } đã hoàn thành chương trình học tại trường. Chúc mừng con và gia đình!
       *[moved] Lớp mới của con: { $moved }.
    }
    Liên kết của Quý phụ huynh với nhà trường vẫn được giữ nguyên, Quý phụ huynh không cần làm gì thêm. Nhà trường sẽ thông báo giáo viên chủ nhiệm năm học mới khi được phân công.
# A roster file sent to the bot (principal, vice-principal or school admin).
roster-upload-not-allowed = Dạ, bot chỉ nhận tệp danh sách học sinh từ Ban giám hiệu và cán bộ văn thư của nhà trường. Nếu Quý vị muốn gửi giấy tờ cho nhà trường, vui lòng gửi /phananh để gửi phản ánh kèm nội dung, hoặc liên hệ trực tiếp giáo viên chủ nhiệm ạ. Xin cảm ơn Quý vị!
roster-upload-no-year = Dạ, nhà trường chưa có năm học nào đang mở để nhập danh sách. { addr-you } vui lòng tạo năm học trước trên trang quản trị ạ.
roster-upload-bad-file = { $reason ->
        [type] Dạ, em chỉ đọc được danh sách học sinh dạng Excel (.xlsx) hoặc CSV; tệp "{ $detail }" không phải hai loại này ạ.
        [size] Dạ, tệp lớn hơn { $detail } MB, không giống một danh sách học sinh. { addr-you } vui lòng kiểm tra lại tệp ạ.
        [download] Dạ, em chưa tải được tệp này. { addr-you } vui lòng gửi lại sau ít phút ạ.
       *[unreadable] Dạ, em chưa đọc được tệp này: { $detail } Không có gì được ghi vào hồ sơ ạ.
    }
roster-upload-summary =
    Dạ, em đã đọc tệp { $file } (năm học { $year }) và chỉ xem trước, chưa ghi gì:
    • Thêm mới: { $created }
    • Cập nhật: { $updated }
    • Không đổi: { $unchanged }
    • Từ chối: { $rejected }
    { $rejected ->
        [0] Không có dòng nào bị từ chối.
       *[other] Các dòng bị từ chối (dòng: học sinh, lý do):
    { $lines }
    }
    { $missing ->
        [0] {""}
       *[other] { $missing } học sinh có trong hồ sơ nhưng không có trong tệp: các em được giữ nguyên (đánh dấu rời trường trên trang quản trị nếu cần).
    }
roster-upload-confirm = { addr-you } có muốn áp dụng danh sách này không ạ?
roster-upload-apply = Áp dụng
roster-upload-cancel = Không áp dụng
roster-upload-cancelled = Dạ, em không áp dụng tệp này; hồ sơ giữ nguyên ạ.
roster-upload-gone = Dạ, tệp này đã được áp dụng hoặc đã quá một giờ. { addr-you } vui lòng gửi lại tệp nếu cần ạ.
roster-upload-applied = Dạ, em đã áp dụng danh sách: { $created } học sinh thêm mới, { $updated } cập nhật, { $rejected } dòng bị từ chối ạ.

# Staff and boards (issue 13): told in the bot.
staff-homeroom-assigned =
    Kính gửi { addr-staff }: từ hôm nay { addr-staff } là giáo viên chủ nhiệm lớp { $className }.
    { $concerns } phản ánh đang mở và { $meetings } cuộc họp sắp tới của lớp nay do { addr-staff } phụ trách; { addr-staff } xem bằng /phananh và /hop ạ.
staff-homeroom-ended = Kính gửi { addr-staff }: nhà trường đã phân công giáo viên chủ nhiệm khác cho lớp { $className }. Từ nay { addr-staff } không còn nhận phản ánh và quản lý cuộc họp của lớp này. Cảm ơn { addr-staff } đã đồng hành cùng các em ạ.
board-chosen =
    Kính gửi Quý phụ huynh em { $student }: Quý phụ huynh đã được ghi nhận là { $position ->
        [head] Trưởng ban
        [deputy] Phó trưởng ban
       *[member] thành viên
    } Ban đại diện cha mẹ học sinh { $scope ->
        [school] của trường
       *[class] lớp { $className }
    }, nhiệm kỳ năm học { $year }.
    Quý phụ huynh có thể lấy ý kiến phụ huynh (/gopy), tạo biểu quyết (/bieuquyet) và thống nhất nội dung họp với nhà trường (/hop). Trân trọng cảm ơn Quý phụ huynh ạ.
board-left = Kính gửi Quý phụ huynh: danh sách Ban đại diện cha mẹ học sinh { $scope ->
        [school] của trường
       *[class] lớp { $className }
    } đã được ghi nhận lại; nhiệm kỳ của Quý phụ huynh trong ban đã kết thúc. Trân trọng cảm ơn Quý phụ huynh đã đồng hành cùng nhà trường ạ.
concern-admin-refused = Dạ, cán bộ văn thư quản lý hồ sơ của trường nhưng không xem nội dung phản ánh của phụ huynh. Phản ánh do giáo viên chủ nhiệm và Ban giám hiệu xử lý ạ.
