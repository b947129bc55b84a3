"""Reading a rule directory: its YAML files, their sections and the version hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problems
from .yaml_lines import LineDict, LineList, error_line, load_yaml

DICT_SECTIONS = ("parameters", "derived_facts", "categories", "agency_table")
LIST_SECTIONS = ("routes", "agencies")
SECTIONS = ("ruleset", "rules", *DICT_SECTIONS, *LIST_SECTIONS)


@dataclass
class Located:
    """A section's value and the file and line it came from."""

    value: object
    file: str
    line: int


@dataclass
class RawBook:
    """The merged, not yet checked, sections of every rule file."""

    directory: str
    version: str
    contents: dict = field(default_factory=dict)  # file name -> bytes
    sections: dict = field(default_factory=dict)
    rules: list = field(default_factory=list)  # (rule mapping, file)


def rule_files(directory: Path) -> list[Path]:
    """The rule files in a directory, in name order (test cases excluded)."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def version_of(files: dict[str, bytes]) -> str:
    """A content hash of the rule files: the same files give the same version."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()[:16]


def read_directory(directory: Path, problems: Problems) -> RawBook:
    """Read and merge every rule file in ``directory``."""
    if not directory.is_dir():
        problems.error(str(directory), 1, "-", "rule directory not found")
        return RawBook(str(directory), "")
    contents = {path.name: path.read_bytes() for path in rule_files(directory)}
    return read_texts(str(directory), contents, problems)


def read_texts(directory: str, contents: dict[str, bytes], problems: Problems) -> RawBook:
    """Merge rule files given as ``{file name: bytes}``."""
    book = RawBook(directory, version_of(contents), dict(contents))
    if not contents:
        problems.error(directory, 1, "-", "no rule files (*.yaml) found")
    for name, data in sorted(contents.items()):
        document = _parse(name, data, problems)
        if document is not None:
            _merge(book, name, document, problems)
    return book


def _parse(name: str, data: bytes, problems: Problems):
    try:
        document = load_yaml(data.decode("utf-8"))
    except UnicodeDecodeError:
        problems.error(name, 1, "-", "the file is not UTF-8 text")
        return None
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.error(name, error_line(error), "-", f"YAML syntax: {problem}")
        return None
    except RecursionError:
        problems.error(name, 1, "-", "the file is nested too deeply to read")
        return None
    if document is None:
        return LineDict()
    if not isinstance(document, LineDict):
        problems.error(name, 1, "-", "a rule file must be a mapping of sections (ruleset, parameters, rules, ...)")
        return None
    return document


def _merge(book: RawBook, name: str, document: LineDict, problems: Problems) -> None:
    for key, value in document.items():
        line = document.line_of(key)
        if key not in SECTIONS:
            problems.error(name, line, str(key), f"unknown section '{key}'. Sections: {', '.join(SECTIONS)}")
        elif key == "rules":
            _merge_rules(book, name, value, line, problems)
        elif key in book.sections:
            first = book.sections[key]
            problems.error(name, line, key, f"section '{key}' is already defined in {first.file}:{first.line}")
        else:
            book.sections[key] = Located(value, name, line)


def _merge_rules(book: RawBook, name: str, value, line: int, problems: Problems) -> None:
    if not isinstance(value, LineList):
        problems.error(name, line, "rules", "'rules' must be a list of rules, each starting with '- id:'")
        return
    for index, rule in enumerate(value):
        if isinstance(rule, LineDict):
            book.rules.append((rule, name))
        else:
            problems.error(name, value.line_of(index), "rules", "each rule must be a mapping starting with '- id:'")
