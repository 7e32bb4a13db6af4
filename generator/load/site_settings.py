"""The school's own site settings: the top-level ``mkdocs.yml`` of its folder (issue 24).

A school may change how its sites look (the name shown, colours, logo, favicon, its own stylesheet, extra
links in the menu) and nothing else. The file INHERITs the tool's base config (generator/mkdocs.yml): the
generated config of each site is the base, then the school's settings, then what the generator writes
(navigation, audience, site_url from school.yml). Everything else (plugins, JavaScript, hooks, Markdown
extensions, the theme's templates) is the tool's: the gate's Content-Security-Policy, the guides' steps and
the safety checks rely on it, so ``check`` refuses such a setting at its line rather than let it through.

A missing file, or one holding only comments, changes nothing: the sites are built exactly as without it.
The files a setting names (logo, favicon, stylesheets) are the school's own, under its ``assets/`` folder,
and are copied into each site at ``assets/school/``.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.load.diagnostics import Diagnostic, DiagnosticError
from generator.load.files import read_text
from generator.load.source import Source
from generator.load.strict_yaml import parse_yaml

SETTINGS_FILE = "mkdocs.yml"
ASSETS_FOLDER = "assets"
"""The school's folder of files its settings name (logo, favicon, stylesheets)."""
SITE_ASSETS = "assets/school"
"""Where those files are in each built site."""
MAX_ASSET_BYTES = 2 * 1024 * 1024

FORBIDDEN = {
    "plugins": "plugins are the tool's: the search, the guides' steps and the safety gate depend on them",
    "extra_javascript": "no script may come from a school's files: the sites' Content-Security-Policy allows "
                        "only the tool's own scripts",
    "hooks": "hooks run Python code during the build: only the tool's may run",
    "markdown_extensions": "the Markdown extensions are the tool's: the check that no text becomes live markup "
                           "assumes exactly these",
    "extra_templates": "templates are the tool's: nothing from a school's files may become live markup",
    "custom_dir": "the theme's templates are the tool's (generator/theme/): they hold the sites' safety measures",
    "theme.custom_dir": "the theme's templates are the tool's (generator/theme/): they hold the sites' safety "
                        "measures",
    "theme.name": "the sites are built with Material for MkDocs and the tool's templates on top of it",
    "theme.font": "the sites load no web fonts: the staff site may be offline, and a font service learns who "
                  "reads the pages",
    "theme.features": "the theme's features are the tool's: the tests and the gate check the pages they make",
    "theme.language": "the sites' language is the tool's (the theme's wording is written for it)",
    "site_url": "the sites' addresses are written in school.yml (site: staff_url, parents_url)",
    "INHERIT": "the generator supplies the base config itself: leave INHERIT out",
    "docs_dir": "the pages are generated into a folder of the build, not read from docs_dir",
    "site_dir": "where a site is written is the build's ('python -m generator build --output')",
    "extra": "extra values are read by the tool's templates: they are the generator's to set",
    "strict": "the build is always strict: a broken link must fail it",
    "use_directory_urls": "the sites' addresses are the tool's (links between pages rely on them)",
    "validation": "the build is always strict: a broken link must fail it",
}
ALLOWED = ("site_name", "theme.palette", "theme.logo", "theme.favicon", "theme.icon", "extra_css", "nav",
           "copyright")
"""What a school may set (the README's and the data-format page's list)."""

_IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico")
"""Raster images only: an SVG file can hold script, which runs when the file itself is opened."""
_PLAIN = re.compile(r"[^<>&\"`{}\\]*")
"""Text shown by the theme's templates, which do not escape it: no markup, no template syntax."""
_SAFE_WORD = re.compile(r"[A-Za-z0-9 _:()/.,#%-]*")
_ICON = re.compile(r"[a-z0-9-]+(/[a-z0-9-]+)+")
_LINK = re.compile(r"(https://|http://|mailto:)[^\s<>\"'`\\]+")
_PALETTE_KEYS = {"scheme", "primary", "accent", "media", "toggle"}
# The colours Material's palette knows (mkdocs-material 9, docs/setup/changing-the-colors.md). Any other value,
# a hex colour above all, is silently ignored by Material and the site keeps its default colour, so it is refused
# here with the way to a colour of one's own: `custom` and a stylesheet setting --md-primary-fg-color.
_ACCENTS = {"red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal", "green",
            "light green", "lime", "yellow", "amber", "orange", "deep orange", "custom"}
_COLOURS = {"primary": _ACCENTS | {"brown", "grey", "blue grey", "black", "white"}, "accent": _ACCENTS}
_TOGGLE_KEYS = {"icon", "name"}


@dataclass
class SiteSettings:
    """The settings a school chose, ready for the generated configs, and the files they name."""

    site_name: str | None = None
    copyright: str | None = None
    theme: dict = field(default_factory=dict)
    extra_css: list[str] = field(default_factory=list)
    nav: list[dict] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    """Path in each site's docs -> the file's bytes (the school's logo, favicon, stylesheets)."""


class _Reader:
    def __init__(self, root: Path, source: Source):
        self.root, self.source = root, source
        self.settings = SiteSettings()
        self.problems: list[Diagnostic] = []

    def problem(self, loc: tuple, code: str, message: str, hint: str | None = None, key: bool = False) -> None:
        line, column = self.source.position(("<key>", *loc) if key else loc)
        self.problems.append(Diagnostic(self.source.display, line, column, code, message, hint=hint))

    def read(self) -> None:
        data = self.source.data
        if not isinstance(data, dict):
            self.problem((), "E391", "the site settings must be a mapping of setting: value")
            return
        for key, value in data.items():
            if key == "theme":
                self.theme(value)
            elif key in FORBIDDEN:
                self.forbidden((key,), key)
            elif key in ("site_name", "copyright"):
                if self.plain((key,), value):
                    setattr(self.settings, key, value)
            elif key == "extra_css":
                self.extra_css(value)
            elif key == "nav":
                self.nav(value)
            else:
                self.problem((key,), "E390", f"'{key}' is not a setting a school may change",
                             hint=f"a school may set: {', '.join(ALLOWED)}", key=True)

    def forbidden(self, loc: tuple, name: str) -> None:
        self.problem(loc, "E390", f"'{name}' may not be set in the school's {SETTINGS_FILE}: {FORBIDDEN[name]}",
                     hint=f"remove it; a school may set: {', '.join(ALLOWED)}", key=True)

    def plain(self, loc: tuple, value, pattern: re.Pattern = _PLAIN) -> bool:
        if not isinstance(value, str) or not value.strip():
            self.problem(loc, "E391", f"'{'.'.join(map(str, loc))}' must be a line of text")
            return False
        if "\n" in value or not pattern.fullmatch(value):
            self.problem(loc, "E391", f"'{'.'.join(map(str, loc))}' may not hold markup or special characters: "
                                      f"{value!r}", hint="write plain words")
            return False
        return True

    def theme(self, value) -> None:
        if not isinstance(value, dict):
            self.problem(("theme",), "E391", "'theme' must be a mapping (palette:, logo:, favicon:, icon:)")
            return
        for key, item in value.items():
            loc = ("theme", key)
            if f"theme.{key}" in FORBIDDEN:
                self.forbidden(loc, f"theme.{key}")
            elif key == "palette":
                if self.palette(loc, item):
                    self.settings.theme["palette"] = item
            elif key in ("logo", "favicon"):
                path = self.asset(loc, item, _IMAGE_TYPES)
                if path:
                    self.settings.theme[key] = path
            elif key == "icon":
                if isinstance(item, dict) and all(self.icon((*loc, name), icon) for name, icon in item.items()):
                    self.settings.theme["icon"] = item
                elif not isinstance(item, dict):
                    self.problem(loc, "E391", "'theme.icon' must be a mapping such as 'logo: material/school'")
            else:
                self.problem(loc, "E390", f"'theme.{key}' is not a setting a school may change",
                             hint=f"a school may set: {', '.join(ALLOWED)}", key=True)

    def icon(self, loc: tuple, value) -> bool:
        if isinstance(value, str) and _ICON.fullmatch(value):
            return True
        self.problem(loc, "E391", f"'{'.'.join(map(str, loc))}' must name one of the theme's icons, "
                                  "such as material/school")
        return False

    def palette(self, loc: tuple, value) -> bool:
        schemes = value if isinstance(value, list) else [value]
        good = True
        for index, scheme in enumerate(schemes):
            here = (*loc, index) if isinstance(value, list) else loc
            if not isinstance(scheme, dict):
                self.problem(here, "E391", "a palette is a mapping such as 'primary: teal'")
                good = False
                continue
            for key, item in scheme.items():
                if key not in _PALETTE_KEYS:
                    self.problem((*here, key), "E390", f"'{key}' is not part of a palette",
                                 hint=f"a palette may set: {', '.join(sorted(_PALETTE_KEYS))}", key=True)
                    good = False
                elif key == "toggle":
                    if not isinstance(item, dict) or set(item) - _TOGGLE_KEYS:
                        self.problem((*here, key), "E391", "a palette's toggle is 'icon:' and 'name:'")
                        good = False
                    else:
                        good &= all(self.icon((*here, key, "icon"), icon) for name, icon in item.items()
                                    if name == "icon")
                        good &= all(self.plain((*here, key, "name"), text) for name, text in item.items()
                                    if name == "name")
                elif not self.plain((*here, key), item, _SAFE_WORD):
                    good = False
                elif key in _COLOURS and item.strip().lower() not in _COLOURS[key]:
                    self.problem((*here, key), "E391", f"the theme knows no {key} colour '{item}'",
                                 hint=f"use one of: {', '.join(sorted(_COLOURS[key]))}; for a colour of your own "
                                      f"write '{key}: custom' and set it in a stylesheet under 'extra_css'")
                    good = False
        return good

    def extra_css(self, value) -> None:
        if not isinstance(value, list):
            self.problem(("extra_css",), "E391", "'extra_css' must be a list of stylesheets under assets/")
            return
        for index, item in enumerate(value):
            path = self.asset(("extra_css", index), item, (".css",))
            if path:
                self.settings.extra_css.append(path)

    def nav(self, value) -> None:
        if not isinstance(value, list):
            self.problem(("nav",), "E391", "'nav' must be a list of 'Title: https://…' links to add to the menu")
            return
        for index, entry in enumerate(value):
            loc = ("nav", index)
            if not isinstance(entry, dict) or len(entry) != 1:
                self.problem(loc, "E391", "each menu entry is one 'Title: https://…' line")
                continue
            (title, link), = entry.items()
            if not self.plain(loc, title):
                continue
            if not isinstance(link, str) or not _LINK.fullmatch(link):
                self.problem((*loc, title), "E391", f"menu entry '{title}' must link to an https://, http:// or "
                                                    "mailto: address (the sites' own pages are in the menu already)")
                continue
            self.settings.nav.append({title: link})

    def asset(self, loc: tuple, value, suffixes: tuple[str, ...]) -> str | None:
        """A file of the school's assets/ folder named by a setting: its path in the sites, its bytes kept."""
        name = ".".join(map(str, loc))
        path = PurePosixPath(value) if isinstance(value, str) else None
        if path is None or path.is_absolute() or ".." in path.parts or path.parts[:1] != (ASSETS_FOLDER,) \
                or len(path.parts) < 2 or "\\" in value:
            self.problem(loc, "E392", f"'{name}' must name a file in the school's {ASSETS_FOLDER}/ folder, "
                                      f"such as {ASSETS_FOLDER}/logo.png")
            return None
        if path.suffix.lower() not in suffixes:
            self.problem(loc, "E392", f"'{name}' must be a {' '.join(suffixes)} file: {value}",
                         hint="an SVG file can hold script, so logos and favicons are raster images"
                         if ".png" in suffixes else None)
            return None
        file = self.root / path
        # Every folder on the way counts, not only the file: a linked assets/ would publish another folder's files.
        if any((self.root / PurePosixPath(*path.parts[:depth])).is_symlink() for depth in range(1, len(path.parts) + 1)):
            self.problem(loc, "E392", f"'{name}' names {value}, which is or goes through a symbolic link",
                         hint="put the file itself in the school's assets/ folder")
            return None
        try:
            mode = file.lstat().st_mode
            data = file.read_bytes() if stat.S_ISREG(mode) and file.stat().st_size <= MAX_ASSET_BYTES else None
        except OSError:
            self.problem(loc, "E392", f"'{name}' names {value}, which is not in the school's folder")
            return None
        if data is None:
            self.problem(loc, "E392", f"'{name}' names {value}, which is not an ordinary file of at most "
                                      f"{MAX_ASSET_BYTES // 1024 // 1024} MB")
            return None
        site_path = f"{SITE_ASSETS}/{path.relative_to(ASSETS_FOLDER).as_posix()}"
        self.settings.files[site_path] = data
        return site_path


def read_site_settings(root: Path) -> tuple[SiteSettings, list[Diagnostic]]:
    """The school's site settings from ``root/mkdocs.yml`` (none when the file is missing or all comments),
    and every setting refused, at its line."""
    path = root / SETTINGS_FILE
    if not path.exists() and not path.is_symlink():
        return SiteSettings(), []
    try:
        source = parse_yaml(read_text(path, SETTINGS_FILE), path, SETTINGS_FILE)
    except DiagnosticError as error:
        return SiteSettings(), error.diagnostics
    if source is None:
        return SiteSettings(), []
    reader = _Reader(root, source)
    reader.read()
    return (SiteSettings(), reader.problems) if reader.problems else (reader.settings, source.warnings)


def apply_site_settings(config: dict, settings: SiteSettings | None, base_config: Path) -> dict:
    """A site's generated config with the school's settings laid over the base config's: the school's
    name shown, theme settings, stylesheets after the tool's own (a list in the generated config replaces
    the base's, so the base's are kept first), links after the generated menu. Without settings, unchanged."""
    if settings is None:
        return config
    if settings.site_name:
        config["site_name"] = config["site_name"].replace(config["extra"]["school_name"], settings.site_name, 1)
    if settings.copyright:
        config["copyright"] = settings.copyright
    if settings.theme:
        config["theme"] = {**config["theme"], **settings.theme}
    if settings.extra_css:
        import yaml

        base = yaml.safe_load(base_config.read_text(encoding="utf-8")) or {}
        config["extra_css"] = [*base.get("extra_css", []), *settings.extra_css]
    if settings.nav:
        config["nav"] = [*config["nav"], *settings.nav]
    return config
