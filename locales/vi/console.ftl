# The school office console (/quantri).
admin-link =
    Dạ, đây là đường dẫn đăng nhập trang quản trị { $scope ->
        [class] của lớp { $class }
       *[school] của nhà trường
    } (dùng một lần, trong { $minutes } phút):
    { $url }
    { addr-you } vui lòng không chuyển tiếp đường dẫn này cho người khác ạ.
admin-not-allowed = Dạ, trang quản trị dành cho Ban giám hiệu, cán bộ văn thư và giáo viên chủ nhiệm đã liên kết với nhà trường ạ.
