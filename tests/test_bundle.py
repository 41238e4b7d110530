"""The frozen build's rules (build_scripts/bundle.py) and its icon, without building."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))

import bundle  # noqa: E402
import make_icon  # noqa: E402

from app import __version__  # noqa: E402


def test_metadata_comes_from_pyproject_and_the_package() -> None:
    meta = bundle.metadata()
    assert meta.name == "CallDesk 物业客服工作台"
    assert meta.version == __version__
    assert meta.version_tuple[:3] == tuple(int(n) for n in __version__.split(".")[:3])


def test_the_windows_version_information_names_product_and_version() -> None:
    text = bundle.version_file_text(bundle.metadata(), "CallDesk.exe")
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "StringStruct('ProductName', 'CallDesk 物业客服工作台')" in text
    assert "StringStruct('OriginalFilename', 'CallDesk.exe')" in text
    assert f"filevers={bundle.metadata().version_tuple}" in text
    compile(text, "version.txt", "eval")  # PyInstaller evaluates it as Python


def test_unused_qt_plugins_and_translations_stay_out() -> None:
    keep = bundle.keep_file
    assert keep("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert keep("PySide6/plugins/platforms/qwindows.dll")  # PySide6 on Windows
    assert keep("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not keep("PySide6/Qt/plugins/platforms/libqeglfs.so")
    assert keep("PySide6/Qt/plugins/imageformats/libqico.so")
    assert not keep("PySide6/Qt/plugins/imageformats/libqsvg.so")
    assert not keep("PySide6/Qt/plugins/iconengines/libqsvgicon.so")
    assert not keep("PySide6/Qt/plugins/imageformats/libqjpeg.so")
    assert not keep("PySide6/Qt/plugins/imageformats/libqtiff.so")
    assert not keep("PySide6/plugins/imageformats/qwebp.dll")
    assert not keep("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert keep("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so")
    assert not keep("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert keep("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so")
    assert not keep("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so")
    assert not keep("PySide6/Qt/plugins/tls/libqopensslbackend.so")
    assert not keep("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep("PySide6/translations/qtbase_zh_CN.qm")  # ours is in resources/
    assert keep("PySide6/Qt/lib/libQt6Charts.so.6")
    assert keep("PySide6/Qt6Charts.dll")
    assert not keep("PySide6/opengl32sw.dll")
    assert not keep("PySide6/d3dcompiler_47.dll")


def test_faker_keeps_only_the_demo_locales() -> None:
    assert bundle.keep_file("faker/providers/person/zh_CN/__init__.py")
    assert bundle.keep_file("faker/providers/person/__init__.py")
    assert not bundle.keep_file("faker/providers/person/de_DE/__init__.py")
    assert bundle.keep_module("faker.providers.address.zh_CN")
    assert bundle.keep_module("faker.providers.address.en_US")
    assert not bundle.keep_module("faker.providers.address.fr_FR")
    assert bundle.keep_module("faker.providers.address")


def test_holidays_keeps_chinas_names_only() -> None:
    assert bundle.keep_file("holidays/locale/zh_CN/LC_MESSAGES/CN.mo")
    assert not bundle.keep_file("holidays/locale/de/LC_MESSAGES/DE.mo")
    assert bundle.keep_file("holidays/countries/china.py")


def test_linux_system_libraries_are_the_desktops_except_the_ones_minimal_installs_lack(
        ) -> None:
    keep = bundle.keep_linux_system_library
    assert not keep("libX11.so.6", "/usr/lib/x86_64-linux-gnu/libX11.so.6")
    assert not keep("libfontconfig.so.1", "/lib/x86_64-linux-gnu/libfontconfig.so.1")
    assert keep("libxcb-cursor.so.0", "/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0")
    assert keep("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0")
    venv_lib = "/work/.venv/lib/python3.11/site-packages/PySide6/Qt/lib/libQt6Core.so.6"
    assert keep("libQt6Core.so.6", venv_lib)  # a wheel's, not the system's


def test_the_icon_holds_every_size_windows_asks_for(tmp_path: Path) -> None:
    icon = make_icon.make_icon(tmp_path / "calldesk.ico", sizes=(16, 32, 256))
    data = icon.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = []
    for i in range(count):
        width, height, _c, _r, _p, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i)
        assert bits == 32 and data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.append(width or 256)
    assert sizes == [16, 32, 256]


def test_icu_keeps_chinese_and_english_and_what_all_locales_need() -> None:
    keep = bundle.keep_icu_item
    for item in ("root.res", "pool.res", "res_index.res", "coll/root.res", "coll/ucadata.icu",
                 "coll/zh.res", "coll/zh_Hans_CN.res", "zh.res", "zh_Hans_CN.res", "en.res",
                 "en_US.res", "lang/zh.res", "zone/pool.res", "cnvalias.icu", "gb18030.cnv",
                 "supplementalData.res", "likelySubtags.res", "brkitr/line.brk", "uts46.nrm"):
        assert keep(item), item
    for item in ("de.res", "coll/ja.res", "yue.res", "zone/fr_CA.res", "en_AU.res",
                 "brkitr/cjdict.dict", "translit/root.res", "ibm-37_P100-1995.cnv",
                 "unames.icu"):
        assert not keep(item), item
