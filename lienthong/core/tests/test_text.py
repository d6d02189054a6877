from hypothesis import given
from hypothesis import strategies as st

from lienthong.core.text import fold


def test_search_text_without_diacritics_matches_the_vietnamese_name():
    assert fold("Cấp giấy phép  xây dựng") == "cap giay phep xay dung"
    assert fold("ĐĂNG KÝ khai sinh") == "dang ky khai sinh"


@given(st.text())
def test_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)
