link-welcome = Kính chào Quý phụ huynh! Em là trợ lý Sổ liên lạc của nhà trường: em chuyển thông báo, thư mời họp, phản ánh và biểu quyết giữa gia đình và nhà trường — riêng tư, không lộ số điện thoại.
link-ask-code = { addr-you } vui lòng nhập mã liên kết mà nhà trường đã cấp (ví dụ: K7M2-Q9XD-4RT8B).
link-invalid-code = Dạ, mã này không dùng được: mã không đúng, đã hết hạn hoặc đã được sử dụng. { addr-you } vui lòng kiểm tra lại từng ký tự, hoặc liên hệ giáo viên chủ nhiệm để được cấp mã mới ạ.
link-too-many = Dạ, mã đã bị nhập sai nhiều lần. Để bảo vệ thông tin học sinh, { addr-you } vui lòng thử lại sau { $minutes } phút ạ.
link-found-student = Mã hợp lệ: học sinh { $student }, lớp { $class }, { $school }.
link-found-role = Mã hợp lệ: vai trò { role-name }{ $class ->
    [none] {""}
   *[other] {" "}lớp { $class }
  }, { $school }.
privacy-notice =
    Trước khi liên kết, xin { addr-you } đọc thông báo về dữ liệu cá nhân (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, Nghị định 356/2025/NĐ-CP):
    • Dữ liệu được lưu: mã tài khoản nhắn tin của { addr-you } (không lưu tên hiển thị), học sinh/lớp được liên kết, ngôn ngữ đã chọn, các tin nhắn { addr-you } gửi qua em (phản ánh, trả lời, biểu quyết) và thời điểm đồng ý.
    • Mục đích: chỉ để liên lạc giữa nhà trường và gia đình. Không quảng cáo, không bán, không chia sẻ cho bên thứ ba.
    • Ai được xem: giáo viên chủ nhiệm và Ban giám hiệu thấy tên học sinh, không bao giờ thấy số điện thoại hay tài khoản nhắn tin của { addr-you }; phụ huynh khác không thấy thông tin của { addr-you }.
    • Lưu trữ: trên máy chủ do nhà trường quản lý, đến khi học sinh rời trường, hết năm học được lưu trữ, hoặc khi { addr-you } yêu cầu xóa.
    • Quyền của { addr-you }: xem dữ liệu (/quyenriengtu), xóa dữ liệu và rút lại đồng ý (/xoadulieu) bất cứ lúc nào.
    { addr-you } có đồng ý không?
link-consent-agree = Tôi đồng ý
link-consent-decline = Không đồng ý
link-declined = Dạ, em đã ghi nhận { addr-you } không đồng ý. Em không lưu thông tin nào và không liên kết. Khi cần, { addr-you } có thể gửi lại mã bất cứ lúc nào ạ.
link-code-gone = Dạ, mã vừa được sử dụng hết hoặc đã hết hạn trong lúc chờ. { addr-you } vui lòng liên hệ giáo viên chủ nhiệm để được cấp mã mới ạ.
link-already = Dạ, { addr-you } đã liên kết với mã này từ trước rồi ạ.
link-done-student = Dạ, em đã liên kết thành công với học sinh { $student }, lớp { $class }. Từ nay Quý phụ huynh sẽ nhận thông báo, thư mời họp của lớp qua em. Nếu có con khác học ở trường, Quý phụ huynh gửi tiếp mã của con ạ.
link-done-role = Dạ, em đã xác nhận vai trò { role-name }{ $class ->
    [none] {""}
   *[other] {" "}lớp { $class }
  }. Kính chào { $role ->
        [board-head] Quý phụ huynh
        [board-deputy] Quý phụ huynh
        [board-member] Quý phụ huynh
       *[staff] { addr-staff }
    }!
