"""The figures: conversation facts from the message log, then one module per metric area.

``facts`` and ``kernel`` derive one row per conversation (and one per reply wait), per
customer; ``response``, ``channels``, ``channel_movement``, ``repeats``, ``dependency`` and
``satisfaction`` aggregate them; ``summary`` builds the headline JSON of a period.
"""
