# Shared messages. Vietnamese is the source of truth; the bot calls itself "em".

role-name = { $role ->
    [homeroom-teacher] giáo viên chủ nhiệm
    [principal] Hiệu trưởng
    [vice-principal] Phó Hiệu trưởng
    [admin] cán bộ quản trị
    [board-head] Trưởng ban đại diện CMHS
    [board-deputy] Phó ban đại diện CMHS
   *[board-member] thành viên Ban đại diện CMHS
  }

common-error = Dạ, em xin lỗi, đã có trục trặc khi xử lý yêu cầu. Kính mong { addr-you } thử lại sau ít phút, hoặc gõ /menu để bắt đầu lại ạ.
common-cancelled = Dạ, em đã hủy thao tác đang làm. Gõ /menu khi cần em giúp ạ.
common-nothing-to-cancel = Dạ, hiện không có thao tác nào đang dở ạ. Gõ /menu để xem các chức năng.
common-unknown-command = Dạ, em chưa hiểu lệnh /{ $command }. Gõ /trogiup để xem những việc em làm được ạ.
common-stale-button = Dạ, nút này đã hết hiệu lực. Em gửi lại câu hỏi hiện tại ạ.
common-choose-one = Dạ, em chưa nhận ra lựa chọn này. { addr-you } vui lòng chọn một mục bên dưới, hoặc gõ số thứ tự của mục đó ạ.
common-empty-answer = Dạ, em chưa nhận được nội dung. { addr-you } vui lòng nhập lại ạ.
common-too-long = Dạ, nội dung dài { $length } ký tự, vượt quá giới hạn { $max } ký tự. { addr-you } vui lòng rút gọn và gửi lại ạ.
common-attachment-unsupported = Dạ, ở bước này em chưa nhận được tệp đính kèm. { addr-you } vui lòng gửi nội dung bằng chữ ạ.
common-flow-updated = Dạ, chức năng vừa được cập nhật nên thao tác đang dở đã kết thúc. Em xin lỗi vì sự bất tiện; { addr-you } vui lòng bắt đầu lại ạ.
common-group-private = Dạ, để bảo vệ thông tin của các gia đình, em chỉ làm việc trong tin nhắn riêng. { addr-you } vui lòng nhắn riêng cho em ạ.
feature-coming = Dạ, chức năng này đang được nhà trường hoàn thiện và sẽ sớm có mặt. Em cảm ơn { addr-you } đã thông cảm ạ.
idle-linked = Dạ, em chưa hiểu tin nhắn này. Gõ /menu để chọn chức năng, hoặc /trogiup để xem hướng dẫn ạ.
idle-unlinked = Dạ, em là trợ lý Sổ liên lạc của nhà trường. Để bắt đầu, { addr-you } vui lòng gửi mã liên kết (mã gồm 13 ký tự) mà nhà trường đã cấp ạ.

# Form of address (locales/README.md, "Conversation style"). The engine gives every message it
# renders $reader (guardian | board | teacher | principal | admin | unknown) and $title
# (thay | co | none, staff only), and $readerName (the given name with that title, which only
# English uses: "Ms Lan"). Write { addr-you } wherever the reader is addressed.
addr-you = { $title ->
    [thay] Thầy
    [co] Cô
   *[none] { $reader ->
        [guardian] Quý phụ huynh
        [board] Quý phụ huynh
        [teacher] Thầy/Cô
        [principal] Thầy/Cô
        [admin] Thầy/Cô
       *[unknown] Quý vị
    }
  }
# For messages only staff receive (also through the outbox, which passes $title and $readerName when it knows them).
addr-staff = { $title ->
    [thay] Thầy
    [co] Cô
   *[none] Thầy/Cô
  }
# A staff member named in the third person: $whoTitle (thay | co | none) and $whoName (the given name, "Lan").
addr-named = { $whoTitle ->
    [thay] Thầy { $whoName }
    [co] Cô { $whoName }
   *[none] giáo viên chủ nhiệm
  }


# Navigation buttons the engine adds under every step of a flow (issue 10).
common-nav-back = ↩ Quay lại
common-nav-skip = Bỏ qua
common-nav-cancel = ✖ Hủy
idle-answer-notice = Dạ, để xác nhận, { addr-you } vui lòng chọn «Đã xem» ngay dưới thông báo cần xác nhận ạ.
idle-answer-meeting = Dạ, để trả lời thư mời họp, { addr-you } vui lòng chọn câu trả lời ngay dưới thư mời của con ạ.
