"""Places and repeats, from a fourth review with files in the platform's layouts: one city
spelt two ways in two downloads (counted twice), 吉林市 read as the province 吉林, a row
without its place read as the whole country's, a table with places on two bases (rows lost as
repeats), and 0.07 万元 against 700 元 of the same trade (refused as different values)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_table
from downloads import WAN_YUAN, cli, one_error_line, row, write

from helpers.ingest import ingest

#: The platform's 境内货源地 query with the place by name only, in dollars.
BY_SOURCE_NAME = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称",
                  "境内货源地名称", "第一数量", "第一计量单位", "美元"]


def _by_name(folder: Path, name: str, places: list[tuple[str, str]]) -> Path:
    rows = [["202010", "85023100", "风力发电机组", "502", "美国", place, "1", "台", value]
            for place, value in places]
    return write(folder, name, BY_SOURCE_NAME, rows, encoding="gbk")


@pytest.mark.parametrize(("one", "other"), [
    ("新疆乌鲁木齐", "新疆 乌鲁木齐"), ("新疆乌鲁木齐", "新疆\u3000乌鲁木齐市"),
    ("新疆乌鲁木齐", "新疆-乌鲁木齐"), ("新疆乌鲁木齐", "新疆维吾尔族自治区乌鲁木齐市"),
    ("新疆伊犁哈萨克自治州", "新疆伊犁州"), ("新疆昌吉回族自治州", "新疆昌吉州"),
    ("新疆维吾尔自治区乌鲁木齐市", "新疆乌鲁木齐"), ("新疆巴州", "新疆巴音郭楞蒙古自治州"),
    ("新疆克州", "新疆克孜勒苏柯尔克孜自治州"), ("青海海西州", "青海海西蒙古族藏族自治州"),
    ("新疆乌鲁木齐市（含高新区）", "新疆乌鲁木齐(含高新区)")])
def test_one_city_spelt_two_ways_in_two_downloads_is_one_place(
        tmp_path: Path, one: str, other: str) -> None:
    """The same trade of one city from two downloads is an exact repeat: kept once."""
    a = _by_name(tmp_path / "in", "export-a.csv", [(one, "1,000")])
    b = _by_name(tmp_path / "in", "export-b.csv", [(other, "1,000")])
    result = ingest([a, b], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["value_usd"].tolist() == [1_000] and len(table) == 1
    assert any("repeat" in w for w in result.warnings)


@pytest.mark.parametrize(("places", "expected"), [
    ([("吉林吉林市", "1,000"), ("吉林长春市", "2,000")], ["吉林吉林", "吉林长春"]),
    ([("浙江杭州市", "1,000"), ("浙江湖州市", "2,000")], ["浙江杭州", "浙江湖州"]),
    ([("新疆乌鲁木齐", "1,000"), ("新疆克拉玛依", "2,000")], ["新疆乌鲁木齐", "新疆克拉玛依"])])
def test_cities_of_one_province_stay_apart(tmp_path: Path, places: list[tuple[str, str]],
                                           expected: list[str]) -> None:
    """吉林市 is a city of 吉林省, not the province: the two cities of one file are two places."""
    ingest([_by_name(tmp_path, "export.csv", places)], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert sorted(table["place"]) == sorted(expected)
    assert table["value_usd"].sum() == 3_000


@pytest.mark.parametrize("written", ["新疆", "新疆维吾尔自治区", "新疆省", "新疆维吾尔族自治区"])
def test_a_province_written_out_is_the_province(tmp_path: Path, written: str) -> None:
    ingest([_by_name(tmp_path, "export.csv", [(written, "1,000")])], tmp_path / "out",
           progress=False)
    assert read_table(tmp_path / "out")["place"].tolist() == ["65"]


@pytest.mark.parametrize("blank", [["", ""], ["", "新疆"], ["  ", ""]])
def test_a_row_without_its_place_is_refused_not_read_as_national(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], blank: list[str]) -> None:
    """A blank 注册地 in a download by place was kept as a national row, which
    province="China" uses as the whole country's figure."""
    rows = [row("202001", "1,000"), [*row("202002", "300")[:5], *blank, "1", "台", "300"]]
    path = write(tmp_path, "export.csv", WAN_YUAN, rows, encoding="gbk")
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line and "empty place" in line, line


def test_a_table_with_places_on_two_bases_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two rows told apart only by their 境内货源地 were kept as one (a repeat) of 注册地 65."""
    header = [*WAN_YUAN[:7], "境内货源地编码", "境内货源地名称", "第一数量", "第一计量单位", "美元"]
    rows = [[*row("202010", "")[:7], "65011", "乌鲁木齐", "1", "台", "1,000"],
            [*row("202010", "")[:7], "65029", "克拉玛依", "1", "台", "1,000"]]
    path = write(tmp_path, "export.csv", header, rows)
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:1:" in line and "two bases" in line, line


def test_the_same_trade_in_wan_yuan_and_in_yuan_is_a_repeat(tmp_path: Path) -> None:
    """0.07 万元 is 700.0000000000001 yuan in floating point: the same figure as 700 元."""
    a = write(tmp_path / "in", "export-a.csv", WAN_YUAN,
              [row("202001", "0.07"), row("202002", "1.15")])
    b = write(tmp_path / "in", "export-b.csv", [*WAN_YUAN[:-1], "人民币"],
              [row("202001", "700"), row("202002", "11,500")])
    result = ingest([a, b], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["value_cny"].round(6).tolist() == [700, 11_500]
    assert any("repeat" in w for w in result.warnings)


@pytest.mark.parametrize(("one", "other"), [
    ("新疆伊犁", "新疆伊犁哈萨克族自治州"), ("新疆乌鲁木齐", "新疆乌鲁木齐市区"),
    ("新疆巴音郭楞", "新疆巴音郭楞蒙古族自治州"), ("新疆乌鲁木齐", "新疆乌鲁木齐市(含高新区)"),
    ("新疆喀什", "新疆喀什地区")])
def test_one_city_spelt_two_ways_no_rule_joins_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], one: str, other: str) -> None:
    """Spellings the normalisation does not know (a people's name it lacks): one download's
    name begins the other's, and neither holds the other's: refused, not counted twice."""
    _by_name(tmp_path / "in", "export-a.csv", [(one, "1,000")])
    _by_name(tmp_path / "in", "export-b.csv", [(other, "1,000")])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "spelt two ways" in line and repr(one) in line, line


def test_places_one_download_holds_side_by_side_stay_apart(tmp_path: Path) -> None:
    """乌鲁木齐 and 乌鲁木齐县 are two places: a download holding both says so, and another
    download of one of them is no second spelling."""
    a = _by_name(tmp_path / "in", "export-a.csv",
                 [("新疆乌鲁木齐", "1,000"), ("新疆乌鲁木齐县", "200")])
    b = _by_name(tmp_path / "in", "export-b.csv", [("新疆乌鲁木齐县", "200")])
    ingest([a, b], tmp_path / "out", progress=False)
    assert read_table(tmp_path / "out")["value_usd"].sum() == 1_200



@pytest.mark.parametrize("places", [("新疆喀什地区", "新疆喀什市"),
                                    ("新疆昌吉回族自治州", "新疆昌吉市"),
                                    ("新疆乌鲁木齐(高新区)", "新疆乌鲁木齐(经开区)"),
                                    ("云南大理白族自治州", "云南大理市")])
def test_a_prefecture_and_its_seat_in_one_download_are_two_places(
        tmp_path: Path, places: tuple[str, str]) -> None:
    """A review found 喀什地区 and 喀什市 made one key and one of them dropped as a repeat."""
    path = _by_name(tmp_path, "export.csv", [(places[0], "1,000"), (places[1], "2,000")])
    result = ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert len(table) == 2 and table["value_usd"].sum() == 3_000 and not result.warnings


def test_a_two_currency_file_beside_a_dollar_download_names_the_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same query with 人民币 and 美元 and with 美元 only: refused, saying so (it was
    "two downloads at different times", though the dollars agree)."""
    both = [*WAN_YUAN[:-1], "人民币", "美元"]
    write(tmp_path / "in", "export-a.csv", both, [[*row("202001", "690"), "100"]])
    write(tmp_path / "in", "export-b.csv", [*WAN_YUAN[:-1], "美元"], [row("202001", "100")])
    status, _, err = cli(capsys, str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and "with both value columns and with one" in line, line


@pytest.mark.parametrize("alone", ["吉林市", "吉林 市"])
def test_jilin_city_alone_is_the_city_not_the_province(tmp_path: Path, alone: str) -> None:
    """吉林市 without its province was read as the province 吉林 (place 22): a city's trade
    filed as the province's. It is the city 吉林吉林市 of another download (an exact repeat)."""
    a = _by_name(tmp_path / "in", "export-a.csv", [(alone, "1,000")])
    b = _by_name(tmp_path / "in", "export-b.csv", [("吉林吉林市", "1,000")])
    result = ingest([a, b], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out")
    assert table["place"].tolist() == ["吉林吉林"] and table["province_code"].tolist() == ["22"]
    assert any("repeat" in w for w in result.warnings)


@pytest.mark.parametrize("written", ["海南州", "海南藏族自治州"])
def test_a_prefecture_named_like_another_province_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str) -> None:
    """海南州 is in 青海; by its first characters it was read as 海南省 (46)."""
    path = _by_name(tmp_path, "export.csv", [("新疆乌鲁木齐", "5"), (written, "1,000")])
    status, _, err = cli(capsys, str(path), "--out", str(tmp_path / "out"))
    line = one_error_line(err)
    assert status == 2 and f"{path}:3:" in line and "prefecture of 青海" in line, line


def test_the_prefecture_with_its_province_reads_as_that_province(tmp_path: Path) -> None:
    path = _by_name(tmp_path, "export.csv", [("青海海南藏族自治州", "1,000"), ("海南海口", "7")])
    ingest([path], tmp_path / "out", progress=False)
    table = read_table(tmp_path / "out").sort_values("value_usd")
    assert table["province_code"].tolist() == ["46", "63"]
    assert table["place"].tolist() == ["海南海口", "青海海南州"]
