"""Jobs over many petitions: ``batch`` (the long table, as ``sigmap batch``) and
``mp_profile`` (one seat across petitions, as ``sigmap mp``). Both analyse with the
boundary layer and its spatial weights built once per constituency set."""

from __future__ import annotations

import io
import json
import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, Optional, Sequence, Union

from . import _sigmap
from ._report import _clustering, _count, _petition, _text
from ._sigmap import InputError

if TYPE_CHECKING:
    import pandas

    from ._sigmap import Petition

PathLike = Union[str, "os.PathLike[str]"]

#: The columns the long table has before those of ``areas.csv``.
PETITION_COLUMNS = ("petition_id", "source", "vintage")


def _paths(paths: Any) -> list:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    try:
        items = list(paths)
    except TypeError:
        raise InputError(
            f"argument paths: expected a path or a list of paths, found {type(paths).__name__}"
        ) from None
    out = []
    for i, p in enumerate(items):
        if not isinstance(p, (str, os.PathLike)):
            raise InputError(f"argument paths: item {i} is a {type(p).__name__}, not a path")
        out.append(os.fspath(p))
    return out


def _long_frame(text: str) -> "pandas.DataFrame":
    """The long table's CSV text as a DataFrame with the dtypes of ``Report.to_pandas()``."""
    import pandas

    kinds = {name: (kind, nullable) for name, kind, nullable in _sigmap.column_kinds()}
    names = list(PETITION_COLUMNS) + list(kinds)
    if not text:
        return pandas.DataFrame({n: pandas.Series([], dtype="object") for n in names})
    dtype = {"petition_id": "Int64", "source": "string", "vintage": "string"}
    for name, (kind, nullable) in kinds.items():
        dtype[name] = {
            "str": "string",
            "int": "Int64" if nullable else "int64",
            "float": "float64",
            "bool": "boolean" if nullable else "bool",
        }[kind]
    # every text value is kept as written ("NA" is a code, not a missing value)
    frame = pandas.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False, na_values=[""])
    return frame


def batch(
    paths: Union[PathLike, Iterable[PathLike]],
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
) -> "pandas.DataFrame":
    """Analyses many petition files at once, as ``sigmap batch``: one row per petition and
    seat, the columns ``petition_id``, ``source``, ``vintage`` and then those of
    ``areas.csv`` (the dtypes of ``Report.to_pandas()``). A directory stands for its
    ``.json`` and ``.csv`` files. The layer and its weights are built once per
    constituency set; petitions run in parallel with the GIL released, and Ctrl-C
    (``KeyboardInterrupt``) stops the batch.

    A petition that cannot be analysed is not dropped in silence: it has no rows, a
    ``UserWarning`` names it, and ``frame.attrs["petitions"]`` (one dict per petition, as
    ``petitions.csv``) gives its ``error``.

    ``to=2024`` re-expresses petitions counted on the 2010 seats on the 2024 seats through
    ``crosswalk`` (``population``, ``area`` or a CSV file), so that all rows share one set.

    Examples
    --------
    >>> df = sigmap.batch(["data/petitions/petition_241584.json",
    ...                    "data/petitions/petition_619781.json"],
    ...                   permutations=0, rank_draws=0)
    >>> df.groupby("petition_id").size().to_dict()
    {241584: 650, 619781: 650}
    >>> [p["petition_id"] for p in df.attrs["petitions"]]
    [241584, 619781]
    """
    options = _clustering(weights, islands, permutations, seed, engine)
    text, rows = _sigmap.batch(
        _paths(paths),
        rank_draws=_count(rank_draws, "rank_draws"),
        rank_method=_text(rank_method, "rank_method"),
        to=to,
        crosswalk=_text(crosswalk, "crosswalk"),
        **options,
    )
    petitions = json.loads(rows)
    failed = [p for p in petitions if p.get("error")]
    if failed:
        listed = "; ".join(f"{p['source']}: {p['error']}" for p in failed[:5])
        more = f" and {len(failed) - 5} more" if len(failed) > 5 else ""
        warnings.warn(
            f"{len(failed)} of {len(petitions)} petition(s) could not be analysed: {listed}{more}",
            UserWarning,
            stacklevel=2,
        )
    frame = _long_frame(text)
    frame.attrs["petitions"] = petitions
    return frame


class SeatProfile:
    """One seat across petitions, as ``sigmap mp`` prints it: ``constituency`` (code,
    name, vintage), ``mp``, ``neighbours`` and one entry per petition (``petitions``:
    signatures, rate per 1,000 voters with its interval, rank and plausible ranks,
    unusual support, LISA label, hot or cold spot, the neighbours' rate)."""

    def __init__(self, data: dict) -> None:
        self.data = data

    @property
    def constituency(self) -> dict:
        return self.data["constituency"]

    @property
    def mp(self) -> Optional[str]:
        return self.data["mp"]

    @property
    def neighbours(self) -> list:
        return self.data["neighbours"]

    @property
    def petitions(self) -> list:
        return self.data["petitions"]

    def to_dict(self) -> dict:
        """The profile as ``sigmap mp --format json`` writes it."""
        return self.data

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per petition: ``petition_id``, ``title``, and the seat's figures."""
        import pandas

        rows = []
        for p in self.petitions:
            row = {"petition_id": p["petition"]["id"], "title": p["petition"]["title"]}
            row.update(
                {k: v for k, v in p.items() if k not in ("petition", "neighbour_rates")}
            )
            rows.append(row)
        frame = pandas.DataFrame(rows)
        for name in ("rank_best", "rank_worst", "petition_id"):
            if name in frame:
                frame[name] = frame[name].astype("Int64")
        return frame

    def __repr__(self) -> str:
        c = self.constituency
        return f"<SeatProfile {c['name']} ({c['code']}): {len(self.petitions)} petition(s)>"


def mp_profile(
    seat: str,
    petitions: Union["Petition", PathLike, int, Sequence[Union["Petition", PathLike, int]]],
    *,
    weights: str = "queen",
    islands: str = "keep",
    permutations: int = 999,
    seed: int = 12345,
    rank_draws: int = 1000,
    rank_method: str = "pairwise",
    engine: str = "shared",
    crosswalk: str = "population",
) -> SeatProfile:
    """How strongly one seat backs each petition, against the country and its neighbours,
    as ``sigmap mp SEAT PETITIONS...``. The seat is found by code or by name (case and
    accents do not matter: ``"ynys mon"``); petitions counted on the other constituency
    set are re-expressed on the seat's through ``crosswalk`` (estimates, flagged
    ``estimated``).

    Examples
    --------
    >>> p = sigmap.mp_profile("Cities of London and Westminster",
    ...                       ["data/petitions/petition_241584.json"], permutations=0)
    >>> p.constituency["code"], p.petitions[0]["rank"]
    ('E14000639', 1)
    """
    if isinstance(petitions, (str, os.PathLike, int, _sigmap.Petition)):
        petitions = [petitions]
    items = [_petition(p, f"petitions[{i}]") for i, p in enumerate(petitions)]
    options = _clustering(weights, islands, permutations, seed, engine)
    text = _sigmap.mp_profile(
        _text(seat, "seat"),
        items,
        rank_draws=_count(rank_draws, "rank_draws"),
        rank_method=_text(rank_method, "rank_method"),
        crosswalk=_text(crosswalk, "crosswalk"),
        **options,
    )
    return SeatProfile(json.loads(text))
