"""One author–year citation style for the whole book (a small Sphinx extension).

sphinxcontrib-bibtex cites author–year in the text (``bibtex_reference_style: author_year``) but
labels the References page's entries with numbers, [1]–[105], which the reader cannot match
to "Allen et al., 2022" in the text. This extension registers, with pybtex and
sphinxcontrib-bibtex's own plugin registries:

- ``author_year`` labels (pybtex ``pybtex.style.labels``): "Allen et al., 2022", with "a", "b"
  added where two works share authors and year, so each label stays a unique citation target;
- the ``pfp`` formatting style (pybtex's ``plain`` with those labels, sorted by author and year,
  and "et al." for a list of authors that ends in ``others``);
- the ``pfp_author_year`` reference style for the text (sphinxcontrib-bibtex's ``author_year``,
  writing "et al." there too instead of "Liang and others");
- and it marks the References page's entries as list items for assistive technology.

Enabled in ``_config.yml`` (``sphinx.extra_extensions``, ``bibtex_default_style: pfp``,
``bibtex_reference_style: pfp_author_year``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import pybtex.plugin
from pybtex.backends.plaintext import Backend as PlainText
from pybtex.richtext import Tag, Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import join, names, sentence
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import field as template_field
from sphinxcontrib.bibtex.style.template import first_of, node, optional, tag
from sphinxcontrib.bibtex.style.template import join as sphinx_join

ET_AL = "et al."


def _is_others(person) -> bool:
    """BibTeX's ``and others`` reaches pybtex as a person whose only name is "others"."""
    return str(person).strip().lower() == "others"


def _plain(latex: str) -> str:
    # The back end itself, not render_as("text"): pybtex looks a back end's name up among the
    # installed packages' entry points each time (a scan of every distribution, ~15 ms), and the
    # labels of every bibliography are made again on every build.
    return Text.from_latex(latex).render(PlainText())


def _last_names(person) -> str:
    text = " ".join(person.prelast_names + person.last_names)
    return _plain(text) if text else str(person)


def author_year_label(entry) -> str:
    """ "Allen, 2022", "Allen and Flynn, 2022", "Allen et al., 2022"; a corporate author in full."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    real = [p for p in persons if not _is_others(p)]
    if not real:
        who = _plain(entry.fields.get("title", entry.key))
    elif len(real) == 1 and len(persons) == 1:
        who = _last_names(real[0])
    elif len(real) == 2 and len(persons) == 2:
        who = f"{_last_names(real[0])} and {_last_names(real[1])}"
    else:
        who = f"{_last_names(real[0])} {ET_AL}"
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Author–year labels, unique within one bibliography ("Yonhap, 2019a", "Yonhap, 2019b")."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year_label(entry) for entry in entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:
                yield f"{label}{ascii_lowercase[seen[label]]}"
                seen[label] += 1
            else:
                yield label


class BookStyle(PlainStyle):
    """pybtex's plain style with author–year labels and "et al." for ``and others``."""

    default_label_style = "author_year"
    default_sorting_style = "author_year_title"

    def format_names(self, role, as_sentence=True):
        formatted_names = _names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted_names] if as_sentence else formatted_names


@node
def _names_et_al(children, context, role, **kwargs):
    """pybtex's ``names`` template, writing "et al." where the list ends in ``others``."""
    persons = context["entry"].persons.get(role, [])
    if persons and _is_others(persons[-1]):
        style = context["style"]
        shown = [style.format_name(person, style.abbreviate_names) for person in persons[:-1]]
        return Text(join(sep=", ")[shown].format_data(context), " ", ET_AL)
    return names(role, **kwargs).format_data(context)


@node
def _reference_names(children, data, role, sep="", sep2=None, last_sep=None, other=None):
    """sphinxcontrib-bibtex's in-text ``names``, treating a trailing ``others`` as "et al."."""
    persons = data["entry"].persons[role]
    style = data["style"]
    formatted = [style.person.style_plugin.format(p, style.person.abbreviate) for p in persons if not _is_others(p)]
    if len(formatted) < len(persons):
        return Text(formatted[0].format_data(data), " ", Tag("em", ET_AL))
    return sphinx_join(sep=sep, sep2=sep2, last_sep=last_sep, other=other)[formatted].format_data(data)


@node
def _reference_author_or_editor_or_title(children, data, **kwargs):
    return first_of[
        optional[_reference_names("author", **kwargs)],
        optional[_reference_names("editor", **kwargs)],
        tag("em")[template_field("title")],
    ].format_data(data)


@dataclass
class BookPersonStyle(PersonStyle):
    def names(self, role: str, full: bool):
        return _reference_names(
            role=role, sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, other=None if full else self.other
        )

    def author_or_editor_or_title(self, full: bool):
        return _reference_author_or_editor_or_title(
            sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, other=None if full else self.other
        )


@dataclass
class BookReferenceStyle(AuthorYearReferenceStyle):
    person: PersonStyle = field(default_factory=BookPersonStyle)


def register() -> None:
    """Make the styles findable by name (idempotent)."""
    pybtex.plugin.register_plugin("pybtex.style.labels", "author_year", AuthorYearLabelStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "pfp", BookStyle, force=True)
    register_plugin("sphinxcontrib.bibtex.style.referencing", "pfp_author_year", BookReferenceStyle, force=True)


def _citation_items_as_list_items(app, pagename, templatename, context, doctree):
    """docutils wraps citations in ``role="list"`` but marks each ``role="doc-biblioentry"``, a
    role deprecated in DPUB-ARIA 1.1 that is not a list item: screen readers (and axe-core's
    aria-required-children rule) then meet a list without items. Each entry becomes a list item."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    register()
    app.connect("html-page-context", _citation_items_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
