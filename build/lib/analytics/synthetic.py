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
"""

from __future__ import annotations

import gzip
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from analytics.load.schema import (
    SELF_SERVICE_SOURCES,
    SupportLog,
    validate_events,
    validate_messages,
    validate_self_service,
)

__all__ = ["generate_demo", "write_demo", "DEMO_FILES"]

#: The files :func:`write_demo` writes (and nothing else).
DEMO_FILES = ("messages.csv.gz", "events.csv.gz", "self_service.csv.gz")

_S = np.dtypes.StringDType()
_DAY = 86_400

# --------------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------------

CHANNELS = ("whatsapp", "chat", "email", "phone", "instagram", "facebook", "twitter",
            "reclame_aqui", "web_form")
_WA, _CHAT, _EMAIL, _PHONE, _IG, _FB, _TW, _RA, _WEB = range(len(CHANNELS))
_SOCIAL = np.array([_IG, _FB, _TW])

# Target share of conversations per channel (documented figures) and the share used for first
# contacts, lower on phone and Reclame Aqui because repeat contacts migrate there.
_TARGET_SHARE = np.array([0.30, 0.20, 0.18, 0.12, 0.06, 0.03, 0.03, 0.05, 0.03])
_FIRST_SHARE = np.array([0.335, 0.235, 0.165, 0.09, 0.062, 0.036, 0.02, 0.035, 0.03])
_FIRST_SHARE = _FIRST_SHARE / _FIRST_SHARE.sum()

# Per channel (order of CHANNELS):
#   reply   median first human reply (minutes), lognormal; sigma its log-sd
#   unans   share never answered by a human
#   push    probability that a reply falling outside business hours waits for the next opening
#   backlog median minutes after the opening before a pushed reply goes out
#   agap    median minutes between later agent replies; cgap the same for customer replies
#   insist  median minutes between customer messages sent before any answer
#   slow    first reply slower than this (minutes) counts as slow for the customer
#   resolve probability that an answered conversation is resolved
_P = {
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
_BOT_RATE = np.array([0.85, 0.70, 0, 0, 0, 0, 0, 0, 0])
# Probability of 1 and 2 customer messages before any answer (when answered) and of 1/2/3
# exchanges after the first answer.
_PRE = np.array([[0.20, 0.07], [0.18, 0.05], [0.10, 0.03], [0, 0], [0.22, 0.08], [0.22, 0.08],
                 [0.25, 0.10], [0.10, 0.03], [0.08, 0.02]])
_EXCHANGES = np.array([[0.35, 0.20, 0.10], [0.35, 0.22, 0.10], [0.30, 0.10, 0.04],
                       [0.30, 0.15, 0.05], [0.30, 0.12, 0.05], [0.30, 0.12, 0.05],
                       [0.30, 0.10, 0.04], [0.35, 0.10, 0.03], [0.30, 0.10, 0.03]])
_PROFILE = ("day", "day", "day", "phone", "social", "social", "social", "social", "day")

# --------------------------------------------------------------------------------------------
# Intents and topics
# --------------------------------------------------------------------------------------------

INTENTS = ("how_to", "problem", "other")
_HOW, _PROB, _OTHER = range(3)
TOPICS = ("senha", "boleto", "entrega", "troca", "cancelamento", "pagamento", "plano", "outro")
(_SENHA, _BOLETO, _ENTREGA, _TROCA, _CANCEL, _PAGAMENTO, _PLANO, _OUTRO) = range(len(TOPICS))
LANGS = ("pt", "en")

# Intent mix of first contacts per channel (how-to, problem, other).
_INTENT_MIX = np.array([[0.40, 0.42, 0.18], [0.46, 0.40, 0.14], [0.30, 0.50, 0.20],
                        [0.36, 0.50, 0.14], [0.32, 0.33, 0.35], [0.30, 0.40, 0.30],
                        [0.15, 0.55, 0.30], [0.03, 0.95, 0.02], [0.40, 0.45, 0.15]])
_TOPIC_MIX = np.array([[0.18, 0.18, 0.18, 0.10, 0.08, 0.14, 0.14, 0],
                       [0.15, 0, 0.30, 0.12, 0.06, 0.25, 0.12, 0],
                       [0, 0, 0, 0, 0, 0, 0, 1.0]])
_RESOLVE_BY_INTENT = np.array([1.05, 0.92, 1.12])
# First contacts lean to how-to questions: problems come back more often (repeat contacts)
# and how-to needs are partly answered by self-service, which shifts the final mix.
_FIRST_INTENT_BIAS = np.array([1.15, 0.87, 1.1])

# --------------------------------------------------------------------------------------------
# Demand profiles (local hour of day x day of week) and business hours
# --------------------------------------------------------------------------------------------

_HOURLY = {
    "day": [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1.2, 1.7, 1.8, 1.7, 1.3, 1.3, 1.5,
            1.5, 1.4, 1.2, 0.9, 0.7, 0.6, 0.5, 0.3, 0.15],
    "social": [0.4, 0.25, 0.12, 0.08, 0.06, 0.08, 0.2, 0.5, 0.9, 1.2, 1.2, 1.1, 1.1, 1.0, 1.0,
               1.0, 1.0, 1.1, 1.3, 1.5, 1.6, 1.5, 1.1, 0.7],
    "phone": [0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.15, 1.5, 1.9, 1.9, 1.7, 1.2, 1.3, 1.6,
              1.6, 1.4, 1.0, 0.1, 0.06, 0.05, 0.04, 0.03, 0.02],
    "self": [0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1.1, 1.2, 1.2, 1.3, 1.1, 1.1, 1.1,
             1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.2, 0.7],
}
_WEEKLY = {  # Monday .. Sunday
    "day": [1.25, 1.12, 1.05, 1.0, 0.92, 0.45, 0.28],
    "social": [1.1, 1.05, 1.0, 1.0, 0.95, 0.85, 0.8],
    "phone": [1.3, 1.15, 1.05, 1.0, 0.95, 0.45, 0.05],
    "self": [1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 0.85],
}
_HOLIDAY_FACTOR = {"day": 0.45, "social": 0.8, "phone": 0.1, "self": 0.85}
# Demand outside business hours is multiplied by this (the phone line is mostly closed).
_CLOSED_FACTOR = {"day": 1.0, "social": 1.0, "phone": 0.06, "self": 1.0}
# Opening hours per weekday (Monday=0): (open, close) local hour, or None.
_OPENING = {0: (8, 18), 1: (8, 18), 2: (8, 18), 3: (8, 18), 4: (8, 18), 5: (9, 13)}

# --------------------------------------------------------------------------------------------
# Agents
# --------------------------------------------------------------------------------------------

N_AGENTS = 25
_BOT = 0  # agent code 0 is the bot; 1..25 are ag-01..ag-25
_TEAMS = {  # team -> agent codes
    "voz": np.arange(1, 7), "chat": np.arange(7, 13), "social": np.arange(13, 18),
    "email": np.arange(18, 23), "n2": np.arange(23, 26),
}
_CHANNEL_TEAM = ("chat+social", "chat", "email", "voz", "social", "social", "social", "n2",
                 "email")
_AGENT_NAMES = np.array(
    ["Lia", "Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Henrique",
     "Isabela", "João", "Karina", "Lucas", "Mariana", "Nicolas", "Olívia", "Paulo", "Rafaela",
     "Samuel", "Tatiane", "Vinícius", "Yasmin", "Renato", "Débora", "Igor", "Letícia"],
    dtype=_S)

# --------------------------------------------------------------------------------------------
# People: names, cities, personal data
# --------------------------------------------------------------------------------------------

_FIRST = ("ana", "maria", "joao", "pedro", "lucas", "julia", "mariana", "gabriel", "rafael",
          "fernanda", "camila", "bruno", "carlos", "beatriz", "larissa", "felipe", "amanda",
          "rodrigo", "patricia", "thiago", "aline", "marcos", "leticia", "diego", "vanessa",
          "gustavo", "renata", "paulo", "jessica", "matheus")
_LAST = ("silva", "santos", "oliveira", "souza", "rodrigues", "ferreira", "alves", "pereira",
         "lima", "gomes", "costa", "ribeiro", "martins", "carvalho", "almeida", "lopes",
         "soares", "fernandes", "vieira", "barbosa")
_CITIES = ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Porto Alegre", "Curitiba",
           "Salvador", "Recife", "Fortaleza", "Brasília", "Manaus", "Goiânia", "Campinas",
           "Florianópolis", "Belém")
_CITY_WEIGHT = np.array([0.25, 0.13, 0.08, 0.06, 0.07, 0.06, 0.05, 0.05, 0.06, 0.03, 0.04, 0.05,
                         0.04, 0.03])
_DDD = np.array([11, 21, 31, 51, 41, 71, 81, 85, 61, 92, 62, 19, 48, 91])
_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br",
            "uol.com.br", "bol.com.br")
_PRODUCTS = {"pt": ("fone bluetooth", "celular", "roteador", "tênis", "notebook", "smart tv",
                    "chip", "geladeira", "carregador", "relógio"),
             "en": ("headphones", "phone", "router", "sneakers", "laptop", "smart TV", "SIM card",
                    "fridge", "charger", "watch")}
_CHANNEL_LABEL = {
    "pt": ("WhatsApp", "chat", "e-mail", "telefone", "Instagram", "Facebook", "Twitter",
           "Reclame Aqui", "formulário do site"),
    "en": ("WhatsApp", "chat", "email", "phone", "Instagram", "Facebook", "Twitter",
           "Reclame Aqui", "the web form"),
}
PII_KINDS = ("email", "phone", "cpf", "card", "handle")

# --------------------------------------------------------------------------------------------
# Text banks. Customer texts start in lower case; variation adds greetings, capitals, typos,
# abbreviations, missing accents and emojis. Slots: {cidade} {pedido} {produto} {valor} {canal}
# {protocolo} {agente} and, for personal data, {email} {telefone} {cpf} {cartao} {handle}.
# --------------------------------------------------------------------------------------------

_OPENINGS = {
    ("pt", "how_to", "senha"): [
        "como faço para trocar a senha do app?", "esqueci minha senha, como recupero?",
        "como altero a senha da minha conta?", "onde eu mudo a senha de acesso no site?"],
    ("pt", "how_to", "boleto"): [
        "onde encontro a segunda via do boleto?", "como emito a 2ª via da fatura?",
        "preciso do código de barras do boleto deste mês, onde pego?",
        "vocês mandam o boleto por e-mail ou só pelo app?"],
    ("pt", "how_to", "entrega"): [
        "qual o prazo de entrega para {cidade}?", "vocês entregam em {cidade}? qual o prazo?",
        "como rastreio o pedido {pedido}?", "quanto tempo demora a entrega do {produto}?"],
    ("pt", "how_to", "troca"): [
        "como faço para trocar um produto?", "qual o prazo para devolver o {produto}?",
        "posso trocar o {produto} por outra cor?", "como funciona a devolução?"],
    ("pt", "how_to", "cancelamento"): [
        "como cancelo minha assinatura?", "como faço para cancelar o pedido {pedido}?",
        "tem multa para cancelar o plano?"],
    ("pt", "how_to", "pagamento"): [
        "gostaria de saber se é possível parcelar", "vocês aceitam pix?",
        "dá para parcelar o {produto} em 10x sem juros?",
        "como coloco o débito automático na fatura?"],
    ("pt", "how_to", "plano"): [
        "como mudo de plano?", "quais planos de internet vocês têm para {cidade}?",
        "como faço para adicionar mais gigas no meu plano?",
        "gostaria de saber como funciona o plano família"],
    ("pt", "problem", "senha"): [
        "não consigo acessar minha conta", "o app não aceita minha senha",
        "o código de verificação não chega no meu celular",
        "minha conta foi bloqueada e não sei por quê"],
    ("pt", "problem", "entrega"): [
        "meu pedido {pedido} não chegou", "o prazo de entrega do pedido {pedido} já passou e nada",
        "recebi o produto errado no pedido {pedido}",
        "o rastreio do pedido {pedido} está parado há 5 dias",
        "o entregador disse que entregou mas eu não recebi o {produto}"],
    ("pt", "problem", "troca"): [
        "o {produto} veio com defeito", "pedi a troca há 10 dias e ninguém buscou o {produto}",
        "o reembolso da devolução não caiu até hoje", "o {produto} chegou quebrado"],
    ("pt", "problem", "cancelamento"): [
        "cancelei o plano e continuam cobrando", "pedi o cancelamento e não foi feito",
        "quero cancelar e não consigo pelo app"],
    ("pt", "problem", "pagamento"): [
        "fui cobrado duas vezes no cartão", "cobraram R$ {valor} a mais na minha fatura",
        "paguei o boleto e o pedido continua como não pago", "o pix não foi reconhecido",
        "a fatura veio com um valor que eu não reconheço"],
    ("pt", "problem", "plano"): [
        "minha internet está caindo toda hora", "estou sem sinal em {cidade} desde ontem",
        "a velocidade da internet está muito abaixo do contratado",
        "mudaram meu plano sem eu pedir"],
    ("pt", "other", "outro"): [
        "obrigado pelo ótimo atendimento de ontem!",
        "parabéns pela entrega rápida, chegou antes do prazo", "adorei o {produto}, muito bom",
        "o app novo ficou bem melhor", "sugestão: vocês poderiam entregar aos sábados",
        "achei o site confuso para achar a segunda via",
        "só queria elogiar a atendente {agente}, muito atenciosa",
        "vocês vão ter promoção na black friday?", "o atendimento de vocês melhorou muito"],
    ("en", "how_to", "senha"): [
        "how do I change my app password?", "I forgot my password, how can I reset it?"],
    ("en", "how_to", "boleto"): [
        "where can I find a copy of my bill?", "how do I get the boleto for this month?"],
    ("en", "how_to", "entrega"): [
        "what is the delivery time to {cidade}?", "how can I track order {pedido}?"],
    ("en", "how_to", "troca"): [
        "how do I exchange a product?", "how long do I have to return the {produto}?"],
    ("en", "how_to", "cancelamento"): [
        "how do I cancel my subscription?", "how can I cancel order {pedido}?"],
    ("en", "how_to", "pagamento"): [
        "can I pay in installments?", "do you accept pix or foreign cards?"],
    ("en", "how_to", "plano"): [
        "how do I change my plan?", "which internet plans are available in {cidade}?"],
    ("en", "problem", "senha"): [
        "I can't log into my account", "the verification code never arrives"],
    ("en", "problem", "entrega"): [
        "my order {pedido} has not arrived", "order {pedido} is late and tracking is stuck"],
    ("en", "problem", "troca"): [
        "the {produto} arrived broken", "I returned the {produto} and got no refund yet"],
    ("en", "problem", "cancelamento"): [
        "I cancelled but you keep charging me", "I asked to cancel and nothing happened"],
    ("en", "problem", "pagamento"): [
        "I was charged twice on my card", "there is an extra charge of R$ {valor} on my bill"],
    ("en", "problem", "plano"): [
        "my internet keeps dropping", "no signal in {cidade} since yesterday"],
    ("en", "other", "outro"): [
        "thanks for the great service!", "the delivery was super fast, thank you",
        "love the new app", "suggestion: add weekend delivery",
        "just wanted to say {agente} was very helpful"],
}
_INCIDENT_TEXT = {"pt": "fui cobrado duas vezes no cartão", "en": "I was charged twice on my card"}
_PRE_TEXT = {
    "pt": ["alô?", "alguém aí?", "??", "oi?", "preciso de uma resposta urgente",
           "tem alguém me atendendo?", "estou aguardando", "vão me responder?",
           "é urgente, por favor"],
    "en": ["hello?", "anyone there?", "??", "still waiting", "please answer, it's urgent"],
}
_MENU_TEXT = {"pt": ["1", "2", "3", "atendente", "falar com atendente", "quero falar com uma pessoa",
                     "nenhuma das opções"],
              "en": ["1", "2", "agent", "talk to a human", "none of these"]}
_BOT_GREET = {
    "pt": ["Olá! Sou a Lia, assistente virtual da Conecta 🤖 Como posso ajudar? Digite 1 para "
           "pedidos, 2 para pagamentos ou 3 para outros assuntos.",
           "Oi! Aqui é a Lia, da Conecta. Escolha uma opção: 1 pedidos, 2 faturas e pagamentos, "
           "3 falar com atendente."],
    "en": ["Hi! I'm Lia, Conecta's virtual assistant 🤖 How can I help? Type 1 for orders, 2 for "
           "payments or 3 for anything else."],
}
_BOT_HANDOFF = {
    "pt": ["Certo! Vou transferir você para um de nossos atendentes. Aguarde um momento, "
           "por favor.", "Entendi. Já estou chamando um atendente para continuar com você."],
    "en": ["Sure! I'm transferring you to one of our agents. Please wait a moment."],
}
_BOT_ANSWER = {
    ("pt", "senha"): ["Para trocar sua senha, acesse o app > Perfil > Segurança > Alterar senha. "
                      "Posso ajudar em algo mais?"],
    ("pt", "boleto"): ["Você pode emitir a segunda via no app, em Pagamentos > Segunda via, ou em "
                       "conecta.com.br/boleto."],
    ("pt", "entrega"): ["O prazo e o rastreio ficam no app, em Meus pedidos. Para capitais, a "
                        "entrega leva de 2 a 5 dias úteis."],
    ("pt", "troca"): ["Você pode pedir a troca em até 7 dias após o recebimento, pelo app em Meus "
                      "pedidos > Trocar ou devolver."],
    ("pt", "cancelamento"): ["Para cancelar, acesse Minha conta > Assinatura > Cancelar. Não há "
                             "multa após 12 meses."],
    ("pt", "pagamento"): ["Aceitamos pix, boleto e cartão em até 10x sem juros."],
    ("pt", "plano"): ["Para mudar de plano, acesse Minha conta > Plano > Alterar plano. A "
                      "mudança vale no próximo ciclo."],
    ("en", "senha"): ["To change your password, open the app > Profile > Security > Change "
                      "password."],
    ("en", "boleto"): ["You can get a copy of your bill in the app under Payments > Copy of bill."],
    ("en", "entrega"): ["Delivery time and tracking are in the app under My orders."],
    ("en", "troca"): ["You can request an exchange within 7 days in the app under My orders."],
    ("en", "cancelamento"): ["To cancel, go to My account > Subscription > Cancel."],
    ("en", "pagamento"): ["We accept pix, boleto and cards in up to 10 interest-free "
                          "installments."],
    ("en", "plano"): ["To change plans, go to My account > Plan > Change plan."],
}
_AGENT_FIRST = {
    ("pt", "how_to"): ["Olá! Aqui é {agente}, tudo bem? Vou te ajudar com isso.",
                       "Oi! Você consegue fazer isso pelo app, em Minha conta. Se preferir, faço "
                       "por aqui.", "Olá, obrigado pelo contato! Vou te passar o passo a passo.",
                       "Bom dia! {agente} aqui. Claro, já te explico."],
    ("pt", "problem"): ["Olá, {agente} aqui. Sinto muito pelo transtorno! Pode me informar o "
                        "número do pedido?",
                        "Olá! Lamento pelo ocorrido. Já abri a solicitação com o protocolo "
                        "{protocolo}.", "Oi! Entendo sua frustração, vou verificar agora mesmo.",
                        "Olá, pedimos desculpas. Pode confirmar seu CPF para eu localizar o "
                        "cadastro?"],
    ("pt", "other"): ["Muito obrigado pelo retorno! 😊", "Que bom saber! Vamos repassar para a "
                      "equipe.", "Agradecemos a sua mensagem, {agente} aqui!"],
    ("en", "how_to"): ["Hi! This is {agente}, happy to help with that.",
                       "Hello! You can do it in the app under My account. I can also do it "
                       "for you."],
    ("en", "problem"): ["Hi, {agente} here. Sorry about that! Could you share the order number?",
                        "Hello! I'm sorry for the trouble. I opened ticket {protocolo}."],
    ("en", "other"): ["Thank you so much for the feedback! 😊", "Great to hear, thanks!"],
}
_AGENT_FORMAL = {
    "pt": ["Olá! Lamentamos o ocorrido. Nossa equipe entrou em contato pelo seu e-mail "
           "cadastrado para resolver. Protocolo {protocolo}.",
           "Prezado(a) cliente, pedimos desculpas pelo transtorno. Sua solicitação foi "
           "registrada sob o protocolo {protocolo} e será tratada com prioridade."],
    "en": ["Hello! We are sorry for the trouble. Our team has contacted you by e-mail. "
           "Ticket {protocolo}."],
}
_AGENT_TRANSFER = {
    "pt": ["Olá, sou {agente} da equipe especializada e vou dar continuidade ao seu "
           "atendimento.", "Oi! Recebi seu caso transferido, {agente} aqui. Vou resolver por "
           "aqui."],
    "en": ["Hi, I'm {agente} from the specialist team and I'll take it from here."],
}
_AGENT_MORE = {
    ("pt", "how_to"): ["É só seguir esses passos e pronto!", "Enviei o link para o seu e-mail "
                       "cadastrado.", "Posso ajudar em algo mais?", "Isso mesmo, deu certo?"],
    ("pt", "problem"): ["Verifiquei aqui e já está resolvido.", "O estorno será feito em até 2 "
                        "faturas.", "Seu pedido está em rota de entrega e chega até amanhã.",
                        "Consegue me enviar uma foto do produto?", "Abri a troca, o "
                        "protocolo é {protocolo}."],
    ("pt", "other"): ["Nós que agradecemos!", "Posso ajudar em algo mais?"],
    ("en", "how_to"): ["Just follow those steps!", "I sent the link to your e-mail.",
                       "Anything else I can help with?"],
    ("en", "problem"): ["I checked and it is fixed now.", "The refund will show up within 2 "
                        "bills.", "Could you send a photo of the product?"],
    ("en", "other"): ["Thank you!", "Anything else I can help with?"],
}
_CUST_MORE = {
    ("pt", "how_to"): ["ok", "certo", "pode ser", "mas eu já fiz isso", "tá bom, vou tentar",
                       "e quanto tempo demora?", "não recebi nenhum e-mail", "não achei essa "
                       "opção no app"],
    ("pt", "problem"): ["o número é {pedido}", "ainda não funcionou", "segue a foto",
                        "isso mesmo", "e quanto tempo demora?", "não recebi nenhum e-mail",
                        "já é a terceira vez que isso acontece", "ok, aguardo"],
    ("pt", "other"): ["ok", "imagina!", "de nada", "beleza"],
    ("en", "how_to"): ["ok", "sure", "how long will it take?", "I can't find that option"],
    ("en", "problem"): ["the number is {pedido}", "still not working", "ok, I'll wait"],
    ("en", "other"): ["ok", "you're welcome"],
}
_THANKS = {"pt": ["obrigado!", "valeu!", "muito obrigada, resolveu", "ok obrigado", "show, "
                  "obrigado", "perfeito, obrigada"],
           "en": ["thanks!", "thank you, that worked", "great, thanks"]}
_REOPEN = {"pt": ["o problema voltou", "ainda não recebi", "continua do mesmo jeito", "não "
                  "resolveu, aconteceu de novo", "o estorno não caiu"],
           "en": ["it happened again", "still not fixed", "I still haven't received it"]}
_AGENT_REOPEN = {"pt": ["Sinto muito! Reabri seu chamado e vou acompanhar pessoalmente.",
                        "Poxa, lamento. Já encaminhei de novo com prioridade."],
                 "en": ["Sorry about that! I reopened your ticket and will follow it "
                        "personally."]}
_SYS_PROTOCOL = {"pt": ["Protocolo de atendimento: {protocolo}"],
                 "en": ["Ticket number: {protocolo}"]}
_SYS_INACTIVE = {"pt": ["Atendimento encerrado por inatividade."],
                 "en": ["Conversation closed due to inactivity."]}
_PROACTIVE = {
    ("pt", "entrega"): ["Olá! Seu pedido {pedido} saiu para entrega e chega hoje.",
                        "Seu pedido {pedido} foi enviado. Acompanhe pelo app."],
    ("pt", "pagamento"): ["Lembrete: sua fatura de R$ {valor} vence em 3 dias. Segunda via em "
                          "conecta.com.br/fatura.", "Identificamos uma falha no seu pagamento. "
                          "Pode verificar o cartão cadastrado?"],
    ("pt", "plano"): ["Novidade: seu plano ganhou 10 GB extras neste mês!",
                      "Haverá manutenção na rede da sua região amanhã entre 1h e 5h."],
    ("pt", "outro"): ["Como foi seu último atendimento? Responda de 1 a 5.",
                      "Olá! Aqui é {agente}, da Conecta. Estou ligando para confirmar seu "
                      "cadastro."],
    ("en", "entrega"): ["Hi! Your order {pedido} is out for delivery."],
    ("en", "pagamento"): ["Reminder: your bill of R$ {valor} is due in 3 days."],
    ("en", "plano"): ["Good news: your plan got 10 GB extra this month!"],
    ("en", "outro"): ["How was your last contact with us? Reply from 1 to 5."],
}
_PROACTIVE_TOPICS = np.array([_ENTREGA, _PAGAMENTO, _PLANO, _OUTRO])
# Prefix of a repeat contact, by the outcome of the previous one (1 unanswered, 2 unresolved,
# 3 slow, 4 resolved).
_FOLLOW_PREFIX = {
    ("pt", 1): ["já mandei mensagem pelo {canal} e ninguém respondeu. ", "ninguém me respondeu "
                "no {canal}, então vou tentar por aqui. ", "estou tentando falar com vocês pelo "
                "{canal} há dias. "],
    ("pt", 2): ["é a segunda vez que entro em contato. ", "continuo com o mesmo problema: ",
                "já falei com vocês e não resolveram. "],
    ("pt", 3): ["demoraram muito para responder no {canal}. ", "de novo: "],
    ("pt", 4): ["oi de novo, ", "outra dúvida: "],
    ("en", 1): ["I already wrote on {canal} and got no answer. "],
    ("en", 2): ["second time contacting you. ", "still the same problem: "],
    ("en", 3): ["you took ages to reply on {canal}. "],
    ("en", 4): ["hi again, "],
}
_RA_SUFFIX = {"pt": [" Já tentei resolver pelos canais de atendimento e nada.",
                     " Péssimo atendimento, ninguém resolve.", " Exijo uma solução."],
              "en": [" I already tried the official channels with no answer."]}
_GREETINGS = {  # (lang, part): 0 morning, 1 afternoon, 2 evening, 3 formal (e-mail, web form)
    ("pt", 0): ["bom dia, ", "bom dia! ", "oi, bom dia. ", "olá, ", "oi ", "oii, "],
    ("pt", 1): ["boa tarde, ", "boa tarde! ", "olá, ", "oi ", "opa, "],
    ("pt", 2): ["boa noite, ", "boa noite! ", "olá, ", "oi ", "oi, boa noite. "],
    ("pt", 3): ["Prezados, ", "Olá, ", "Boa tarde, ", "Bom dia, "],
    ("en", 0): ["good morning, ", "hi, ", "hello, ", "hey "],
    ("en", 1): ["good afternoon, ", "hi, ", "hello, ", "hey "],
    ("en", 2): ["good evening, ", "hi, ", "hello, "],
    ("en", 3): ["Dear team, ", "Hello, "],
}
_EMOJI = {_HOW: [" 🙏", " 😅", " 🤔"], _PROB: [" 😡", " 😤", " 🙄", " 😢"],
          _OTHER: [" 😊", " ❤️", " 👏", " 👍"]}
_PII_TEXT = {  # appended as a new sentence
    ("pt", "email"): ["meu e-mail é {email}", "email: {email}", "pode responder no {email}"],
    ("pt", "phone"): ["meu telefone é {telefone}", "me liga no {telefone}",
                      "meu whats é {telefone}"],
    ("pt", "cpf"): ["meu cpf é {cpf}", "CPF {cpf}", "cpf do titular: {cpf}"],
    ("pt", "card"): ["o número do cartão é {cartao}", "cartão {cartao}"],
    ("pt", "handle"): ["me chama no {handle}", "meu perfil é {handle}"],
    ("en", "email"): ["My email is {email}"],
    ("en", "phone"): ["Call me at {telefone}"],
    ("en", "cpf"): ["My CPF is {cpf}"],
    ("en", "card"): ["Card number {cartao}"],
    ("en", "handle"): ["I'm {handle} here"],
}
_ABBREVIATIONS = (("você", "vc"), ("não", "nao"), ("para ", "pra "), ("está", "tá"),
                  ("obrigado", "obg"), ("por favor", "pfv"), ("também", "tb"), ("porque", "pq"),
                  ("que ", "q "), ("minha", "mnha"))
_ACCENTS = (("á", "a"), ("ã", "a"), ("â", "a"), ("é", "e"), ("ê", "e"), ("í", "i"), ("ó", "o"),
            ("õ", "o"), ("ô", "o"), ("ú", "u"), ("ç", "c"))
_SWAPS = (("ra", "ar"), ("en", "ne"), ("ou", "uo"), ("es", "se"), ("ta", "at"), ("do", "od"),
          ("ar", "ra"), ("in", "ni"), ("ss", "s"), ("rr", "r"))

# Message kinds (internal).
(K_OPEN, K_PRE, K_MENU, K_BOT_GREET, K_BOT_HANDOFF, K_BOT_ANSWER, K_AGENT_FIRST, K_AGENT_TRANSFER,
 K_CUST_MORE, K_AGENT_MORE, K_THANKS, K_SYS_PROTOCOL, K_SYS_INACTIVE, K_REOPEN, K_AGENT_REOPEN,
 K_PROACTIVE) = range(16)
_INBOUND_KINDS = (K_OPEN, K_PRE, K_MENU, K_CUST_MORE, K_THANKS, K_REOPEN)
# Authors (internal codes).
_A_CUSTOMER, _A_AGENT, _A_BOT, _A_SYSTEM = range(4)
_AUTHOR_NAMES = np.array(["customer", "agent", "bot", "system"])
# Outcome classes of a conversation (drive repeat contacts).
_UNANSWERED, _UNRESOLVED, _SLOW, _RESOLVED = 1, 2, 3, 4
_FOLLOW_P = np.array([0, 0.50, 0.35, 0.15, 0.03])
_MIGRATION = np.array([0.15, 0.10, 0.10, 0.32, 0.06, 0.03, 0.04, 0.14, 0.04])
_EVENTS = np.array(["resolved", "reopened", "handoff", "transfer"])
_E_RESOLVED, _E_REOPENED, _E_HANDOFF, _E_TRANSFER = range(4)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def generate_demo(*, start="2026-08-01", end="2026-11-01", customers=1500, seed=7,
                  tz="America/Sao_Paulo") -> SupportLog:
    """Generate the synthetic demo company's support log for ``[start, end)``.

    Parameters
    ----------
    start, end : str or Timestamp
        The period (``end`` exclusive); dates without a time zone are local to ``tz``.
        Conversations start in the period and everything after ``end`` is cut, like an export.
    customers : int
        Number of customers who have support needs in the period (self-service-only customers
        and unknown people come on top). The default gives about 6,000 conversations.
    seed : int
        Seed of the random generator: the same arguments give identical frames.
    tz : str
        IANA time zone of the company (business hours, demand profile, output offsets).

    Returns
    -------
    SupportLog
        Validated messages, events and self-service sessions, ``source="demo"``,
        ``synthetic=True``.
    """
    t_start, t_end = _local(start, tz), _local(end, tz)
    if t_end <= t_start:
        raise ValueError(f"end ({end}) must be after start ({start})")
    if int(customers) < 1:
        raise ValueError("customers must be at least 1")
    rng = np.random.default_rng(seed)
    world = _World(rng, _Calendar(t_start, t_end, tz), int(customers))

    sessions = world.background_sessions()
    first = world.first_contacts(sessions)
    world.add_conversations(first)
    outcome = world.play(first)
    for _ in range(2):  # repeat contacts of repeat contacts, then stop
        follow = world.follow_ups(first, outcome)
        if follow is None:
            break
        world.add_conversations(follow)
        outcome = world.play(follow)
        first = follow
    known = sum(len(c) for c in world.conversations)
    unknown = world.unknown_contacts(round(known * 0.055))
    world.add_conversations(unknown)
    world.play(unknown)
    proactive = world.proactive(round(known * 0.025))
    world.add_conversations(proactive)
    sessions = pd.concat([sessions, world.failed_self_service()], ignore_index=True)
    messages, events, self_service = world.frames(sessions)

    msgs = validate_messages(messages, source="demo")
    evts = validate_events(events, msgs, source="demo events")
    sess = validate_self_service(self_service, source="demo self-service")
    return SupportLog(messages=msgs, events=evts, self_service=sess, source="demo",
                      synthetic=True,
                      description=("Synthetic demo company (generated, not real data; "
                                   f"seed {seed})"))


def write_demo(folder, **kwargs) -> SupportLog:
    """Generate the demo (``generate_demo(**kwargs)``) and write it into ``folder``.

    Writes exactly :data:`DEMO_FILES`: gzip-compressed CSV with ISO 8601 timestamps carrying
    the offset of ``tz``; the gzip header has no time stamp, so the files are byte-reproducible.
    Returns the generated log.
    """
    log = generate_demo(**kwargs)
    tz = kwargs.get("tz", "America/Sao_Paulo")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "messages.csv.gz": (log.messages, "sent_at"),
        "events.csv.gz": (log.events, "at"),
        "self_service.csv.gz": (log.self_service, "started_at"),
    }
    for name, (frame, column) in tables.items():
        out = frame.copy()
        out[column] = _iso(out[column], tz)
        data = out.to_csv(index=False, lineterminator="\n").encode("utf-8")
        (folder / name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return log


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _local(value, tz) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)


def _iso(values: pd.Series, tz) -> pd.Series:
    """UTC timestamps -> ``2026-08-01T09:15:00-03:00`` strings in ``tz``."""
    text = values.dt.tz_convert(tz).dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    return text.str[:-2] + ":" + text.str[-2:]


def _lognormal(rng, median, sigma, size):
    """Lognormal draws (seconds or minutes, like ``median``), one per row."""
    return np.exp(np.log(median) + sigma * rng.standard_normal(size))


def _categorical(rng, probs: np.ndarray) -> np.ndarray:
    """One draw per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _digits(rng, n, k) -> np.ndarray:
    return rng.integers(0, 10, size=(n, k))


def _join(columns: list[np.ndarray]) -> np.ndarray:
    """Concatenate columns of single characters ('<U1', shape (n, k)) into strings."""
    chars = np.ascontiguousarray(np.concatenate(columns, axis=1).astype("<U1"))
    return chars.view(f"<U{chars.shape[1]}").ravel().astype(_S)


def _digit_chars(digits: np.ndarray) -> np.ndarray:
    return np.array(list("0123456789"))[digits]


def _const(n, char) -> np.ndarray:
    return np.full((n, 1), char)


class _Bank:
    """Text templates grouped by an integer key; vectorised random choice within a key."""

    def __init__(self, entries: dict, key):
        keys, texts = [], []
        for k, values in entries.items():
            for value in values:
                keys.append(key(k))
                texts.append(value)
        keys = np.array(keys)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.texts = np.array(texts, dtype=_S)[order]
        size = int(self.keys.max()) + 1
        self.start = np.searchsorted(self.keys, np.arange(size))
        self.count = np.searchsorted(self.keys, np.arange(size), side="right") - self.start

    def index(self, keys: np.ndarray, rng) -> np.ndarray:
        u = rng.random(len(keys))
        keys = np.asarray(keys, dtype=np.int64)
        if len(keys) and ((keys >= len(self.count)).any() or (self.count[keys] == 0).any()):
            raise ValueError("no template for some keys")
        return self.start[keys] + (u * self.count[keys]).astype(np.int64)

    def pick(self, keys, rng) -> np.ndarray:
        return self.texts[self.index(keys, rng)]


def _lang_key(k):
    return LANGS.index(k)


_B_OPEN = _Bank(_OPENINGS, lambda k: (LANGS.index(k[0]) * 3 + INTENTS.index(k[1])) * 8
                + TOPICS.index(k[2]))
_B_PRE = _Bank(_PRE_TEXT, _lang_key)
_B_MENU = _Bank(_MENU_TEXT, _lang_key)
_B_BOT_GREET = _Bank(_BOT_GREET, _lang_key)
_B_BOT_HANDOFF = _Bank(_BOT_HANDOFF, _lang_key)
_B_BOT_ANSWER = _Bank(_BOT_ANSWER, lambda k: LANGS.index(k[0]) * 8 + TOPICS.index(k[1]))
_B_AGENT_FIRST = _Bank(_AGENT_FIRST, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_AGENT_FORMAL = _Bank(_AGENT_FORMAL, _lang_key)
_B_AGENT_TRANSFER = _Bank(_AGENT_TRANSFER, _lang_key)
_B_AGENT_MORE = _Bank(_AGENT_MORE, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_CUST_MORE = _Bank(_CUST_MORE, lambda k: LANGS.index(k[0]) * 3 + INTENTS.index(k[1]))
_B_THANKS = _Bank(_THANKS, _lang_key)
_B_REOPEN = _Bank(_REOPEN, _lang_key)
_B_AGENT_REOPEN = _Bank(_AGENT_REOPEN, _lang_key)
_B_SYS_PROTOCOL = _Bank(_SYS_PROTOCOL, _lang_key)
_B_SYS_INACTIVE = _Bank(_SYS_INACTIVE, _lang_key)
_B_PROACTIVE = _Bank(_PROACTIVE, lambda k: LANGS.index(k[0]) * 8 + TOPICS.index(k[1]))
_B_FOLLOW = _Bank(_FOLLOW_PREFIX, lambda k: LANGS.index(k[0]) * 5 + k[1])
_B_RA_SUFFIX = _Bank(_RA_SUFFIX, _lang_key)
_B_GREET = _Bank(_GREETINGS, lambda k: LANGS.index(k[0]) * 4 + k[1])
_B_EMOJI = _Bank(_EMOJI, int)
_B_PII = _Bank(_PII_TEXT, lambda k: LANGS.index(k[0]) * 5 + PII_KINDS.index(k[1]))
_INCIDENT_TEMPLATE = np.array([
    int(np.flatnonzero(_B_OPEN.texts == _INCIDENT_TEXT[lang])[0]) for lang in LANGS])
_TEMPLATE_LANG = _B_OPEN.keys // 24
_TEMPLATE_INTENT = (_B_OPEN.keys // 8) % 3
_TEMPLATE_TOPIC = _B_OPEN.keys % 8


class _Calendar:
    """Hourly demand grid and business-hour intervals, in integer seconds since the epoch."""

    def __init__(self, start: pd.Timestamp, end: pd.Timestamp, tz):
        self.tz = tz
        self.start = _seconds(start)
        self.end = _seconds(end)
        hours = pd.date_range(start.floor("h"), end, freq="h", inclusive="left")
        self.hour_s = hours.as_unit("s").asi8
        days = np.array(hours.tz_localize(None).normalize().date, dtype="datetime64[D]")
        years = range(start.year - 1, end.year + 2)
        closed = np.array(sorted(holidays.country_holidays("BR", years=years)),
                          dtype="datetime64[D]")
        holiday = np.isin(days, closed)
        # Opening intervals from a day before start to 90 days after end (late replies).
        local_days = pd.date_range(start.tz_localize(None).normalize() - pd.Timedelta(days=1),
                                   end.tz_localize(None).normalize() + pd.Timedelta(days=90),
                                   freq="D")
        day_d = np.array(local_days.date, dtype="datetime64[D]")
        open_h = np.full(len(local_days), -1)
        close_h = np.full(len(local_days), -1)
        for weekday, (o, c) in _OPENING.items():
            on = local_days.day_of_week == weekday
            open_h[on], close_h[on] = o, c
        keep = (open_h >= 0) & ~np.isin(day_d, closed)
        base = local_days[keep]
        opens = (base + pd.to_timedelta(open_h[keep], unit="h")).tz_localize(
            tz, nonexistent="shift_forward")
        closes = (base + pd.to_timedelta(close_h[keep], unit="h")).tz_localize(
            tz, nonexistent="shift_forward")
        self.open = opens.as_unit("s").asi8
        self.close = closes.as_unit("s").asi8
        self.open_seconds = np.concatenate([[0], np.cumsum(self.close - self.open)])
        open_hour = self.is_open(self.hour_s + 1800)
        self.weights = {}
        for profile, hourly in _HOURLY.items():
            w = (np.asarray(hourly)[hours.hour] * np.asarray(_WEEKLY[profile])[hours.day_of_week]
                 * np.where(holiday, _HOLIDAY_FACTOR[profile], 1.0)
                 * np.where(open_hour, 1.0, _CLOSED_FACTOR[profile]))
            w = np.where((self.hour_s >= self.start) & (self.hour_s < self.end), w, 0.0)
            self.weights[profile] = w / w.sum()

    def sample(self, profile: str, n: int, rng) -> np.ndarray:
        """Arrival times drawn from a demand profile."""
        idx = rng.choice(len(self.hour_s), size=n, p=self.weights[profile])
        t = self.hour_s[idx] + rng.integers(0, 3600, size=n)
        return np.clip(t, self.start, self.end - 1)

    def is_open(self, t: np.ndarray) -> np.ndarray:
        idx = np.minimum(np.searchsorted(self.close, t, side="right"), len(self.open) - 1)
        return self.open[idx] <= t

    def push(self, t, p, backlog_s, rng) -> np.ndarray:
        """Move times outside business hours to the next opening (+ backlog) with prob. p."""
        t = np.asarray(t, dtype=np.int64)
        idx = np.minimum(np.searchsorted(self.close, t, side="right"), len(self.open) - 1)
        inside = self.open[idx] <= t
        move = ~inside & (rng.random(len(t)) < p) & (self.open[idx] > t)
        late = self.open[idx] + (30 + _lognormal(rng, backlog_s, 0.8, len(t))).astype(np.int64)
        return np.where(move, late, t)

    def business_seconds(self, t0, t1) -> np.ndarray:
        """Seconds of business hours between t0 and t1 (for summaries)."""
        return self._cum(t1) - self._cum(t0)

    def _cum(self, t):
        t = np.asarray(t, dtype=np.int64)
        idx = np.searchsorted(self.close, t, side="right")
        idx_c = np.minimum(idx, len(self.open) - 1)
        partial = np.where(idx < len(self.open), np.clip(t - self.open[idx_c], 0, None), 0)
        return self.open_seconds[idx] + partial


def _seconds(ts: pd.Timestamp) -> int:
    return int(ts.timestamp())


# --------------------------------------------------------------------------------------------
# The world: people, conversations, messages
# --------------------------------------------------------------------------------------------

class _World:
    def __init__(self, rng, cal: _Calendar, customers: int):
        self.rng = rng
        self.cal = cal
        self.customers = customers
        self.conversations: list[pd.DataFrame] = []
        self.messages: list[dict] = []
        self.events: list[dict] = []
        self.next_key = 0
        self._people(customers)
        self._agents()

    # -- people and agents ------------------------------------------------------------------

    def _people(self, customers):
        rng = self.rng
        n = customers + round(customers * 0.8)  # + self-service-only customers
        self.n_people = n
        self.lang = (rng.random(n) < 0.15).astype(np.int64)
        self.city = rng.choice(len(_CITIES), size=n, p=_CITY_WEIGHT / _CITY_WEIGHT.sum())
        self.pref = rng.choice(len(CHANNELS), size=n, p=_FIRST_SHARE)
        self.propensity = rng.gamma(1.0, 1.0, size=n)
        first = np.array(_FIRST, dtype=_S)[rng.integers(0, len(_FIRST), n)]
        last = np.array(_LAST, dtype=_S)[rng.integers(0, len(_LAST), n)]
        number = rng.integers(1, 100, n).astype(_S)
        style = rng.integers(0, 4, n)
        local = np.select(
            [style == 0, style == 1, style == 2],
            [np.strings.add(np.strings.add(first, "."), last),
             np.strings.add(np.strings.add(first, last), number),
             np.strings.add(np.strings.add(first, "_"), last)],
            np.strings.add(np.strings.add(first, "."), np.strings.add(last, number)))
        domain = np.array(_DOMAINS, dtype=_S)[rng.integers(0, len(_DOMAINS), n)]
        self.email = np.strings.add(np.strings.add(local, "@"), domain)
        self.handle = np.strings.add("@", np.where(
            rng.random(n) < 0.5, np.strings.add(first, last),
            np.strings.add(np.strings.add(first, "_"), number)))
        self.phone = self._phones(n)
        self.cpf = self._cpfs(n)
        self.card = self._cards(n)

    def _phones(self, n):
        rng = self.rng
        ddd = _DDD[self.city].astype(_S)
        d = _digit_chars(_digits(rng, n, 8))
        local = _join([_const(n, "9"), d[:, :4], _const(n, "-"), d[:, 4:]])
        plain = _join([_const(n, "9"), d])
        style = rng.random(n)
        return np.select(
            [style < 0.7, style < 0.85],
            [np.strings.add(np.strings.add(np.strings.add("(", ddd), ") "), local),
             np.strings.add(ddd, plain)],
            np.strings.add(np.strings.add(np.strings.add("+55 ", ddd), " "), local))

    def _cpfs(self, n):
        """Valid CPF numbers (check digits computed), mostly formatted 123.456.789-09."""
        d = _digits(self.rng, n, 9)
        r1 = (d @ np.arange(10, 1, -1)) * 10 % 11
        v1 = np.where(r1 == 10, 0, r1)
        r2 = (d @ np.arange(11, 2, -1) + v1 * 2) * 10 % 11
        v2 = np.where(r2 == 10, 0, r2)
        c = _digit_chars(np.column_stack([d, v1, v2]))
        formatted = _join([c[:, 0:3], _const(n, "."), c[:, 3:6], _const(n, "."), c[:, 6:9],
                           _const(n, "-"), c[:, 9:11]])
        return np.where(self.rng.random(n) < 0.75, formatted, _join([c]))

    def _cards(self, n):
        """Card numbers passing the Luhn check, mostly in groups of four."""
        rng = self.rng
        d = np.column_stack([rng.choice([4, 5], size=n), _digits(rng, n, 14)])
        doubled = d * np.where((14 - np.arange(15)) % 2 == 0, 2, 1)
        doubled = np.where(doubled > 9, doubled - 9, doubled)
        check = (10 - doubled.sum(axis=1) % 10) % 10
        c = _digit_chars(np.column_stack([d, check]))
        spaced = _join([c[:, 0:4], _const(n, " "), c[:, 4:8], _const(n, " "), c[:, 8:12],
                        _const(n, " "), c[:, 12:16]])
        return np.where(rng.random(n) < 0.7, spaced, _join([c]))

    def _agents(self):
        rng = self.rng
        self.speed = np.concatenate([[1.0], rng.lognormal(0.0, 0.4, N_AGENTS)])
        self.team_weights = {name: rng.dirichlet(np.full(len(codes), 4.0))
                             for name, codes in _TEAMS.items()}

    def pick_agents(self, ch: np.ndarray) -> np.ndarray:
        out = np.zeros(len(ch), dtype=np.int64)
        for c, teams in enumerate(_CHANNEL_TEAM):
            rows = np.flatnonzero(ch == c)
            codes = np.concatenate([_TEAMS[t] for t in teams.split("+")])
            weights = np.concatenate([self.team_weights[t] for t in teams.split("+")])
            out[rows] = self.rng.choice(codes, size=len(rows), p=weights / weights.sum())
        return out

    def pick_transfer(self, ch, a):
        """Second agent: mostly the second-level team, otherwise the same team; never ``a``."""
        rng = self.rng
        n2 = rng.choice(_TEAMS["n2"], size=len(a), p=self.team_weights["n2"])
        same = self.pick_agents(ch)
        b = np.where(rng.random(len(a)) < 0.6, n2, same)
        b = np.where(b == a, n2, b)
        return np.where(b == a, 23 + (a - 23 + 1) % 3, b)

    # -- conversations ----------------------------------------------------------------------

    def _frame(self, cust, ch, t0, intent, topic, tmpl, lang, *, gen=0, prev_cls=None,
               prev_ch=None, proactive=False) -> pd.DataFrame:
        n = len(ch)
        return pd.DataFrame({
            "cust": cust, "ch": ch, "t0": t0.astype(np.int64), "intent": intent, "topic": topic,
            "tmpl": tmpl, "lang": lang, "gen": gen,
            "prev_cls": np.zeros(n, dtype=np.int64) if prev_cls is None else prev_cls,
            "prev_ch": np.full(n, -1) if prev_ch is None else prev_ch,
            "proactive": proactive,
        })

    def add_conversations(self, conv: pd.DataFrame):
        conv.insert(0, "key", np.arange(self.next_key, self.next_key + len(conv)))
        self.next_key += len(conv)
        self.conversations.append(conv)

    def _topics_and_templates(self, lang, intent):
        topic = _categorical(self.rng, _TOPIC_MIX[intent])
        tmpl = _B_OPEN.index((lang * 3 + intent) * 8 + topic, self.rng)
        return topic, tmpl

    def _times_for(self, ch):
        t = np.zeros(len(ch), dtype=np.int64)
        for profile in ("day", "social", "phone"):
            rows = np.flatnonzero(np.isin(ch, [i for i, p in enumerate(_PROFILE) if p == profile]))
            t[rows] = self.cal.sample(profile, len(rows), self.rng)
        return t

    def background_sessions(self) -> pd.DataFrame:
        """Self-service sessions that happen whatever the contacts (customers and anonymous)."""
        rng, n = self.rng, self.n_people
        contacting = np.arange(n) < self.customers
        count = rng.poisson(self.propensity * np.where(contacting, 8.5, 5.5))
        cust = np.repeat(np.arange(n), count)
        anonymous = np.full(round(len(cust) * 0.22 / 0.78), -1)
        cust = np.concatenate([cust, anonymous])
        m = len(cust)
        source = rng.choice(len(SELF_SERVICE_SOURCES), size=m, p=[0.28, 0.18, 0.32, 0.12, 0.10])
        source = np.where(cust < 0, rng.choice([0, 1], size=m, p=[0.6, 0.4]), source)
        topic = rng.choice(7, size=m, p=[0.2, 0.18, 0.2, 0.1, 0.07, 0.12, 0.13])
        ivr = source == SELF_SERVICE_SOURCES.index("ivr")
        topic = np.where(ivr, rng.choice([_BOLETO, _PAGAMENTO, _PLANO], size=m), topic)
        return pd.DataFrame({"cust": cust, "t": self.cal.sample("self", m, rng),
                             "source": source, "topic": topic})

    def first_contacts(self, sessions: pd.DataFrame) -> pd.DataFrame:
        """Independent needs of the customers, minus those self-service answered."""
        rng = self.rng
        # Heavy-tailed needs per customer (scaled to the period's length, 92 days = 1);
        # customers keen on self-service need less help.
        r = 0.3
        scale = (self.cal.end - self.cal.start) / (92 * _DAY)
        mean = 4.6 * scale / (1 + 0.3 * self.propensity[:self.customers])
        needs = 1 + np.minimum(rng.negative_binomial(r, r / (r + mean)), 11)
        cust = np.repeat(np.arange(self.customers), needs)
        n = len(cust)
        other = rng.choice(len(CHANNELS), size=n, p=_FIRST_SHARE)
        ch = np.where(rng.random(n) < 0.55, self.pref[cust], other)
        lang = self.lang[cust]
        intent = _categorical(rng, _INTENT_MIX[ch] * _FIRST_INTENT_BIAS)
        topic, tmpl = self._topics_and_templates(lang, intent)
        t0 = self._times_for(ch)
        # Independent needs of one customer rarely fall in the same week: redraw most of them.
        for _ in range(3):
            order = np.lexsort((t0, cust))
            close = np.zeros(n, dtype=bool)
            close[order[1:]] = ((cust[order[1:]] == cust[order[:-1]])
                                & (t0[order[1:]] - t0[order[:-1]] < 7 * _DAY))
            close &= rng.random(n) < 0.95
            t0[close] = self._times_for(ch[close])
        # A one-day incident: the billing system charges cards twice.
        incident = self.cal.start + 45 * _DAY + 12 * 3600
        hit = (rng.random(n) < 0.03) & (incident + _DAY < self.cal.end)
        t0 = np.where(hit, incident + rng.integers(0, 30 * 3600, n), t0)
        intent = np.where(hit, _PROB, intent)
        topic = np.where(hit, _PAGAMENTO, topic)
        tmpl = np.where(hit, _INCIDENT_TEMPLATE[lang], tmpl)
        # Deflection: the same topic looked up in self-service in the previous 45 days.
        seen = sessions[sessions["cust"] >= 0].sort_values("t", kind="stable")
        need = pd.DataFrame({"cust": cust, "topic": topic, "t": t0, "row": np.arange(n)})
        need = need.sort_values("t", kind="stable")
        match = pd.merge_asof(need, seen.rename(columns={"t": "t_ss"})[["cust", "topic", "t_ss"]],
                              left_on="t", right_on="t_ss", by=["cust", "topic"],
                              direction="backward", tolerance=45 * _DAY)
        looked = np.zeros(n, dtype=bool)
        looked[match["row"].to_numpy()] = match["t_ss"].notna().to_numpy()
        p_drop = np.select([intent == _HOW, intent == _PROB], [0.8, 0.3], 0.0)
        keep = ~(looked & (rng.random(n) < p_drop) & ~hit)
        return self._frame(cust[keep], ch[keep], t0[keep], intent[keep], topic[keep],
                           tmpl[keep], lang[keep])

    def follow_ups(self, conv: pd.DataFrame, outcome: dict) -> pd.DataFrame | None:
        """Repeat contacts within 7 days, likelier after unanswered/unresolved/slow ones."""
        rng = self.rng
        n = len(conv)
        cls = outcome["cls"]
        cust, ch, intent = (conv[c].to_numpy() for c in ("cust", "ch", "intent"))
        p = _FOLLOW_P[cls] * np.where(intent == _OTHER, 0.3, 1.0)
        go = (cust >= 0) & (rng.random(n) < p)
        base = np.where(cls == _UNANSWERED, conv["t0"].to_numpy(), outcome["t_last"])
        delay = np.clip(_lognormal(rng, np.where(cls == _UNANSWERED, 18.0, 24.0) * 3600, 1.0, n),
                        600, 6.9 * _DAY).astype(np.int64)
        t_new = base + delay
        bad = (cls == _UNANSWERED) | (cls == _UNRESOLVED)
        switch = rng.random(n) < np.where(bad, 0.65, 0.3)
        weights = np.tile(_MIGRATION, (n, 1))
        weights[:, _RA] *= np.where(bad & (intent == _PROB), 2.0, 1.0)
        weights[np.arange(n), ch] = 0.0
        new_ch = np.where(switch, _categorical(rng, weights), ch)
        phone = new_ch == _PHONE
        t_new = np.where(phone, self.cal.push(t_new, 0.8, 1800, rng), t_new)
        go &= t_new < self.cal.end
        if not go.any():
            return None
        lang, topic = conv["lang"].to_numpy(), conv["topic"].to_numpy()
        tmpl = _B_OPEN.index((lang * 3 + intent) * 8 + topic, rng)
        gen = int(conv["gen"].iloc[0]) + 1
        return self._frame(cust[go], new_ch[go], t_new[go], intent[go], topic[go], tmpl[go],
                           lang[go], gen=gen, prev_cls=cls[go], prev_ch=ch[go])

    def unknown_contacts(self, n: int) -> pd.DataFrame:
        """Conversations of people the company cannot identify (empty customer_id)."""
        rng = self.rng
        p = np.array([0.15, 0.25, 0.10, 0.22, 0.06, 0.03, 0.05, 0.02, 0.12])
        ch = rng.choice(len(CHANNELS), size=n, p=p / p.sum())
        lang = (rng.random(n) < 0.15).astype(np.int64)
        intent = _categorical(rng, _INTENT_MIX[ch])
        topic, tmpl = self._topics_and_templates(lang, intent)
        return self._frame(np.full(n, -1), ch, self._times_for(ch), intent, topic, tmpl, lang)

    def proactive(self, n: int) -> pd.DataFrame:
        """Outbound-only conversations started by the company (notices, surveys, calls)."""
        rng = self.rng
        cust = rng.integers(0, self.customers, n)
        ch = rng.choice([_WA, _EMAIL, _PHONE], size=n, p=[0.45, 0.4, 0.15])
        sampled = self.cal.sample("phone", n, rng)
        t0 = self.cal.push(sampled, 1.0, 3600, rng)
        t0 = np.where(t0 < self.cal.end, t0, sampled)
        topic = rng.choice(_PROACTIVE_TOPICS, size=n, p=[0.35, 0.3, 0.15, 0.2])
        conv = self._frame(cust, ch, t0, np.full(n, -1), topic, np.full(n, -1), self.lang[cust],
                           proactive=True)
        author = np.where((ch != _PHONE) & (rng.random(n) < 0.6), _A_SYSTEM, _A_AGENT)
        agent = np.where(author == _A_AGENT, self.pick_agents(ch), -1)
        second = rng.random(n) < 0.3
        t1 = t0 + rng.integers(1 * _DAY, 3 * _DAY, n)
        key = np.arange(self.next_key, self.next_key + n)
        self._add_messages(key, t0, K_PROACTIVE, author, agent)
        self._add_messages(key[second], t1[second], K_PROACTIVE, author[second], agent[second])
        return conv

    def _add_messages(self, key, t, kind, author, agent, mask=None):
        if mask is not None:
            key, t = key[mask], t[mask]
            author = author[mask] if np.ndim(author) else author
            agent = agent[mask] if np.ndim(agent) else agent
        n = len(key)
        self.messages.append({
            "key": key, "t": np.asarray(t, dtype=np.int64), "kind": np.full(n, kind),
            "author": np.broadcast_to(author, n).astype(np.int64),
            "agent": np.broadcast_to(agent, n).astype(np.int64)})

    def _add_events(self, key, t, event, agent, mask):
        n = int(mask.sum())
        self.events.append({"key": key[mask], "t": np.asarray(t, dtype=np.int64)[mask],
                            "event": np.full(n, event),
                            "agent": np.broadcast_to(agent, len(key))[mask].astype(np.int64)})

    def play(self, conv: pd.DataFrame) -> dict:
        """Play out inbound conversations: messages, events and the outcome of each."""
        rng, cal = self.rng, self.cal
        n = len(conv)
        key = conv["key"].to_numpy()
        ch = conv["ch"].to_numpy()
        t0 = conv["t0"].to_numpy()
        intent = conv["intent"].to_numpy()
        P = {name: values[ch] for name, values in _P.items()}

        def u():
            return rng.random(n)

        def reply_delay(agent, median_min, sigma):
            d = _lognormal(rng, median_min * 60, sigma, n) * self.speed[agent]
            return (5 + np.minimum(d, 12 * _DAY)).astype(np.int64)

        def push(t, agent):
            return cal.push(t, P["push"], P["backlog"] * 60 * self.speed[agent], rng)

        has_bot = u() < _BOT_RATE[ch]
        bot_only = has_bot & (intent == _HOW) & (u() < 0.3)
        unanswered = ~bot_only & (u() < P["unans"])
        human = ~bot_only & ~unanswered
        transfer = human & (u() < np.where(intent == _PROB, 0.14, 0.05))
        handoff_msg = has_bot & human & (u() < 0.6)
        p_resolve = np.minimum(P["resolve"] * _RESOLVE_BY_INTENT[intent], 0.98)
        resolved = (human & (u() < p_resolve)) | (bot_only & (u() < 0.85))
        reopen = resolved & human & (intent != _OTHER) & (u() < 0.11)
        reopen_event = reopen & (u() < 0.75)
        re_resolved = reopen & (u() < 0.8)
        sys_protocol = np.isin(ch, [_PHONE, _WA]) & (u() < 0.12)
        sys_inactive = unanswered & np.isin(ch, [_CHAT, _WA]) & (u() < 0.4)
        thanks = (human | bot_only) & (u() < 0.3)
        r = u()
        p1 = np.where(unanswered, 0.35, _PRE[ch, 0])
        p2 = np.where(unanswered, 0.20, _PRE[ch, 1])
        p1, p2 = np.where(ch == _PHONE, 0, p1), np.where(ch == _PHONE, 0, p2)
        k_pre = (r < p1 + p2).astype(np.int64) + (r < p2)
        k_pre = np.where(has_bot, np.maximum(k_pre, (u() < 0.8).astype(np.int64)), k_pre)
        r = u()
        q = _EXCHANGES[ch]
        k_ex = (r < q.sum(axis=1)).astype(np.int64) + (r < q[:, 1] + q[:, 2]) + (r < q[:, 2])
        # At most 8 messages: optional parts shrink first.
        budget = 8 - (1 + has_bot + handoff_msg + bot_only + human + transfer + 2 * reopen
                      + sys_protocol + sys_inactive)
        k_pre = np.minimum(k_pre, budget)
        budget = budget - k_pre
        k_ex = np.where(human, np.minimum(k_ex, budget // 2), 0)
        budget = budget - 2 * k_ex
        thanks &= budget >= 1

        # Opening, bot greeting, customer messages before any answer.
        no_agent = np.full(n, -1)
        self._add_messages(key, t0, K_OPEN, _A_CUSTOMER, no_agent)
        t_bot = t0 + rng.integers(2, 15, n)
        self._add_messages(key, t_bot, K_BOT_GREET, _A_BOT, _BOT, has_bot)
        self._add_messages(key, t0 + 1, K_SYS_PROTOCOL, _A_SYSTEM, no_agent, sys_protocol)
        agent_a = self.pick_agents(ch)
        t1 = push(t0 + reply_delay(agent_a, P["reply"], P["sigma"]), agent_a)
        cur = np.where(has_bot, t_bot, t0)
        last_pre = cur.copy()
        for j in range(2):
            gap = np.where(has_bot & (j == 0), _lognormal(rng, 40, 0.6, n),
                           _lognormal(rng, P["insist"] * 60, 1.0, n))
            cur = cur + 3 + gap.astype(np.int64)
            ok = (k_pre > j) & (has_bot | ~human | (cur < t1))
            kind = K_MENU if j == 0 else K_PRE
            menu = ok & has_bot & (j == 0)
            self._add_messages(key, cur, kind, _A_CUSTOMER, no_agent, menu if j == 0 else ok)
            if j == 0:
                self._add_messages(key, cur, K_PRE, _A_CUSTOMER, no_agent, ok & ~has_bot)
            last_pre = np.where(ok, cur, last_pre)
        # Bot: answers alone (how-to) or hands off to a human.
        t_answer = last_pre + 5 + _lognormal(rng, 30, 0.5, n).astype(np.int64)
        self._add_messages(key, t_answer, K_BOT_ANSWER, _A_BOT, _BOT, bot_only)
        t_handoff = last_pre + 3 + _lognormal(rng, 20, 0.5, n).astype(np.int64)
        self._add_messages(key, t_handoff + 1, K_BOT_HANDOFF, _A_BOT, _BOT, handoff_msg)
        t1 = np.where(has_bot, push(t_handoff + reply_delay(agent_a, P["reply"], P["sigma"]),
                                    agent_a), t1)
        queued = has_bot & (human | (unanswered & (u() < 0.7)))
        self._add_events(key, t_handoff, _E_HANDOFF, np.where(human, agent_a, -1), queued)
        self._add_messages(key, t1, K_AGENT_FIRST, _A_AGENT, agent_a, human)
        # Transfer to a second agent.
        agent_b = self.pick_transfer(ch, agent_a)
        t_transfer = t1 + 10 + _lognormal(rng, P["agap"] * 90, 0.8, n).astype(np.int64)
        t_b = push(t_transfer + reply_delay(agent_b, P["agap"] * 2, 0.9), agent_b)
        self._add_events(key, t_transfer, _E_TRANSFER, agent_b, transfer)
        self._add_messages(key, t_b, K_AGENT_TRANSFER, _A_AGENT, agent_b, transfer)
        owner = np.where(transfer, agent_b, agent_a)
        cur = np.where(transfer, t_b, np.where(bot_only, t_answer, t1))
        # Exchanges.
        for j in range(3):
            act = k_ex > j
            t_c = cur + 3 + _lognormal(rng, P["cgap"] * 60, 1.0, n).astype(np.int64)
            t_a = push(t_c + reply_delay(owner, P["agap"], 0.9), owner)
            self._add_messages(key, t_c, K_CUST_MORE, _A_CUSTOMER, no_agent, act)
            self._add_messages(key, t_a, K_AGENT_MORE, _A_AGENT, owner, act)
            cur = np.where(act, t_a, cur)
        t_thanks = cur + 3 + _lognormal(rng, P["cgap"] * 30, 0.8, n).astype(np.int64)
        self._add_messages(key, t_thanks, K_THANKS, _A_CUSTOMER, no_agent, thanks)
        t_last = np.where(thanks, t_thanks, cur)
        # Resolution, reopening.
        resolver = np.where(bot_only, _BOT, owner)
        t_res = t_last + 10 + _lognormal(rng, P["agap"] * 30, 0.8, n).astype(np.int64)
        self._add_events(key, t_res, _E_RESOLVED, resolver, resolved)
        t_ro = t_res + np.clip(_lognormal(rng, 1.5 * _DAY, 0.8, n), 3600, 6 * _DAY).astype(
            np.int64)
        self._add_messages(key, t_ro, K_REOPEN, _A_CUSTOMER, no_agent, reopen)
        self._add_events(key, t_ro + rng.integers(1, 120, n), _E_REOPENED, no_agent,
                         reopen_event)
        t_ra = push(t_ro + 120 + reply_delay(owner, P["reply"], P["sigma"]), owner)
        self._add_messages(key, t_ra, K_AGENT_REOPEN, _A_AGENT, owner, reopen)
        t_rr = t_ra + 10 + _lognormal(rng, P["agap"] * 30, 0.8, n).astype(np.int64)
        self._add_events(key, t_rr, _E_RESOLVED, owner, re_resolved)
        wait = np.where(ch == _CHAT, 1800, _DAY)
        self._add_messages(key, last_pre + wait, K_SYS_INACTIVE, _A_SYSTEM, no_agent,
                           sys_inactive)

        final_resolved = np.where(reopen, re_resolved, resolved)
        slow = human & ((t1 - t0) > P["slow"] * 60)
        cls = np.select([~human & ~bot_only, ~final_resolved, slow],
                        [_UNANSWERED, _UNRESOLVED, _SLOW], _RESOLVED)
        t_end = np.where(reopen, np.maximum(t_ra, t_rr), np.maximum(t_last, t_res))
        return {"cls": cls, "t_last": np.where(human | bot_only, t_end, last_pre)}

    def failed_self_service(self) -> pd.DataFrame:
        """Sessions minutes before a how-to contact on the same topic (self-service failed)."""
        rng = self.rng
        conv = pd.concat(self.conversations, ignore_index=True)
        how = ((conv["intent"] == _HOW) & (conv["cust"] >= 0)).to_numpy()
        pick = how & (rng.random(len(conv)) < 0.06)
        n = int(pick.sum())
        t = conv["t0"].to_numpy()[pick] - 60 - _lognormal(rng, 600, 0.8, n).astype(np.int64)
        source = rng.choice([0, 1, 2, 4], size=n, p=[0.35, 0.15, 0.35, 0.15])
        frame = pd.DataFrame({"cust": conv["cust"].to_numpy()[pick], "t": t, "source": source,
                              "topic": conv["topic"].to_numpy()[pick]})
        return frame[frame["t"] >= self.cal.start]

    # -- output frames ----------------------------------------------------------------------

    def frames(self, sessions: pd.DataFrame):
        cal = self.cal
        conv = pd.concat(self.conversations, ignore_index=True)
        assert (conv["key"].to_numpy() == np.arange(len(conv))).all()
        msgs = {c: np.concatenate([m[c] for m in self.messages])
                for c in ("key", "t", "kind", "author", "agent")}
        keep = msgs["t"] < cal.end
        msgs = {c: v[keep] for c, v in msgs.items()}
        evts = {c: np.concatenate([e[c] for e in self.events])
                for c in ("key", "t", "event", "agent")}
        keep = evts["t"] < cal.end
        evts = {c: v[keep] for c, v in evts.items()}

        # Ids in time order.
        rank = np.empty(len(conv), dtype=np.int64)
        rank[np.lexsort((conv["key"].to_numpy(), conv["t0"].to_numpy()))] = np.arange(len(conv))
        conv_id = np.strings.add("cv-", np.strings.zfill((rank + 1).astype(_S), 6))
        order = np.lexsort((msgs["kind"], rank[msgs["key"]], msgs["t"]))
        msgs = {c: v[order] for c, v in msgs.items()}
        n = len(msgs["key"])
        message_id = np.strings.add("m-", np.strings.zfill(np.arange(1, n + 1).astype(_S), 7))

        key = msgs["key"]
        cust = conv["cust"].to_numpy()[key]
        texts, pii = self._texts(conv, msgs)
        lang = conv["lang"].to_numpy()[key]
        intent = conv["intent"].to_numpy()[key]
        topic = conv["topic"].to_numpy()[key]
        inbound = np.isin(msgs["kind"], _INBOUND_KINDS)
        messages = pd.DataFrame({
            "message_id": _str_series(message_id),
            "conversation_id": _str_series(conv_id[key]),
            "customer_id": _str_series(_customer_ids(cust)),
            "channel": _str_series(np.array(CHANNELS, dtype=_S)[conv["ch"].to_numpy()[key]]),
            "sent_at": _timestamps(msgs["t"], cal.tz),
            "direction": _str_series(np.where(inbound, "inbound", "outbound").astype(_S)),
            "author_type": _str_series(_AUTHOR_NAMES[msgs["author"]].astype(_S)),
            "agent_id": _str_series(_agent_ids(msgs["agent"])),
            "text": _str_series(texts),
            "lang": _str_series(np.array(LANGS, dtype=_S)[lang]),
            "true_intent": _str_series(np.where(intent >= 0, np.array(INTENTS, dtype=_S)[
                np.maximum(intent, 0)], None)),
            "true_topic": _str_series(np.array(TOPICS, dtype=_S)[topic]),
            "pii": _str_series(np.where(pii >= 0, np.array(PII_KINDS, dtype=_S)[
                np.maximum(pii, 0)], None)),
        })
        order = np.lexsort((evts["event"], rank[evts["key"]], evts["t"]))
        evts = {c: v[order] for c, v in evts.items()}
        events = pd.DataFrame({
            "conversation_id": _str_series(conv_id[evts["key"]]),
            "event": _str_series(_EVENTS[evts["event"]].astype(_S)),
            "at": _timestamps(evts["t"], cal.tz),
            "agent_id": _str_series(_agent_ids(evts["agent"])),
        })
        sessions = sessions[(sessions["t"] >= cal.start) & (sessions["t"] < cal.end)]
        sessions = sessions.iloc[np.lexsort((sessions["cust"].to_numpy(),
                                             sessions["t"].to_numpy()))]
        m = len(sessions)
        self_service = pd.DataFrame({
            "session_id": _str_series(np.strings.add(
                "ss-", np.strings.zfill(np.arange(1, m + 1).astype(_S), 6))),
            "customer_id": _str_series(_customer_ids(sessions["cust"].to_numpy())),
            "started_at": _timestamps(sessions["t"].to_numpy(), cal.tz),
            "source": _str_series(np.array(SELF_SERVICE_SOURCES, dtype=_S)[
                sessions["source"].to_numpy()]),
            "topic": _str_series(np.array(TOPICS, dtype=_S)[sessions["topic"].to_numpy()]),
        })
        return messages, events, self_service

    def _texts(self, conv: pd.DataFrame, msgs: dict):
        """Message texts (and the kind of personal data each contains, -1 for none)."""
        rng = self.rng
        key, kind, agent = msgs["key"], msgs["kind"], msgs["agent"]
        n = len(key)
        lang = conv["lang"].to_numpy()[key]
        intent = conv["intent"].to_numpy()[key]
        topic = conv["topic"].to_numpy()[key]
        ch = conv["ch"].to_numpy()[key]
        cust = conv["cust"].to_numpy()[key]
        person = np.where(cust >= 0, cust, rng.integers(0, self.n_people, n))
        text = np.empty(n, dtype=_S)

        def fill(k, bank, keys):
            rows = kind == k
            text[rows] = bank.pick(keys[rows], rng)

        rows = kind == K_OPEN
        text[rows] = _B_OPEN.texts[conv["tmpl"].to_numpy()[key][rows]]
        fill(K_PRE, _B_PRE, lang)
        fill(K_MENU, _B_MENU, lang)
        fill(K_BOT_GREET, _B_BOT_GREET, lang)
        fill(K_BOT_HANDOFF, _B_BOT_HANDOFF, lang)
        fill(K_BOT_ANSWER, _B_BOT_ANSWER, lang * 8 + topic)
        intent0 = np.maximum(intent, 0)
        fill(K_AGENT_FIRST, _B_AGENT_FIRST, lang * 3 + intent0)
        formal = (kind == K_AGENT_FIRST) & (ch == _RA)
        text[formal] = _B_AGENT_FORMAL.pick(lang[formal], rng)
        fill(K_AGENT_TRANSFER, _B_AGENT_TRANSFER, lang)
        fill(K_CUST_MORE, _B_CUST_MORE, lang * 3 + intent0)
        fill(K_AGENT_MORE, _B_AGENT_MORE, lang * 3 + intent0)
        fill(K_THANKS, _B_THANKS, lang)
        fill(K_SYS_PROTOCOL, _B_SYS_PROTOCOL, lang)
        fill(K_SYS_INACTIVE, _B_SYS_INACTIVE, lang)
        fill(K_REOPEN, _B_REOPEN, lang)
        fill(K_AGENT_REOPEN, _B_AGENT_REOPEN, lang)
        fill(K_PROACTIVE, _B_PROACTIVE, lang * 8 + topic)

        # Openings of repeat contacts mention the previous one; complaints get a suffix.
        prev_cls = conv["prev_cls"].to_numpy()[key]
        prefix = rows & (prev_cls > 0) & (rng.random(n) < 0.7)
        text[prefix] = np.strings.add(_B_FOLLOW.pick(lang[prefix] * 5 + prev_cls[prefix], rng),
                                      text[prefix])
        suffix = rows & (ch == _RA) & (intent == _PROB) & (rng.random(n) < 0.6)
        text[suffix] = np.strings.add(text[suffix], _B_RA_SUFFIX.pick(lang[suffix], rng))

        lang_labels = {la: np.array(_CHANNEL_LABEL[la], dtype=_S) for la in LANGS}
        prev_ch = np.maximum(conv["prev_ch"].to_numpy()[key], 0)
        products = {la: np.array(_PRODUCTS[la], dtype=_S) for la in LANGS}
        which = rng.integers(0, len(_PRODUCTS["pt"]), n)
        agent_name = np.where(agent > 0, agent, rng.integers(1, N_AGENTS + 1, n))
        slots = {
            "cidade": np.array(_CITIES, dtype=_S)[self.city[person]],
            "pedido": np.strings.add("#", rng.integers(1_000_000, 9_999_999, n).astype(_S)),
            "produto": np.where(lang == 0, products["pt"][which], products["en"][which]),
            "valor": np.strings.add(rng.integers(19, 900, n).astype(_S),
                                    np.array([",90", ",99", ",00", ",50"], dtype=_S)[
                                        rng.integers(0, 4, n)]),
            "canal": np.where(lang == 0, lang_labels["pt"][prev_ch], lang_labels["en"][prev_ch]),
            "protocolo": rng.integers(10**9, 10**10 - 1, n).astype(_S),
            "agente": _AGENT_NAMES[agent_name],
        }
        text = _fill(text, slots)

        # Customer-written texts vary: greeting, case, abbreviations, accents, typos.
        customer = np.isin(kind, (K_OPEN, K_PRE, K_CUST_MORE, K_THANKS, K_REOPEN))
        hour = pd.DatetimeIndex(pd.to_datetime(msgs["t"], unit="s", utc=True)).tz_convert(
            self.cal.tz).hour.to_numpy()
        text = _vary(text, customer, rows, lang, ch, hour, rng)

        # Personal data in about 3% of all messages.
        p = np.select([kind == K_OPEN, np.isin(kind, (K_CUST_MORE, K_REOPEN))], [0.085, 0.10],
                      0.0)
        has_pii = rng.random(n) < p
        social = np.isin(ch, _SOCIAL)
        pii = np.where(social & (rng.random(n) < 0.5), 4,
                       rng.choice(4, size=n, p=[0.3, 0.3, 0.28, 0.12]))
        pii = np.where(has_pii, pii, -1)
        stop = (np.strings.endswith(text, "?") | np.strings.endswith(text, "!")
                | np.strings.endswith(text, "."))
        text[has_pii] = np.strings.add(np.strings.add(text[has_pii], np.where(
            stop[has_pii], " ", ". ").astype(_S)), _B_PII.pick(lang[has_pii] * 5 + pii[has_pii],
                                                              rng))
        text = _fill(text, {"email": self.email[person], "telefone": self.phone[person],
                            "cpf": self.cpf[person], "cartao": self.card[person],
                            "handle": self.handle[person]})
        # Emojis, mostly on chat and social media.
        p_emoji = np.select([social, np.isin(ch, [_CHAT, _WA]), ch == _PHONE], [0.25, 0.15, 0.0],
                            0.03)
        mood = np.where(kind == K_THANKS, _OTHER, intent)
        emoji = (np.isin(kind, (K_OPEN, K_PRE, K_THANKS)) & (intent >= 0)
                 & (rng.random(n) < p_emoji))
        text[emoji] = np.strings.add(text[emoji], _B_EMOJI.pick(mood[emoji], rng))
        return text, pii


def _fill(text: np.ndarray, slots: dict) -> np.ndarray:
    """Replace ``{name}`` by ``slots[name]`` row by row (only rows with a slot are touched)."""
    rows = np.flatnonzero(np.strings.find(text, "{") >= 0)
    sub = text[rows]
    for name, values in slots.items():
        sub = np.strings.replace(sub, "{" + name + "}", values[rows])
    text[rows] = sub
    return text


def _replace_all(text: np.ndarray, mask: np.ndarray, pairs) -> np.ndarray:
    """Apply each (old, new) replacement to the rows of ``mask``."""
    rows = np.flatnonzero(mask)
    sub = text[rows]
    for old, new in pairs:
        sub = np.strings.replace(sub, old, new)
    text[rows] = sub
    return text


def _vary(text, customer, opening, lang, ch, hour, rng) -> np.ndarray:
    """Greetings, capitals, abbreviations, missing accents, typos and punctuation."""
    n = len(text)
    pt = lang == 0
    # Greeting by time of day (formal on e-mail, web form, Reclame Aqui).
    formal = np.isin(ch, [_EMAIL, _WEB, _RA])
    part = np.select([formal, (hour >= 5) & (hour < 12), (hour >= 12) & (hour < 18)], [3, 0, 1],
                     2)
    greet = opening & (rng.random(n) < np.where(formal, 0.7, 0.4))
    text[greet] = np.strings.add(_B_GREET.pick(lang[greet] * 4 + part[greet], rng), text[greet])
    text = _replace_all(text, customer & pt & ~formal & (rng.random(n) < 0.3), _ABBREVIATIONS)
    text = _replace_all(text, customer & pt & (rng.random(n) < 0.2), _ACCENTS)
    typo = customer & (rng.random(n) < 0.1)
    which = rng.integers(0, len(_SWAPS), n)
    for j, (old, new) in enumerate(_SWAPS):
        rows = typo & (which == j)
        text[rows] = np.strings.replace(text[rows], old, new, 1)
    lower = customer & (rng.random(n) < 0.15)
    text[lower] = np.strings.lower(text[lower])
    cap = customer & ~lower & (rng.random(n) < np.where(formal, 0.9, 0.5))
    text[cap] = np.strings.add(np.strings.upper(np.strings.slice(text[cap], 0, 1)),
                               np.strings.slice(text[cap], 1, None))
    r = rng.random(n)
    question = customer & np.strings.endswith(text, "?")
    more = question & (r < 0.12)
    text[more] = np.strings.add(text[more], "??")
    drop = question & (r > 0.9)
    text[drop] = np.strings.slice(text[drop], 0, -1)
    return text


def _str_series(values) -> pd.Series:
    values = np.asarray(values, dtype=object)
    return pd.Series(values, dtype="str")


def _timestamps(seconds: np.ndarray, tz) -> pd.Series:
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert(tz)


def _customer_ids(cust: np.ndarray) -> np.ndarray:
    ids = np.strings.add("c-", np.strings.zfill((np.maximum(cust, 0) + 1).astype(_S), 5))
    return np.where(cust >= 0, ids.astype(object), None)


def _agent_ids(agent: np.ndarray) -> np.ndarray:
    ids = np.strings.add("ag-", np.strings.zfill(np.maximum(agent, 0).astype(_S), 2))
    out = np.where(agent > 0, ids.astype(object), None)
    return np.where(agent == _BOT, "bot", out)
