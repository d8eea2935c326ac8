# The school office console (/quantri).
admin-link =
    Dạ, đây là đường dẫn đăng nhập trang quản trị { $scope ->
        [class] của lớp { $class }
       *[school] của nhà trường
    } (dùng một lần, trong { $minutes } phút):
    { $url }
    Thầy/Cô vui lòng không chuyển tiếp đường dẫn này cho người khác ạ.
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
