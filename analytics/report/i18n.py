"""Every text a report page shows, in English and Brazilian Portuguese, in one reviewed table.

Chart titles, axis labels, table headers, section headings, sentences and caveats all live in
:data:`TEXTS`, keyed by what they label (STYLE habit 15), so a reviewer reads and corrects the
wording in one place and both languages always hold the same keys and placeholders (tested).
Texts are ``str.format`` templates; :func:`t` fills them.

Writing rules: plain words for marketing readers (no "p90", "KM", "censored"); numbers only
through placeholders, formatted by :mod:`analytics.report.style`; channel names only through
:func:`channel_label`.
"""

from __future__ import annotations

LANGS = ("en", "pt-BR")

#: Display names of the canonical channels (unknown channels are shown as they are).
CHANNEL_NAMES = {
    "en": {"phone": "Phone", "email": "Email", "chat": "Chat", "whatsapp": "WhatsApp",
           "sms": "SMS", "web_form": "Web form", "app": "App", "twitter": "Twitter",
           "facebook": "Facebook", "instagram": "Instagram", "reclame_aqui": "Reclame Aqui",
           "consumidor_gov": "consumidor.gov.br", "video": "Video"},
    "pt-BR": {"phone": "Telefone", "email": "E-mail", "chat": "Chat", "whatsapp": "WhatsApp",
              "sms": "SMS", "web_form": "Formulário web", "app": "Aplicativo",
              "twitter": "Twitter", "facebook": "Facebook", "instagram": "Instagram",
              "reclame_aqui": "Reclame Aqui", "consumidor_gov": "consumidor.gov.br",
              "video": "Vídeo"},
}

TEXTS = {
    "en": {
        # Page titles (as in notebooks/registry.toml) and header lines.
        "title.summary": "Executive summary",
        "title.response_times": "Response times",
        "title.channel_usage": "Channel usage",
        "title.repeat_contacts": "Repeated contacts",
        "header.synthetic": "**SYNTHETIC DATA: generated for demonstration, these are not real "
                            "customers.**",
        "header.report": "**{title}, {period}** ({first} – {last}, time zone {tz}), compared "
                         "with the previous period, {previous}.",
        "header.source": "**Source:** {description}.",
        "header.freshness": "**Data:** {messages} messages, the latest on {last}; figures as "
                            "of {as_of}.",
        "header.channels": "**Channels included:** {channels} only.",
        "caveat.partial": "**Partial period:** the data stops on {last}, before the period "
                          "ends, so this period's figures are incomplete.",
        "caveat.day_precision": "**Dates only:** this source records the day of each message, "
                                "not the time. Durations are whole days, an answer on the same "
                                "day counts as 0 days, and the time of day is unknown.",
        # Section headings.
        "heading.headline": "Headline figures",
        "heading.readings": "What the figures say",
        "heading.frt_headline": "First response at a glance",
        "heading.distribution": "How long customers waited for a first answer",
        "heading.waiting": "How many customers were still waiting",
        "heading.trend": "Week by week",
        "heading.sla": "First response by channel",
        "heading.agents": "First response by agent",
        "table.agent": "Agent (first answer)",
        "s.agents": "{agents} agents gave a first answer. The fastest median belongs to {fast} "
                    "({fast_median}, {fast_n} answers), the slowest to {slow} ({slow_median}, "
                    "{slow_n} answers). Unanswered conversations have no agent and are not in "
                    "this table; agents with fewer than {n} answers are marked *.",
        "s.agents.none": "No agent answered a conversation started in this period.",
        "heading.timing": "When customers get in touch",
        "heading.mix": "Contacts by channel",
        "heading.served": "How each channel is served",
        "heading.public": "Public and private channels",
        "heading.repeat_headline": "Repeated contacts at a glance",
        "heading.coverage": "Customers we can recognise",
        "heading.cross": "Coming back on another channel",
        "heading.gap": "How soon customers come back",
        "heading.cpc": "Contacts per customer",
        "heading.frequent": "Frequent contacters",
        "heading.definitions": "Definitions",
        # Charts.
        "plot.no_data": "No data for this period",
        "plot.no_customers": "No contact with a known customer",
        "plot.all_channels": "All channels",
        "plot.n_label": "{name} ({n})",
        "plot.sla_line": "target {sla}",
        "plot.distribution.title": "Time to first answer",
        "plot.distribution.xlabel": "Time until the first agent answer",
        "plot.distribution.ylabel": "Share of contacts (%)",
        "bucket.unanswered": "no answer yet",
        "bucket.same_day": "same day",
        "bucket.1_day": "1 day",
        "bucket.2_3_days": "2–3 days",
        "bucket.4_7_days": "4–7 days",
        "bucket.8_14_days": "8–14 days",
        "bucket.over_14_days": "> 14 days",
        "plot.waiting.title": "Customers still waiting for a first answer",
        "plot.waiting.xlabel": "Time since the customer wrote (stretched scale: 1 min to days)",
        "plot.waiting.xlabel_days": "Days since the customer wrote",
        "plot.waiting.ylabel": "Still waiting (% of contacts)",
        "plot.trend.title": "Median time to first answer, per week",
        "plot.trend.xlabel": "Week starting on (Monday, local time)",
        "plot.trend.ylabel": "Median first answer ({unit})",
        "plot.trend.ylabel_stretched": "Median first answer (stretched scale)",
        "plot.trend.period": "Report period",
        "plot.trend.too_few": "Too few answered contacts per week to draw a trend",
        "plot.mix.title": "Contacts by channel",
        "plot.mix.xlabel": "Contacts (conversations started by customers)",
        "plot.mix.previous": "Previous period ({period})",
        "plot.mix.bar_label": "{now}  (before: {before})",
        "plot.heatmap.title": "Contacts by weekday and hour ({tz})",
        "plot.heatmap.xlabel": "Hour of the day (local time)",
        "plot.heatmap.ylabel": "Day of the week",
        "plot.heatmap.colorbar": "Contacts",
        "plot.weekday.title": "Contacts by day of the week ({tz})",
        "plot.weekday.xlabel": "Day of the week (the source does not record the time of day)",
        "plot.gap.title": "Share of contacts followed by another from the same customer",
        "plot.gap.xlabel": "Days after the contact",
        "plot.gap.ylabel": "Followed by a new contact (%)",
        "plot.gap.window": "repeat window: {days} days",
        "plot.cpc.title": "Customers by number of contacts",
        "plot.cpc.xlabel": "Contacts made in the period",
        "plot.cpc.ylabel": "Customers",
        "plot.cpc.regular": "fewer than {k} contacts",
        "plot.cpc.frequent": "frequent contacters ({k} or more)",
        "plot.coverage.title": "Contacts with a known customer, by channel",
        "plot.coverage.xlabel": "Contacts that carry a customer id (%)",
        "weekdays": "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
        "weekdays_long": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
        "unit.day": "{n} day",
        "unit.days": "{n} days",
        "unit.pp": "pts",
        # Tables.
        "table.figure": "Figure",
        "table.value": "Value",
        "table.n": "Based on (contacts or replies)",
        "table.previous": "Previous period ({period})",
        "table.change": "Change",
        "table.channel": "Channel",
        "table.channels": "Channels",
        "table.contacts": "Contacts",
        "table.answered": "Answered",
        "table.unanswered": "No answer yet",
        "table.median": "Median wait",
        "table.p90": "9 in 10 answered within",
        "table.mean": "Average wait",
        "table.within_sla": "Answered within {sla}",
        "table.share": "Share of contacts",
        "table.replies": "Agent replies per contact",
        "table.resolution": "Median time to resolve",
        "table.visibility": "Visibility",
        "table.public": "public",
        "table.private": "private",
        "table.public_channels": "Public channels",
        "table.private_channels": "Private channels",
        "table.first_channel": "First contact on",
        "table.next_channel": "Came back on",
        "table.same_channel": "Same channel",
        "table.yes": "yes",
        "table.no": "no",
        "table.repeats": "Repeats",
        "table.share_of_repeats": "Share of repeats",
        "table.customer": "Customer (by rank)",
        "table.repeated": "Came back within the window",
        # Headline figures.
        "headline.contacts": "Contacts",
        "headline.customers": "Customers",
        "headline.frt_median": "Median time to first answer",
        "headline.frt_p90": "9 in 10 first answers within",
        "headline.frt_within_sla": "First answers within the {sla} target",
        "headline.frt_unanswered": "Contacts with no answer yet",
        "headline.frt_business_median": "Median time to first answer, business hours only",
        "headline.reply_median": "Median wait for every agent reply",
        "headline.resolution_median": "Median time to resolve",
        "headline.reopened": "Reopened after being resolved",
        "headline.repeat_rate": "Repeat contact rate ({window} days)",
        "headline.repeat_cross": "Repeats on another channel",
        "headline.repeat_excluded": "Contacts too recent to judge",
        "headline.identity_coverage": "Contacts with a known customer",
        "headline.csat": "Satisfied (4 or 5 out of 5)",
        "headline.confirmed_resolution": "Resolved, as confirmed by the consumer",
        # Sentences.
        "s.no_contacts": "No customer started a contact in {period}: there is nothing to show "
                         "here.",
        "s.no_data": "There is no data to show here.",
        "s.no_identity": "This source does not record who the customer is, so this cannot be "
                         "measured.",
        "s.small_n": "Fewer than 30 contacts were answered: read these figures with care.",
        "s.frt": "In {period}, {answered} of {contacts} contacts got a first answer from an "
                 "agent. Half of them waited {median} or less ({previous} in {previous_period}), "
                 "and 9 in 10 waited at most {p90}.",
        "s.frt.sla": "{share} of the answered contacts were answered within the target of "
                     "{sla}.",
        "s.frt.none_answered": "None of the {contacts} contacts has had an answer from an agent "
                               "yet.",
        "s.frt.unanswered": "{n} contacts have no answer yet; the oldest has been waiting "
                            "{oldest}.",
        "s.frt.all_answered": "Every contact had an answer by the cut-off.",
        "s.distribution": "{fast} of contacts had a first answer within 15 minutes and {slow} "
                          "waited more than a day; {unanswered} have no answer yet.",
        "s.distribution.days": "{fast} of contacts had a first answer on the day they wrote "
                               "and {slow} waited more than a week; {unanswered} have no "
                               "answer yet.",
        "s.waiting.median": "Counting the customers who are still waiting, half of them had "
                            "their first answer within {median}.",
        "s.waiting.never": "More than half of the customers were still waiting for a first "
                           "answer at the cut-off.",
        "s.waiting.sla": "After {sla} (the target), {share} were still waiting.",
        "s.trend": "In the week starting {last_week}, half of the contacts were answered within "
                   "{last}, against {first} in the week starting {first_week} ({weeks} weeks "
                   "with at least {n} answered contacts are drawn).",
        "s.trend.one": "Only the week starting {week} had enough answered contacts to draw: "
                       "half were answered within {median} ({n} answered).",
        "s.trend.too_few": "No week had {n} or more answered contacts, so there is no trend "
                           "to draw.",
        "s.sla": "{fast} answered fastest (median {fast_median}, {fast_share} within {sla}); "
                 "{slow} slowest (median {slow_median}, {slow_share} within {sla}).",
        "s.sla.one": "All contacts came through {channel}: {share} of the answered ones were "
                     "answered within {sla}.",
        "s.sla.small_n": "\\* Fewer than {n} answered contacts: read with care.",
        "s.timing": "The busiest hour was {day} from {start} to {end}, with {n} contacts.",
        "s.timing.outside": "{share} of contacts arrived outside working hours ({hours}).",
        "s.timing.days": "The busiest day was {day}, with {share} of the contacts.",
        "s.mix": "{channel} brought the most contacts: {n}, {share} of the {total} contacts "
                 "on {channels} channels ({before} in {previous}).",
        "s.mix.one": "All {n} contacts came through {channel} ({before} in {previous}).",
        "s.mix.moved": "{channel} changed the most: {before} contacts before, {now} now.",
        "s.mix.previous_only": "The previous period, {previous}, had {n} contacts.",
        "s.served.replies": "{channel} needed the most agent replies per contact "
                            "({replies} on average).",
        "s.served.replies_one": "{channel} contacts needed {replies} agent replies on "
                                "average.",
        "s.served.unanswered": "{channel} had the largest share of contacts with no answer "
                               "yet: {share} ({n} contacts).",
        "s.public": "Public channels ({channels}), where other people can see the complaint, "
                    "carried {share} of contacts. Half of them were answered within {public}, "
                    "against {private} on private channels.",
        "s.public.none": "No contact came through a public channel (social networks, "
                         "complaint sites) in this period.",
        "s.public.all": "Every contact came through a public channel ({channels}), where other "
                        "people can see the complaint; half were answered within {median}.",
        "s.repeat": "{rate} of the {eligible} contacts whose {window}-day window is complete "
                    "were followed by another contact from the same customer within {window} "
                    "days ({repeated} contacts; {previous} in {previous_period}).",
        "s.repeat.none_eligible": "No contact of this period has a complete {window}-day "
                                  "window yet, so the repeat rate cannot be computed.",
        "s.repeat.excluded": "{n} more recent contacts are left out: their {window} days run "
                             "past the end of the data.",
        "s.repeat.coverage": "Only {coverage} of contacts carry a customer id. Contacts without "
                             "one can never count as repeats, so the true rate is probably "
                             "higher.",
        "s.repeat.no_identity": "This source does not record who the customer is, so repeated "
                                "contacts cannot be measured: the rate shown would be 0% only "
                                "because no customer can be recognised.",
        "s.coverage": "{share} of contacts carry a customer id.",
        "s.coverage.lowest": "The lowest share is on {channel} ({share}).",
        "s.cross": "{cross} of the {repeated} repeated contacts ({share}) came back on another "
                   "channel.",
        "s.cross.none": "No contact of this period was followed by another within the window.",
        "s.gap": "Of the contacts from known customers, {day} were followed by another within "
                 "one day and {share} within {window} days.",
        "s.cpc": "{customers} known customers made {contacts} contacts. {once} of them got in "
                 "touch once; {frequent} ({frequent_share}) got in touch {k} or more times.",
        "s.frequent": "{n} customers got in touch {k} or more times; together they made "
                      "{contacts} contacts, {share} of all contacts. The table shows the top "
                      "{shown}, without identifying them.",
        "s.frequent.none": "No customer got in touch {k} or more times in this period.",
        # Executive summary readings.
        "r.volume": "**Contacts:** {contacts} from {customers} customers ({change} against "
                    "{previous}).",
        "r.volume.anonymous": "**Contacts:** {contacts} ({change} against {previous}); this "
                              "source does not identify customers.",
        "r.first_response": "**First answer:** half of the contacts were answered within "
                            "{median} ({before} in {previous}); {share} within the {sla} "
                            "target; {unanswered} have no answer yet.",
        "r.replies": "**Every reply:** customers waited a median of {median} for each agent "
                     "reply ({n} replies); {open} messages still wait for a reply.",
        "r.resolution": "**Resolution:** half of the contacts were resolved within {median}; "
                        "{reopened} were reopened.",
        "r.resolution.na": "**Resolution:** this source does not record when a contact is "
                           "resolved.",
        "r.repeat": "**Repeated contacts:** {rate} came back within {window} days ({eligible} "
                    "contacts with a complete window; {coverage} carry a customer id).",
        "r.repeat.na": "**Repeated contacts:** not measurable, this source does not record who "
                       "the customer is.",
        "r.repeat.none_eligible": "**Repeated contacts:** no contact has a complete {window}-day "
                                  "window yet.",
        "r.channels": "**Channels:** {n} in use; {channel} carried {share} of contacts.",
        "r.satisfaction": "**Satisfaction:** {csat} of the rated contacts gave 4 or 5 out of 5 "
                          "({rated} ratings; {not_rated} not rated).",
        # Definitions box.
        "def.title": "Definitions and settings used in this report",
        "def.cohort.started": "Contacts counted: conversations a customer started in {period} "
                              "(conversations started by the company are left out).",
        "def.cohort.replied": "Contacts counted: first answers sent in {period}, plus the "
                              "period's contacts still waiting.",
        "def.tz": "Time zone: {tz}. Days, weeks and hours are read in this zone.",
        "def.calendar": "Working hours: `{hours}`; public holidays: {holidays}. Used only for "
                        "the business-hours figures.",
        "def.no_holidays": "none",
        "def.sla": "First-answer target: {sla}.",
        "def.cutoff": "Cut-off: {as_of}. Later messages are ignored; a contact with no agent "
                      "answer by then counts as \"no answer yet\", never as 0.",
        "def.data_read": "Data read: messages sent from {start} to {end} (the periods shown, the "
                         "trend weeks and the days after the period that replies and repeat "
                         "windows need); conversations begun earlier are left out whole.",
        "def.data_read.capped": "The data go on after {end}; the figures are as of that date.",
        "def.window": "Repeat window: a contact is repeated when the same customer gets in "
                      "touch again within {window} days, on any channel.",
        "def.median": "Median: half of the customers waited less, half waited more. \"9 in 10 "
                      "within\": 9 customers in 10 waited at most this long.",
        "def.bots": "Only answers written by a person count: automatic and bot messages do not "
                    "stop the clock.",
        "def.inactivity": "A contact counts as resolved when nothing follows the agent's last "
                          "reply for {inactivity}.",
        "def.channels": "Only these channels are included: {channels}.",
        "def.more": "Full definitions: the \"Metric definitions and caveats\" page linked at the "
                    "bottom of this page.",
        # Repeated contacts: first-contact resolution, topics, trend (repeat_contacts page).
        "heading.fcr": "Solved at the first contact",
        "heading.topic": "What customers came back about",
        "heading.repeat_trend": "Repeat rate week by week and by channel",
        "headline.repeat_fcr": "Solved at the first contact (no new contact in {window} days)",
        "headline.one_touch": "Resolved with a single agent reply",
        "headline.repeat_cross_share": "Share of repeats that came on another channel",
        "headline.frequent_customers": "Customers with {k} or more contacts",
        "headline.frequent_contacts": "Contacts made by customers with {k} or more contacts",
        "s.fcr": "{fcr} of the {eligible} contacts whose {window}-day window is complete were "
                 "solved at the first contact: for {kept} of them the customer did not get in "
                 "touch again within {window} days.",
        "s.fcr.no_identity": "This source does not record who the customer is, so we cannot "
                             "tell whether a contact was solved at the first attempt.",
        "s.fcr.before": "It does record whether the consumer had tried the company first: "
                        "{share} of the complaints ({n} of {known}) came after such a contact, "
                        "and for the company those are repeat contacts.",
        "s.one_touch": "{rate} of the {replied} resolved contacts that an agent answered were "
                       "resolved with a single agent reply and never reopened ({count} "
                       "contacts).",
        "s.one_touch.unreplied": "{n} more were resolved without any agent reply (by a bot, "
                                 "or closed unanswered) and are left out of that share.",
        "plot.repeat_trend.too_recent": "too recent to judge",
        "s.one_touch.none": "No contact of this period has been resolved after an agent reply "
                            "yet.",
        "s.one_touch.na": "This source does not record when a contact is resolved, so "
                          "resolution with a single reply cannot be measured.",
        "s.one_touch.single_answer": "This source records at most one answer per contact, so "
                                     "\"a single reply\" is true of every contact and says "
                                     "nothing here; the consumer's own verdict (resolved or "
                                     "not) is the better figure.",
        "s.topic": "{same} of the {known} repeats where both contacts have a known topic "
                   "({share}) were about the same topic as the contact before: the first "
                   "contact probably did not solve the issue.",
        "s.topic.top": "{topic} had the most repeats: {n} of its {eligible} contacts ({rate}).",
        "s.topic.none": "This source does not record what each contact is about, so a repeat "
                        "about the same issue cannot be told apart from one about a new issue.",
        "s.repeat_trend": "Over the whole period the repeat rate was {rate} ({n} contacts with a "
                          "complete window), against {previous} in {previous_period} "
                          "({previous_n} contacts).",
        "s.repeat_trend.channels": "Among channels with at least {n} contacts judged, {high} "
                                   "had the highest rate ({high_rate} of {high_n}) and {low} "
                                   "the lowest ({low_rate} of {low_n}).",
        "s.repeat_trend.none": "No contact of this period or the previous one has a complete "
                               "window yet, so there is no trend to show.",
        "plot.repeat_trend.title": "Repeat contact rate per week",
        "plot.repeat_trend.xlabel": "Week starting on (Monday, local time; the first week of a "
                                    "period starts on its first day)",
        "plot.repeat_trend.ylabel": "Contacts followed by another (%)",
        "plot.repeat_trend_month.title": "Repeat contact rate per month",
        "plot.repeat_trend_month.xlabel": "Month (local time)",
        "plot.repeat_trend_month.ylabel": "Contacts followed by another (%)",
        "plot.repeat_trend.none": "No contact with a complete window to judge",
        "plot.repeat_trend.previous": "Previous period ({period})",
        "plot.repeat_trend.current": "This period ({period})",
        "plot.repeat_trend.n": "numbers above the points: contacts judged",
        "table.repeat_rate": "Repeat rate",
        "table.judged": "Contacts judged",
        "table.previous_rate": "Rate in {period}",
        "table.previous_judged": "Judged in {period}",
        "table.topic": "Topic",
        "table.unknown": "(not recorded)",
        "table.same_topic": "Came back about the same topic",
        "def.frequent_k": "Frequent contacters: customers with {k} or more contacts in the "
                          "period.",
        "def.one_touch": "Resolved with a single reply: resolved contacts answered by exactly "
                         "one agent reply and never reopened, out of the resolved contacts an "
                         "agent answered.",
        # Channel movement and the complaint's own attributes (channel_usage page).
        "heading.movement": "Which channel customers use next",
        "heading.forced": "Customers pushed to another channel",
        "heading.purchase": "How the consumer bought, and how the complaint ended",
        "heading.before": "Consumers who had contacted the company before",
        "plot.transitions.title": "Channel of the first contact against the next one",
        "plot.transitions.xlabel": "Channel of the next contact",
        "plot.transitions.ylabel": "Channel of the first contact (customers)",
        "plot.transitions.colorbar": "Share of the row's customers",
        "table.customers": "Customers",
        "table.share_of_cross": "Share of repeats on another channel",
        "table.purchase_channel": "How the consumer bought",
        "table.complaints": "Complaints",
        "table.share_complaints": "Share of complaints",
        "table.confirmed_resolution": "Resolved, in the consumer's words (evaluated)",
        "table.mean_score": "Average rating, 1 to 5 (rated)",
        "table.median_score": "Median rating",
        "table.median_answer": "Median time to the company's answer (answered)",
        "table.segment": "Market segment",
        "table.company": "Company",
        "table.contacted_before": "Had contacted the company before (complaints)",
        "s.movement": "{multi} customers got in touch more than once in the period; for "
                      "{switchers} of them ({share}) the next contact came on another channel "
                      "than the first ({previous} in {previous_period}).",
        "s.movement.top": "The most common move was from {first} to {next} ({n} customers).",
        "s.movement.one_channel": "All contacts came through {channel}, so the {n} customers "
                                  "who got in touch more than once could not change channel.",
        "s.movement.none": "No customer got in touch more than once in this period.",
        "s.forced": "{n} of the {base} customers whose {window}-day window is complete ({share}) "
                    "got in touch again on another channel within {window} days of a contact "
                    "({previous} in {previous_period}): a sign that the first channel did not "
                    "solve their issue.",
        "s.forced.zero": "None of the {base} customers whose {window}-day window is complete got "
                         "in touch again on another channel within {window} days.",
        "s.purchase": "Purchases made by {channel} brought the most complaints: {n}, {share} of "
                      "the total. The purchase channel is how the product was bought, not how "
                      "the complaint was made.",
        "s.purchase.resolution": "Among purchase channels with at least {n} evaluated "
                                 "complaints, consumers who bought by {best} most often said "
                                 "their complaint was resolved ({best_rate} of {best_n}), and "
                                 "those who bought by {worst} least often ({worst_rate} of "
                                 "{worst_n}).",
        "s.purchase.na": "This source does not record how the customer bought the product, so "
                         "there is nothing to show here.",
        "s.before": "{share} of the complaints ({n} of {known}) came from consumers who had "
                    "already tried to solve the problem with the company: for the company, "
                    "these complaints are repeat contacts.",
        "s.before.segments": "Among the largest segments, the share was highest in {high} "
                             "({high_share} of {high_n} complaints) and lowest in {low} "
                             "({low_share} of {low_n}).",
        "s.before.na": "This source does not record whether the customer had contacted the "
                       "company before, so there is nothing to show here.",
        "def.public.default": "Public channels (the documented default table): {channels}.",
        "def.public.chosen": "Public channels, as chosen for this report: {channels}.",
        "def.movement": "Channel movement: for each customer with two or more contacts, the "
                        "channel of the first contact of the period against the channel of the "
                        "next one. Customers without an id cannot be followed.",
        # Dependency and independence page.
        "title.dependency": "Dependency and independence",
        "heading.independence": "Are customers becoming independent?",
        "heading.how_to": "Questions customers could have answered themselves",
        "heading.how_to_trend": "Questions week by week",
        "heading.learning": "Do customers learn, and how many people does it take?",
        "heading.self_service": "Self-service",
        "heading.cost": "What the questions cost",
        'heading.voice': "In the customers' own words",
        "table.indicator": "Indicator",
        "table.sessions": "Self-service sessions",
        "table.sessions_per_contact": "Sessions per assisted contact",
        "table.self_service_source": "Self-service channel",
        "table.how_to": "Questions (how-to)",
        "table.unit_cost": "Avoidable cost per question ({currency})",
        "table.total_cost": "Avoidable cost ({currency})",
        "table.intent": "Kind of contact",
        "table.term": "Word or phrase",
        "table.term_share": "Share of these contacts",
        "table.sentiment": "Typical tone (−1 angry … +1 happy)",
        "table.based_on": "Based on",
        "intent.how_to": "Questions (how do I, where is, what is)",
        "intent.problem": "Problems (something went wrong)",
        "intent.other": "Other (thanks, opinions, anything else)",
        "self_service.help_center": "Help centre",
        "self_service.faq": "FAQ",
        "self_service.app": "App",
        "self_service.ivr": "Phone menu (IVR)",
        "self_service.chatbot": "Chatbot",
        "dep.index": "Independence index (0–100)",
        "headline.how_to_share": "Contacts that were simple questions (how-to)",
        "headline.multi_agent": "Contacts handled by two or more people",
        "dep.cost.any": "any other assisted channel",
        "dep.component.not_how_to": "Contacts that are not simple questions",
        "dep.component.learned": "Questions not asked again within 30 days",
        "dep.component.single_agent": "Contacts handled by one person",
        "dep.component.one_message": "Answered after one customer message",
        "dep.component.self_served": "Demand met by self-service",
        "dep.row.cpc": "Contacts per active customer",
        "dep.row.repeat_how_to": "Questions asked again within 30 days",
        "dep.row.multi_agent": "Contacts handled by two or more people",
        "dep.row.transferred": "Contacts transferred or handed over",
        "dep.row.messages_first": "Customer messages until the first answer (median)",
        "dep.row.one_message": "Answered after one customer message",
        "dep.row.messages_resolution": "Customer messages until solved (median)",
        "plot.how_to_channel.title": "Share of contacts that are questions, by channel",
        "plot.how_to_channel.xlabel": "Questions (% of contacts with text)",
        "plot.how_to_channel.ylabel": "Channel",
        "plot.how_to_weekly.title": "Share of contacts that are questions, week by week",
        "plot.how_to_weekly.xlabel": "Week starting",
        "plot.how_to_weekly.ylabel": "Questions (% of contacts with text)",
        "plot.previous_period": "previous period",
        "s.dep.index": "The independence index is **{value}** out of 100 ({previous} in {previous_period}), the average of the {available} indicators below that this source allows; 100 would mean customers solve everything alone.",
        "s.dep.index.none": "This source does not show enough to compute the independence index: it has no customer text, no agent names and no self-service data.",
        "s.dep.how_to": "**{share}** of the {n} contacts with text were questions the customer could have answered with good information ({previous} in {previous_period}). {top} had the highest share.",
        "s.dep.how_to.none": "This source has no customer text, so the kind of contact cannot be read.",
        "s.dep.how_to_trend": "Each point is one week; weeks with fewer than {min_n} contacts with text are not drawn.",
        "s.dep.learning": "Each active customer made **{cpc}** contacts. Of the questions whose next 30 days are already known, **{repeat}** were asked again by the same customer within 30 days ({eligible} questions; {excluded} more are too recent to tell).",
        "s.dep.learning.no_repeat": "Each active customer made **{cpc}** contacts. No question has its next 30 days in the data yet, so repeated questions cannot be counted.",
        "s.dep.learning.no_ids": "This source does not identify customers, so contacts per customer and repeated questions cannot be counted.",
        "s.dep.people": "**{multi}** of answered contacts needed two or more people, and customers sent a median of **{messages}** messages before the first answer.",
        "s.dep.people.unknown": "This source names the company, not the person who answered, and does not log every customer message: how many people handled a contact and how many messages the customer sent are unknown here, not zero.",
        "s.dep.self_service": "Customers started **{sessions}** self-service sessions, **{score}** for every assisted contact.",
        "s.dep.self_service.none": "This source has no self-service data, so self-service cannot be compared with assisted contacts.",
        "s.dep.cost": "If every question had been answered by a help page, about **{currency} {total}** would have been saved in {period} ({n} questions at {unit} each on average). This is an upper bound, computed with {costs}.",
        's.dep.cost.default': "the default cost table (Gartner 2019: {currency} {default} per assisted contact, {self_service} per self-service session); give the company's own costs in the cost_table parameter",
        's.dep.cost.custom': "the company's cost table ({table})",
        "s.dep.cost.none": "This source has no customer text, so questions and their cost cannot be counted.",
        "s.dep.voice": "The words customers used most in each kind of contact, with the change against {previous_period} in percentage points. Example messages follow; personal data (e-mails, phones, CPF/CNPJ, card numbers, @handles) is masked.",
        "s.dep.voice.none": "This source has no customer text.",
        "s.dep.sentiment": "Tone is read from English messages only (VADER lexicon); no offline lexicon exists for Portuguese, so Portuguese messages have no tone score.",
        'def.intent': "The kind of contact is read from the customer's first message by a word-list classifier (see the intents page in the docs); contacts without text have no kind and are left out of shares.",
        "def.cost_table": "Avoidable cost uses: {table}.",
    },
    "pt-BR": {
        "title.summary": "Resumo executivo",
        "title.response_times": "Tempos de resposta",
        "title.channel_usage": "Uso dos canais",
        "title.repeat_contacts": "Contatos repetidos",
        "header.synthetic": "**DADOS SINTÉTICOS: gerados para demonstração, não são clientes "
                            "reais.**",
        "header.report": "**{title}, {period}** ({first} – {last}, fuso horário {tz}), "
                         "comparado com o período anterior, {previous}.",
        "header.source": "**Fonte:** {description}.",
        "header.freshness": "**Dados:** {messages} mensagens, a mais recente em {last}; "
                            "números calculados em {as_of}.",
        "header.channels": "**Canais incluídos:** somente {channels}.",
        "caveat.partial": "**Período parcial:** os dados terminam em {last}, antes do fim do "
                          "período, então os números deste período estão incompletos.",
        "caveat.day_precision": "**Somente datas:** esta fonte registra o dia de cada mensagem, "
                                "não o horário. As durações são dias inteiros, uma resposta no "
                                "mesmo dia conta como 0 dia e a hora do dia é desconhecida.",
        "heading.headline": "Números principais",
        "heading.readings": "O que os números dizem",
        "heading.frt_headline": "Primeira resposta em resumo",
        "heading.distribution": "Quanto tempo os clientes esperaram pela primeira resposta",
        "heading.waiting": "Quantos clientes ainda estavam esperando",
        "heading.trend": "Semana a semana",
        "heading.sla": "Primeira resposta por canal",
        "heading.agents": "Primeira resposta por atendente",
        "table.agent": "Atendente (primeira resposta)",
        "s.agents": "{agents} atendentes deram uma primeira resposta. A menor mediana é de {fast} "
                    "({fast_median}, {fast_n} respostas), a maior de {slow} ({slow_median}, "
                    "{slow_n} respostas). Conversas sem resposta não têm atendente e não entram "
                    "nesta tabela; atendentes com menos de {n} respostas estão marcados com *.",
        "s.agents.none": "Nenhum atendente respondeu a uma conversa iniciada neste período.",
        "heading.timing": "Quando os clientes entram em contato",
        "heading.mix": "Contatos por canal",
        "heading.served": "Como cada canal é atendido",
        "heading.public": "Canais públicos e privados",
        "heading.repeat_headline": "Contatos repetidos em resumo",
        "heading.coverage": "Clientes que conseguimos reconhecer",
        "heading.cross": "Voltando por outro canal",
        "heading.gap": "Em quanto tempo os clientes voltam",
        "heading.cpc": "Contatos por cliente",
        "heading.frequent": "Clientes frequentes",
        "heading.definitions": "Definições",
        "plot.no_data": "Sem dados neste período",
        "plot.no_customers": "Nenhum contato de cliente identificado",
        "plot.all_channels": "Todos os canais",
        "plot.n_label": "{name} ({n})",
        "plot.sla_line": "meta {sla}",
        "plot.distribution.title": "Tempo até a primeira resposta",
        "plot.distribution.xlabel": "Tempo até a primeira resposta de um atendente",
        "plot.distribution.ylabel": "Parcela dos contatos (%)",
        "bucket.unanswered": "ainda sem resposta",
        "bucket.same_day": "mesmo dia",
        "bucket.1_day": "1 dia",
        "bucket.2_3_days": "2–3 dias",
        "bucket.4_7_days": "4–7 dias",
        "bucket.8_14_days": "8–14 dias",
        "bucket.over_14_days": "> 14 dias",
        "plot.waiting.title": "Clientes ainda esperando a primeira resposta",
        "plot.waiting.xlabel": "Tempo desde a mensagem do cliente (escala esticada: de 1 min a "
                               "dias)",
        "plot.waiting.xlabel_days": "Dias desde a mensagem do cliente",
        "plot.waiting.ylabel": "Ainda esperando (% dos contatos)",
        "plot.trend.title": "Tempo mediano até a primeira resposta, por semana",
        "plot.trend.xlabel": "Semana iniciada em (segunda-feira, horário local)",
        "plot.trend.ylabel": "Primeira resposta mediana ({unit})",
        "plot.trend.ylabel_stretched": "Primeira resposta mediana (escala esticada)",
        "plot.trend.period": "Período do relatório",
        "plot.trend.too_few": "Poucos contatos respondidos por semana para traçar uma tendência",
        "plot.mix.title": "Contatos por canal",
        "plot.mix.xlabel": "Contatos (conversas iniciadas por clientes)",
        "plot.mix.previous": "Período anterior ({period})",
        "plot.mix.bar_label": "{now}  (antes: {before})",
        "plot.heatmap.title": "Contatos por dia da semana e hora ({tz})",
        "plot.heatmap.xlabel": "Hora do dia (horário local)",
        "plot.heatmap.ylabel": "Dia da semana",
        "plot.heatmap.colorbar": "Contatos",
        "plot.weekday.title": "Contatos por dia da semana ({tz})",
        "plot.weekday.xlabel": "Dia da semana (a fonte não registra a hora do dia)",
        "plot.gap.title": "Parcela dos contatos seguidos de outro do mesmo cliente",
        "plot.gap.xlabel": "Dias após o contato",
        "plot.gap.ylabel": "Seguidos de novo contato (%)",
        "plot.gap.window": "janela de repetição: {days} dias",
        "plot.cpc.title": "Clientes por número de contatos",
        "plot.cpc.xlabel": "Contatos feitos no período",
        "plot.cpc.ylabel": "Clientes",
        "plot.cpc.regular": "menos de {k} contatos",
        "plot.cpc.frequent": "clientes frequentes ({k} ou mais)",
        "plot.coverage.title": "Contatos com cliente identificado, por canal",
        "plot.coverage.xlabel": "Contatos com identificação do cliente (%)",
        "weekdays": "seg,ter,qua,qui,sex,sáb,dom",
        "weekdays_long": "segunda-feira,terça-feira,quarta-feira,quinta-feira,sexta-feira,"
                         "sábado,domingo",
        "unit.day": "{n} dia",
        "unit.days": "{n} dias",
        "unit.pp": "p.p.",
        "table.figure": "Indicador",
        "table.value": "Valor",
        "table.n": "Base (contatos ou respostas)",
        "table.previous": "Período anterior ({period})",
        "table.change": "Variação",
        "table.channel": "Canal",
        "table.channels": "Canais",
        "table.contacts": "Contatos",
        "table.answered": "Respondidos",
        "table.unanswered": "Ainda sem resposta",
        "table.median": "Espera mediana",
        "table.p90": "9 em 10 respondidos em até",
        "table.mean": "Espera média",
        "table.within_sla": "Respondidos em até {sla}",
        "table.share": "Parcela dos contatos",
        "table.replies": "Respostas do atendente por contato",
        "table.resolution": "Tempo mediano até resolver",
        "table.visibility": "Visibilidade",
        "table.public": "público",
        "table.private": "privado",
        "table.public_channels": "Canais públicos",
        "table.private_channels": "Canais privados",
        "table.first_channel": "Primeiro contato por",
        "table.next_channel": "Voltou por",
        "table.same_channel": "Mesmo canal",
        "table.yes": "sim",
        "table.no": "não",
        "table.repeats": "Repetições",
        "table.share_of_repeats": "Parcela das repetições",
        "table.customer": "Cliente (por posição)",
        "table.repeated": "Voltou dentro da janela",
        "headline.contacts": "Contatos",
        "headline.customers": "Clientes",
        "headline.frt_median": "Tempo mediano até a primeira resposta",
        "headline.frt_p90": "9 em 10 primeiras respostas em até",
        "headline.frt_within_sla": "Primeiras respostas dentro da meta de {sla}",
        "headline.frt_unanswered": "Contatos ainda sem resposta",
        "headline.frt_business_median": "Tempo mediano até a primeira resposta, só horário "
                                        "comercial",
        "headline.reply_median": "Espera mediana por cada resposta do atendente",
        "headline.resolution_median": "Tempo mediano até resolver",
        "headline.reopened": "Reabertos depois de resolvidos",
        "headline.repeat_rate": "Taxa de contato repetido ({window} dias)",
        "headline.repeat_cross": "Repetições por outro canal",
        "headline.repeat_excluded": "Contatos recentes demais para avaliar",
        "headline.identity_coverage": "Contatos com cliente identificado",
        "headline.csat": "Satisfeitos (nota 4 ou 5 de 5)",
        "headline.confirmed_resolution": "Resolvidos, segundo o consumidor",
        "s.no_contacts": "Nenhum cliente iniciou contato em {period}: não há o que mostrar aqui.",
        "s.no_data": "Não há dados para mostrar aqui.",
        "s.no_identity": "Esta fonte não registra quem é o cliente, então isto não pode ser "
                         "medido.",
        "s.small_n": "Menos de 30 contatos foram respondidos: leia estes números com cautela.",
        "s.frt": "Em {period}, {answered} de {contacts} contatos receberam uma primeira resposta "
                 "de um atendente. Metade deles esperou {median} ou menos ({previous} em "
                 "{previous_period}), e 9 em 10 esperaram no máximo {p90}.",
        "s.frt.sla": "{share} dos contatos respondidos foram atendidos dentro da meta de {sla}.",
        "s.frt.none_answered": "Nenhum dos {contacts} contatos recebeu resposta de um atendente "
                               "ainda.",
        "s.frt.unanswered": "{n} contatos ainda não têm resposta; o mais antigo está esperando "
                            "há {oldest}.",
        "s.frt.all_answered": "Todos os contatos tinham resposta na data de corte.",
        "s.distribution": "{fast} dos contatos receberam a primeira resposta em até 15 minutos "
                          "e {slow} esperaram mais de um dia; {unanswered} ainda não têm "
                          "resposta.",
        "s.distribution.days": "{fast} dos contatos receberam a primeira resposta no mesmo dia "
                               "e {slow} esperaram mais de uma semana; {unanswered} ainda não "
                               "têm resposta.",
        "s.waiting.median": "Contando os clientes que ainda esperam, metade deles recebeu a "
                            "primeira resposta em até {median}.",
        "s.waiting.never": "Mais da metade dos clientes ainda esperava a primeira resposta na "
                           "data de corte.",
        "s.waiting.sla": "Depois de {sla} (a meta), {share} ainda esperavam.",
        "s.trend": "Na semana iniciada em {last_week}, metade dos contatos foi respondida em "
                   "até {last}, contra {first} na semana iniciada em {first_week} ({weeks} "
                   "semanas com pelo menos {n} contatos respondidos aparecem no gráfico).",
        "s.trend.one": "Só a semana iniciada em {week} teve contatos respondidos suficientes "
                       "para o gráfico: metade foi respondida em até {median} ({n} respondidos).",
        "s.trend.too_few": "Nenhuma semana teve {n} ou mais contatos respondidos, então não há "
                           "tendência para mostrar.",
        "s.sla": "{fast} respondeu mais rápido (mediana {fast_median}, {fast_share} em até "
                 "{sla}); {slow}, mais devagar (mediana {slow_median}, {slow_share} em até "
                 "{sla}).",
        "s.sla.one": "Todos os contatos vieram por {channel}: {share} dos respondidos foram "
                     "atendidos em até {sla}.",
        "s.sla.small_n": "\\* Menos de {n} contatos respondidos: leia com cautela.",
        "s.timing": "O horário de maior movimento foi {day}, das {start} às {end}, com {n} "
                    "contatos.",
        "s.timing.outside": "{share} dos contatos chegaram fora do horário de atendimento "
                            "({hours}).",
        "s.timing.days": "O dia de maior movimento foi {day}, com {share} dos contatos.",
        "s.mix": "{channel} trouxe mais contatos: {n}, {share} dos {total} contatos em "
                 "{channels} canais ({before} em {previous}).",
        "s.mix.one": "Todos os {n} contatos vieram por {channel} ({before} em {previous}).",
        "s.mix.moved": "{channel} foi o que mais mudou: {before} contatos antes, {now} agora.",
        "s.mix.previous_only": "O período anterior, {previous}, teve {n} contatos.",
        "s.served.replies": "{channel} precisou de mais respostas do atendente por contato "
                            "({replies} em média).",
        "s.served.replies_one": "Os contatos por {channel} precisaram em média de {replies} "
                                "respostas do atendente.",
        "s.served.unanswered": "{channel} teve a maior parcela de contatos ainda sem resposta: "
                               "{share} ({n} contatos).",
        "s.public": "Os canais públicos ({channels}), onde outras pessoas podem ver a "
                    "reclamação, receberam {share} dos contatos. Metade deles foi respondida em "
                    "até {public}, contra {private} nos canais privados.",
        "s.public.none": "Nenhum contato veio por um canal público (redes sociais, sites de "
                         "reclamação) neste período.",
        "s.public.all": "Todos os contatos vieram por um canal público ({channels}), onde "
                        "outras pessoas podem ver a reclamação; metade foi respondida em até "
                        "{median}.",
        "s.repeat": "{rate} dos {eligible} contatos com a janela de {window} dias completa "
                    "foram seguidos de outro contato do mesmo cliente em até {window} dias "
                    "({repeated} contatos; {previous} em {previous_period}).",
        "s.repeat.none_eligible": "Nenhum contato deste período tem a janela de {window} dias "
                                  "completa ainda, então a taxa de repetição não pode ser "
                                  "calculada.",
        "s.repeat.excluded": "{n} contatos mais recentes ficam de fora: seus {window} dias "
                             "passam do fim dos dados.",
        "s.repeat.coverage": "Só {coverage} dos contatos têm identificação do cliente. Contatos "
                             "sem ela nunca contam como repetidos, então a taxa real "
                             "provavelmente é maior.",
        "s.repeat.no_identity": "Esta fonte não registra quem é o cliente, então os contatos "
                                "repetidos não podem ser medidos: a taxa seria 0% apenas porque "
                                "nenhum cliente pode ser reconhecido.",
        "s.coverage": "{share} dos contatos têm identificação do cliente.",
        "s.coverage.lowest": "A menor parcela está em {channel} ({share}).",
        "s.cross": "{cross} dos {repeated} contatos repetidos ({share}) voltaram por outro "
                   "canal.",
        "s.cross.none": "Nenhum contato deste período foi seguido de outro dentro da janela.",
        "s.gap": "Dos contatos de clientes identificados, {day} foram seguidos de outro em até "
                 "um dia e {share} em até {window} dias.",
        "s.cpc": "{customers} clientes identificados fizeram {contacts} contatos. {once} deles "
                 "entraram em contato uma vez; {frequent} ({frequent_share}) entraram em "
                 "contato {k} ou mais vezes.",
        "s.frequent": "{n} clientes entraram em contato {k} ou mais vezes; juntos fizeram "
                      "{contacts} contatos, {share} de todos os contatos. A tabela mostra os "
                      "{shown} primeiros, sem identificá-los.",
        "s.frequent.none": "Nenhum cliente entrou em contato {k} ou mais vezes neste período.",
        "r.volume": "**Contatos:** {contacts}, feitos por {customers} clientes ({change} em "
                    "relação a {previous}).",
        "r.volume.anonymous": "**Contatos:** {contacts} ({change} em relação a {previous}); "
                              "esta fonte não identifica os clientes.",
        "r.first_response": "**Primeira resposta:** metade dos contatos foi respondida em até "
                            "{median} ({before} em {previous}); {share} dentro da meta de "
                            "{sla}; {unanswered} ainda sem resposta.",
        "r.replies": "**Cada resposta:** os clientes esperaram uma mediana de {median} por cada "
                     "resposta do atendente ({n} respostas); {open} mensagens ainda esperam "
                     "resposta.",
        "r.resolution": "**Resolução:** metade dos contatos foi resolvida em até {median}; "
                        "{reopened} foram reabertos.",
        "r.resolution.na": "**Resolução:** esta fonte não registra quando um contato é "
                           "resolvido.",
        "r.repeat": "**Contatos repetidos:** {rate} voltaram em até {window} dias ({eligible} "
                    "contatos com a janela completa; {coverage} com cliente identificado).",
        "r.repeat.na": "**Contatos repetidos:** não mensuráveis, esta fonte não registra quem é "
                       "o cliente.",
        "r.repeat.none_eligible": "**Contatos repetidos:** nenhum contato tem a janela de "
                                  "{window} dias completa ainda.",
        "r.channels": "**Canais:** {n} em uso; {channel} recebeu {share} dos contatos.",
        "r.satisfaction": "**Satisfação:** {csat} dos contatos avaliados deram nota 4 ou 5 de 5 "
                          "({rated} avaliações; {not_rated} sem avaliação).",
        "def.title": "Definições e configurações usadas neste relatório",
        "def.cohort.started": "Contatos contados: conversas iniciadas por um cliente em "
                              "{period} (conversas iniciadas pela empresa ficam de fora).",
        "def.cohort.replied": "Contatos contados: primeiras respostas enviadas em {period}, "
                              "mais os contatos do período que ainda esperam.",
        "def.tz": "Fuso horário: {tz}. Dias, semanas e horas são lidos neste fuso.",
        "def.calendar": "Horário de atendimento: `{hours}`; feriados: {holidays}. Usado só nos "
                        "números em horário comercial.",
        "def.no_holidays": "nenhum",
        "def.sla": "Meta de primeira resposta: {sla}.",
        "def.cutoff": "Data de corte: {as_of}. Mensagens posteriores são ignoradas; um contato "
                      "sem resposta de atendente até lá conta como \"ainda sem resposta\", "
                      "nunca como 0.",
        "def.data_read": "Dados lidos: mensagens enviadas de {start} a {end} (os períodos "
                         "mostrados, as semanas da tendência e os dias após o período de que "
                         "respostas e janelas de repetição precisam); conversas iniciadas antes "
                         "ficam de fora por inteiro.",
        "def.data_read.capped": "Os dados continuam após {end}; os números valem até essa data.",
        "def.window": "Janela de repetição: um contato é repetido quando o mesmo cliente volta "
                      "a entrar em contato em até {window} dias, por qualquer canal.",
        "def.median": "Mediana: metade dos clientes esperou menos, metade esperou mais. \"9 em "
                      "10 em até\": 9 de cada 10 clientes esperaram no máximo esse tempo.",
        "def.bots": "Só contam respostas escritas por uma pessoa: mensagens automáticas e de "
                    "robôs não param o relógio.",
        "def.inactivity": "Um contato conta como resolvido quando nada se segue à última "
                          "resposta do atendente por {inactivity}.",
        "def.channels": "Só estes canais estão incluídos: {channels}.",
        "def.more": "Definições completas: a página \"Definições das métricas e ressalvas\" no "
                    "rodapé desta página.",
        "heading.fcr": "Resolvidos no primeiro contato",
        "heading.topic": "Sobre o que os clientes voltaram",
        "heading.repeat_trend": "Taxa de repetição semana a semana e por canal",
        "headline.repeat_fcr": "Resolvidos no primeiro contato (sem novo contato em {window} "
                               "dias)",
        "headline.one_touch": "Resolvidos com uma única resposta do atendente",
        "headline.repeat_cross_share": "Parcela das repetições que vieram por outro canal",
        "headline.frequent_customers": "Clientes com {k} ou mais contatos",
        "headline.frequent_contacts": "Contatos feitos por clientes com {k} ou mais contatos",
        "s.fcr": "{fcr} dos {eligible} contatos com a janela de {window} dias completa foram "
                 "resolvidos no primeiro contato: em {kept} deles o cliente não voltou a entrar "
                 "em contato em até {window} dias.",
        "s.fcr.no_identity": "Esta fonte não registra quem é o cliente, então não dá para saber "
                             "se um contato foi resolvido na primeira tentativa.",
        "s.fcr.before": "Ela registra, porém, se o consumidor procurou a empresa antes: "
                        "{share} das reclamações ({n} de {known}) vieram depois de um contato "
                        "assim, e para a empresa essas são contatos repetidos.",
        "s.one_touch": "{rate} dos {replied} contatos resolvidos que tiveram resposta de um "
                       "atendente foram resolvidos com uma única resposta e nunca reabertos "
                       "({count} contatos).",
        "s.one_touch.unreplied": "Outros {n} foram resolvidos sem nenhuma resposta de atendente "
                                 "(por um robô, ou encerrados sem resposta) e ficam fora dessa "
                                 "parcela.",
        "plot.repeat_trend.too_recent": "recentes demais para avaliar",
        "s.one_touch.none": "Nenhum contato deste período foi resolvido depois de uma resposta "
                            "de atendente ainda.",
        "s.one_touch.na": "Esta fonte não registra quando um contato é resolvido, então a "
                          "resolução com uma única resposta não pode ser medida.",
        "s.one_touch.single_answer": "Esta fonte registra no máximo uma resposta por contato, "
                                     "então \"uma única resposta\" vale para todos e não diz "
                                     "nada aqui; a avaliação do próprio consumidor (resolvida "
                                     "ou não) é o número a olhar.",
        "s.topic": "{same} das {known} repetições em que os dois contatos têm assunto conhecido "
                   "({share}) foram sobre o mesmo assunto do contato anterior: o primeiro "
                   "contato provavelmente não resolveu o problema.",
        "s.topic.top": "{topic} teve mais repetições: {n} dos seus {eligible} contatos "
                       "({rate}).",
        "s.topic.none": "Esta fonte não registra o assunto de cada contato, então não dá para "
                        "separar quem voltou pelo mesmo problema de quem voltou por um problema "
                        "novo.",
        "s.repeat_trend": "No período inteiro a taxa de repetição foi de {rate} ({n} contatos "
                          "com a janela completa), contra {previous} em {previous_period} "
                          "({previous_n} contatos).",
        "s.repeat_trend.channels": "Entre os canais com pelo menos {n} contatos avaliados, "
                                   "{high} teve a maior taxa ({high_rate} de {high_n}) e {low} "
                                   "a menor ({low_rate} de {low_n}).",
        "s.repeat_trend.none": "Nenhum contato deste período ou do anterior tem a janela "
                               "completa ainda, então não há tendência para mostrar.",
        "plot.repeat_trend.title": "Taxa de contato repetido por semana",
        "plot.repeat_trend.xlabel": "Semana iniciada em (segunda-feira, hora local; a primeira "
                                    "de cada período começa no seu primeiro dia)",
        "plot.repeat_trend.ylabel": "Contatos seguidos de outro (%)",
        "plot.repeat_trend_month.title": "Taxa de contato repetido por mês",
        "plot.repeat_trend_month.xlabel": "Mês (hora local)",
        "plot.repeat_trend_month.ylabel": "Contatos seguidos de outro (%)",
        "plot.repeat_trend.none": "Nenhum contato com a janela completa para avaliar",
        "plot.repeat_trend.previous": "Período anterior ({period})",
        "plot.repeat_trend.current": "Este período ({period})",
        "plot.repeat_trend.n": "números acima dos pontos: contatos avaliados",
        "table.repeat_rate": "Taxa de repetição",
        "table.judged": "Contatos avaliados",
        "table.previous_rate": "Taxa em {period}",
        "table.previous_judged": "Avaliados em {period}",
        "table.topic": "Assunto",
        "table.unknown": "(não registrado)",
        "table.same_topic": "Voltaram pelo mesmo assunto",
        "def.frequent_k": "Clientes frequentes: clientes com {k} ou mais contatos no período.",
        "def.one_touch": "Resolvidos com uma única resposta: contatos resolvidos com exatamente "
                         "uma resposta do atendente e nunca reabertos, entre os contatos "
                         "resolvidos que tiveram resposta de um atendente.",
        "heading.movement": "Por qual canal os clientes voltam",
        "heading.forced": "Clientes empurrados para outro canal",
        "heading.purchase": "Como o consumidor comprou e como a reclamação terminou",
        "heading.before": "Consumidores que já tinham procurado a empresa",
        "plot.transitions.title": "Canal do primeiro contato e canal do contato seguinte",
        "plot.transitions.xlabel": "Canal do contato seguinte",
        "plot.transitions.ylabel": "Canal do primeiro contato (clientes)",
        "plot.transitions.colorbar": "Parcela dos clientes da linha",
        "table.customers": "Clientes",
        "table.share_of_cross": "Parcela das repetições por outro canal",
        "table.purchase_channel": "Como o consumidor comprou",
        "table.complaints": "Reclamações",
        "table.share_complaints": "Parcela das reclamações",
        "table.confirmed_resolution": "Resolvidas, segundo o consumidor (avaliadas)",
        "table.mean_score": "Nota média, de 1 a 5 (com nota)",
        "table.median_score": "Nota mediana",
        "table.median_answer": "Tempo mediano até a resposta da empresa (respondidas)",
        "table.segment": "Segmento de mercado",
        "table.company": "Empresa",
        "table.contacted_before": "Já tinham procurado a empresa (reclamações)",
        "s.movement": "{multi} clientes entraram em contato mais de uma vez no período; para "
                      "{switchers} deles ({share}) o contato seguinte veio por outro canal que "
                      "não o primeiro ({previous} em {previous_period}).",
        "s.movement.top": "A mudança mais comum foi de {first} para {next} ({n} clientes).",
        "s.movement.one_channel": "Todos os contatos vieram por {channel}, então os {n} clientes "
                                  "que entraram em contato mais de uma vez não tinham como "
                                  "mudar de canal.",
        "s.movement.none": "Nenhum cliente entrou em contato mais de uma vez neste período.",
        "s.forced": "{n} dos {base} clientes com a janela de {window} dias completa ({share}) "
                    "voltaram por outro canal em até {window} dias depois de um contato "
                    "({previous} em {previous_period}): sinal de que o primeiro canal não "
                    "resolveu o problema.",
        "s.forced.zero": "Nenhum dos {base} clientes com a janela de {window} dias completa "
                         "voltou por outro canal em até {window} dias.",
        "s.purchase": "As compras feitas por {channel} geraram mais reclamações: {n}, {share} "
                      "do total. O canal de compra é como o produto foi comprado, não como a "
                      "reclamação foi feita.",
        "s.purchase.resolution": "Entre os canais de compra com pelo menos {n} reclamações "
                                 "avaliadas, quem comprou por {best} disse com mais frequência "
                                 "que a reclamação foi resolvida ({best_rate} de {best_n}), e "
                                 "quem comprou por {worst}, com menos frequência ({worst_rate} "
                                 "de {worst_n}).",
        "s.purchase.na": "Esta fonte não registra como o cliente comprou o produto, então não "
                         "há o que mostrar aqui.",
        "s.before": "{share} das reclamações ({n} de {known}) vieram de consumidores que já "
                    "tinham tentado resolver o problema com a empresa: para a empresa, essas "
                    "reclamações são contatos repetidos.",
        "s.before.segments": "Entre os maiores segmentos, a parcela foi mais alta em {high} "
                             "({high_share} de {high_n} reclamações) e mais baixa em {low} "
                             "({low_share} de {low_n}).",
        "s.before.na": "Esta fonte não registra se o cliente já tinha procurado a empresa, "
                       "então não há o que mostrar aqui.",
        "def.public.default": "Canais públicos (a tabela padrão documentada): {channels}.",
        "def.public.chosen": "Canais públicos, escolhidos para este relatório: {channels}.",
        "def.movement": "Mudança de canal: para cada cliente com dois ou mais contatos, o canal "
                        "do primeiro contato do período e o canal do contato seguinte. Clientes "
                        "sem identificação não podem ser acompanhados.",
        # Dependency and independence page.
        "title.dependency": "Dependência e autonomia",
        "heading.independence": "Os clientes estão ficando mais autônomos?",
        "heading.how_to": "Dúvidas que o cliente poderia ter resolvido sozinho",
        "heading.how_to_trend": "Dúvidas semana a semana",
        "heading.learning": "Os clientes aprendem? Quantas pessoas são necessárias?",
        "heading.self_service": "Autoatendimento",
        "heading.cost": "Quanto custam as dúvidas",
        "heading.voice": "Nas palavras dos clientes",
        "table.indicator": "Indicador",
        "table.sessions": "Sessões de autoatendimento",
        "table.sessions_per_contact": "Sessões por contato atendido",
        "table.self_service_source": "Canal de autoatendimento",
        "table.how_to": "Dúvidas",
        "table.unit_cost": "Custo evitável por dúvida ({currency})",
        "table.total_cost": "Custo evitável ({currency})",
        "table.intent": "Tipo de contato",
        "table.term": "Palavra ou expressão",
        "table.term_share": "Parcela destes contatos",
        "table.sentiment": "Tom típico (−1 irritado … +1 satisfeito)",
        "table.based_on": "Base",
        "intent.how_to": "Dúvidas (como faço, onde encontro, qual é)",
        "intent.problem": "Problemas (algo deu errado)",
        "intent.other": "Outros (agradecimentos, opiniões, demais)",
        "self_service.help_center": "Central de ajuda",
        "self_service.faq": "Perguntas frequentes",
        "self_service.app": "Aplicativo",
        "self_service.ivr": "Menu telefônico (URA)",
        "self_service.chatbot": "Chatbot",
        "dep.index": "Índice de autonomia (0–100)",
        "headline.how_to_share": "Contatos que eram simples dúvidas",
        "headline.multi_agent": "Contatos atendidos por duas ou mais pessoas",
        "dep.cost.any": "demais canais com atendente",
        "dep.component.not_how_to": "Contatos que não são simples dúvidas",
        "dep.component.learned": "Dúvidas não repetidas em 30 dias",
        "dep.component.single_agent": "Contatos atendidos por uma só pessoa",
        "dep.component.one_message": "Respondidos após uma mensagem do cliente",
        "dep.component.self_served": "Demanda atendida pelo autoatendimento",
        "dep.row.cpc": "Contatos por cliente ativo",
        "dep.row.repeat_how_to": "Dúvidas repetidas em até 30 dias",
        "dep.row.multi_agent": "Contatos atendidos por duas ou mais pessoas",
        "dep.row.transferred": "Contatos transferidos ou repassados",
        "dep.row.messages_first": "Mensagens do cliente até a primeira resposta (mediana)",
        "dep.row.one_message": "Respondidos após uma mensagem do cliente",
        "dep.row.messages_resolution": "Mensagens do cliente até a solução (mediana)",
        "plot.how_to_channel.title": "Parcela dos contatos que são dúvidas, por canal",
        "plot.how_to_channel.xlabel": "Dúvidas (% dos contatos com texto)",
        "plot.how_to_channel.ylabel": "Canal",
        "plot.how_to_weekly.title": "Parcela dos contatos que são dúvidas, semana a semana",
        "plot.how_to_weekly.xlabel": "Semana iniciada em",
        "plot.how_to_weekly.ylabel": "Dúvidas (% dos contatos com texto)",
        "plot.previous_period": "período anterior",
        "s.dep.index": "O índice de autonomia é **{value}** de 100 ({previous} em {previous_period}), a média dos {available} indicadores abaixo que esta fonte permite calcular; 100 significaria clientes que resolvem tudo sozinhos.",
        "s.dep.index.none": "Esta fonte não mostra o suficiente para calcular o índice de autonomia: não tem texto dos clientes, nomes de atendentes nem dados de autoatendimento.",
        "s.dep.how_to": "**{share}** dos {n} contatos com texto eram dúvidas que o cliente poderia ter resolvido com boa informação ({previous} em {previous_period}). {top} teve a maior parcela.",
        "s.dep.how_to.none": "Esta fonte não tem o texto dos clientes, então o tipo de contato não pode ser lido.",
        "s.dep.how_to_trend": "Cada ponto é uma semana; semanas com menos de {min_n} contatos com texto não aparecem.",
        "s.dep.learning": "Cada cliente ativo fez **{cpc}** contatos. Das dúvidas cujos 30 dias seguintes já são conhecidos, **{repeat}** foram repetidas pelo mesmo cliente em até 30 dias ({eligible} dúvidas; outras {excluded} são recentes demais para saber).",
        "s.dep.learning.no_repeat": "Cada cliente ativo fez **{cpc}** contatos. Nenhuma dúvida tem ainda os 30 dias seguintes nos dados, então dúvidas repetidas não podem ser contadas.",
        "s.dep.learning.no_ids": "Esta fonte não identifica os clientes, então contatos por cliente e dúvidas repetidas não podem ser contados.",
        "s.dep.people": "**{multi}** dos contatos respondidos precisaram de duas ou mais pessoas, e os clientes enviaram uma mediana de **{messages}** mensagens antes da primeira resposta.",
        "s.dep.people.unknown": "Esta fonte identifica a empresa, não a pessoa que respondeu, e não registra cada mensagem do cliente: quantas pessoas atenderam e quantas mensagens o cliente enviou são desconhecidos aqui, não zero.",
        "s.dep.self_service": "Os clientes iniciaram **{sessions}** sessões de autoatendimento, **{score}** para cada contato atendido.",
        "s.dep.self_service.none": "Esta fonte não tem dados de autoatendimento, então não é possível compará-lo com os contatos atendidos.",
        "s.dep.cost": "Se toda dúvida tivesse sido respondida por uma página de ajuda, cerca de **{currency} {total}** teriam sido economizados em {period} ({n} dúvidas a {unit} cada, em média). É um limite superior, calculado com {costs}.",
        "s.dep.cost.default": "a tabela de custos padrão (Gartner 2019: {currency} {default} por contato atendido, {self_service} por sessão de autoatendimento); informe os custos da empresa no parâmetro cost_table",
        "s.dep.cost.custom": "a tabela de custos da empresa ({table})",
        "s.dep.cost.none": "Esta fonte não tem o texto dos clientes, então as dúvidas e o seu custo não podem ser contados.",
        "s.dep.voice": "As palavras mais usadas pelos clientes em cada tipo de contato, com a variação em relação a {previous_period} em pontos percentuais. Seguem exemplos de mensagens; dados pessoais (e-mails, telefones, CPF/CNPJ, cartões, @perfis) aparecem mascarados.",
        "s.dep.voice.none": "Esta fonte não tem o texto dos clientes.",
        "s.dep.sentiment": "O tom é lido somente nas mensagens em inglês (léxico VADER); não há léxico offline para o português, então mensagens em português não têm nota de tom.",
        "def.intent": "O tipo de contato é lido na primeira mensagem do cliente por um classificador de listas de palavras (veja a página de intenções na documentação); contatos sem texto não têm tipo e ficam fora das parcelas.",
        "def.cost_table": "O custo evitável usa: {table}.",
    },
}


#: consumidor.gov.br's "Como Comprou Contratou" values in English (the Portuguese page shows
#: them as the source writes them).
PURCHASE_CHANNEL_NAMES = {
    "en": {"Telefone": "Phone", "Internet": "Internet", "Loja física": "Shop",
           "Não comprei / contratei": "Did not buy or sign up",
           "Domicílio": "At home (door to door)", "Ganhei de presente": "Received as a gift",
           "Stand, feiras e eventos": "Stands, fairs and events", "Catálogo": "Catalogue"},
    "pt-BR": {},
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str = "en", **kwargs) -> str:
    """The text ``key`` in ``lang`` with its placeholders filled.

    Raises
    ------
    KeyError
        ``key`` is not in the table (a typo must not print a blank on a page).
    ValueError
        ``lang`` is not ``en`` or ``pt-BR``.

    >>> t("plot.sla_line", "pt-BR", sla="1 h")
    'meta 1 h'
    """
    texts = TEXTS[_check_lang(lang)]
    if key not in texts:
        raise KeyError(f"no text {key!r} in analytics/i18n.py")
    return texts[key].format(**kwargs)


def channel_label(channel, lang: str = "en") -> str:
    """The display name of a channel (the canonical name itself when unknown)."""
    return CHANNEL_NAMES[_check_lang(lang)].get(str(channel), str(channel))


def purchase_channel_label(value, lang: str = "en") -> str:
    """The display name of a purchase channel (consumidor.gov.br's own words in Portuguese;
    unknown values as they are; an empty value says it was not recorded)."""
    if value is None or str(value) == "" or value != value:
        return t("table.unknown", lang)
    return PURCHASE_CHANNEL_NAMES[_check_lang(lang)].get(str(value), str(value))
