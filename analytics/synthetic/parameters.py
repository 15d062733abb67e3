"""The demo company's calibration, as data: every number the generator draws from.

Channels and how each is served, the intent and topic mixes, the demand profiles and opening
hours, the agents and their teams, and the integer codes the generator works with (message
kinds, authors, outcomes, events). The words are in :mod:`analytics.synthetic.phrasebook`.
"""

from __future__ import annotations

import numpy as np

#: numpy's variable-width string dtype, used for every generated text column.
STR = np.dtypes.StringDType()
DAY = 86_400

# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------

CHANNELS = ("whatsapp", "chat", "email", "phone", "instagram", "facebook", "twitter",
            "reclame_aqui", "web_form")
WA, CHAT, EMAIL, PHONE, IG, FB, TW, RA, WEB = range(len(CHANNELS))
SOCIAL = np.array([IG, FB, TW])

# Target share of conversations per channel (documented figures) and the share used for first
# contacts, lower on phone and Reclame Aqui because repeat contacts migrate there.
TARGET_SHARE = np.array([0.30, 0.20, 0.18, 0.12, 0.06, 0.03, 0.03, 0.05, 0.03])
FIRST_SHARE = np.array([0.335, 0.235, 0.165, 0.09, 0.062, 0.036, 0.02, 0.035, 0.03])
FIRST_SHARE = FIRST_SHARE / FIRST_SHARE.sum()

# Per channel (order of CHANNELS):
#   reply   median first human reply (minutes), lognormal; sigma its log-sd
#   unans   share never answered by a human
#   push    probability that a reply falling outside business hours waits for the next opening
#   backlog median minutes after the opening before a pushed reply goes out
#   agap    median minutes between later agent replies; cgap the same for customer replies
#   insist  median minutes between customer messages sent before any answer
#   slow    first reply slower than this (minutes) counts as slow for the customer
#   resolve probability that an answered conversation is resolved
PER_CHANNEL = {
    "reply":   np.array([8, 2, 180, 2, 30, 40, 10, 3600, 300], dtype=float),
    "sigma":   np.array([1.4, 1.1, 1.2, 0.9, 1.5, 1.5, 1.6, 0.7, 1.2]),
    "unans":   np.array([0.08, 0.05, 0.06, 0.03, 0.10, 0.10, 0.09, 0.02, 0.08]),
    "push":    np.array([0.80, 0.85, 0.90, 1.00, 0.50, 0.50, 0.35, 0.90, 0.95]),
    "backlog": np.array([10, 10, 45, 5, 30, 30, 30, 120, 60], dtype=float),
    "agap":    np.array([4, 1.5, 180, 1, 20, 20, 20, 2160, 240]),
    "cgap":    np.array([8, 1, 300, 0.5, 30, 30, 30, 1440, 480]),
    "insist":  np.array([10, 2, 360, 1, 30, 30, 30, 1440, 720], dtype=float),
    "slow":    np.array([60, 15, 1440, 10, 240, 240, 240, 7200, 1440], dtype=float),
    "resolve": np.array([0.85, 0.88, 0.82, 0.86, 0.75, 0.75, 0.72, 0.70, 0.80]),
}
BOT_RATE = np.array([0.85, 0.70, 0, 0, 0, 0, 0, 0, 0])
# Probability of 1 and 2 customer messages before any answer (when answered) and of 1/2/3
# exchanges after the first answer.
PRE = np.array([[0.20, 0.07], [0.18, 0.05], [0.10, 0.03], [0, 0], [0.22, 0.08], [0.22, 0.08],
                [0.25, 0.10], [0.10, 0.03], [0.08, 0.02]])
EXCHANGES = np.array([[0.35, 0.20, 0.10], [0.35, 0.22, 0.10], [0.30, 0.10, 0.04],
                      [0.30, 0.15, 0.05], [0.30, 0.12, 0.05], [0.30, 0.12, 0.05],
                      [0.30, 0.10, 0.04], [0.35, 0.10, 0.03], [0.30, 0.10, 0.03]])
PROFILE = ("day", "day", "day", "phone", "social", "social", "social", "social", "day")

# --------------------------------------------------------------------------------------------
# Intents and topics
# --------------------------------------------------------------------------------------------

INTENTS = ("how_to", "problem", "other")
HOW, PROB, OTHER = range(3)
TOPICS = ("senha", "boleto", "entrega", "troca", "cancelamento", "pagamento", "plano", "outro")
(SENHA, BOLETO, ENTREGA, TROCA, CANCEL, PAGAMENTO, PLANO, OUTRO) = range(len(TOPICS))
LANGS = ("pt", "en")
#: Kinds of personal data a message may carry (the hidden ``pii`` column).
PII_KINDS = ("email", "phone", "cpf", "card", "handle")

# Intent mix of first contacts per channel (how-to, problem, other).
INTENT_MIX = np.array([[0.40, 0.42, 0.18], [0.46, 0.40, 0.14], [0.30, 0.50, 0.20],
                       [0.36, 0.50, 0.14], [0.32, 0.33, 0.35], [0.30, 0.40, 0.30],
                       [0.15, 0.55, 0.30], [0.03, 0.95, 0.02], [0.40, 0.45, 0.15]])
TOPIC_MIX = np.array([[0.18, 0.18, 0.18, 0.10, 0.08, 0.14, 0.14, 0],
                      [0.15, 0, 0.30, 0.12, 0.06, 0.25, 0.12, 0],
                      [0, 0, 0, 0, 0, 0, 0, 1.0]])
RESOLVE_BY_INTENT = np.array([1.05, 0.92, 1.12])
# First contacts lean to how-to questions: problems come back more often (repeat contacts)
# and how-to needs are partly answered by self-service, which shifts the final mix.
FIRST_INTENT_BIAS = np.array([1.15, 0.87, 1.1])

# --------------------------------------------------------------------------------------------
# Demand profiles (local hour of day x day of week) and business hours
# --------------------------------------------------------------------------------------------

HOURLY = {
    "day": [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1.2, 1.7, 1.8, 1.7, 1.3, 1.3, 1.5,
            1.5, 1.4, 1.2, 0.9, 0.7, 0.6, 0.5, 0.3, 0.15],
    "social": [0.4, 0.25, 0.12, 0.08, 0.06, 0.08, 0.2, 0.5, 0.9, 1.2, 1.2, 1.1, 1.1, 1.0, 1.0,
               1.0, 1.0, 1.1, 1.3, 1.5, 1.6, 1.5, 1.1, 0.7],
    "phone": [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.15, 1.5, 1.9, 1.9, 1.7, 1.2, 1.3, 1.6,
              1.6, 1.4, 1.0, 0.1, 0.06, 0.05, 0.04, 0.03, 0.02],
    "self": [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1.1, 1.2, 1.2, 1.3, 1.1, 1.1, 1.1,
             1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.2, 0.7],
}
WEEKLY = {  # Monday .. Sunday
   "day": [1.25, 1.12, 1.05, 1.0, 0.92, 0.45, 0.28],
   "social": [1.1, 1.05, 1.0, 1.0, 0.95, 0.85, 0.8],
   "phone": [1.3, 1.15, 1.05, 1.0, 0.95, 0.45, 0.05],
   "self": [1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 0.85],
}
HOLIDAY_FACTOR = {"day": 0.45, "social": 0.8, "phone": 0.1, "self": 0.85}
# Demand outside business hours is multiplied by this (the phone line is mostly closed).
CLOSED_FACTOR = {"day": 1.0, "social": 1.0, "phone": 0.06, "self": 1.0}
# Opening hours per weekday (Monday=0): (open, close) local hour, or None.
OPENING = {0: (8, 18), 1: (8, 18), 2: (8, 18), 3: (8, 18), 4: (8, 18), 5: (9, 13)}

# --------------------------------------------------------------------------------------------
# Agents
# --------------------------------------------------------------------------------------------

N_AGENTS = 25
BOT = 0  # agent code 0 is the bot; 1..25 are ag-01..ag-25
TEAMS = {  # team -> agent codes
   "voz": np.arange(1, 7), "chat": np.arange(7, 13), "social": np.arange(13, 18),
   "email": np.arange(18, 23), "n2": np.arange(23, 26),
}
CHANNEL_TEAM = ("chat+social", "chat", "email", "voz", "social", "social", "social", "n2",
                "email")

# --------------------------------------------------------------------------------------------
# Conversations: proactive topics, message kinds, authors, outcomes, events
# --------------------------------------------------------------------------------------------

# Topics of the company's own (proactive) conversations.
PROACTIVE_TOPICS = np.array([ENTREGA, PAGAMENTO, PLANO, OUTRO])

# Message kinds (internal).
(K_OPEN, K_PRE, K_MENU, K_BOT_GREET, K_BOT_HANDOFF, K_BOT_ANSWER, K_AGENT_FIRST, K_AGENT_TRANSFER,
 K_CUST_MORE, K_AGENT_MORE, K_THANKS, K_SYS_PROTOCOL, K_SYS_INACTIVE, K_REOPEN, K_AGENT_REOPEN,
 K_PROACTIVE) = range(16)
INBOUND_KINDS = (K_OPEN, K_PRE, K_MENU, K_CUST_MORE, K_THANKS, K_REOPEN)
# Authors (internal codes).
A_CUSTOMER, A_AGENT, A_BOT, A_SYSTEM = range(4)
AUTHOR_NAMES = np.array(["customer", "agent", "bot", "system"])
# Outcome classes of a conversation (drive repeat contacts).
UNANSWERED, UNRESOLVED, SLOW, RESOLVED = 1, 2, 3, 4
FOLLOW_P = np.array([0, 0.50, 0.35, 0.15, 0.03])
MIGRATION = np.array([0.15, 0.10, 0.10, 0.32, 0.06, 0.03, 0.04, 0.14, 0.04])
EVENTS = np.array(["resolved", "reopened", "handoff", "transfer"])
E_RESOLVED, E_REOPENED, E_HANDOFF, E_TRANSFER = range(4)

