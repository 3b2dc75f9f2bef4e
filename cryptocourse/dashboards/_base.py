"""The dashboard pattern every notebook uses: a pure compute function plus a thin view.

A dashboard subclass says four things:

* ``controls()``: the widgets, as a dict name -> widget (use :func:`slider`, :func:`dropdown` ...);
* ``compute(**values)``: a *pure* function of the control values returning a result (unit-tested);
* ``setup(fig)``: build the matplotlib figure once, keeping the artists it will update;
* ``draw(result)``: set new data on those artists (never create a figure) and return the HTML
  summary (numbers with units).

Speed: artists registered with ``self.dynamic(artist)`` are blitted: while no axis limit changes,
an update redraws only them over a cached background (a few ms instead of ~50 ms for a full
matplotlib draw). Use :meth:`Dashboard.fit` to set limits with hysteresis, so axes stay still while
the data moves inside them (steadier for the eye, and fast).

The base class wires them up: it renders the figure to PNG into an ``ipywidgets.Image`` so the
view updates in place (no flicker, no new figures, no ipympl front-end extension needed), and works
headless: ``dash = MyDashboard(); dash.set(apr=0.2); dash.result`` is how tests drive it.

The widget tree carries CSS classes (``cc-dashboard``, ``cc-figure``, ``cc-summary``) that the browser
tests use to find every dashboard and check that it reacts.
"""
from __future__ import annotations

import io
import time
from typing import Any

__all__ = ["Dashboard", "slider", "int_slider", "log_slider", "dropdown", "checkbox"]

_STYLE = {"description_width": "initial"}


def _layout(width: str = "340px"):
    import ipywidgets as w

    return w.Layout(width=width)


def slider(description: str, value: float, min: float, max: float, step: float,
           fmt: str = ".2f", **kw):
    """A float slider with a readable label (``fmt`` is the readout's format, e.g. ``'.0%'``)."""
    import ipywidgets as w

    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         readout_format=fmt, style=_STYLE, layout=_layout(), continuous_update=True, **kw)


def int_slider(description: str, value: int, min: int, max: int, step: int = 1, **kw):
    """An integer slider with a readable label."""
    import ipywidgets as w

    return w.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       style=_STYLE, layout=_layout(), continuous_update=True, **kw)


def log_slider(description: str, value: float, min_exp: float, max_exp: float, step: float = 0.05,
               fmt: str = ".3g", **kw):
    """A slider on a log10 scale from 10**min_exp to 10**max_exp (sizes, reserves, TVL)."""
    import ipywidgets as w

    return w.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=step,
                            description=description, readout_format=fmt, style=_STYLE,
                            layout=_layout(), continuous_update=True, **kw)


def dropdown(description: str, options, value=None, **kw):
    """A drop-down; ``options`` is a list of values or of (label, value) pairs."""
    import ipywidgets as w

    opts = list(options)
    if value is None:
        value = opts[0][1] if isinstance(opts[0], tuple) else opts[0]
    return w.Dropdown(options=opts, value=value, description=description, style=_STYLE,
                      layout=_layout(), **kw)


def checkbox(description: str, value: bool = False, **kw):
    """A check box."""
    import ipywidgets as w

    return w.Checkbox(value=value, description=description, style=_STYLE, indent=False, **kw)


def tick_label(value, _pos=None) -> str:
    """Readable tick labels: 25,000 / 1.5M rather than 2.5e+04."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.4g}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:,.4g}k"
    return f"{value:,.6g}"


def fixed_two_panel_layout(fig):
    """Fixed axes positions with room for wide tick labels (a frozen automatic layout can clip them)."""
    from matplotlib.ticker import FuncFormatter

    fig.set_layout_engine("none")
    left, bottom, width, height, gap = 0.115, 0.15, 0.365, 0.76, 0.135
    commas = FuncFormatter(tick_label)
    for i, ax in enumerate(fig.axes):
        ax.set_position([left + i * (width + gap), bottom, width, height])
        ax.xaxis.set_major_formatter(commas)
        ax.yaxis.set_major_formatter(commas)


def start_at_zero(ax, axis):
    """Keep an axis that only shows amounts >= 0 starting at 0 (after a padded fit)."""
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    if lo != 0.0:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0.0, hi)


def _nice(value: float, down: bool) -> float:
    """Round outwards to 1, 2, 2.5 or 5 times a power of ten (steady, readable axis limits)."""
    import math

    if value == 0 or not math.isfinite(value):
        return value
    sign = -1.0 if value < 0 else 1.0
    mag = abs(value)
    exp = math.floor(math.log10(mag))
    base = 10.0 ** exp
    steps = (1.0, 2.0, 2.5, 5.0, 10.0)
    outward_up = (sign > 0) != down  # away from zero on this side?
    m = mag / base
    if outward_up:
        pick = next(s for s in steps if s >= m - 1e-12)
    else:
        pick = next(s for s in reversed(steps) if s <= m + 1e-12)
    return sign * pick * base


class Dashboard:
    """Base class of every course dashboard (see the module docstring for the pattern).

    Parameters
    ----------
    **initial
        Starting values for controls, by name, e.g. ``MoneyMathDashboard(apr=0.2)``.

    Attributes
    ----------
    controls : dict[str, ipywidgets.Widget]
    result : the latest ``compute`` output
    figure : matplotlib.figure.Figure (built once)
    widget : the ipywidgets container that is displayed
    last_update_seconds : wall time of the latest recompute + redraw
    """

    title: str = ""
    figsize: tuple[float, float] = (8.0, 3.4)
    dpi: int = 90

    def __init__(self, **initial: Any) -> None:
        import ipywidgets as w
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.controls = dict(self.controls_())
        unknown = set(initial) - set(self.controls)
        if unknown:
            allowed = ", ".join(sorted(self.controls))
            raise ValueError(f"{type(self).__name__} has no control {sorted(unknown)[0]!r}; "
                             f"controls are: {allowed}")
        for name, value in initial.items():
            self.controls[name].value = value
        # An Agg figure that pyplot does not know about: notebooks never show it twice.
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self._dynamic: list = []
        self._background = None
        self._background_key = None
        self.full_redraws = 0
        self.setup(self.figure)
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.image.add_class("cc-figure")
        self.summary = w.HTML()
        self.summary.add_class("cc-summary")
        self.error = w.HTML()
        header = w.HTML(f"<b>{self.title}</b>") if self.title else w.HTML()
        boxes = list(self.controls.values())
        half = (len(boxes) + 1) // 2
        control_box = w.HBox([w.VBox(boxes[:half]), w.VBox(boxes[half:])])
        self.widget = w.VBox([header, control_box, self.summary, self.error, self.image])
        self.widget.add_class("cc-dashboard")
        self.updates = 0
        self.result: Any = None
        self.last_update_seconds = 0.0
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    # -- what subclasses provide -------------------------------------------------------
    def controls_(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self, **values: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def setup(self, fig) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def draw(self, result: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- the machinery ------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Current control values by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> Any:
        """Change several controls at once (one update), as a test or a notebook cell would."""
        for name in values:
            if name not in self.controls:
                raise ValueError(f"{type(self).__name__} has no control {name!r}; "
                                 f"controls are: {', '.join(sorted(self.controls))}")
        self._batch = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._batch = False
        self.update()
        return self.result

    _batch = False

    def _on_change(self, _change) -> None:
        if not self._batch:
            self.update()

    def update(self) -> None:
        """Recompute from the controls and redraw in place."""
        start = time.perf_counter()
        try:
            result = self.compute(**self.values())
        except (ValueError, TypeError) as exc:  # a combination the model refuses: say why, keep the last view
            self.error.value = f"<span style='color:#b00'>⚠ {exc}</span>"
            return
        self.error.value = ""
        self.result = result
        self.summary.value = self.draw(result)
        self.image.value = self.render_png()
        self.updates += 1
        self.last_update_seconds = time.perf_counter() - start

    def dynamic(self, *artists):
        """Register artists that change on every update (lines, markers, texts): they are blitted.

        Returns the first artist, so ``(line,) = ax.plot(...)`` can be written
        ``line = self.dynamic(*ax.plot(...))``.
        """
        for artist in artists:
            artist.set_animated(True)
            self._dynamic.append(artist)
        return artists[0] if artists else None

    def fit(self, ax, lo: float, hi: float, axis: str = "y", pad: float = 0.08, log: bool = False) -> None:
        """Set ``ax``'s limits to show [lo, hi], changing them only when needed (hysteresis).

        The limits grow when the data leave them and shrink when the data use less than
        about a third of the range, so most slider moves keep the axes still.
        """
        import math

        get = ax.get_ylim if axis == "y" else ax.get_xlim
        put = ax.set_ylim if axis == "y" else ax.set_xlim
        if log:
            lo, hi = math.log10(max(lo, 1e-300)), math.log10(max(hi, 1e-300))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return
        if hi <= lo:
            hi = lo + (abs(lo) * 0.1 or 1.0)
        cur_lo, cur_hi = get()
        if log:
            cur_lo, cur_hi = math.log10(max(cur_lo, 1e-300)), math.log10(max(cur_hi, 1e-300))
        span = hi - lo
        inside = cur_lo <= lo and hi <= cur_hi
        if inside and span >= 0.35 * (cur_hi - cur_lo) and getattr(ax, "_cc_fitted_" + axis, False):
            return
        new = (lo - pad * span, hi + pad * span)
        if log:
            new = (10 ** (math.floor(new[0] * 2) / 2), 10 ** (math.ceil(new[1] * 2) / 2))  # half decades
        else:
            new = (_nice(new[0], down=True) if lo != 0 else 0.0, _nice(new[1], down=False) if hi != 0 else 0.0)
        put(*new)
        setattr(ax, "_cc_fitted_" + axis, True)

    def _frame_key(self):
        return tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim())) for ax in self.figure.axes)

    def render_png(self) -> bytes:
        """The figure as PNG bytes: blit the dynamic artists over a cached background."""
        canvas = self.figure.canvas
        key = self._frame_key()
        if self._background is None or key != self._background_key:
            canvas.draw()  # full draw of everything that is not dynamic (re-lays out: tick labels may widen)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
            self.full_redraws += 1
        else:
            canvas.restore_region(self._background)
        for artist in self._dynamic:
            if artist.axes is not None:
                artist.axes.draw_artist(artist)
            else:
                self.figure.draw_artist(artist)
        from PIL import Image

        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        rgba.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"{type(self).__name__}({shown})"
