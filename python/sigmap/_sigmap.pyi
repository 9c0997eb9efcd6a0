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
) -> tuple[list[str], list[str], numpy.typing.NDArray[numpy.uint64], dict[str, Union[int, str]]]: ...
