"""The demo company's words, as data: agents' and customers' names, cities, products, and the
text templates of every kind of message in Brazilian Portuguese (``pt``) and English (``en``).

A template bank maps a key (language first, then intent, topic, outcome or part of the day) to
the texts one of which is drawn; :mod:`analytics.synthetic.texts` turns them into messages.
"""

from __future__ import annotations

import numpy as np

from analytics.synthetic.parameters import HOW, OTHER, PROB, STR

# --------------------------------------------------------------------------------------------
# Agents
# --------------------------------------------------------------------------------------------

AGENT_NAMES = np.array(
    ["Lia", "Ana", "Bruno", "Carla", "Diego", "Eduarda", "Felipe", "Gabriela", "Henrique",
     "Isabela", "João", "Karina", "Lucas", "Mariana", "Nicolas", "Olívia", "Paulo", "Rafaela",
     "Samuel", "Tatiane", "Vinícius", "Yasmin", "Renato", "Débora", "Igor", "Letícia"],
    dtype=STR)

# --------------------------------------------------------------------------------------------
# People: names, cities, personal data
# --------------------------------------------------------------------------------------------

FIRST_NAMES = ("ana", "maria", "joao", "pedro", "lucas", "julia", "mariana", "gabriel", "rafael",
               "fernanda", "camila", "bruno", "carlos", "beatriz", "larissa", "felipe", "amanda",
               "rodrigo", "patricia", "thiago", "aline", "marcos", "leticia", "diego", "vanessa",
               "gustavo", "renata", "paulo", "jessica", "matheus")
LAST_NAMES = ("silva", "santos", "oliveira", "souza", "rodrigues", "ferreira", "alves", "pereira",
              "lima", "gomes", "costa", "ribeiro", "martins", "carvalho", "almeida", "lopes",
              "soares", "fernandes", "vieira", "barbosa")
CITIES = ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Porto Alegre", "Curitiba",
          "Salvador", "Recife", "Fortaleza", "Brasília", "Manaus", "Goiânia", "Campinas",
          "Florianópolis", "Belém")
CITY_WEIGHT = np.array([0.25, 0.13, 0.08, 0.06, 0.07, 0.06, 0.05, 0.05, 0.06, 0.03, 0.04, 0.05,
                        0.04, 0.03])
DDD = np.array([11, 21, 31, 51, 41, 71, 81, 85, 61, 92, 62, 19, 48, 91])
DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br",
           "uol.com.br", "bol.com.br")
PRODUCTS = {"pt": ("fone bluetooth", "celular", "roteador", "tênis", "notebook", "smart tv",
                   "chip", "geladeira", "carregador", "relógio"),
            "en": ("headphones", "phone", "router", "sneakers", "laptop", "smart TV", "SIM card",
                   "fridge", "charger", "watch")}
CHANNEL_LABEL = {
    "pt": ("WhatsApp", "chat", "e-mail", "telefone", "Instagram", "Facebook", "Twitter",
           "Reclame Aqui", "formulário do site"),
    "en": ("WhatsApp", "chat", "email", "phone", "Instagram", "Facebook", "Twitter",
           "Reclame Aqui", "the web form"),
}

# --------------------------------------------------------------------------------------------
# Text banks. Customer texts start in lower case; variation adds greetings, capitals, typos,
# abbreviations, missing accents and emojis. Slots: {cidade} {pedido} {produto} {valor} {canal}
# {protocolo} {agente} and, for personal data, {email} {telefone} {cpf} {cartao} {handle}.
# --------------------------------------------------------------------------------------------

OPENINGS = {
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
INCIDENT_TEXT = {"pt": "fui cobrado duas vezes no cartão", "en": "I was charged twice on my card"}
PRE_TEXT = {
    "pt": ["alô?", "alguém aí?", "??", "oi?", "preciso de uma resposta urgente",
           "tem alguém me atendendo?", "estou aguardando", "vão me responder?",
           "é urgente, por favor"],
    "en": ["hello?", "anyone there?", "??", "still waiting", "please answer, it's urgent"],
}
MENU_TEXT = {"pt": ["1", "2", "3", "atendente", "falar com atendente", "quero falar com uma pessoa",
                    "nenhuma das opções"],
             "en": ["1", "2", "agent", "talk to a human", "none of these"]}
BOT_GREET = {
    "pt": ["Olá! Sou a Lia, assistente virtual da Conecta 🤖 Como posso ajudar? Digite 1 para "
           "pedidos, 2 para pagamentos ou 3 para outros assuntos.",
           "Oi! Aqui é a Lia, da Conecta. Escolha uma opção: 1 pedidos, 2 faturas e pagamentos, "
           "3 falar com atendente."],
    "en": ["Hi! I'm Lia, Conecta's virtual assistant 🤖 How can I help? Type 1 for orders, 2 for "
           "payments or 3 for anything else."],
}
BOT_HANDOFF = {
    "pt": ["Certo! Vou transferir você para um de nossos atendentes. Aguarde um momento, "
           "por favor.", "Entendi. Já estou chamando um atendente para continuar com você."],
    "en": ["Sure! I'm transferring you to one of our agents. Please wait a moment."],
}
BOT_ANSWER = {
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
AGENT_FIRST = {
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
AGENT_FORMAL = {
    "pt": ["Olá! Lamentamos o ocorrido. Nossa equipe entrou em contato pelo seu e-mail "
           "cadastrado para resolver. Protocolo {protocolo}.",
           "Prezado(a) cliente, pedimos desculpas pelo transtorno. Sua solicitação foi "
           "registrada sob o protocolo {protocolo} e será tratada com prioridade."],
    "en": ["Hello! We are sorry for the trouble. Our team has contacted you by e-mail. "
           "Ticket {protocolo}."],
}
AGENT_TRANSFER = {
    "pt": ["Olá, sou {agente} da equipe especializada e vou dar continuidade ao seu "
           "atendimento.", "Oi! Recebi seu caso transferido, {agente} aqui. Vou resolver por "
           "aqui."],
    "en": ["Hi, I'm {agente} from the specialist team and I'll take it from here."],
}
AGENT_MORE = {
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
CUST_MORE = {
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
THANKS = {"pt": ["obrigado!", "valeu!", "muito obrigada, resolveu", "ok obrigado", "show, "
                 "obrigado", "perfeito, obrigada"],
          "en": ["thanks!", "thank you, that worked", "great, thanks"]}
REOPEN = {"pt": ["o problema voltou", "ainda não recebi", "continua do mesmo jeito", "não "
                 "resolveu, aconteceu de novo", "o estorno não caiu"],
          "en": ["it happened again", "still not fixed", "I still haven't received it"]}
AGENT_REOPEN = {"pt": ["Sinto muito! Reabri seu chamado e vou acompanhar pessoalmente.",
                       "Poxa, lamento. Já encaminhei de novo com prioridade."],
                "en": ["Sorry about that! I reopened your ticket and will follow it "
                       "personally."]}
SYS_PROTOCOL = {"pt": ["Protocolo de atendimento: {protocolo}"],
                "en": ["Ticket number: {protocolo}"]}
SYS_INACTIVE = {"pt": ["Atendimento encerrado por inatividade."],
                "en": ["Conversation closed due to inactivity."]}
PROACTIVE = {
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
# Prefix of a repeat contact, by the outcome of the previous one (1 unanswered, 2 unresolved,
# 3 slow, 4 resolved).
FOLLOW_PREFIX = {
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
RA_SUFFIX = {"pt": [" Já tentei resolver pelos canais de atendimento e nada.",
                    " Péssimo atendimento, ninguém resolve.", " Exijo uma solução."],
             "en": [" I already tried the official channels with no answer."]}
GREETINGS = {  # (lang, part): 0 morning, 1 afternoon, 2 evening, 3 formal (e-mail, web form)
   ("pt", 0): ["bom dia, ", "bom dia! ", "oi, bom dia. ", "olá, ", "oi ", "oii, "],
   ("pt", 1): ["boa tarde, ", "boa tarde! ", "olá, ", "oi ", "opa, "],
   ("pt", 2): ["boa noite, ", "boa noite! ", "olá, ", "oi ", "oi, boa noite. "],
   ("pt", 3): ["Prezados, ", "Olá, ", "Boa tarde, ", "Bom dia, "],
   ("en", 0): ["good morning, ", "hi, ", "hello, ", "hey "],
   ("en", 1): ["good afternoon, ", "hi, ", "hello, ", "hey "],
   ("en", 2): ["good evening, ", "hi, ", "hello, "],
   ("en", 3): ["Dear team, ", "Hello, "],
}
EMOJI = {HOW: [" 🙏", " 😅", " 🤔"], PROB: [" 😡", " 😤", " 🙄", " 😢"],
         OTHER: [" 😊", " ❤️", " 👏", " 👍"]}
PII_TEXT = {  # appended as a new sentence
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
ABBREVIATIONS = (("você", "vc"), ("não", "nao"), ("para ", "pra "), ("está", "tá"),
                 ("obrigado", "obg"), ("por favor", "pfv"), ("também", "tb"), ("porque", "pq"),
                 ("que ", "q "), ("minha", "mnha"))
ACCENTS = (("á", "a"), ("ã", "a"), ("â", "a"), ("é", "e"), ("ê", "e"), ("í", "i"), ("ó", "o"),
           ("õ", "o"), ("ô", "o"), ("ú", "u"), ("ç", "c"))
SWAPS = (("ra", "ar"), ("en", "ne"), ("ou", "uo"), ("es", "se"), ("ta", "at"), ("do", "od"),
         ("ar", "ra"), ("in", "ni"), ("ss", "s"), ("rr", "r"))

