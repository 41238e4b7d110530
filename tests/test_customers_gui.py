"""The 客户档案 tab, the card dialog and the import wizard, driven through pytest-qt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from app.domain.customers import Tier
from app.domain.roles import Actor, Role
from app.services import Services
from app.services.customers import CustomerInput, PhoneInput, UnitInput
from tests.test_customer_import import messy_roster
from ui.customer_dialog import CustomerDialog
from ui.customer_model import CustomerTableModel
from ui.customers_tab import CustomersTab
from ui.import_wizard import ImportWizard

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]




def add(services: Services, actor: Actor, name: str, phone: str, unit: str = "",
        tier: Tier = Tier.NORMAL) -> int:
    return services.customers.create(actor, CustomerInput(
        name=name, phones=[PhoneInput(phone)], units=[UnitInput(unit)] if unit else [],
        tier=tier)).id


def test_the_customer_model_pages_and_is_a_proper_model(qtbot: QtBot, qtmodeltester,  # noqa: ANN001
                                                        services: Services, admin: Actor,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.customer_model.PAGE_SIZE", 4)
    for number in range(10):
        add(services, admin, f"客户{number}", f"1380000{number:04d}", f"{number + 1}-1-101",
            Tier.VIP if number == 3 else Tier.NORMAL)
    asked: list[object] = []

    def search(query, offset, limit, count=True, after=None):  # noqa: ANN001, ANN202
        asked.append(after)
        return services.customers.search(query, offset, limit, count, after=after)

    model = CustomerTableModel(search)
    model.search("")
    qtbot.waitUntil(lambda: model.total == 10)
    assert model.rowCount() == 4  # only the first page is fetched
    assert model.canFetchMore()
    while model.canFetchMore() or model.is_loading():
        if model.canFetchMore():
            model.fetchMore()
        qtbot.wait(10)
    assert model.rowCount() == 10
    assert len({model.customer_id(r) for r in range(10)}) == 10
    # later pages continue after the last row shown, not by skipping rows
    assert asked[0] is None and asked[1] == (model.rows[3].updated_at, model.rows[3].id)
    assert [r.id for r in model.rows] == [r.id for r in services.customers.search("", 0, 10).rows]
    qtmodeltester.check(model)
    vip_row = [r.name for r in model.rows].index("客户3")
    assert model.index(vip_row, 3).data() == "VIP/重点"
    assert model.index(vip_row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_typing_in_the_tab_finds_by_pinyin_number_and_unit(qtbot: QtBot, services: Services,
                                                           admin: Actor) -> None:
    add(services, admin, "张三", "13800138000", "3-2-1502")
    add(services, admin, "李四", "13912345678", "5-1-301")
    tab = CustomersTab(services, admin)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.model.total == 2)
    for query, name in (("zs", "张三"), ("5678", "李四"), ("3栋2单元1502", "张三")):
        tab.search.clear()
        qtbot.keyClicks(tab.search, query) if query.isascii() else tab.search.insert(query)
        qtbot.waitUntil(lambda n=name: [r.name for r in tab.model.rows] == [n])
        assert tab.count_label.text() == "共 1 张"


def test_new_card_for_an_unknown_caller_by_keyboard(qtbot: QtBot, services: Services,
                                                    admin: Actor) -> None:
    dialog = CustomerDialog(services, admin, None, "13700001111")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.phones.item(0, 0).text() == "13700001111"  # the caller's number, prefilled
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QLabel, "customer_nameError").isVisibleTo(dialog))
    assert services.customers.search("").total == 0  # nothing saved
    dialog.name_edit.insert("赵六")
    dialog.unit_edit.setFocus()
    qtbot.keyClicks(dialog.unit_edit, "7-1-201")
    qtbot.keyClick(dialog.unit_edit, Qt.Key.Key_Return)  # Enter adds the unit
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 1)
    qtbot.keyClick(dialog.unit_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    saved = services.customers.lookup_phone("13700001111")
    assert [(c.name, [u.label for u in c.units]) for c in saved] == [("赵六", ["7栋1单元201"])]


def test_a_bad_unit_is_reported_next_to_the_units(qtbot: QtBot, services: Services,
                                                  admin: Actor) -> None:
    dialog = CustomerDialog(services, admin, None, "13700001111")
    qtbot.addWidget(dialog)
    dialog.name_edit.insert("赵六")
    dialog.unit_edit.insert("天台")  # typed, never added: still checked, never lost
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    label = dialog.findChild(QLabel, "customer_unitsError")
    qtbot.waitUntil(lambda: label.isVisibleTo(dialog))
    assert "天台" in label.text()


def test_editing_shows_the_card_and_its_history(qtbot: QtBot, services: Services,
                                                admin: Actor) -> None:
    customer_id = add(services, admin, "张三", "13800138000", "3-2-1502")
    card = services.customers.get(customer_id)
    dialog = CustomerDialog(services, admin, card)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.history.count() == 1)
    assert "建立资料卡" in dialog.history.item(0).text()
    # the person, as the card's own stamp names them, not the login "admin"
    assert "李主任" in dialog.history.item(0).text()
    assert "admin" not in dialog.history.item(0).text()
    assert dialog.units.item(0, 0).text() == "3栋2单元1502"
    dialog.notes.setPlainText("晚上八点后联系")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert services.customers.get(customer_id).notes == "晚上八点后联系"


def test_operators_do_not_see_import_export_or_merge(qtbot: QtBot, services: Services,
                                                     admin: Actor) -> None:
    services.users.add_user(admin, "kf01", "王小", Role.OPERATOR, "secret1")
    operator = services.users.authenticate("kf01", "secret1")
    tab = CustomersTab(services, operator)
    qtbot.addWidget(tab)
    assert tab.new_button.isVisibleTo(tab)
    for button in (tab.import_button, tab.export_button, tab.merge_button):
        assert not button.isVisibleTo(tab)
    supervisor_tab = CustomersTab(services, admin)
    qtbot.addWidget(supervisor_tab)
    assert supervisor_tab.export_button.isVisibleTo(supervisor_tab)


def test_export_writes_the_current_search(qtbot: QtBot, services: Services, admin: Actor,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    add(services, admin, "张三", "13800138000", "3-2-1502")
    add(services, admin, "李四", "13912345678", "5-1-301")
    target = tmp_path / "客户.xlsx"
    monkeypatch.setattr("ui.file_dialogs.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    tab = CustomersTab(services, admin)
    qtbot.addWidget(tab)
    tab.search.setText("zs")
    qtbot.waitUntil(lambda: tab.model.total == 1)
    tab.export()
    qtbot.waitUntil(lambda: tab.findChild(QMessageBox, "exportDoneMessage") is not None)
    told = [tab.findChild(QMessageBox, "exportDoneMessage").text()]
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "称谓", "类型")
    assert [r[0] for r in rows[1:]] == ["张三"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H2"
    assert "1" in told[0]


def choose_roster(qtbot: QtBot, services: Services, admin: Actor, path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> ImportWizard:
    """The wizard with ``path`` chosen through its file dialog and read."""
    monkeypatch.setattr("ui.file_dialogs.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    wizard = ImportWizard(services, admin)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.choose()
    qtbot.waitUntil(lambda: wizard.file_page.isComplete())
    return wizard


def test_import_wizard_from_file_to_cards(qtbot: QtBot, services: Services, admin: Actor,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = messy_roster(tmp_path / "花名册.xlsx")
    wizard = choose_roster(qtbot, services, admin, path, monkeypatch)
    assert "第 3 行" in wizard.file_page.status.text()
    wizard.next()
    assert wizard.mapping_page.combos["name"].currentText() == "业主姓名"
    wizard.next()
    result = wizard.result_page
    qtbot.waitUntil(lambda: result.import_button.isEnabled(), timeout=10_000)
    assert "新建 3 张" in result.summary.text()
    assert services.customers.search("").total == 0  # checked, not yet written
    assert result.errors.count() >= 2
    qtbot.mouseClick(result.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.isComplete(), timeout=10_000)
    assert services.customers.search("").total == 3
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_the_printed_card_holds_every_field(qtbot: QtBot, services: Services, admin: Actor,
                                            tmp_path: Path) -> None:
    import subprocess

    from ui.customer_print import save_pdf

    customer_id = services.customers.create(admin, CustomerInput(
        name="张三", phones=[PhoneInput("13800138000", "手机")],
        units=[UnitInput("3-2-1502")], notes="老人独居", tier=Tier.VIP)).id
    pdf = tmp_path / "card.pdf"
    save_pdf(services.customers.get(customer_id), "阳光花园物业服务中心", str(pdf))
    import unicodedata

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    # Qt's PDF text layer maps some glyphs to Kangxi radicals (⼼ for 心); NFKC folds them back.
    # (⼾ folds to the traditional 戶; the page itself shows 户.)
    text = unicodedata.normalize("NFKC", text).replace("戶", "户")
    for expected in ("阳光花园物业服务中心", "客户资料卡", "张三", "138 0013 8000", "3栋2单元1502",
                     "老人独居", "VIP/重点", "李主任"):
        assert expected in text, expected


def test_ctrl_enter_while_typing_a_number_keeps_the_number(qtbot: QtBot, services: Services,
                                                       admin: Actor) -> None:
    dialog = CustomerDialog(services, admin, None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.name_edit.insert("周五")
    dialog.phones.setCurrentCell(0, 0)
    dialog.phones.editItem(dialog.phones.item(0, 0))
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "13900139000")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert [p.normalized for p in dialog.saved.phones] == ["+8613900139000"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
        qtbot: QtBot, services: Services, admin: Actor, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.exporters.customers import export_customers

    services.customers.create(admin, CustomerInput(
        name='=HYPERLINK("http://x","点我")', phones=[PhoneInput("13800138000")]))
    target = tmp_path / "out.xlsx"
    assert list(export_customers(services.customers, admin, "", target))[-1][0] == 1
    cell = load_workbook(target).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert not (tmp_path / "out.part.xlsx").exists()


def test_stopping_an_import_keeps_nothing_and_lets_it_start_again(
        qtbot: QtBot, services: Services, admin: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = messy_roster(tmp_path / "花名册.xlsx")
    wizard = choose_roster(qtbot, services, admin, path, monkeypatch)
    wizard.next()
    wizard.next()
    result = wizard.result_page
    qtbot.waitUntil(lambda: result.import_button.isEnabled(), timeout=10_000)
    import time

    import ui.import_wizard as wizard_module

    real_import = wizard_module.import_roster

    def slow_import(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a generator
        time.sleep(0.3)  # long enough that the stop below comes before the commit
        return (yield from real_import(*args, **kwargs))

    monkeypatch.setattr(wizard_module, "import_roster", slow_import)
    qtbot.mouseClick(result.import_button, Qt.MouseButton.LeftButton)
    result.stop()  # as the progress dialog's Cancel does
    qtbot.waitUntil(lambda: result.import_button.isEnabled(), timeout=10_000)
    assert "未写入" in result.summary.text()
    assert services.customers.search("").total == 0
    qtbot.mouseClick(result.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.isComplete(), timeout=10_000)
    assert services.customers.search("").total == 3


def answer_when_shown(parent: QWidget, kind: type, object_name: str,
                      answer: Callable[[QWidget], object]) -> None:
    """Answers the modal dialog ``parent`` opens (it blocks in exec) once it is shown."""
    def poll() -> None:
        found = parent.findChild(kind, object_name)
        if found is not None and found.isVisible():
            answer(found)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_a_unit_typed_the_short_way_is_completed_and_linked(qtbot: QtBot, services: Services,
                                                            admin: Actor) -> None:
    owner = add(services, admin, "周敏", "13800000001", "枫林新城 9栋1单元1404")
    add(services, admin, "钱多", "13800000002", "枫林新城 9-1-1402")
    add(services, admin, "孙丽", "13800000003", "枫林新城 9-2-1401")
    dialog = CustomerDialog(services, admin, None, "13700001111")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.name_edit.insert("吴刚")
    dialog.unit_edit.setFocus()
    qtbot.keyClicks(dialog.unit_edit, "9-1-14")
    popup = dialog.unit_completer.popup()
    qtbot.waitUntil(lambda: dialog.unit_completions.stringList() == [
        "枫林新城 9栋1单元1402", "枫林新城 9栋1单元1404"] and popup.isVisible())
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # picked from the popup and added with Enter
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 1)
    assert dialog.units.item(0, 0).text() == "枫林新城 9栋1单元1402"
    qtbot.keyClicks(dialog.unit_edit, "9-1-1404")  # or typed in full, the short way
    qtbot.waitUntil(lambda: dialog.unit_completions.stringList() == ["枫林新城 9栋1单元1404"])
    popup.hide()
    qtbot.keyClick(dialog.unit_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.units.rowCount() == 2)
    assert dialog.units.item(1, 0).text() == "枫林新城 9栋1单元1404"
    assert dialog.unit_edit.text() == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    saved = services.customers.lookup_phone("13700001111")[0]
    assert saved.units[1].id == services.customers.get(owner).units[0].id


def test_a_unit_two_estates_have_asks_which(qtbot: QtBot, services: Services,
                                            admin: Actor) -> None:
    add(services, admin, "周敏", "13800000001", "枫林新城 3-2-501")
    add(services, admin, "郑洁", "13800000002", "阳光花园 3-2-501")
    dialog = CustomerDialog(services, admin, None, "13700001111")
    qtbot.addWidget(dialog)
    dialog.name_edit.insert("吴刚")
    dialog.unit_edit.insert("3-2-501")  # typed, not added: saving asks first
    asked: list[str] = []
    answer_when_shown(dialog, QInputDialog, "unitChoiceDialog", lambda d: (
        asked.append(d.labelText()), d.setTextValue("阳光花园 3栋2单元501"), d.accept()))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert len(asked) == 1 and "3-2-501" in asked[0]
    assert [u.label for u in services.customers.lookup_phone("13700001111")[0].units] == [
        "阳光花园 3栋2单元501"]


def test_a_number_on_another_card_says_whose_and_opens_it_or_keeps_both(
        qtbot: QtBot, services: Services, admin: Actor) -> None:
    zhang = add(services, admin, "张三", "13800138000", "3-2-1502")
    dialog = CustomerDialog(services, admin, None, "138 0013 8000")
    qtbot.addWidget(dialog)
    dialog.name_edit.insert("张太太")
    asked: list[str] = []

    def open_it(box: QMessageBox) -> None:
        asked.append(box.text())
        box.findChild(QPushButton, "openOtherCardButton").click()

    answer_when_shown(dialog, QMessageBox, "numberElsewhereBox", open_it)
    opened: list[str] = []
    answer_when_shown(dialog, CustomerDialog, "customerDialog", lambda other: (
        opened.append(other.name_edit.text()), other.reject()))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: opened == ["张三"])
    assert "张三" in asked[0] and "3栋2单元1502" in asked[0]
    # back on the new card, as typed, nothing saved
    assert dialog.result() == 0 and dialog.name_edit.text() == "张太太"
    assert dialog.save_button.isEnabled()
    assert [c.id for c in services.customers.lookup_phone("13800138000")] == [zhang]

    answer_when_shown(dialog, QMessageBox, "numberElsewhereBox",
                      lambda box: box.findChild(QPushButton, "keepBothButton").click())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert sorted(c.name for c in services.customers.lookup_phone("13800138000")) == [
        "张三", "张太太"]
