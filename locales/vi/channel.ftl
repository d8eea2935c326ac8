## /kenh: one person on several messengers (pairing by a one-time code, the messenger that gets the messages)
channel-not-linked = Dạ, { addr-you } chưa liên kết với nhà trường trên kênh này. { addr-you } vui lòng liên kết bằng mã nhà trường đã cấp (/lienket), hoặc gửi mã ghép kênh (KN-…) nhận được trên kênh đã liên kết ạ.
channel-header = Dạ, các kênh nhắn tin { addr-you } đã liên kết với nhà trường:
channel-item = • { $channel }{ $state ->
    [preferred] {" "}— đang nhận tin nhắn của nhà trường
    [unreachable] {" "}— hiện không nhận được tin (đã chặn hoặc bỏ theo dõi)
   *[other] {""}
  }{ $current ->
    [yes] {" "}(kênh này)
   *[other] {""}
  }
channel-single = Dạ, { addr-you } đang liên kết trên một kênh ({ $channel }) và mọi tin nhắn của nhà trường đều gửi qua kênh này. Nếu { addr-you } dùng thêm Telegram hoặc Zalo, xin chọn “Thêm kênh khác” để nhận mã ghép kênh; mỗi tin nhắn sẽ chỉ gửi một lần ạ.
channel-prompt = { addr-you } muốn thay đổi gì ạ?
channel-use = Nhận tin qua { $channel }
channel-add = Thêm kênh khác
channel-unpair = Bỏ liên kết kênh này
channel-code = Dạ, mã ghép kênh của { addr-you } là: { $code }
    Xin { addr-you } mở kênh muốn thêm (Telegram hoặc Zalo), nhắn cho em đúng mã này. Mã dùng được một lần, trong { $minutes } phút; xin { addr-you } không chia sẻ mã với người khác ạ.
channel-chosen = Dạ, từ nay em sẽ gửi tin nhắn của nhà trường tới { addr-you } qua { $channel } ạ.
channel-choose-failed = Dạ, kênh này hiện không nhận được tin nhắn (có thể đã chặn hoặc bỏ theo dõi), nên em chưa chuyển được ạ.
channel-unpaired = Dạ, em đã bỏ ghép kênh này với các kênh khác của { addr-you }. Liên kết với học sinh trên kênh này vẫn giữ nguyên, nên { addr-you } sẽ nhận tin nhắn trên cả kênh này; nếu không muốn nhận ở đây nữa, xin gõ /xoadulieu ạ.
channel-not-paired = Dạ, kênh này chưa được ghép với kênh nào khác ạ.
channel-code-invalid = Dạ, mã ghép kênh này không đúng, đã hết hạn hoặc đã được dùng. { addr-you } vui lòng gõ /kenh trên kênh đã liên kết để lấy mã mới ạ.
channel-code-same = Dạ, mã này được tạo trên chính kênh này. { addr-you } vui lòng gửi mã trên kênh muốn thêm ạ.
channel-already-paired = Dạ, kênh này đã được ghép với các kênh khác của { addr-you } rồi ạ. { addr-you } gõ /kenh để chọn kênh nhận tin nhắn.
channel-paired-elsewhere = Dạ, kênh này đang được ghép với một tài khoản khác. { addr-you } vui lòng gõ /kenh, chọn “Bỏ liên kết kênh này”, rồi gửi lại mã ạ.
channel-pair-intro = Dạ, mã này ghép kênh nhắn tin này với tài khoản { addr-you } đã liên kết với nhà trường trên kênh khác.
channel-paired = Dạ, em đã ghép kênh này với { $channel } của { addr-you }. Từ nay mỗi tin nhắn của nhà trường chỉ gửi một lần, qua kênh này (kênh liên kết sau cùng); { addr-you } gõ /kenh để chọn kênh khác ạ.
channel-too-many = Dạ, { addr-you } đã nhập sai mã nhiều lần. Vì an toàn, xin { addr-you } thử lại sau { $minutes } phút ạ.
privacy-channels = • Các kênh nhắn tin đã ghép (/kenh): { $channels }.
forget-done-paired = Kênh { $channels } của { addr-you } vẫn được giữ liên kết và tiếp tục nhận tin nhắn; để xóa cả ở đó, xin { addr-you } gõ /xoadulieu trên kênh ấy ạ.
help-channel = Nếu { addr-you } dùng cả Telegram và Zalo: /kenh — ghép các kênh và chọn kênh nhận tin nhắn (mỗi tin chỉ nhận một lần).
