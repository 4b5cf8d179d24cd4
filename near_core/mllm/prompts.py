"""Versioned prompt templates (package data under ``near_core/mllm/prompts/*.txt``).

A template is plain text with an optional ``{category}`` slot (e.g. "bird species"). Its
version is the name plus a hash of the file's content, so editing a template changes the
version of every prompt made from it and therefore the answers' cache key. A rendered prompt's
version adds a hash of the category it was filled with.

- ``name``: the domain-naming prompt ("What is the exact {category} in this image? ...").
- ``meta``: asks one image what fine-grained category the collection shows; used once per run
  when ``mllm.category`` is unset (see :func:`normalise_category`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from near_core.errors import NearError

CATEGORY_SLOT = "{category}"
CATEGORY_MAX = 60


class PromptError(NearError):
    """A prompt template cannot be found or read, or is used without its category."""


@dataclass(frozen=True)
class Prompt:
    """A rendered prompt: the text sent with the image and its cache-key version."""

    text: str
    version: str


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt template: ``name`` (file stem) and ``text`` (file content)."""

    name: str
    text: str

    @property
    def version(self) -> str:
        """``<name>-<first 10 hex of sha256(text)>``: changes with the template's content."""
        return f"{self.name}-{hashlib.sha256(self.text.encode()).hexdigest()[:10]}"

    @property
    def needs_category(self) -> bool:
        return CATEGORY_SLOT in self.text

    def render(self, category: str | None = None) -> Prompt:
        """Fill the ``{category}`` slot (other braces are left alone)."""
        if not self.needs_category:
            return Prompt(self.text.strip(), self.version)
        if not category or not category.strip():
            raise PromptError(f"prompt template {self.name!r} needs a category (mllm.category)")
        category = category.strip()
        tag = hashlib.sha256(category.encode()).hexdigest()[:6]
        return Prompt(self.text.replace(CATEGORY_SLOT, category).strip(), f"{self.version}-{tag}")


def load_template(name_or_path: str) -> PromptTemplate:
    """A template by name (``"name"``, ``"meta"``: shipped files) or by path to a ``.txt`` file."""
    if name_or_path.endswith(".txt") or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PromptError(f"prompt template {path} cannot be read: {exc}") from None
        return PromptTemplate(path.stem, text)
    res = resources.files("near_core.mllm").joinpath("prompts", f"{name_or_path}.txt")
    if not res.is_file():
        raise PromptError(
            f"no prompt template named {name_or_path!r}; shipped: {', '.join(template_names())}"
        )
    return PromptTemplate(name_or_path, res.read_text(encoding="utf-8"))


def template_names() -> list[str]:
    """Names of the shipped templates."""
    folder = resources.files("near_core.mllm").joinpath("prompts")
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".txt"))


def naming_prompt(category: str, *, template: str = "name") -> Prompt:
    """The domain-naming prompt for ``category`` (e.g. "bird species")."""
    return load_template(template).render(category)


def meta_prompt() -> Prompt:
    """The prompt that asks an image for the collection's fine-grained category."""
    return load_template("meta").render()


def normalise_category(answer: str) -> str | None:
    """A category from a meta-prompt answer: first line, no markdown or quotes, lower case,
    at most CATEGORY_MAX characters; None when nothing usable remains."""
    line = next((ln for ln in answer.splitlines() if ln.strip()), "")
    line = re.sub(r"[*_`\"'“”]", "", line)
    line = re.sub(r"^(the )?(category|answer)\s*(is|:)\s*", "", line.strip(), flags=re.I)
    line = re.sub(r"^(these|the) (images?|objects?) (show|are|belong to)\s*", "", line, flags=re.I)
    line = re.sub(r"[^\w\s'-]", " ", line).strip().lower()
    line = " ".join(line.split())[:CATEGORY_MAX].strip()
    return line or None
