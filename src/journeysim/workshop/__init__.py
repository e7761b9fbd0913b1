"""The workshop: a live, side-by-side view of a fragmented and a co-designed system.

``state`` reads the models for the screen; ``app`` is the Solara page
(``journeysim workshop`` serves it).
"""
