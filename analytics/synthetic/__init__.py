"""A seeded synthetic "demo company": the support log no public data set covers.

:func:`generate_demo` builds a fictional Brazilian e-commerce/telecom company ("Conecta") over a
period: customers who write on several channels, a bot in front of chat and WhatsApp, 25 agents
of different speeds, transfers between agents, resolutions and reopenings, self-service sessions,
and customer texts in Brazilian Portuguese (and some English). It is **synthetic**: no row
describes a real person. The figures are calibrated on public data (Twitter customer support:
median first response about 12 minutes with a heavy lognormal tail and about 10% of threads never
answered; consumidor.gov.br: complaints answered in about a week, 61.6% rated resolved).

How it is generated (everything vectorised, one ``numpy.random.Generator`` seeded by ``seed``):

1. customers (``c-00001`` ...) with a language (15% English), a city, a preferred channel and a
   self-service propensity; the number of independent needs per customer is heavy-tailed
   (most often one, some a dozen in 92 days; proportional to the period's length), lower for
   customers keen on self-service, and needs of one customer rarely fall in the same week;
   customers who only use self-service come on top;
2. self-service sessions (help centre, FAQ, app, IVR, chatbot) on the how-to topics; a need on
   a topic the customer looked up in self-service in the previous 45 days is often never turned
   into a contact (how-to questions much more than problems);
3. each remaining need becomes a conversation on a channel (mostly the preferred one) at a time
   drawn from a daily and weekly demand profile (weekday mornings; evenings for social media);
4. each conversation is played out: bot greeting (chat/WhatsApp), customer insisting before an
   answer, the first agent reply after a channel-specific lognormal delay scaled by the agent's
   speed (pushed to the next opening hour when it would fall outside business hours, with a
   channel-specific probability), transfers to another agent, a few exchanges, resolution,
   sometimes a reopening; a channel-specific share is never answered;
5. unanswered, unresolved or slow conversations often cause a new contact within seven days,
   frequently on another channel (WhatsApp unanswered -> phone or Reclame Aqui); two rounds;
6. conversations of unknown people (empty ``customer_id``), proactive outbound-only
   conversations, and a one-day billing incident (customers charged twice) are added;
7. everything after ``end`` is cut, like a real export made at ``end``.

Business hours are Monday-Friday 08:00-18:00 and Saturday 09:00-13:00 local time, closed on
Brazilian national holidays (``holidays`` package).

Extra message columns (kept by :func:`analytics.load.schema.validate_messages`): ``lang`` (``pt`` or
``en``), and three *hidden* columns for evaluating methods, never for reports: ``true_intent``
(``how_to``, ``problem``, ``other``; the conversation's intent, on each of its messages; empty
for proactive conversations), ``true_topic`` and ``pii`` (the kind of personal data written in
that message: ``email``, ``phone``, ``cpf``, ``card``, ``handle``; empty when none).

Events: ``handoff`` (the bot passes the conversation to a human; ``agent_id`` is the human),
``transfer`` (one agent passes it to another; ``agent_id`` is the receiving agent), ``resolved``
(``agent_id`` is the agent or ``bot`` that resolved it) and ``reopened`` (by the customer; no
``agent_id``).

The modules follow those steps: :mod:`~analytics.synthetic.parameters` (the calibration) and
:mod:`~analytics.synthetic.phrasebook` (the words) are data; :mod:`~analytics.synthetic.demand`
(arrival profile, business hours), :mod:`~analytics.synthetic.people` (customers, agents),
:mod:`~analytics.synthetic.conversations` (steps 2-6), :mod:`~analytics.synthetic.texts`
(the messages' words), :mod:`~analytics.synthetic.frames` (step 7, the log's frames) and
:mod:`~analytics.synthetic.demo` (the entry points) are the generator;
:mod:`~analytics.synthetic.draws` holds the vectorised random draws they share.
"""

from __future__ import annotations

from analytics.synthetic.demo import DEMO_FILES, generate_demo, write_demo
from analytics.synthetic.parameters import CHANNELS, INTENTS, LANGS, N_AGENTS, PII_KINDS, TOPICS

# The entry points, and the vocabularies of the generated columns (channel, lang, true_intent,
# true_topic, pii) and the number of agents.
__all__ = ["generate_demo", "write_demo", "DEMO_FILES",
           "CHANNELS", "LANGS", "INTENTS", "TOPICS", "PII_KINDS", "N_AGENTS"]
