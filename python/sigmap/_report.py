"""Reports, maps, spatial statistics and comparisons: ``sigmap report``, ``sigmap map``,
``sigmap stats`` and ``sigmap compare`` from Python, with the CLI's numbers.

The Rust half computes (with the GIL released); this module turns its columns into
pandas, polars, pyarrow and GeoPandas objects. The list of columns is the library's
(``sigmap::export::COLUMNS``, the header of ``areas.csv``): it is not repeated here.
"""

from __future__ import annotations

import html
import json
import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

from . import _sigmap
from ._sigmap import InputError, OptionError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas
    import pandas
    import polars
    import pyarrow

    from ._sigmap import Petition

PathLike = Union[str, "os.PathLike[str]"]

#: Whether this build renders maps to PNG (built with the ``png`` feature).
HAS_PNG: bool = _sigmap.HAS_PNG


def _count(value: Any, name: str) -> int:
    """A whole number, 0 or more (an option: ``OptionError`` otherwise)."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise OptionError(f"{name}: expected a whole number, 0 or more, found {value!r}")
    if value >= 2**64:
        raise OptionError(f"{name}: expected a number below 2^64, found {value}")
    return int(value)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise OptionError(f"{name}: expected a string, found {type(value).__name__} {value!r}")
    return value


def _optional_path(value: Any, name: str) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise InputError(f"argument {name}: expected a path, found {type(value).__name__}")


def _petition(value: Any, name: str = "petition") -> "Petition":
    from . import read_petition

    if isinstance(value, _sigmap.Petition):
        return value
    if isinstance(value, Report):
        raise InputError(f"argument {name}: expected a petition, a path or a number, found a Report")
    return read_petition(value)


def _clustering(weights: Any, islands: Any, permutations: Any, seed: Any, engine: Any) -> dict:
    return dict(
        weights=_text(weights, "weights"),
        islands=_text(islands, "islands"),
        permutations=_count(permutations, "permutations"),
        seed=_count(seed, "seed"),
        engine=_text(engine, "engine"),
    )


def report(
    petition_or_path: Union["Petition", PathLike, int],
    *,
    areas: Optional[PathLike] = None,
    area_id: Optional[str] = None,
    areas_crs: Optional[int] = None,
    denominators: Optional[PathLike] = None,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    to: Optional[int] = None,
    crosswalk: str = "population",
) -> "Report":
    """Analyses a petition as ``sigmap report`` does: joins its signatures with a boundary
    layer and election results, ranks the seats, tests for unusual support and for spatial
    clustering (Moran's I, LISA, Gi*). The numbers are the CLI's for the same options.

    Parameters
    ----------
    petition_or_path : Petition, str, os.PathLike or int
        A petition from :func:`read_petition`, a file (API JSON or ``code,count`` CSV) or a
        petition number (fetched from the petitions API).
    areas : str or os.PathLike, optional
        A boundary layer (GeoJSON, TopoJSON; ``--areas``) instead of the shipped layer of
        the petition's constituency set.
    area_id : str, optional
        The property of ``areas`` holding the area codes (detected if not given).
    areas_crs : int, optional
        The CRS of ``areas`` (4326 or 27700), when the file does not declare it.
    denominators : str or os.PathLike, optional
        Electorate and valid votes per area (CSV; ``--denominators``) instead of the
        shipped general election results.
    weights : str
        Spatial weights: ``queen``, ``rook``, ``knn:K``, ``distance:KM``,
        ``queen:snap=TOL`` or ``rook:snap=TOL``.
    islands : str
        ``keep`` (islands stay isolated) or ``attach:K``.
    permutations : int
        Permutations for the pseudo p-values (0: none).
    seed : int
        Seed of the permutations and of the rank intervals' draws.
    rank_draws : int
        Draws of each seat's rate for the rank intervals of ``rank_method`` ``fast`` and
        ``reference`` (0: no intervals, whatever the method).
    rank_method : str
        How rank intervals are made: ``pairwise`` (no draws: each seat's rank distribution
        from the chances that each other seat's rate exceeds its own), ``fast`` (draws,
        the earlier default) or ``reference`` (sigmap 0.1's draws).
    engine : str
        Permutation engine: ``shared``, ``independent`` or ``esda``.
    to : int, optional
        ``2024`` re-expresses a petition counted on the 2010 seats on the 2024 seats
        through the crosswalk (``--to 2024``).
    crosswalk : str
        The crosswalk for ``to``: ``population``, ``area`` or a CSV file of
        ``from,to,weight``.

    Returns
    -------
    Report
        ``to_pandas()``, ``to_polars()``, ``to_arrow()``, ``to_geopandas()``,
        ``summary``, ``map()``; shown as a table in Jupyter.

    Raises
    ------
    InputError
        A petition, layer or denominators file that cannot be read or holds a bad record
        (``.path``, ``.record``, ``.field``).
    OptionError
        An unknown weights, islands, engine, rank method or ``to``; a negative number.
    NetworkError
        A petition number that cannot be fetched.

    Examples
    --------
    >>> r = sigmap.report("data/petitions/petition_241584.json")
    >>> df = r.to_pandas()
    >>> df.shape
    (650, 45)
    >>> df.nsmallest(1, "rank_per_1k_voters")["name"].item()
    'Cities of London and Westminster'
    >>> r.summary["petition"]["id"], r.summary["completeness"]["total"]
    (241584, 5156603)
    >>> sigmap.report("data/petitions/petition_241584.json", to=2024, permutations=0).vintage
    2024
    """
    petition = _petition(petition_or_path)
    options = _clustering(weights, islands, permutations, seed, engine)
    inner = _sigmap.report(
        petition,
        areas=_optional_path(areas, "areas"),
        area_id=None if area_id is None else _text(area_id, "area_id"),
        areas_crs=areas_crs,
        denominators=_optional_path(denominators, "denominators"),
        rank_draws=_count(rank_draws, "rank_draws"),
        rank_method=_text(rank_method, "rank_method"),
        to=to,
        crosswalk=os.fspath(crosswalk) if isinstance(crosswalk, os.PathLike) else _text(crosswalk, "crosswalk"),
        **options,
    )
    return Report(inner)


class Report:
    """A petition analysed against a boundary layer (made by :func:`report`).

    One row per seat, in layer order, with the columns of the CLI's ``areas.csv``;
    ``summary`` is its ``summary.json``. The frames are built on each call (a few
    milliseconds for 650 seats); the report itself is immutable.

    Dtypes of :meth:`to_pandas`: text (``code``, ``name``, ``mp``, ``unusual``,
    ``lisa_label``) is pandas' ``"string"`` dtype (``pd.NA`` where empty, whatever the
    pandas version's default string dtype); counts and ranks are ``int64``, or the
    nullable ``"Int64"`` where a column can be empty (``rank_density_per_km2``,
    ``lisa_q``...); rates and statistics are ``float64`` with ``NaN`` where empty (sigmap
    writes no NaN otherwise: every other number is finite); ``zero_filled`` is ``bool``.
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: "_sigmap.Report") -> None:
        if not isinstance(inner, _sigmap.Report):
            raise TypeError("Report objects are made by sigmap.report()")
        self._inner = inner

    # -- tables -----------------------------------------------------------------------

    @property
    def columns(self) -> "list[str]":
        """The column names, in order (the header of ``areas.csv``)."""
        return [name for name, _ in _sigmap.Report.column_docs()]

    @staticmethod
    def column_docs() -> "dict[str, str]":
        """What each column holds, by name."""
        return dict(_sigmap.Report.column_docs())

    def __len__(self) -> int:
        return len(self._inner)

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per seat, the columns of ``areas.csv`` in order (see the class for the
        dtypes).

        Examples
        --------
        >>> df = sigmap.report("data/petitions/petition_241584.json", permutations=0).to_pandas()
        >>> str(df["code"].dtype), str(df["signatures"].dtype), str(df["lisa_q"].dtype)
        ('string', 'int64', 'Int64')
        >>> int(df.set_index("code").loc["E14000639", "signatures"])
        21270
        """
        import pandas

        data = {}
        for name, kind, nullable, values, missing in self._inner.columns():
            if kind == "str":
                data[name] = pandas.array(values, dtype="string")
            elif kind == "int":
                if nullable:
                    data[name] = pandas.arrays.IntegerArray(values, missing.copy())
                else:
                    data[name] = values
            elif kind == "bool":
                data[name] = pandas.arrays.BooleanArray(values, missing.copy()) if nullable else values
            else:
                data[name] = values
        return pandas.DataFrame(data)

    def to_arrow(self) -> "pyarrow.Table":
        """The table as a pyarrow Table: ``string``, ``int64``, ``float64`` and ``bool``
        columns, empty values as nulls (not NaN). Needs pyarrow.

        Examples
        --------
        >>> t = sigmap.report("data/petitions/petition_241584.json", permutations=0).to_arrow()
        >>> t.num_rows, t.schema.field("signatures").type
        (650, DataType(int64))
        """
        import pyarrow

        types = {"str": pyarrow.string(), "int": pyarrow.int64(), "float": pyarrow.float64(), "bool": pyarrow.bool_()}
        arrays, names = [], []
        for name, kind, nullable, values, missing in self._inner.columns():
            if kind == "str":
                arrays.append(pyarrow.array(values, type=types[kind]))
            else:
                arrays.append(pyarrow.array(values, type=types[kind], mask=missing if nullable else None))
            names.append(name)
        return pyarrow.Table.from_arrays(arrays, names=names)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The Arrow PyCapsule stream of :meth:`to_arrow` (``polars.DataFrame(report)``,
        ``pyarrow.table(report)``, DuckDB)."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def to_polars(self) -> "polars.DataFrame":
        """The table as a polars DataFrame: ``String``, ``Int64``, ``Float64`` and
        ``Boolean`` columns, empty values as nulls. Needs polars (not pyarrow).

        Examples
        --------
        >>> df = sigmap.report("data/petitions/petition_241584.json", permutations=0).to_polars()
        >>> df.height, df["rank_per_1k_voters"].min()
        (650, 1)
        """
        import polars

        types = {"str": polars.String, "int": polars.Int64, "float": polars.Float64, "bool": polars.Boolean}
        series = []
        for name, kind, nullable, values, missing in self._inner.columns():
            if kind == "str":
                series.append(polars.Series(name, values, dtype=types[kind]))
                continue
            items = values.tolist()
            if nullable:
                items = [None if m else v for v, m in zip(items, missing.tolist())]
            series.append(polars.Series(name, items, dtype=types[kind]))
        return polars.DataFrame(series)

    def to_geojson(self) -> str:
        """``areas.geojson`` as text: a FeatureCollection in WGS84 longitude/latitude
        (RFC 7946), one Feature per seat with every column as a property."""
        return self._inner.geojson()

    def to_geopandas(self) -> "geopandas.GeoDataFrame":
        """:meth:`to_pandas` with each seat's boundary (the layer's polygons, full
        precision) as a GeoDataFrame in EPSG:4326 (longitude, latitude). Needs geopandas.

        Examples
        --------
        >>> gdf = sigmap.report("data/petitions/petition_241584.json", permutations=0).to_geopandas()
        >>> gdf.crs.to_epsg(), len(gdf), gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
        (4326, 650, np.True_)
        """
        import geopandas
        import shapely

        df = self.to_pandas()
        # the FeatureCollection as GEOS reads it: a GeometryCollection of the features'
        # geometries, in feature order (= row order, the layer's)
        parts = shapely.get_parts(shapely.from_geojson(self._inner.geojson()))
        if len(parts) != len(df):  # pragma: no cover (a bug, not a user error)
            raise _sigmap.InternalError("to_geopandas: not one geometry per row")
        geometry = geopandas.GeoSeries(parts, crs="EPSG:4326")
        return geopandas.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")

    def to_csv(self, path: Optional[PathLike] = None) -> Optional[str]:
        """``areas.csv``: written to ``path``, or returned as text without one."""
        text = self._inner.csv()
        if path is None:
            return text
        with open(os.fspath(path), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return None

    def write(self, directory: PathLike) -> "list[str]":
        """Writes the files of ``sigmap report --out DIR`` (``areas.geojson``,
        ``areas.csv``, ``summary.json``, ``map.svg``), byte for byte the CLI's; returns
        their paths."""
        return [os.fspath(p) for p in self._inner.write_to_dir(_optional_path(directory, "directory"))]

    # -- summary ----------------------------------------------------------------------

    @property
    def summary(self) -> "dict[str, Any]":
        """``summary.json`` as a dict (a fresh copy on each access): the petition, the
        accounting of signatures, the layer, the top seats, unusual seats and the
        clustering statistics.

        Examples
        --------
        >>> s = sigmap.report("data/petitions/petition_241584.json", permutations=0).summary
        >>> s["top_per_1k_voters"][0]["name"]
        'Cities of London and Westminster'
        """
        return json.loads(self._inner.summary_json())

    @property
    def vintage(self) -> Optional[int]:
        """The constituency set of the layer (2010 or 2024), None for another layer."""
        return self._inner.vintage

    def __repr__(self) -> str:
        return repr(self._inner)

    def _repr_html_(self) -> str:
        s = self.summary
        p, c = s["petition"], s["completeness"]
        e = html.escape
        title = e(p.get("title") or p.get("source") or "")
        if p.get("id") is not None:
            title += f" (petition {int(p['id'])})"
        lines = [f"<div class='sigmap-report'><h4>{title}</h4>", "<p>"]
        lines.append(
            f"{c['total']:,} signatures, {c['uk_total']:,} from the UK, "
            f"{c['constituency_sum']:,} in constituencies; "
            f"{s['overall_per_1k_voters']:.2f} per 1,000 voters over {e(str(s['layer'].get('name', '')))}."
        )
        lines.append("</p>")
        clustering = s.get("clustering")
        if clustering:
            lines.append(f"<p>{e(clustering['headline'])}</p>")
        elif s.get("clustering_note"):
            lines.append(f"<p>{e(s['clustering_note'])}</p>")
        head = ["rank", "seat", "signatures", "per 1,000 voters", "95% interval", "obs/exp"]
        lines.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>")
        for t in s["top_per_1k_voters"]:
            obs_exp = "" if t.get("obs_exp") is None else f"{t['obs_exp']:.2f}"
            lines.append(
                "<tr>"
                f"<td>{int(t['rank'])}</td><td>{e(t['name'])} <small>{e(t['code'])}</small></td>"
                f"<td>{int(t['signatures']):,}</td><td>{t['per_1k_voters']:.2f}</td>"
                f"<td>{t['ci95_low_per_1k_voters']:.2f}–{t['ci95_high_per_1k_voters']:.2f}</td>"
                f"<td>{obs_exp}</td></tr>"
            )
        lines.append("</tbody></table>")
        lines.append(f"<p><small>{e(s['ranking'])}. sigmap {e(s['sigmap_version'])}</small></p></div>")
        return "\n".join(lines)

    # -- maps -------------------------------------------------------------------------

    def map(
        self,
        metric: str = "per_1k_voters",
        *,
        classes: Optional[str] = None,
        palette: Optional[str] = None,
        centre: Optional[Union[str, float]] = None,
        insets: Optional[Sequence[str]] = None,
        labels: int = 0,
        hex: bool = False,
        hexjson: Optional[PathLike] = None,
        title: Optional[str] = None,
    ) -> "Map":
        """A map of the report, as ``sigmap map`` draws it: a choropleth of a column, the
        LISA cluster map (``metric="lisa"``) or the Gi* hot-spot map (``"gi_star"``), on
        the boundaries or on a hex cartogram (``hex=True``).

        Parameters
        ----------
        metric : str
            A column such as ``per_1k_voters``, ``signatures``, ``density_per_km2``,
            ``lq``; or ``lisa`` or ``gi_star``.
        classes : str, optional
            ``quantile:K``, ``jenks:K``, ``equal:K`` or ``breaks:B1,B2,...`` (default
            ``quantile:5``).
        palette : str, optional
            ``YlGnBu`` (default), ``YlOrRd``, ``Blues``, ``viridis``, ``RdBu``...; add
            ``_r`` to reverse.
        centre : str or float, optional
            Where a diverging palette changes hue: ``national`` (default) or a value.
        insets : sequence of str, optional
            ``london``, ``shetland``, ``northern-ireland``; default: London and Shetland
            on the shipped layers (as ``map.svg`` of the report), ``[]`` for none.
        labels : int
            Name the top N seats on the map.
        hex : bool
            A hex cartogram on the shipped layout of the layer's constituency set.
        hexjson : str or os.PathLike, optional
            A HexJSON layout instead of the shipped one (implies ``hex``).
        title : str, optional
            The title (default: the petition's).

        Raises
        ------
        OptionError
            An unknown metric, classes, palette, centre or inset.

        Examples
        --------
        >>> r = sigmap.report("data/petitions/petition_241584.json", permutations=0)
        >>> m = r.map("lq", classes="jenks:5", palette="RdBu")
        >>> m.svg.startswith("<svg") or m.svg.startswith("<?xml")
        True
        >>> r.map(hex=True).svg.count("<path") >= 650
        True
        """
        svg = self._inner.svg(
            metric=_text(metric, "metric"),
            classes=None if classes is None else _text(classes, "classes"),
            palette=None if palette is None else _text(palette, "palette"),
            centre=None if centre is None else (centre if isinstance(centre, str) else repr(float(centre))),
            insets=None if insets is None else [_text(i, "insets") for i in ([insets] if isinstance(insets, str) else insets)],
            labels=_count(labels, "labels"),
            hex=bool(hex),
            hexjson=_optional_path(hexjson, "hexjson"),
            title=None if title is None else _text(title, "title"),
        )
        return Map(svg)


    def explore(
        self,
        metric: str = "per_1k_voters",
        *,
        classes: Optional[str] = None,
        palette: Optional[str] = None,
        hexjson: Optional[PathLike] = None,
        title: Optional[str] = None,
        height: int = 640,
    ) -> "HtmlMap":
        """The interactive map of ``sigmap map -o map.html``: hover or focus a seat for
        its numbers, search a seat by name, zoom and pan, switch the metric and the hex
        view. Shown inline in Jupyter (in an ``<iframe>``, so its script and styles stay
        apart from the notebook's); :meth:`HtmlMap.save` writes the self-contained page.

        Parameters
        ----------
        metric : str
            The metric the map opens on: a column such as ``per_1k_voters``,
            ``signatures``, ``lq``; or ``lisa`` or ``gi_star``.
        classes, palette : str, optional
            As for :meth:`map`.
        hexjson : str or os.PathLike, optional
            A HexJSON layout for the hex view (default: the shipped one of the layer's
            constituency set, if it covers the layer).
        title : str, optional
            The title (default: the petition's).
        height : int
            Height of the inline frame in pixels (the page itself fills any size).

        Raises
        ------
        OptionError
            An unknown metric, classes or palette.

        Examples
        --------
        >>> r = sigmap.report("data/petitions/petition_241584.json", permutations=0)
        >>> m = r.explore("per_1k_electors")
        >>> m.html.count('data-code="') >= 650
        True
        >>> m._repr_html_().startswith("<iframe")
        True
        """
        page = self._inner.html(
            metric=_text(metric, "metric"),
            classes=None if classes is None else _text(classes, "classes"),
            palette=None if palette is None else _text(palette, "palette"),
            hexjson=_optional_path(hexjson, "hexjson"),
            title=None if title is None else _text(title, "title"),
        )
        return HtmlMap(page, height=_count(height, "height"))


class HtmlMap:
    """An interactive map page (made by :meth:`Report.explore`): one self-contained HTML
    file that works offline; shown inline in Jupyter, saved with :meth:`save`."""

    __slots__ = ("_html", "_height")

    def __init__(self, page: str, *, height: int = 640) -> None:
        self._html = page
        self._height = height

    @property
    def html(self) -> str:
        """The HTML page."""
        return self._html

    def _repr_html_(self) -> str:
        # srcdoc keeps the page's script and style sheet out of the notebook's own DOM
        return (
            f'<iframe srcdoc="{html.escape(self._html, quote=True)}" '
            f'style="width:100%;height:{self._height}px;border:0" '
            'title="interactive map" loading="lazy"></iframe>'
        )

    def save(self, path: PathLike) -> None:
        """Writes the page to ``path`` (``.html``); the file is replaced only once
        completely written.

        Raises
        ------
        OptionError
            Another extension.
        OutputError
            The file cannot be written.
        """
        _sigmap.save_html(self._html, _optional_path(path, "path"))

    def __repr__(self) -> str:
        return f"HtmlMap(html=<{len(self._html):,} characters>)"


class Map:
    """An SVG map (made by :meth:`Report.map`): shown inline in Jupyter, saved with
    :meth:`save`."""

    __slots__ = ("_svg",)

    def __init__(self, svg: str) -> None:
        self._svg = svg

    @property
    def svg(self) -> str:
        """The SVG document."""
        return self._svg

    def _repr_svg_(self) -> str:
        return self._svg

    def _repr_png_(self) -> Optional[bytes]:
        # Jupyter falls back to the SVG when this gives None
        return self.to_png() if HAS_PNG else None

    def to_png(self, *, scale: float = 1.5) -> bytes:
        """The map as PNG (``scale`` pixels per SVG unit; the SVG is 860 units wide).

        Raises
        ------
        OptionError
            If this build has no PNG renderer (see :data:`HAS_PNG`).
        """
        return _sigmap.render_png(self._svg, scale=float(scale))

    def save(self, path: PathLike, *, scale: float = 1.5) -> None:
        """Writes the map to ``path``: ``.svg``, or ``.png`` where the build renders PNG
        (:data:`HAS_PNG`; otherwise an ``OptionError`` says so). The file is replaced
        only once completely written.

        Raises
        ------
        OptionError
            Another extension, or ``.png`` without the renderer.
        OutputError
            The file cannot be written.
        """
        _sigmap.save_svg(self._svg, _optional_path(path, "path"), scale=float(scale))

    def __repr__(self) -> str:
        return f"Map(svg=<{len(self._svg):,} characters>)"


# -- stats ------------------------------------------------------------------------------


def _frame(values: Any) -> "pandas.DataFrame":
    import pandas

    if isinstance(values, pandas.DataFrame):
        return values
    if isinstance(values, Mapping):
        try:
            return pandas.DataFrame(dict(values))
        except (ValueError, TypeError) as e:
            raise InputError(f"argument values: a dict that is not a table of columns ({e})") from None
    raise InputError(
        f"argument values: expected a pandas DataFrame or a dict of columns, found {type(values).__name__}"
    )


def _column(df: "pandas.DataFrame", name: Any, what: str) -> "pandas.Series":
    if not isinstance(name, str):
        raise OptionError(f"{what}: expected a column name (str), found {type(name).__name__} {name!r}")
    if name not in df.columns:
        columns = ", ".join(map(str, df.columns))
        err = InputError(f"argument values: no column `{name}` (the {what} column); it has {columns}")
        err.field = name
        raise err
    column = df[name]
    if getattr(column, "ndim", 1) != 1:
        err = InputError(f"argument values: more than one column named `{name}`")
        err.field = name
        raise err
    return column


def _numbers(column: "pandas.Series", name: str) -> "list[float]":
    import numpy

    try:
        return column.to_numpy(dtype="float64", na_value=numpy.nan).tolist()
    except (TypeError, ValueError):
        err = InputError(f"argument values: column `{name}`: expected numbers, found dtype {column.dtype}")
        err.field = name
        raise err from None


def _ids(column: "pandas.Series", name: str) -> "list[str]":
    import pandas

    ids = []
    for i, v in enumerate(column.tolist()):
        if v is None or (not isinstance(v, str) and bool(pandas.isna(v))):
            err = InputError(f"argument values: record {i + 1}, column `{name}`: an empty id")
            err.record, err.field = i + 1, name
            raise err
        ids.append(str(v))
    return ids


def _layer(areas: Any, area_id: Optional[str], id_column: str) -> dict:
    """The layer argument of ``_sigmap.stats``: a path, or for a GeoDataFrame its ragged
    arrays (GeoJSON text if it holds other geometry types) (in EPSG:4326 or EPSG:27700; another CRS is refused)."""
    if isinstance(areas, (str, os.PathLike)):
        return {"areas_path": os.fspath(areas), "area_id": area_id}
    geometry = getattr(areas, "geometry", None)
    if geometry is None or not hasattr(areas, "crs") or not hasattr(areas, "to_json"):
        raise InputError(f"argument areas: expected a GeoDataFrame or a path, found {type(areas).__name__}")
    import geopandas
    import pandas

    if not isinstance(areas, geopandas.GeoDataFrame):
        raise InputError(f"argument areas: expected a GeoDataFrame or a path, found {type(areas).__name__}")
    crs = areas.crs
    if crs is None:
        raise InputError(
            "argument areas: the GeoDataFrame has no CRS; set the one its coordinates are in "
            "(gdf.set_crs(4326) for longitude/latitude, gdf.set_crs(27700) for the British National Grid)"
        )
    epsg = crs.to_epsg()
    if epsg not in (4326, 27700):
        kind = "projected" if crs.is_projected else "geographic"
        raise InputError(
            f"argument areas: the GeoDataFrame is in a {kind} CRS ({crs.to_string()}: {crs.name}); "
            "sigmap reads longitude/latitude (EPSG:4326) or the British National Grid (EPSG:27700): "
            "pass gdf.to_crs(4326)"
        )
    if area_id is None and id_column in areas.columns:
        area_id = id_column
    if area_id is not None:
        if area_id not in areas.columns:
            columns = ", ".join(str(c) for c in areas.columns if c != areas.geometry.name)
            err = InputError(f"argument areas: no column `{area_id}` (the area ids); it has {columns}")
            err.field = area_id
            raise err
        properties = {area_id: [str(v) for v in areas[area_id].tolist()]}
    else:
        # let sigmap detect the column of codes, as for a file
        properties = {
            c: [None if v is None or (not isinstance(v, str) and bool(pandas.isna(v))) else str(v) for v in areas[c].tolist()]
            for c in areas.columns
            if c != areas.geometry.name and (areas[c].dtype == object or str(areas[c].dtype) in ("string", "str"))
        }
    import shapely

    arrays = _ragged(areas.geometry.values)
    if arrays is not None:
        arrays["properties"] = list(properties.items())
        return {
            "areas_arrays": arrays,
            "areas_name": "argument areas (GeoDataFrame)",
            "area_id": area_id,
            "areas_crs": epsg,
        }
    # other geometry types: as GeoJSON text, for the same messages as a file's.
    # GEOS writes each coordinate as the shortest text that reads back to the same double
    geometries = shapely.to_geojson(areas.geometry.values)
    names = list(properties)
    rows = zip(*properties.values()) if names else ([] for _ in geometries)
    features = [
        '{"type":"Feature","properties":%s,"geometry":%s}'
        % (json.dumps(dict(zip(names, values))), "null" if g is None else g)
        for values, g in zip(rows, geometries)
    ]
    return {
        "areas_geojson": '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}",
        "areas_name": "argument areas (GeoDataFrame)",
        "area_id": area_id,
        "areas_crs": epsg,
    }


def _ragged(geometries: Any) -> Optional[dict]:
    """Polygons and MultiPolygons (and missing geometries) as shapely's ragged arrays, as
    MultiPolygons: the coordinates and the offsets of rings, polygons and geometries, with
    no text in between. None for any other geometry type."""
    import numpy
    import shapely

    kinds = set(shapely.get_type_id(geometries[~shapely.is_missing(geometries)]).tolist())
    if not kinds <= {3, 6}:  # Polygon, MultiPolygon
        return None
    kind, coords, offsets = shapely.to_ragged_array(geometries, include_z=False)
    if kind == shapely.GeometryType.POLYGON:
        # one polygon a geometry
        rings, polygons = offsets
        offsets = (rings, polygons, numpy.arange(len(polygons), dtype=numpy.int64))
    rings, polygons, geoms = (numpy.ascontiguousarray(o, dtype=numpy.int64) for o in offsets)
    return {
        "coords": numpy.ascontiguousarray(coords, dtype=numpy.float64),
        "ring_offsets": rings,
        "polygon_offsets": polygons,
        "geometry_offsets": geoms,
    }


def stats(
    areas: Union["geopandas.GeoDataFrame", PathLike],
    values: Union["pandas.DataFrame", Mapping[str, Any]],
    *,
    id: str,
    count: str,
    population: Optional[str] = None,
    area_id: Optional[str] = None,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    engine: str = "shared",
) -> "dict[str, Any]":
    """Spatial statistics of any values on any polygon layer, as ``sigmap stats`` computes
    them: global Moran's I, Geary's C, General G, local Moran (LISA) and Gi* with pseudo
    p-values, FDR and Bonferroni thresholds. Returns the JSON of ``sigmap stats --format
    json`` as a dict (esda's names: ``I``, ``EI``, ``VI_norm``, ``z_norm``, ``p_sim``...;
    ``local`` has one dict per area, in layer order).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame or str or os.PathLike
        The polygons: a GeoDataFrame in EPSG:4326 or EPSG:27700 (another CRS is refused:
        convert it with ``gdf.to_crs(4326)``), or a layer file (GeoJSON, TopoJSON).
        A GeoDataFrame goes to Rust as GeoJSON (coordinates written exactly), read as the
        CLI reads a file.
    values : pandas.DataFrame or dict of columns
        One row per area: an id column and a count column (and a population column).
        The GeoDataFrame itself will do.
    id : str
        The column of ``values`` holding the area ids.
    count : str
        The column of counts (or values).
    population : str, optional
        A column of populations: the statistics then use ``count / population``.
    area_id : str, optional
        The column (property) of ``areas`` holding the ids (default: ``id`` if ``areas``
        has it, else detected).
    weights, islands, permutations, seed, engine
        As :func:`report`.

    Raises
    ------
    InputError
        ``values`` not a DataFrame or dict, a missing column (``.field``), a value that is
        not a finite number (``.record`` is its 1-based row, ``.field`` its column), ids
        that do not match the layer's, a GeoDataFrame without CRS or in another CRS.
    OptionError
        An unknown weights, islands or engine; a negative number.

    Examples
    --------
    >>> import geopandas
    >>> gdf = geopandas.read_file("data/boundaries/pcon2024_bgc_20pct.geojson")
    >>> gdf["n"] = range(len(gdf))
    >>> s = sigmap.stats(gdf, gdf, id="PCON24CD", count="n", permutations=99)
    >>> s["weights"]["n"], len(s["local"]), s["local"][0]["id"]
    (650, 650, 'E14001063')
    >>> s["moran"]["I"] == sigmap.stats(gdf, {"code": gdf["PCON24CD"], "n": gdf["n"]},
    ...                                 id="code", count="n", area_id="PCON24CD", permutations=0)["moran"]["I"]
    True
    """
    options = _clustering(weights, islands, permutations, seed, engine)
    df = _frame(values)
    id_column = _column(df, id, "id")
    count_column = _column(df, count, "count")
    population_column = None if population is None else _column(df, population, "population")
    layer = _layer(areas, None if area_id is None else _text(area_id, "area_id"), id)
    text = _sigmap.stats(
        **layer,
        ids=_ids(id_column, id),
        count=_numbers(count_column, count),
        population=None if population_column is None else _numbers(population_column, population),
        values_name="argument values (DataFrame)",
        id_column=id,
        count_column=count,
        population_column=population,
        **options,
    )
    return json.loads(text)


# -- compare ----------------------------------------------------------------------------


class Comparison:
    """Two petitions compared seat by seat (made by :func:`compare`)."""

    __slots__ = ("_summary", "a", "b")

    def __init__(self, summary: "dict[str, Any]", a: Report, b: Report) -> None:
        self._summary = summary
        #: The report of the first petition (on the seats both are compared on).
        self.a = a
        #: The report of the second petition.
        self.b = b

    @property
    def summary(self) -> "dict[str, Any]":
        """The JSON of ``sigmap compare --format json`` as a dict: ``pearson``,
        ``spearman``, ``moran_bv``, ``more_for_a``, ``more_for_b``, ``headline``..."""
        return json.loads(json.dumps(self._summary))

    @property
    def headline(self) -> str:
        """One sentence for a reader."""
        return self._summary["headline"]

    def to_pandas(self) -> "pandas.DataFrame":
        """Every seat: ``code``, ``name``, ``a_signatures``, ``b_signatures``,
        ``a_per_1k_voters``, ``b_per_1k_voters``, ``a_rank``, ``b_rank`` and
        ``rank_gap`` (``b_rank - a_rank``: positive where the seat ranks higher for the
        first petition), in layer order."""
        import pandas

        a = self.a.to_pandas()
        b = self.b.to_pandas()
        return pandas.DataFrame(
            {
                "code": a["code"],
                "name": a["name"],
                "a_signatures": a["signatures"],
                "b_signatures": b["signatures"],
                "a_per_1k_voters": a["per_1k_voters"],
                "b_per_1k_voters": b["per_1k_voters"],
                "a_rank": a["rank_per_1k_voters"],
                "b_rank": b["rank_per_1k_voters"],
                "rank_gap": b["rank_per_1k_voters"] - a["rank_per_1k_voters"],
            }
        )

    def __repr__(self) -> str:
        return f"Comparison({self.headline!r})"

    def _repr_html_(self) -> str:
        s = self._summary
        e = html.escape
        out = [f"<p><b>A</b>: {e(s['a']['title'])}<br><b>B</b>: {e(s['b']['title'])}</p>", f"<p>{e(s['headline'])}</p>"]
        for key, label in (("more_for_a", "Seats ranking higher for A"), ("more_for_b", "Seats ranking higher for B")):
            out.append(f"<p>{label}</p><table><tr><th>seat</th><th>A rank</th><th>B rank</th></tr>")
            for seat in s[key]:
                out.append(f"<tr><td>{e(seat['name'])}</td><td>{int(seat['a_rank'])}</td><td>{int(seat['b_rank'])}</td></tr>")
            out.append("</table>")
        return "\n".join(out)


def compare(
    a: Union["Petition", PathLike, int],
    b: Union["Petition", PathLike, int],
    *,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    to: Optional[int] = None,
    crosswalk: str = "population",
) -> Comparison:
    """Compares two petitions seat by seat, as ``sigmap compare A B``: Pearson and Spearman
    correlations of signatures per 1,000 voters, the bivariate Moran's I (support for A
    in a seat against support for B around it, ``esda.Moran_BV``) and the seats whose
    ranks differ most. Petitions on different constituency sets meet on the 2024 seats
    (the 2010 one moved through the crosswalk).

    Returns
    -------
    Comparison
        ``summary`` (the CLI's JSON), ``to_pandas()`` (every seat, both rates and
        ranks), ``a`` and ``b`` (the two reports).

    Examples
    --------
    >>> c = sigmap.compare("data/petitions/petition_241584.json",
    ...                    "data/petitions/petition_619781.json", permutations=0)
    >>> len(c.to_pandas()), -1 <= c.summary["spearman"] <= 1
    (650, True)
    """
    options = _clustering(weights, islands, permutations, seed, engine)
    text, ra, rb = _sigmap.compare(
        _petition(a, "a"),
        _petition(b, "b"),
        rank_draws=_count(rank_draws, "rank_draws"),
        rank_method=_text(rank_method, "rank_method"),
        to=to,
        crosswalk=_text(crosswalk, "crosswalk"),
        **options,
    )
    return Comparison(json.loads(text), Report(ra), Report(rb))
