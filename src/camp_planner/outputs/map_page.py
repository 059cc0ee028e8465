"""The travel map's page around folium's map: ``lang``, a title, a ``main`` landmark with
a heading, zooming allowed; the legend beside the map; the map's additions
(Leaflet.markercluster and ``camp-map.js``) and one layer's companies as data for it.
Used by :mod:`camp_planner.outputs.maps`."""

from __future__ import annotations

import json
import re
from typing import Any

import folium
from branca.element import Figure, MacroElement, Template

from camp_planner.outputs.map_assets import map_additions

#: Each shape's outline in a 12 x 12 swatch (SVG), as camp-map.js draws it.
SWATCH_SHAPES = {
    "circle": '<circle cx="6" cy="6" r="5"/>',
    "square": '<rect x="1.5" y="1.5" width="9" height="9"/>',
    "triangle": '<polygon points="6,0.5 11.5,10.5 0.5,10.5"/>',
    "diamond": '<polygon points="6,0.3 11.7,6 6,11.7 0.3,6"/>',
    "triangle-down": '<polygon points="0.5,1.5 11.5,1.5 6,11.5"/>',
}


def swatch(colour: str, shape: str = "circle", dashed: bool = False) -> str:
    dash = ' stroke-dasharray="2,1.5"' if dashed else ""
    return (
        f'<svg class="camp-swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"'
        f' fill="{colour}" stroke="#333" stroke-width="1"{dash}>{SWATCH_SHAPES[shape]}</svg>'
    )


class Legend(MacroElement):
    """The legend beside the map (below it on a phone), folding away; `body` is ready-made
    (escaped) HTML, `summary` and `label` plain text."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="camp-legend" role="region" aria-label="{{ this.summary|e }}">
        <details class="camp-legend-box" open><summary>{{ this.summary|e }}</summary>
        <div class="camp-legend-body" tabindex="0">{{ this.body }}</div>
        </details></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        CampMap.legend({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, body: str, summary: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.body = body
        self.summary = summary


class Additions(MacroElement):
    """Leaflet.markercluster and camp-map.js in the page's head, after Leaflet; the map's
    one cluster group."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{{ this.tags }}{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = CampMap.clusters({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "CampClusters"
        self.tags = map_additions()


#: Characters written as JSON escapes inside a <script>: ``<`` (so no ``</script>`` or
#: ``<!--``) and the line separators JavaScript once treated as line ends.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data: Any) -> str:
    """`data` as a JavaScript literal for an inline <script> (JSON, text kept readable)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)


class Companies(MacroElement):
    """One layer's companies, drawn by camp-map.js from `data` (see ``CampMap.draw``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        CampMap.draw({{ this.map.get_name() }}, {{ this._parent.get_name() }},
            {{ this.clusters.get_name() }}, {{ this.data }});
        {% endmacro %}
        """
    )

    def __init__(self, fmap: folium.Map, clusters: Additions, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CampCompanies"
        self.map, self.clusters, self.data = fmap, clusters, script_json(data)


class Page(Figure):
    """The page: ``lang``, a title, a ``main`` landmark with a heading, the map and its
    legend (the legend's HTML follows the map's in the body); zooming allowed."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang|e }}">\n'
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        '<main class="camp-page">\n<h1>{{ this.title|e }}</h1>\n'
        "    {{ this.html.render(**kwargs) }}\n"
        "</main>\n"
        "</body>\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n"
    )

    def __init__(self, title: str, lang: str) -> None:
        super().__init__(title=title)
        self.lang = lang

    def render(self, **kwargs: Any) -> str:
        page: str = super().render(**kwargs)
        return _VIEWPORT.sub(_ZOOMABLE, page, count=1)


#: folium's viewport tag (``maximum-scale=1.0, user-scalable=no`` blocks zooming).
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
_ZOOMABLE = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'


class Layers(MacroElement):
    """After the layer control: its button's name, and folded on a phone."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        CampMap.layers({{ this._parent.get_name() }}, {{ this.control.get_name() }},
            {{ this.label|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, control: folium.LayerControl, label: str) -> None:
        super().__init__()
        self._name = "CampLayers"
        self.control, self.label = control, label
