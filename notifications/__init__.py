"""E-mail reminders and notifications (issue #17): deadlines, coverage below target, returned
checklists, answered objections, plan measures due, forwarded session orders. Sent by the
``send_reminders`` command on a schedule, once per day and recipient, with an unsubscribe
link per category and a log of what went out. Reads every domain; nothing below imports it."""
