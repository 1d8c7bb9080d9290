"""Errors raised by lookalike.

LookalikeError            root: the CLI prints its message as one `error:` line and exits 2
├── DataError             the input table cannot be read or used as it is
├── MetadataError         metadata is malformed or does not match the data
├── NotFittedError        sample/save before fit
├── UnknownModelError     no model registered under that name
├── ConditionError        a condition or constraint cannot be met
├── SpecError             a rules spec is invalid
├── ModelFileError        a saved model cannot be read by this version
└── MissingDependencyError an optional extra (torch, dask, ...) is not installed

DataWarning               a guess was made about the input (e.g. its encoding); the CLI prints
                          it as one `warning:` line
"""

from __future__ import annotations


class LookalikeError(Exception):
    """Root of every error lookalike raises on purpose."""


class DataError(LookalikeError, ValueError):
    """The input table cannot be read or used as it is."""


class MetadataError(LookalikeError, ValueError):
    """Metadata is malformed or does not match the data; lists every problem found."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems with the metadata: " + "; ".join(
                self.problems
            )
        super().__init__(message)


class NotFittedError(LookalikeError, AttributeError):
    """A model was used before `fit`."""


class UnknownModelError(LookalikeError, KeyError):
    """No model is registered under the given name."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class ConditionError(LookalikeError, ValueError):
    """A condition or constraint cannot be met."""


class SpecError(LookalikeError, ValueError):
    """A rules spec is invalid. Messages quote spec values, so they are cut to MAX_MESSAGE
    characters: a huge or hostile value (a YAML alias graph) is never printed in full.
    """

    MAX_MESSAGE = 400

    def __init__(self, message: object = "") -> None:
        text = str(message)
        if len(text) > self.MAX_MESSAGE:
            text = text[: self.MAX_MESSAGE - 4] + " ..."
        super().__init__(text)


class ModelFileError(LookalikeError, ValueError):
    """A saved model file is truncated, tampered with, foreign or from another format version."""


class MissingDependencyError(LookalikeError, ImportError):
    """An optional dependency is not installed."""


class DataWarning(UserWarning):
    """A guess was made about the input (its encoding, ...); the result may need checking."""


def require(module: str, extra: str) -> object:
    """Import an optional dependency or raise a MissingDependencyError naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"this needs the optional package {module!r}; install it with "
            f"`pip install 'lookalike[{extra}]'`."
        ) from None
