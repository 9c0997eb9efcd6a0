"""sigmap: the geography of UK Parliament petition signatures, in Python.

Bindings to the Rust library ``sigmap`` (the numbers are the CLI's). The shipped boundary
layers (2010 and 2024 constituencies), election results, hex maps and crosswalk are
compiled into the extension: no data file is needed beside the wheel.

>>> import sigmap
>>> sigmap.locate(-0.1281, 51.5080)
Seat(code='E14001172', name='Cities of London and Westminster')

Errors are :class:`SigmapError`; a wrong input raises :class:`InputError` with ``.path``,
``.record`` (1-based) and ``.field`` set where they are known.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

from ._sigmap import (
    CallerError,
    InputError,
    InternalError,
    NetworkError,
    OptionError,
    OutputError,
    Petition,
    SigmapError,
    __version__,
)
from . import _sigmap
from ._many import SeatProfile, batch, mp_profile
from ._report import HAS_PNG, Comparison, HtmlMap, Map, Report, compare, report, stats

if TYPE_CHECKING:  # pragma: no cover
    import numpy
    import pandas

__all__ = [
    "CallerError",
    "Comparison",
    "HAS_PNG",
    "HtmlMap",
    "Map",
    "Report",
    "InputError",
    "InternalError",
    "NetworkError",
    "OptionError",
    "OutputError",
    "Petition",
    "Seat",
    "SeatProfile",
    "SigmapError",
    "__version__",
    "batch",
    "compare",
    "default_cache_dir",
    "join_points",
    "locate",
    "mp_profile",
    "read_petition",
    "report",
    "set_cache_dir",
    "stats",
]

PathLike = Union[str, "os.PathLike[str]"]


class Seat(NamedTuple):
    """A constituency: its ONS code and its name."""

    code: str
    name: str


def read_petition(
    path_or_number: Union[PathLike, int],
    *,
    api: Optional[str] = None,
    timeout: float = 30.0,
) -> Petition:
    """Reads a petition: a file (API JSON, open, closed or archived, 2015 or current schema;
    or a ``code,count`` CSV), or a petition number fetched from the petitions API.

    Parameters
    ----------
    path_or_number : str, os.PathLike or int
        A file, or a number. A string of digits that is not an existing file is a number,
        as on the command line.
    api : str, optional
        The API's base URL for numbers (default: ``$SIGMAP_API``, else the petitions site).
    timeout : float
        Seconds for the whole fetch of a number (attempts and waits).

    Returns
    -------
    Petition
        ``id``, ``title``, ``state``, ``total``, ``uk_total``, ``counts`` (code -> count),
        ``to_dict()`` (columns for ``pandas.DataFrame``) and the other fields of the file.

    Raises
    ------
    InputError
        The file cannot be read, or holds a bad record or field (``.path``, ``.record``,
        ``.field`` say where); a petition number the API does not have.
    NetworkError
        The API cannot be reached (offline) or answered wrongly; nothing waits past
        ``timeout``.

    Examples
    --------
    >>> p = sigmap.read_petition("data/petitions/petition_241584.json")
    >>> p.id, p.total, p.uk_total, len(p)
    (241584, 5156603, 4948111, 650)
    >>> p.counts["E14000639"]  # Cities of London and Westminster (2010 codes)
    21270
    >>> import pandas
    >>> pandas.DataFrame(p.to_dict()).nlargest(1, "count")["name"].item()
    'Bristol West'
    """
    if isinstance(path_or_number, bool):
        raise InputError(f"expected a path or a petition number, found bool {path_or_number!r}")
    if isinstance(path_or_number, int):
        if path_or_number < 0:
            raise InputError(f"expected a petition number (0 or more), found {path_or_number}")
        return _sigmap.fetch_petition(path_or_number, api=api, timeout=timeout)
    if isinstance(path_or_number, str):
        text = path_or_number
        if text and text.isascii() and text.isdigit() and not os.path.exists(text):
            return _sigmap.fetch_petition(int(text), api=api, timeout=timeout)
        return _sigmap.read_petition_file(text)
    if isinstance(path_or_number, os.PathLike):
        return _sigmap.read_petition_file(os.fspath(path_or_number))
    raise InputError(f"expected a path or a petition number, found {type(path_or_number).__name__}")


def locate(
    lon: float,
    lat: float,
    *,
    vintage: Union[int, str] = 2024,
    areas: Optional[PathLike] = None,
) -> Optional[Seat]:
    """The constituency holding a WGS84 point, or None outside every one.

    Parameters
    ----------
    lon, lat : float
        Longitude and latitude in degrees (EPSG:4326).
    vintage : int
        2024 (the seats since the 2024 general election) or 2010 (2010 to 2019); used
        when ``areas`` is None.
    areas : str or os.PathLike, optional
        A boundary layer (GeoJSON, TopoJSON) instead of the shipped one.

    Raises
    ------
    InputError
        A coordinate that is not a finite number, or latitude and longitude swapped.
    OptionError
        An unknown vintage.

    Examples
    --------
    >>> sigmap.locate(-0.1281, 51.5080)
    Seat(code='E14001172', name='Cities of London and Westminster')
    >>> sigmap.locate(-0.1281, 51.5080, vintage=2010).code
    'E14000639'
    >>> sigmap.locate(2.5, 54.0) is None  # the North Sea
    True
    """
    found = _sigmap.locate(lon, lat, vintage=vintage, areas=_path(areas))
    return None if found is None else Seat(*found)


def join_points(
    lon: "numpy.ndarray | pandas.Series",
    lat: "numpy.ndarray | pandas.Series",
    *,
    crs: int = 4326,
    areas: Optional[PathLike] = None,
    vintage: Union[int, str] = 2024,
    snap_km: Optional[float] = None,
    gaps: bool = True,
) -> "pandas.DataFrame":
    """Counts points per constituency: one row per seat (zeros included), in layer order.

    The coordinates are read in place from float64 numpy arrays or pandas Series (other
    integer or float dtypes are cast once); the GIL is released while the points are
    located, in parallel.

    Parameters
    ----------
    lon, lat : numpy.ndarray or pandas.Series
        1-D, of one length: longitude and latitude (``crs=4326``) or easting and northing
        (``crs=27700``, British National Grid).
    crs : int
        4326 or 27700 (other EPSG codes need a build with the ``proj`` feature).
    areas : str or os.PathLike, optional
        A boundary layer instead of the shipped one of ``vintage``.
    vintage : int
        2024 or 2010.
    snap_km : float, optional
        Count a point outside every seat in the nearest one within this distance (km).
    gaps : bool
        Look for gaps between areas among the points in no area (``in_gaps``). On a large
        layer that does not ship with sigmap this is a union of the whole layer, most of
        the time; ``False`` skips it (``in_gaps`` is then ``None``), as geopandas' sjoin
        does not look.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``name``, ``count``. ``df.attrs`` holds ``points``, ``outside``
        (outside the layer's box, not located), ``matched``, ``snapped``, ``unmatched``,
        ``overlaps``, ``in_gaps``, ``crs`` and ``layer``.

    Raises
    ------
    InputError
        A list instead of an array, arrays of different lengths, or a coordinate that is
        NaN or infinite (``.record`` is its 1-based position, ``.field`` ``x`` or ``y``).
    OptionError
        An unknown vintage or CRS, a negative ``snap_km``.

    Examples
    --------
    >>> import numpy as np
    >>> lon = np.array([-0.1281, -0.1290, -20.0])
    >>> lat = np.array([51.5080, 51.5010, 50.0])
    >>> df = sigmap.join_points(lon, lat)
    >>> int(df.set_index("code").loc["E14001172", "count"])
    2
    >>> len(df), df.attrs["matched"], df.attrs["outside"]
    (650, 2, 1)
    """
    import pandas

    codes, names, counts, summary = _sigmap.join_points(
        lon, lat, crs=crs, areas=_path(areas), vintage=vintage, snap_km=snap_km, gaps=gaps
    )
    df = pandas.DataFrame({"code": codes, "name": names, "count": counts.astype("int64")})
    df.attrs.update(summary)
    return df


def set_cache_dir(path: Optional[PathLike]) -> None:
    """Keeps the checks of boundary layers that do not ship with sigmap in ``path``.

    A layer's overlaps and gaps are found once (for the gaps, a union of the whole layer:
    most of ``join_points`` on a full-resolution layer) and kept there, so later calls on
    the same layer, in this session or the next, read them back, to the last digit. From
    import on they are kept where the command line keeps them: ``$SIGMAP_CACHE_DIR`` (empty:
    nowhere), else ``sigmap`` in ``$XDG_CACHE_HOME``, ``%LOCALAPPDATA%`` or ``~/.cache``.
    An entry is named by a hash of what the checks read (each area's code, name and
    coordinates as read) and of sigmap's version, so an edited layer is checked again. A
    folder that cannot be written keeps nothing; it is never an error.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The folder (made if missing); ``None`` keeps nothing.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sigmap.set_cache_dir(folder)
    ...     # join_points, report, ... on your own layers keep their checks in folder
    >>> sigmap.set_cache_dir(sigmap.default_cache_dir())  # where they were kept before
    """
    _sigmap.set_cache_dir(None if path is None else os.fspath(path))


def default_cache_dir() -> Optional[str]:
    """Where layer checks are kept from import on (see :func:`set_cache_dir`), or None.

    ``$SIGMAP_CACHE_DIR`` (empty: None), else ``sigmap`` in ``$XDG_CACHE_HOME``,
    ``%LOCALAPPDATA%`` or ``~/.cache``, as the command line keeps them.
    """
    found = _sigmap.default_cache_dir()
    return None if found is None else os.fspath(found)


def _path(areas: Optional[PathLike]) -> Optional[str]:
    if areas is None:
        return None
    if isinstance(areas, (str, os.PathLike)):
        return os.fspath(areas)
    raise InputError(f"argument areas: expected a path, found {type(areas).__name__}")


def _init_error_attributes() -> None:
    # InputError raised from Python code still has the attributes, as None
    for name in ("path", "record", "field"):
        setattr(InputError, name, None)


_init_error_attributes()
