# Zalo Official Account: messages to the school's admins about the OA connection.

zalo-oa-needs-reconnect = Dear colleague, the connection between the system and the school's Zalo Official Account has expired (Zalo refused to renew the access token). Messages through the Zalo OA are paused; parents still receive messages on another channel if they linked one. Please reconnect with `npm run cli -- zalo-oa connect` (or ask your technical staff). Thank you.
zalo-oa-reconnected = Dear colleague, the school's Zalo Official Account is connected again. Messages through the Zalo OA are back to normal.
zalo-oa-held-notice = { $count ->
    [one] 1 household
   *[other] { $count } households
  } did not receive the message yet: the Zalo OA's free messaging window has passed and they have no other channel. It will be delivered as soon as the parent writes to the school.
# Households by Zalo OA route, in the senders' reports (notices, meetings); empty when none went through the OA.
oa-routes-line =
    { $viaOa ->
        [0] {""}
       *[other] 📨 Zalo OA: free { $oaFree } · paid { $oaPaid } · ZBS template { $oaTemplate } · other channel { $oaOther } · held until the parent writes { $oaHeld } — paid messages: { $oaCharged }
    }
zalo-oa-phone-card-title = Get the school's notices outside the chat window
zalo-oa-phone-card-subtitle = If you agree, the school uses this phone number only to send you Zalo template messages (ZBS) when it cannot message you in this chat. It is used for nothing else; delete it at any time with /xoadulieu.
