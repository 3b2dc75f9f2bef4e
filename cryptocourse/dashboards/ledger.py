"""Notebook 02's dashboard: tamper with one ledger entry and watch verification fail there.

``ledger_tamper_view(...)`` is the pure compute function (tested in tests/test_ledger.py);
``LedgerTamperDashboard`` is the thin view over it.
"""
from __future__ import annotations

import html

from dataclasses import dataclass

from .. import ledger
from ._base import Dashboard, checkbox, dropdown, int_slider

FIELDS = ["who", "what", "when", "ref", "hash"]
STATUS_COLOURS = {"ok": "#b7e4c7", "hash mismatch": "#f4a6a6", "broken link": "#f9d49b"}


@dataclass(frozen=True)
class LedgerTamperView:
    """Everything the tamper dashboard shows."""

    kinds: list[str]          # each entry's kind
    who: list[str]            # each entry's "who" (after the edit)
    stored: list[str]         # each entry's stored hash (first 8 hex digits)
    status: list[str]         # "ok", "hash mismatch" or "broken link" per entry
    first_tampered: int | None  # index of the first entry that fails, None if all pass
    head_matches: bool        # does the ledger still end at the published head?
    edited_value: str         # the new value of the edited field ("" if no edit)


def ledger_tamper_view(index: int = 3, field: str = "who", new_value: str = "Lab Z",
                       rehash: bool = False) -> LedgerTamperView:
    """Edit one field of one entry of :func:`cryptocourse.ledger.example_ledger` and check it.

    Parameters
    ----------
    index : int
        Which entry to edit (0-7).
    field : str
        One of "who", "what", "when", "ref", "hash".
    new_value : str
        The new text ("" or the original value means: no edit).
    rehash : bool
        If True, the forger also recomputes every hash from the edited entry on.

    >>> v = ledger_tamper_view(index=3, field="who", new_value="Lab Z")
    >>> v.first_tampered, v.status[3], v.head_matches
    (3, 'hash mismatch', True)
    >>> ledger_tamper_view(index=3, new_value="Lab Z", rehash=True).head_matches
    False
    """
    from .._validate import choice, fail, integer

    honest = ledger.example_ledger()
    index = integer("index", index, lo=0, hi=len(honest) - 1)
    choice("field", field, FIELDS)
    if not isinstance(new_value, str):
        fail("new_value", "a str", new_value, exc=TypeError)
    edited = honest
    if new_value and new_value != getattr(honest[index], field):
        edited = honest.tampered(index, **{field: new_value})
    else:
        new_value = ""
    if rehash:
        edited = edited.rehashed_from(index)
    return LedgerTamperView(
        kinds=[e.kind for e in edited],
        who=[e.who for e in edited],
        stored=[e.hash[:8] for e in edited],
        status=edited.check(),
        first_tampered=edited.first_tampered(),
        head_matches=edited.head == honest.head,
        edited_value=new_value,
    )


class LedgerTamperDashboard(Dashboard):
    """Eight entries of a model's life; edit one and see which checks fail."""

    title = "Tamper with the ledger: which check fails, and where?"
    figsize = (9.0, 2.7)

    def controls_(self):
        import ipywidgets as w

        return {
            "index": int_slider("entry to edit", 3, 0, 7),
            "field": dropdown("field", FIELDS, "who"),
            "new_value": w.Text(value="Lab Z", description="new value", continuous_update=False,
                                style={"description_width": "initial"}, layout=w.Layout(width="340px")),
            "rehash": checkbox("forger recomputes the later hashes", False),
        }

    def compute(self, **values):
        return ledger_tamper_view(**values)

    def setup(self, fig):
        from matplotlib.patches import FancyArrowPatch, Rectangle

        ax = self.ax = fig.subplots()
        n = 8
        self.boxes, self.labels = [], []
        for i in range(n):
            box = Rectangle((i * 1.25, 0), 1.0, 1.0, facecolor=STATUS_COLOURS["ok"], edgecolor="black")
            ax.add_patch(box)
            self.boxes.append(self.dynamic(box))
            ax.text(i * 1.25 + 0.5, 1.08, f"entry {i}", ha="center", va="center", fontsize=7.5)
            self.labels.append(self.dynamic(ax.text(i * 1.25 + 0.5, 0.4, "", ha="center", va="center",
                                                    fontsize=7)))
            if i:
                ax.add_patch(FancyArrowPatch(((i - 1) * 1.25 + 1.0, 0.5), (i * 1.25, 0.5),
                                             arrowstyle="-|>", mutation_scale=8, color="grey"))
        head = Rectangle((n * 1.25 + 0.1, 0.15), 1.2, 0.7, facecolor=STATUS_COLOURS["ok"], edgecolor="black")
        ax.add_patch(head)
        self.head_box = self.dynamic(head)
        self.head_text = self.dynamic(ax.text(n * 1.25 + 0.7, 0.5, "", ha="center", va="center", fontsize=7))
        ax.add_patch(FancyArrowPatch(((n - 1) * 1.25 + 1.0, 0.5), (n * 1.25 + 0.1, 0.5),
                                     arrowstyle="-|>", mutation_scale=8, color="grey", ls="--"))
        ax.set_xlim(-0.2, n * 1.25 + 1.5)
        ax.set_ylim(-0.35, 1.2)
        ax.axis("off")
        ax.set_title("Each entry stores the previous entry's hash (arrows); green = check passes", fontsize=9)
        ax.text(0, -0.25, "red: content no longer matches its hash · orange: link to the previous entry broken",
                fontsize=7, color="dimgrey")

    def draw(self, v: LedgerTamperView) -> str:
        for i, status in enumerate(v.status):
            self.boxes[i].set_facecolor(STATUS_COLOURS[status])
            self.labels[i].set_text(f"{v.kinds[i]}\n{v.who[i][:12]}\n\n{v.stored[i]}…")
        self.head_box.set_facecolor(STATUS_COLOURS["ok"] if v.head_matches else STATUS_COLOURS["hash mismatch"])
        self.head_text.set_text("published head\n" + ("matches" if v.head_matches else "DIFFERS"))
        if v.first_tampered is None and v.head_matches and v.edited_value:
            verdict = ("<b>ledger verifies</b>: only a stored hash was edited, and recomputing it restored "
                       "the true hash: this is the honest ledger again")
        elif v.first_tampered is None and v.head_matches:
            verdict = "<b>ledger verifies</b>: nothing was changed"
        elif v.first_tampered is None:
            verdict = ("every entry checks out on its own, <b>but the head differs from the published head</b>: "
                       "the forgery is caught only because the head was published")
        else:
            verdict = (f"verification fails at <b>entry {v.first_tampered}</b> "
                       f"({v.status[v.first_tampered]})")
        edit = f"edited value: <code>{html.escape(v.edited_value)}</code> · " if v.edited_value else "no edit · "
        return edit + verdict
