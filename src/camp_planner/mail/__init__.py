"""Invitations that reach people: messages from a template, .eml files or SMTP, the sent-log,
and the answers (docs/invitations.md).

- :mod:`~camp_planner.mail.letters`: a company's template values, the template, rendering;
- :mod:`~camp_planner.mail.compose`: who gets which message, as MIME with the company's own
  .ics attached (:func:`camp_planner.outputs.ics.company_events`: ATTENDEE, ORGANIZER);
- :mod:`~camp_planner.mail.smtp`: the server from environment variables, sending;
- :mod:`~camp_planner.mail.outbox`: delivering (SMTP or .eml), never twice by mistake;
- :mod:`~camp_planner.mail.sentlog`: the log of every attempt, without bodies;
- :mod:`~camp_planner.mail.answers`: confirmed / declined / no answer, and the declines.
"""

from camp_planner.mail.compose import (
    Outgoing,
    RosterVersion,
    compose,
    letters_after_replan,
    letters_for_roster,
)
from camp_planner.mail.letters import Letter, TemplateProblem, load_template
from camp_planner.mail.outbox import Delivery, deliver
from camp_planner.mail.sentlog import SENT_LOG, fingerprint, read_log
from camp_planner.mail.smtp import SmtpSettings, smtp_settings

__all__ = [
    "SENT_LOG",
    "Delivery",
    "Letter",
    "Outgoing",
    "RosterVersion",
    "SmtpSettings",
    "TemplateProblem",
    "compose",
    "deliver",
    "fingerprint",
    "letters_after_replan",
    "letters_for_roster",
    "load_template",
    "read_log",
    "smtp_settings",
]
