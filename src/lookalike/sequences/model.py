"""SequenceModel: ordered rows per entity (a player's seasons, a device's readings).

Per entity it draws, given the entity's context (its parent's columns):
    1. the sequence length and the first step (one cart model on a row per entity),
    2. each later step from the context, the step's index, the steps left and the previous step
       (a second cart model on a row per step), for every entity of a batch at once.
The order column is drawn as gaps (years advance by their usual step, timestamps keep their
spacing and, through the previous step's hour and weekday, their daily and weekly rhythm), so it
never goes back. A column that mostly repeats its previous value is drawn as "same or not" first
and only drawn anew when it changes, so per-entity constancy (a player's team) holds. Ids and
personal data are regenerated, never copied; the key is the context's index or a new id.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from lookalike._progress import progress
from lookalike.errors import DataError, NotFittedError
from lookalike.kinds import NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.sequences import tables as T
from lookalike.sequences.conditional import ConditionalTrees
from lookalike.sequences.follows import find_follows
from lookalike.sequences.keys import Regenerated
from lookalike.sequences.sampling import sample_batch
from lookalike.sequences.step_constraints import fit_step_constraints, undo_step_constraints


class SequenceModel:
    """One ordered child table, optionally given a context row per entity.

    Args:
        key: the column naming each row's entity (None: the table is one series).
        order_by: the column that orders an entity's rows (numbers or datetimes; None: row order).
        seed: seed for fitting and the default seed for sampling.
        metadata: the child table's column kinds (detected when None).
        same_share: a column whose value repeats the previous step's in at least this share of
            steps is drawn as "same or changed" first.
        batch_entities: entities drawn together (memory grows with this times their lengths).
        max_time: seconds for growing trees (a quarter for the entity model, the rest for steps).
        **params: passed to both cart models (min_leaf, prune, ...).
    """

    name = "sequence"  # the model name in model files (lookalike.persistence)

    def __init__(
        self,
        key: str | None = None,
        order_by: str | None = None,
        *,
        seed: int | None = None,
        metadata: Metadata | None = None,
        same_share: float = 0.3,
        batch_entities: int = 5000,
        max_time: float | None = None,
        **params: Any,
    ) -> None:
        self.key, self.order_by, self.seed = key, order_by, seed
        self.metadata = metadata
        self.same_share, self.batch_entities, self.max_time = same_share, batch_entities, max_time
        self.params = params

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        child: Any,
        context: pd.DataFrame | None = None,
        *,
        context_metadata: Metadata | None = None,
    ) -> SequenceModel:
        """Learn from `child` rows; `context` has one row per entity, indexed by key values.
        `context_metadata` gives the context's column kinds (detected when None; a date of
        birth is then a date: the context is given, never written, and it times the steps).
        """
        from lookalike.models.base import as_frame

        child = as_frame(child)
        self._check_columns(child, context)
        data = child.drop(columns=[self.key]) if self.key else child
        meta = (
            Metadata.detect(data)
            if self.metadata is None
            else Metadata(
                {n: c for n, c in self.metadata.columns.items() if n != self.key},
                constraints=list(self.metadata.constraints),
            )
        )
        meta.validate(data)
        self.output_columns_ = [str(c) for c in child.columns]
        child, meta, self.constraints_ = fit_step_constraints(child, self.key, self.order_by, meta)
        order_column = meta.columns.get(self.order_by) if self.order_by else None
        if order_column is not None and order_column.kind not in NUMBER_KINDS:
            raise DataError(
                f"order_by {self.order_by!r} is {order_column.kind}; order by a number or a "
                "date/time column."
            )
        numbers = T.order_numbers(child, self.order_by, order_column)
        rows, codes, numbers, steps = T.sort_steps(child, self.key, numbers)
        facts = T.order_facts(numbers, codes, order_column)
        keys = pd.unique(rows[self.key]) if self.key else np.array([0])
        values = [
            c for c in meta.columns if c != self.order_by and meta.columns[c].kind in T.LEARNED
        ]
        ctx, ctx_meta = None, None
        n_entities = len(keys)
        if context is not None:  # entities: the context's, then keys it lacks (orphans)
            extra = pd.Index(keys).difference(context.index, sort=False)
            index = context.index.append(extra)
            position = pd.Series(np.arange(len(index)), index=index)
            codes = position.loc[rows[self.key]].to_numpy()
            ctx_meta = _context_metadata(context, context_metadata)
            ctx = context[list(ctx_meta.columns)].reindex(index)
            n_entities = len(index)
        flagged = (
            [
                c
                for c in values
                if T.same_as_before(rows[c], codes)[steps > 0].mean() >= self.same_share
            ]
            if (steps > 0).any()
            else []
        )
        start = time.perf_counter()
        seed = (
            np.random.SeedSequence(self.seed).generate_state(2)
            if self.seed is not None
            else [None, None]
        )
        entity, entity_meta = T.entity_table(
            rows, codes, numbers, steps, n_entities, ctx, values, meta, facts, ctx_meta
        )
        given = [c for c in entity.columns if c.startswith(T.CTX)]
        self.entity_ = ConditionalTrees(given, _int(seed[0]), self._cart(0.25)).fit(
            entity, entity_meta
        )
        lengths = np.bincount(codes, minlength=n_entities)
        self.step_: ConditionalTrees | None = None
        if (steps > 0).any():
            table, table_meta, given = T.step_table(
                rows, codes, numbers, steps, lengths, ctx, ctx_meta, values, flagged, meta, facts
            )
            remaining = (
                None
                if self.max_time is None
                else max(self.max_time - (time.perf_counter() - start), 1.0)
            )
            params = self._cart(None) | ({} if remaining is None else {"max_time": remaining})
            self.step_ = ConditionalTrees(given, _int(seed[1]), params).fit(table, table_meta)
        self.values_, self.flagged_, self.facts_ = values, flagged, facts
        self.follows_ = find_follows(rows, values, meta)  # a team's league
        self.columns_ = [str(c) for c in child.columns]
        self.context_columns_ = list(ctx_meta.columns) if ctx_meta is not None else None
        self.order_column_ = order_column
        extras = [c for c in meta.columns if c not in values and c != self.order_by]
        self.regenerated_ = Regenerated.fit(
            rows, self.key, extras, meta, order_column, self.order_by
        )
        self.max_length_ = int(lengths.max()) if len(lengths) else 0
        self.mean_length_ = float(lengths.mean()) if len(lengths) else 0.0  # rows per entity
        return self

    def _cart(self, share: float | None) -> dict[str, Any]:
        params = dict(self.params)
        if self.max_time is not None and share is not None:
            params["max_time"] = self.max_time * share
        return params

    def _check_columns(self, child: pd.DataFrame, context: pd.DataFrame | None) -> None:
        for what, name in (("key", self.key), ("order_by", self.order_by)):
            if name is not None and name not in child.columns:
                raise DataError(
                    f"{what} {name!r} is not a column of the table (it has: "
                    f"{', '.join(map(str, child.columns[:20]))})."
                )
        if context is not None:
            if self.key is None:
                raise DataError("a context needs a key: name the column that links the rows.")
            if not context.index.is_unique:
                raise DataError("the context must have one row per entity (a unique index).")

    # ------------------------------------------------------------------ sample
    def sample(
        self,
        n_entities: int | None = None,
        *,
        context: pd.DataFrame | None = None,
        seed: int | None = None,
        seed_steps: pd.DataFrame | None = None,
        length: int | None = None,
    ) -> pd.DataFrame:
        """Rows for every entity of `context` (its index gives the key), or for `n_entities` new
        ones; `seed_steps` (rows of the child table) are the first steps of their entities, which
        are continued; `length` fixes every sequence's length (a long single series).
        """
        parts = list(
            self.sample_batches(
                n_entities, context=context, seed=seed, seed_steps=seed_steps, length=length
            )
        )
        return pd.concat(parts, ignore_index=True) if parts else self._empty()

    def sample_batches(
        self,
        n_entities: int | None = None,
        *,
        context: pd.DataFrame | None = None,
        seed: int | None = None,
        seed_steps: pd.DataFrame | None = None,
        length: int | None = None,
    ) -> Iterator[pd.DataFrame]:
        """The rows of `sample`, `batch_entities` entities at a time (bounded memory)."""
        self._check_fitted()
        keys, ctx = self._entities(n_entities, context, seed_steps)
        chosen = self.seed if seed is None else seed
        entropy = int(np.random.SeedSequence().entropy) if chosen is None else int(chosen)  # type: ignore[arg-type]
        if seed_steps is not None and self.constraints_:
            raise DataError(
                "seed_steps cannot be continued by a model with constraints; sample new "
                "sequences, or fit without the constraints to continue given steps."
            )
        seeds = self._seed_groups(seed_steps)
        size = max(1, int(self.batch_entities))
        first_row = 0
        with progress(total=len(keys), desc="sampling sequences", unit="entity") as bar:
            for b, start in enumerate(range(0, len(keys), size)):
                rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(b,)))
                part_keys = keys[start : start + size]
                part_ctx = None if ctx is None else ctx.iloc[start : start + size]
                rows = sample_batch(self, part_keys, part_ctx, seeds, length, rng)
                rows = self.regenerated_.fill(rows, part_keys, first_row, entropy, rng)
                first_row += len(rows)
                bar.update(len(part_keys))
                yield undo_step_constraints(
                    rows[self.columns_], self.key, self.constraints_, self.output_columns_
                )

    def _entities(
        self, n: int | None, context: pd.DataFrame | None, seed_steps: pd.DataFrame | None
    ) -> tuple[np.ndarray, pd.DataFrame | None]:
        if context is not None:
            if self.context_columns_ is None:
                raise DataError("this model was fitted without a context; sample n_entities.")
            missing = [c for c in self.context_columns_ if c not in context.columns]
            if missing:
                raise DataError(f"the context lacks column(s) {', '.join(missing)}.")
            if not context.index.is_unique:
                raise DataError("the context must have one row per entity (a unique index).")
            ctx = context[self.context_columns_].rename(columns=lambda c: T.CTX + c)
            return context.index.to_numpy(), ctx
        if seed_steps is not None and self.key is not None:
            return np.asarray(pd.unique(seed_steps[self.key])), None
        n = 1 if n is None and self.key is None else n
        if n is None or isinstance(n, bool) or int(n) < 0:
            raise DataError(f"give a context or n_entities >= 0, got {n!r}.")
        return self.regenerated_.new_keys(int(n), self.seed), None

    def _seed_groups(self, seed_steps: pd.DataFrame | None) -> dict[Any, pd.DataFrame]:
        if seed_steps is None or len(seed_steps) == 0:
            return {}
        if self.key is None:
            return {0: self._sorted(seed_steps)}
        return {k: self._sorted(g) for k, g in seed_steps.groupby(self.key, sort=False)}

    def _sorted(self, rows: pd.DataFrame) -> pd.DataFrame:
        numbers = T.order_numbers(rows, self.order_by, self.order_column_)
        out = rows.iloc[np.argsort(numbers, kind="stable")].reset_index(drop=True)
        return out.assign(**{T.ORDER: np.sort(numbers, kind="stable")})

    def _empty(self) -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in self.output_columns_})

    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "entity_")

    def get_params(self) -> dict[str, Any]:
        """Nothing: a model file restores everything from the state (`from_state`)."""
        return {}

    def save(self, path: Any) -> None:
        """Write the fitted model to one file (JSON + arrays, never pickle); `lookalike.load`
        reads it back.
        """
        from lookalike.persistence import save

        save(self, path)  # type: ignore[arg-type]

    def _check_fitted(self) -> None:
        if not hasattr(self, "entity_"):
            raise NotFittedError("SequenceModel is not fitted; call .fit(rows) first.")

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """A flat dict of JSON-safe values and numpy arrays (`from_state` restores it)."""
        from lookalike.sequences.state import model_state

        self._check_fitted()
        return model_state(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SequenceModel:
        from lookalike.sequences.state import restore

        return restore(cls, state)

    def set_state(self, state: dict[str, Any]) -> SequenceModel:
        """Restore this model from a `get_state` dict (how lookalike.persistence loads it)."""
        self.__dict__.update(type(self).from_state(state).__dict__)
        return self


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _context_metadata(context: pd.DataFrame, given: Metadata | None) -> Metadata:
    """The context's learnable columns (ids, personal data and constants carry no signal); a
    date of birth is detected as a date, so a career or a patient's visits stay timed by it.
    """
    frame = context.reset_index(drop=True)
    if given is not None:
        detected = Metadata({n: c for n, c in given.columns.items() if n in frame.columns})
    else:
        detected = Metadata.detect(frame)  # a date of birth is learned as a date
    return Metadata({n: c for n, c in detected.columns.items() if c.kind in T.LEARNED})
