# The school office console (/quantri).
admin-link =
    Dạ, đây là đường dẫn đăng nhập trang quản trị { $scope ->
        [class] của lớp { $class }
       *[school] của nhà trường
    } (dùng một lần, trong { $minutes } phút):
    { $url }
    Thầy/Cô vui lòng không chuyển tiếp đường dẫn này cho người khác ạ.
admin-not-allowed = Dạ, trang quản trị dành cho Ban giám hiệu, cán bộ văn thư và giáo viên chủ nhiệm đã liên kết với nhà trường ạ.

# Staff and boards (issue 13): told in the bot.
staff-homeroom-assigned =
    Kính gửi Thầy/Cô: từ hôm nay Thầy/Cô là giáo viên chủ nhiệm lớp { $className }.
    { $concerns } phản ánh đang mở và { $meetings } cuộc họp sắp tới của lớp nay do Thầy/Cô phụ trách; Thầy/Cô xem bằng /phananh và /hop ạ.
staff-homeroom-ended = Kính gửi Thầy/Cô: nhà trường đã phân công giáo viên chủ nhiệm khác cho lớp { $className }. Từ nay Thầy/Cô không còn nhận phản ánh và quản lý cuộc họp của lớp này. Cảm ơn Thầy/Cô đã đồng hành cùng các em ạ.
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
    } đã được cập nhật; Quý phụ huynh không còn trong ban. Trân trọng cảm ơn Quý phụ huynh đã đồng hành cùng nhà trường ạ.
concern-admin-refused = Dạ, cán bộ văn thư quản lý hồ sơ của trường nhưng không xem nội dung phản ánh của phụ huynh. Phản ánh do giáo viên chủ nhiệm và Ban giám hiệu xử lý ạ.
