"""Type stubs of the extension module sigmap._sigmap (the Rust half of the package).

The public API is sigmap/__init__.py (typed inline); these are its building blocks.
"""

from typing import Optional, Union

import numpy
import numpy.typing

__version__: str

class SigmapError(Exception):
    """Base class of every error sigmap raises."""

class InputError(SigmapError):
    """The input is wrong; ``path``, ``record`` (1-based) and ``field`` say where."""

    path: Optional[str]
    record: Optional[int]
    field: Optional[str]

class OptionError(SigmapError):
    """An option out of its range (a vintage, a CRS, a timeout)."""

class NetworkError(SigmapError):
    """The petitions API could not be reached, or its answer was wrong."""

class OutputError(SigmapError):
    """An output file could not be created or written."""

class CallerError(SigmapError):
    """A call whose arguments contradict each other (a bug in the calling code)."""

class InternalError(SigmapError):
    """A failure inside sigmap or a library it uses."""

class Petition:
    """A petition: its totals and its signatures per constituency."""

    @property
    def id(self) -> Optional[int]: ...
    @property
    def title(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def archived(self) -> bool: ...
    @property
    def parliament(self) -> Optional[str]: ...
    @property
    def total(self) -> int: ...
    @property
    def uk_total(self) -> int: ...
    @property
    def uk_total_published(self) -> bool: ...
    @property
    def opened_at(self) -> Optional[str]: ...
    @property
    def updated_at(self) -> Optional[str]: ...
    @property
    def schema(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def vintage(self) -> int: ...
    @property
    def constituency_sum(self) -> int: ...
    @property
    def counts(self) -> dict[str, int]: ...
    def to_dict(self) -> dict[str, Union[list[str], list[Optional[str]], numpy.typing.NDArray[numpy.uint64]]]: ...
    def __len__(self) -> int: ...

def read_petition_file(path: str) -> Petition: ...
def fetch_petition(number: int, *, api: Optional[str] = None, timeout: float = 30.0) -> Petition: ...
def locate(
    lon: float, lat: float, *, vintage: Union[int, str, None] = None, areas: Optional[str] = None
) -> Optional[tuple[str, str]]: ...
def join_points(
    lon: object,
    lat: object,
    *,
    crs: Union[int, str, None] = None,
    areas: Optional[str] = None,
    vintage: Union[int, str, None] = None,
    snap_km: Optional[float] = None,
    gaps: bool = True,
) -> tuple[list[str], list[str], numpy.typing.NDArray[numpy.uint64], dict[str, Union[int, str, None]]]: ...

def set_cache_dir(path: Optional[str]) -> None: ...
def default_cache_dir() -> Optional[str]: ...

HAS_PNG: bool

class Report:
    """A petition analysed (the Rust half of sigmap.Report)."""

    def columns(
        self,
    ) -> list[
        tuple[
            str,
            str,
            bool,
            Union[list[Optional[str]], numpy.typing.NDArray[numpy.int64], numpy.typing.NDArray[numpy.float64], numpy.typing.NDArray[numpy.bool_]],
            numpy.typing.NDArray[numpy.bool_],
        ]
    ]: ...
    @staticmethod
    def column_docs() -> list[tuple[str, str]]: ...
    def summary_json(self) -> str: ...
    def __len__(self) -> int: ...
    def geojson(self) -> str: ...
    def csv(self) -> str: ...
    def write_to_dir(self, dir: str) -> list[str]: ...
    @property
    def vintage(self) -> Optional[int]: ...
    def svg(
        self,
        metric: str = "per_1k_voters",
        classes: Optional[str] = None,
        palette: Optional[str] = None,
        centre: Optional[str] = None,
        insets: Optional[list[str]] = None,
        labels: int = 0,
        hex: bool = False,
        hexjson: Optional[str] = None,
        title: Optional[str] = None,
    ) -> str: ...
    def html(
        self,
        metric: str = "per_1k_voters",
        classes: Optional[str] = None,
        palette: Optional[str] = None,
        hexjson: Optional[str] = None,
        title: Optional[str] = None,
    ) -> str: ...

def report(
    petition: Petition,
    *,
    areas: Optional[str] = None,
    area_id: Optional[str] = None,
    areas_crs: Union[int, str, None] = None,
    denominators: Optional[str] = None,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    to: Union[int, str, None] = None,
    crosswalk: str = "population",
) -> Report: ...
def stats(
    *,
    areas_path: Optional[str] = None,
    areas_geojson: Optional[str] = None,
    areas_name: str = "areas",
    area_id: Optional[str] = None,
    areas_crs: Union[int, str, None] = None,
    ids: list[str],
    count: list[float],
    population: Optional[list[float]] = None,
    values_name: str = "values",
    id_column: str,
    count_column: str,
    population_column: Optional[str] = None,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    engine: str = "shared",
) -> str: ...
def compare(
    a: Petition,
    b: Petition,
    *,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    to: Union[int, str, None] = None,
    crosswalk: str = "population",
) -> tuple[str, Report, Report]: ...
def save_svg(svg: str, path: str, *, scale: float = 1.5) -> None: ...
def save_html(page: str, path: str) -> None: ...
def render_png(svg: str, *, scale: float = 1.5) -> bytes: ...
def batch(
    paths: list[str],
    *,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    to: Union[int, str, None] = None,
    crosswalk: str = "population",
) -> tuple[str, str]: ...
def mp_profile(
    seat: str,
    petitions: list[Petition],
    *,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    crosswalk: str = "population",
) -> str: ...
def column_kinds() -> list[tuple[str, str, bool]]: ...
