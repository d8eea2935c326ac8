## /channel: one person on several messengers (pairing by a one-time code, the messenger that gets the messages)
channel-not-linked = You are not linked with the school on this messenger yet. Please link with the code the school gave you (/link), or send the pairing code (KN-…) you got on your linked messenger.
channel-header = Your messengers linked with the school:
channel-item = • { $channel }{ $state ->
    [preferred] {" "}— gets the school's messages
    [unreachable] {" "}— cannot receive messages now (blocked or unfollowed)
   *[other] {""}
  }{ $current ->
    [yes] {" "}(this one)
   *[other] {""}
  }
channel-single = You are linked on one messenger ({ $channel }) and every message from the school comes here. If you also use Telegram or Zalo, choose “Add another messenger” to get a pairing code; each message will still come only once.
channel-prompt = What would you like to change?
channel-use = Get messages on { $channel }
channel-add = Add another messenger
channel-unpair = Unpair this messenger
channel-code = Your pairing code is: { $code }
    Open the messenger you want to add (Telegram or Zalo) and send me exactly this code. It works once, for { $minutes } minutes; please do not share it with anyone.
channel-chosen = From now on I will send the school's messages to you on { $channel }.
channel-choose-failed = That messenger cannot receive messages now (it may have blocked or unfollowed us), so I did not switch.
channel-unpaired = I unpaired this messenger from your others. Its links with students stay, so you will get messages here too; if you no longer want them here, send /forget.
channel-not-paired = This messenger is not paired with any other.
channel-code-invalid = This pairing code is wrong, expired or already used. Please send /channel on your linked messenger for a new one.
channel-code-same = This code was made on this very messenger. Please send it on the messenger you want to add.
channel-already-paired = This messenger is already paired with your others. Send /channel to choose which one gets messages.
channel-paired-elsewhere = This messenger is paired with another account. Please send /channel, choose “Unpair this messenger”, then send the code again.
channel-pair-intro = This code pairs this messenger with your account linked with the school on another messenger.
channel-paired = I paired this messenger with your { $channel }. From now on each message from the school comes only once, here (the messenger linked last); send /channel to choose another.
channel-too-many = Too many wrong codes. For safety, please try again in { $minutes } minutes.
privacy-channels = • Paired messengers (/channel): { $channels }.
forget-done-paired = Your { $channels } stays linked and keeps getting messages; to erase your data there too, send /forget on that messenger.
help-channel = If you use both Telegram and Zalo: /channel — pair them and choose which one gets messages (each message comes once).
