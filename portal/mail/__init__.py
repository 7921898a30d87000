"""The outbox: messages are written to a table in the same transaction as the change
that causes them, and sent later by ``flask --app portal send-reminders``.

Sending claims one message at a time (committed before the mail server sees it) and
marks it sent straight after the server accepted it, so running the command twice,
or two runs at once, do not send a message twice. A run that crashes leaves its
message claimed: it goes again only after CLAIM_TIMEOUT, because nobody can know
whether the server had already accepted it. That is the only window for a duplicate
(a crash between the server's "250 OK" and our commit), and the copy then carries
the same Message-ID, which mail servers and clients use to drop duplicates.
"""
