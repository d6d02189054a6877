"""Platform-wide promises: the API schema, problem details, the health check, no CDN, languages."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_openapi_schema_is_served_with_the_api_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert any(path.startswith("/api/v1/worktime/") for path in schema["paths"])
    assert any(path.startswith("/api/v1/directory/") for path in schema["paths"])


@pytest.mark.django_db
def test_interactive_api_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "cdn." not in response.content.decode()


@pytest.mark.django_db
def test_unknown_api_path_answers_a_problem_document(client):
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.django_db
def test_staff_home_sends_strangers_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_unknown_page_answers_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_no_page_loads_assets_from_another_host():
    external = re.compile(r"""(?:src|href)=["']\s*(?:https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "lienthong").rglob("*.html")
        if external.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
