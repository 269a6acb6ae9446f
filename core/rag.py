"""The RAG value every app returns: a colour and the reason for it, in words.

Actions (`actionplans/rag.py`) and indicators (performance) each have their own
rules; both return a `Rag`, shown everywhere by `includes/rag_badge.html`, and
written into Word and Excel with the hex colours below (the same as the badges'
in `static/scss/app.scss`).
"""

from dataclasses import dataclass

BLUE, GREEN, AMBER, RED, GREY = "blue", "green", "amber", "red", "grey"
COLOUR_LABELS = {BLUE: "Blue", GREEN: "Green", AMBER: "Amber", RED: "Red", GREY: "Not rated"}
# Worst first, as committee papers list them.
COLOUR_ORDER = [RED, AMBER, GREEN, BLUE, GREY]
COLOUR_CHOICES = [(colour, COLOUR_LABELS[colour]) for colour in COLOUR_ORDER]

# (text, fill) per colour, for Word tables and Excel cells; the contrast is WCAG AA.
HEX = {
    RED: ("8F1A12", "F4CDC6"),
    AMBER: ("5C3A00", "FCD6A3"),
    GREEN: ("005A30", "CCE2D8"),
    BLUE: ("0C2D4A", "BBD4EA"),
    GREY: ("383F43", "E5E6E7"),
}


@dataclass(frozen=True)
class Rag:
    colour: str
    reason: str

    @property
    def label(self):
        return COLOUR_LABELS[self.colour]

    @property
    def text_hex(self):
        return HEX[self.colour][0]

    @property
    def fill_hex(self):
        return HEX[self.colour][1]

    def __str__(self):
        return f"{self.label}: {self.reason}"
