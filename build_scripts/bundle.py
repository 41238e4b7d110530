"""What goes into the frozen CallDesk folder and what is left out (used by calldesk.spec).

Kept apart from the spec so the rules are plain Python that tests can read without
running PyInstaller. The figures in the comments are from this project's Linux build.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
SIZE_BUDGET_MB = 100

# The executables in dist/CallDesk/: the windowed app (double-click, the softphone hook)
# and, on Windows only, for scripts and administrators, a console twin that prints (a
# windowed Windows program has no stdout; elsewhere the app prints itself). Different
# names, also on a case-blind file system.
APP_EXE = "CallDesk"
CLI_EXE = "calldesk-cli"

# Qt modules the app imports: QtCore, QtGui, QtWidgets, QtNetwork (the softphone hook),
# QtPrintSupport (slips, reports), QtCharts (统计报表; it links QtOpenGL/QtOpenGLWidgets).
# PyInstaller follows imports, so every other module stays out unless something drags it
# in; these are refused outright in case one does.
EXCLUDED_MODULES = [
    # Qt we never use: QML/Quick, WebEngine, 3D, Multimedia, PDF, Designer, …
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel", "PySide6.QtWebSockets",
    "PySide6.QtWebView", "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DExtras",
    "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DAnimation",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtDesigner",
    "PySide6.QtUiTools", "PySide6.QtHelp", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSensors", "PySide6.QtSerialPort", "PySide6.QtSerialBus",
    "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtGraphsWidgets",
    "PySide6.QtHttpServer", "PySide6.QtNetworkAuth", "PySide6.QtConcurrent",
    "PySide6.QtXml", "PySide6.QtSvgWidgets", "PySide6.QtAxContainer", "PySide6.QtDBus",
    # QtCharts links the QtOpenGL libraries, but Python never touches their bindings (8 MB).
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    # lxml: openpyxl writes through lxml.etree; objectify and the schema tools are unused.
    "lxml.objectify", "lxml.isoschematron", "lxml.html", "lxml.cssselect",
    # Only the benchmark uses pandas (and numpy with it); openpyxl merely probes for numpy.
    "numpy", "pandas",
    # Tests and tools are not shipped.
    "tests", "pytest", "_pytest", "pytest_qt", "pytestqt", "pluggy", "ruff", "build_scripts",
    "PyInstaller", "setuptools", "pkg_resources", "pip", "fontTools", "pygments",
    # Standard-library parts nothing imports at run time.
    "tkinter", "unittest", "pydoc_data", "lib2to3", "idlelib", "ensurepip", "venv",
    "doctest",
    # phonenumbers: we parse and format; we never ask where a number is from or its
    # carrier (geodata alone is 40 MB of Python).
    "phonenumbers.geocoder", "phonenumbers.geodata", "phonenumbers.carrier",
    "phonenumbers.carrierdata", "phonenumbers.timezone", "phonenumbers.tzdata",
    # Python's Japanese, Korean and Traditional Chinese codecs (GBK/GB18030 stay).
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_iso2022",
    # decimal's pure-Python fallback (the C _decimal ships), lxml's SAX bridge.
    "_pydecimal", "lxml.sax",
]
# Linux only: psycopg's binary wheel carries its own libpq with OpenSSL, Kerberos and LDAP
# (10 MB); a Linux desktop that uses a PostgreSQL server has libpq5, which psycopg then
# loads itself. Windows has no libpq of its own: the binary package ships there.
LINUX_EXCLUDED_MODULES = ["psycopg_binary"]

# Faker (the demo database) knows ~90 locales; the demo speaks zh_CN, with en_US as
# Faker's own fallback.
FAKER_LOCALES = ("zh_CN", "en_US", "en")

# Qt plugins: only the kinds a widgets app on Windows or a Linux desktop loads. Not TLS
# (the hook is a local socket; PostgreSQL brings its own OpenSSL), network information,
# evdev input (generic), EGL device integration or Wayland (Linux desktops run xcb, also
# through XWayland).
KEPT_PLUGIN_DIRS = {
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "styles", "printsupport", "xcbglintegrations",
}
# Of the platforms: Windows, the X11 desktop, and offscreen (the smoke test, CI).
KEPT_PLATFORMS = ("qwindows", "qxcb", "qoffscreen", "qminimal")
# Of the Linux platform themes: the desktop portal (file dialogs), not GTK 3, which pulls
# in GTK, GDK, Cairo and Pango (~20 MB). Windows has none.
KEPT_PLATFORM_THEMES = ("qxdgdesktopportal",)
# Of the input methods: compose and IBus (pinyin input on Linux), not the virtual keyboard
# (QML/Quick).
KEPT_INPUT_CONTEXTS = ("composeplatforminputcontextplugin", "ibusplatforminputcontextplugin")
# Of the image formats: ICO, the window icon (drawn from the SVG at build time, so neither
# QtSvg nor its plugins ship); PNG is built into QtGui. CallDesk opens no pictures: not SVG,
# JPEG, GIF, TIFF, WebP, ICNS, TGA, WBMP, PDF.
KEPT_IMAGE_FORMATS = ("qico",)
# The SVG icon engine goes with QtSvg.
KEPT_ICON_ENGINES: tuple[str, ...] = ()


# Linux only: the system libraries PyInstaller copies from /usr/lib because Qt, CUPS or
# Python link them. Every Linux desktop has them (X11, fontconfig, GLib, D-Bus, CUPS and what
# those need), and the copies would be the build machine's (~28 MB), so the desktop's own are
# used, SQLite's too (libsqlite3-0, which every desktop has). Kept: libpython and libffi, and
# the xcb utility libraries that minimal installs lack (libxcb-cursor0, -icccm4, -keysyms1,
# -image0, -render-util0, -util1: the "could not load the Qt platform plugin xcb" ones).
# Windows and macOS builds keep everything (their system libraries are never collected).
LINUX_SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
LINUX_KEPT_SYSTEM_LIBS = ("libpython", "libffi", "libxcb-cursor",
                          "libxcb-icccm", "libxcb-keysyms", "libxcb-image",
                          "libxcb-render-util", "libxcb-util", "libmpdec")


def keep_linux_system_library(dest: str, source: str) -> bool:
    """Whether a library PyInstaller found in the system's folders is shipped (Linux)."""
    if not source.startswith(LINUX_SYSTEM_DIRS) or "/" in dest.replace("\\", "/"):
        return True  # a wheel's library, or one inside a package folder
    return dest.startswith(LINUX_KEPT_SYSTEM_LIBS)


@dataclass(frozen=True)
class Metadata:
    name: str  # the product name Windows shows (file properties, task manager)
    description: str
    version: str  # app.__version__, e.g. "0.1.0"
    company: str
    copyright: str

    @property
    def version_tuple(self) -> tuple[int, int, int, int]:
        numbers = [int(n) for n in re.findall(r"\d+", self.version)[:4]]
        return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def metadata(root: Path = ROOT) -> Metadata:
    """The product name from pyproject ([tool.calldesk]), the version from app.__version__
    (pyproject's dynamic version reads the same attribute)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    tool = project.get("tool", {}).get("calldesk", {})
    init = (root / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', init, re.M)
    if found is None:
        raise SystemExit("bundle: no __version__ in app/__init__.py")
    return Metadata(name=tool.get("product-name", project["project"]["name"]),
                    description=project["project"].get("description", ""),
                    version=found[1], company=tool.get("company", ""),
                    copyright=tool.get("copyright", ""))


def version_file_text(meta: Metadata, original_filename: str) -> str:
    """Windows version information in the format PyInstaller's ``version=`` file takes."""
    v = meta.version_tuple
    strings = {
        "CompanyName": meta.company, "FileDescription": meta.name,
        "FileVersion": meta.version, "InternalName": APP_EXE,
        "LegalCopyright": meta.copyright, "OriginalFilename": original_filename,
        "ProductName": meta.name, "ProductVersion": meta.version,
        "Comments": meta.description,
    }
    string_structs = ",\n          ".join(f"StringStruct({k!r}, {val!r})"
                                          for k, val in strings.items())
    # 0x0804 (Chinese, PRC) with code page 1200 (Unicode), the language of the product.
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
          {string_structs}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def _parts(dest: str) -> tuple[str, ...]:
    return PurePath(dest.replace("\\", "/")).parts


# Windows: Mesa's software OpenGL (opengl32sw.dll, ~20 MB) and the Direct3D shader compiler
# are for OpenGL and Qt Quick content; CallDesk's widgets (and QtCharts' QChartView, a
# graphics view) paint with the raster engine.
WINDOWS_UNUSED_DLLS = ("opengl32sw.dll", "d3dcompiler_47.dll")


def keep_file(dest: str) -> bool:
    """Whether a file PyInstaller collected (its path inside the bundle) is shipped."""
    parts = _parts(dest)
    lowered = [p.lower() for p in parts]
    if lowered and lowered[-1] in WINDOWS_UNUSED_DLLS:
        return False
    if "pyside6" in lowered:
        i = lowered.index("pyside6")
        rest = lowered[i + 1:]
        if rest[:1] == ["qt"]:
            rest = rest[1:]
        if rest[:1] == ["translations"]:  # Qt's own: we ship qtbase_zh_CN in resources/
            return False
        if rest[:1] == ["plugins"] and len(rest) > 2:
            kind, name = rest[1], rest[-1]
            if kind not in KEPT_PLUGIN_DIRS:
                return False
            stem = re.sub(r"^lib", "", name.split(".")[0])
            if kind == "platforms":
                return stem in KEPT_PLATFORMS
            if kind == "imageformats":
                return stem in KEPT_IMAGE_FORMATS
            if kind == "iconengines":
                return stem in KEPT_ICON_ENGINES
            if kind == "platformthemes":
                return stem in KEPT_PLATFORM_THEMES
            if kind == "platforminputcontexts":
                return stem in KEPT_INPUT_CONTEXTS
        if rest[:1] == ["qml"] or name_has(rest, "qtquick", "qtqml", "qtwebengine", "qt6pdf",
                                          "qt6qml", "qt6quick", "qt6virtualkeyboard"):
            return False
    if lowered[:1] == ["faker"] and len(parts) > 3 and lowered[1] == "providers":
        # faker/providers/<kind>/<locale>/__init__.py: only our locales
        return parts[3] in FAKER_LOCALES or not _looks_like_locale(parts[3])
    if lowered[:1] == ["holidays"] and "locale" in lowered:
        return "CN.mo" in parts or "CN.po" in parts  # China's holiday names only
    return True


def name_has(parts: list[str], *needles: str) -> bool:
    name = parts[-1] if parts else ""
    return any(name.startswith(n) or name.startswith("lib" + n) for n in needles)


def keep_module(name: str) -> bool:
    """Whether a Python module PyInstaller found is shipped (faker's other locales not)."""
    parts = name.split(".")
    if parts[:2] == ["faker", "providers"] and len(parts) > 3:
        return parts[3] in FAKER_LOCALES or not _looks_like_locale(parts[3])
    return True


def _looks_like_locale(name: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}(_[A-Z][A-Za-z]{1,3})?", name))


def folder_size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()
               and not p.is_symlink()) / 1_000_000


# --- ICU (Linux) ------------------------------------------------------------------------
# PySide6's Linux wheels link Qt to their own ICU 73, whose data library (libicudata) is
# 31 MB: every locale's names of languages, regions, currencies, units and time zones, all
# collations, 200 legacy code pages, dictionaries for Thai, Khmer, Lao, Burmese and CJK
# word breaking. Qt uses ICU for collation (QCollator), case mapping, and code pages; it
# breaks text with its own tables and reads time zones from the system. CallDesk speaks
# zh_CN and en, so the data is cut down to those locales (and root, which all fall back
# to), GB18030/GBK and Windows-1252, and rebuilt as the same library with ICU's icupkg
# (Debian: icu-devtools) and the C compiler: ~4 MB. Windows Qt uses the system's ICU;
# without the tools the full library ships (and the build says so).
ICU_ENGLISH = ("en", "en_US", "en_001", "en_GB")
ICU_NOT_LOCALES = {"root", "pool", "res_index"}
ICU_CODE_PAGES = ("gb18030", "windows-936", "ibm-5348")


def keep_icu_item(item: str) -> bool:
    """Whether an item of ICU's data package (``coll/zh.res``, ``gb18030.cnv`` …) is kept."""
    folder, _, name = item.rpartition("/")
    stem, _, kind = name.rpartition(".")
    if folder == "translit" or kind in ("dict", "spp", "cfu") or name == "unames.icu":
        return False  # transliteration, word dictionaries, StringPrep, spoofing, char names
    if kind == "cnv":
        return stem.startswith(ICU_CODE_PAGES)
    if kind == "res" and stem not in ICU_NOT_LOCALES and _looks_like_icu_locale(stem):
        return stem in ICU_ENGLISH or stem == "zh" or stem.startswith("zh_")
    return True


def _looks_like_icu_locale(stem: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}(_[A-Za-z0-9]*)*", stem))


def trim_icu_data(library: Path, work: Path) -> Path | None:
    """A copy of libicudata.so.NN with only the data ``keep_icu_item`` keeps; None (and a
    warning) when icupkg or the compiler is missing or anything fails."""
    import shutil
    import subprocess

    tools = {name: shutil.which(name) for name in ("icupkg", "cc", "readelf")}
    if None in tools.values():
        print(f"bundle: WARNING: {', '.join(k for k, v in tools.items() if not v)} not "
              "found (Debian: apt-get install icu-devtools gcc binutils); shipping the "
              "full ICU data (31 MB)")
        return None
    try:
        symbols = subprocess.run([tools["readelf"], "--dyn-syms", "-W", str(library)],
                                 check=True, capture_output=True, text=True).stdout
        found = re.search(r":\s*([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+"
                          r"(icudt(\d+)_dat)", symbols)
        if found is None:
            raise RuntimeError(f"no icudtNN_dat symbol in {library}")
        address, size, symbol = int(found[1], 16), int(found[2], 0), found[3]
        sections = subprocess.run([tools["readelf"], "-S", "-W", str(library)],
                                  check=True, capture_output=True, text=True).stdout
        rodata = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", sections)
        if rodata is None:
            raise RuntimeError(f"no .rodata in {library}")
        offset = address - int(rodata[1], 16) + int(rodata[2], 16)
        folder = work / "icu"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        full = folder / f"{symbol[:-4]}l.dat"
        with library.open("rb") as handle:
            handle.seek(offset)
            full.write_bytes(handle.read(size))
        items = subprocess.run([tools["icupkg"], "-l", str(full)], check=True,
                               capture_output=True, text=True).stdout.split()
        dropped = [item for item in items if not keep_icu_item(item)]
        (folder / "drop.txt").write_text("\n".join(dropped) + "\n", encoding="utf-8")
        # Same file name: icupkg names the items after it (icudt73l/coll/zh.res), and ICU
        # looks them up by that name.
        (folder / "out").mkdir()
        trimmed = folder / "out" / full.name
        subprocess.run([tools["icupkg"], "--ignore-deps", "-r", str(folder / "drop.txt"),
                        str(full), str(trimmed)], check=True, capture_output=True)
        source = folder / "icudata.S"
        source.write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign 16\n{symbol}:\n\t.incbin "out/{trimmed.name}"\n'
            f'\t.size {symbol}, .-{symbol}\n\t.section .note.GNU-stack,"",@progbits\n',
            encoding="utf-8")
        out = folder / library.name
        subprocess.run([tools["cc"], "-shared", "-nostdlib", f"-Wl,-soname,{library.name}",
                        "-o", str(out), source.name], cwd=folder, check=True,
                       capture_output=True)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        print(f"bundle: WARNING: could not trim the ICU data ({error} "
              f"{detail.decode(errors='replace') if isinstance(detail, bytes) else detail}); "
              "shipping it whole")
        return None
    print(f"bundle: ICU data {size / 1e6:.1f} MB -> {trimmed.stat().st_size / 1e6:.1f} MB "
          f"({len(items) - len(dropped)} of {len(items)} items)")
    return out
