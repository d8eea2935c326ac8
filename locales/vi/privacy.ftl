privacy-nothing-stored = Dạ, em chưa lưu thông tin cá nhân nào của { addr-you } (chưa liên kết) ạ.
privacy-header = Dữ liệu em đang lưu về { addr-you }: kênh { $channel }{ $hasName ->
    [yes] , tên hiển thị "{ $name }"
   *[no] {""}
  }, ngôn ngữ { $language ->
    [en] tiếng Anh
   *[vi] tiếng Việt
  }.
privacy-consent = Đồng ý xử lý dữ liệu vào { $at } (phiên bản thông báo { $version }).
privacy-student = • Phụ huynh của học sinh { $student }, lớp { $class }, { $school }.
privacy-role = • Vai trò { role-name }{ $class ->
    [none] {""}
   *[other] {" "}lớp { $class }
  }, { $school }.
privacy-rights = Quyền của { addr-you } (Luật 91/2025/QH15): xem dữ liệu (/quyenriengtu), xóa toàn bộ dữ liệu và rút lại đồng ý (/xoadulieu). Số điện thoại và tài khoản nhắn tin của { addr-you } không bao giờ hiển thị cho giáo viên hay phụ huynh khác.
forget-confirm = Dạ, { addr-you } muốn xóa toàn bộ dữ liệu (liên kết với học sinh, vai trò, lựa chọn ngôn ngữ và lịch sử trò chuyện với em) phải không ạ? Sau khi xóa, { addr-you } sẽ không nhận thông báo của nhà trường qua em nữa, cho đến khi liên kết lại bằng mã mới.
forget-yes = Xóa dữ liệu của tôi
forget-no = Không, giữ lại
forget-kept = Dạ, em giữ nguyên dữ liệu ạ.
forget-done = Dạ, em đã xóa toàn bộ dữ liệu của { addr-you } và ghi nhận việc rút lại đồng ý. Việc xóa đã hoàn tất ngay lúc này, kể cả các nội dung { addr-you } đã gửi tới giáo viên, nhà trường và phụ huynh khác; những bản ghi nhà trường cần giữ (như số phản ánh) không còn tên, tài khoản hay lời của { addr-you }. Em cảm ơn { addr-you } đã đồng hành cùng nhà trường ạ.
privacy-erased-content = [đã xóa theo yêu cầu]
privacy-shared-phone = Số điện thoại Quý phụ huynh đã đồng ý chia sẻ với Zalo OA của nhà trường: { $phone } (chỉ dùng để gửi tin mẫu ZBS qua Zalo khi không nhắn tin được; xoá bằng /xoadulieu).
