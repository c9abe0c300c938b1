"""The service answers: home page with a sign-in form, the OpenAPI document, and clean 404s."""


def test_home_page_has_a_sign_in_form(web):
    response = web.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/login"' in page
    assert 'name="password"' in page


def test_openapi_document_is_served(web):
    response = web.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert "/api/v1/me" in paths
    assert "/api/v1/neighbourhoods/{slug}" in paths


def test_unknown_page_is_a_friendly_404(web):
    response = web.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_api_path_is_a_json_404(web):
    response = web.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_security_headers_are_set(web):
    headers = web.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
