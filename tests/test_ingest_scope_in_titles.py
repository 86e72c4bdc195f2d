"""What a file's name or title says of its scope, against what its table can hold: a file named
or titled for one province without a place column (a query filtered to 新疆, not grouped by
注册地) was read as China's national trade; a title naming imports above a file named export
was filed as exports. Both without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from downloads import cli, one_error_line

from helpers.ingest import ingest

NATIONAL_ROWS = "数据年月,商品编码,贸易伙伴编码,美元\n202001,85023100,502,1000\n"
BY_PLACE_ROWS = "数据年月,商品编码,贸易伙伴编码,注册地编码,美元\n202001,85023100,502,65,1000\n"


def _file(folder: Path, name: str, text: str, encoding: str = "gbk") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(("name", "title", "said"), [
    ("新疆出口_2020.csv", None, "file name says 新疆"),
    ("export_2020.csv", "新疆维吾尔自治区 2020年出口", "file title says 新疆"),
    ("xinjiang-exports-2020.csv", None, "file name says xinjiang"),
    ("export_2020.csv", "Exports of Guangdong, 2020", "file title says Guangdong"),
])
def test_a_province_named_above_a_table_without_places_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, title: str | None,
        said: str) -> None:
    head = f"{title}\n" if title else ""
    path = _file(tmp_path, name, head + NATIONAL_ROWS)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and said in line and "national" in line and "注册地" in line, line


@pytest.mark.parametrize(("name", "title"), [
    ("export_2020.csv", "2020年中国出口"),
    ("export_2020.csv", "导出时间（北京时间）2020-11-01"),  # a clock, not the province
    ("export_2020.csv", "对上海合作组织成员国出口"),  # the SCO, not 上海's trade
    ("新疆出口_2020.csv", None),  # with the place column, the file is by place
])
def test_national_titles_and_files_by_place_read(tmp_path: Path, name: str,
                                                 title: str | None) -> None:
    rows = BY_PLACE_ROWS if name.startswith("新疆") else NATIONAL_ROWS
    path = _file(tmp_path, name, (f"{title}\n" if title else "") + rows)
    assert ingest([path], tmp_path / "out", progress=False).rows == 1


@pytest.mark.parametrize(("name", "title", "flow"), [
    ("export_2020.csv", "2020年 新疆进口 (按注册地)", None),
    ("出口_2020.csv", "Imports by trading partner, 2020", None),
    ("data_2020.csv", "2020年新疆出口", "import"),
])
def test_a_title_naming_the_other_flow_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, title: str,
        flow: str | None) -> None:
    path = _file(tmp_path, name, f"{title}\n{BY_PLACE_ROWS}")
    args = [str(path), "--out", str(tmp_path / "out"), *(["--flow", flow] if flow else [])]
    status, _, err = cli(capsys, *args)
    line = one_error_line(err)
    assert status == 2 and "the title above the table says" in line, line


@pytest.mark.parametrize("title", ["2020年新疆出口", "2020年新疆进出口", "出口（进口国：美国）"])
def test_a_title_naming_the_same_flow_or_both_reads(tmp_path: Path, title: str) -> None:
    path = _file(tmp_path, "export_2020.csv", f"{title}\n{BY_PLACE_ROWS}")
    assert ingest([path], tmp_path / "out", progress=False).rows == 1


@pytest.mark.parametrize("title", [
    "数据来源：海关总署（北京）", "Source: General Administration of Customs, Beijing",
    "China's exports to Shanghai Cooperation Organisation members",
    "海南自由贸易港政策实施后全国出口"])
def test_a_source_line_the_sco_or_a_national_title_is_no_province(tmp_path: Path,
                                                                  title: str) -> None:
    path = _file(tmp_path, "export_2020.csv", f"{title}\n{NATIONAL_ROWS}")
    assert ingest([path], tmp_path / "out", progress=False).rows == 1
