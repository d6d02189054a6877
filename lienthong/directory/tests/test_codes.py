import pytest

from lienthong.directory.codes import is_agency_code, parse_agency_code


@pytest.mark.parametrize("code", ["000.00.00.H56", "000.17.22.H56", "001.00.10.H47", "000.00.00.G22"])
def test_codes_seen_in_real_data_are_accepted(code):
    assert is_agency_code(code)


@pytest.mark.parametrize(
    "code",
    ["28.22.H17", "000.00.00.h56", "000.00.00.H5", "000.00.00.H56\n", " 000.00.00.H56", "000.00.00.H٥٦", ""],
)
def test_other_shapes_are_refused(code):
    assert not is_agency_code(code)


def test_the_depth_is_read_right_to_left():
    assert parse_agency_code("000.00.00.H56").depth == 1
    assert parse_agency_code("000.00.06.H56").depth == 2
    assert parse_agency_code("000.17.22.H56").depth == 3
    assert parse_agency_code("001.00.10.H47").depth == 4


def test_a_malformed_code_names_the_expected_shape():
    with pytest.raises(ValueError, match=r"NNN\.NN\.NN\.XNN"):
        parse_agency_code("28.22.H17")
