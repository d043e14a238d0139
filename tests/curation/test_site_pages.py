"""The site's own pages: footer links, About, Privacy, robots.txt, the sitemap, meta tags."""

import re

import pytest

from tests.catalog.factories import ConceptFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_every_page_has_a_footer_with_about_privacy_and_contact(client, settings):
    settings.CONTACT_EMAIL = "curators@example.org"
    html = client.get("/catalog/").content.decode()
    footer = html[html.index('<footer'):]
    assert 'href="/about/"' in footer and 'href="/privacy/"' in footer
    assert 'href="mailto:curators@example.org"' in footer


def test_about_names_the_guide_and_the_resources_beyond_it(client):
    ResourceFactory(title="Named by the guide", summary="Khan Academy's course.")
    ResourceFactory(title="Added later", summary="An addition beyond the guide, which …",
                    beyond_guide=True)
    html = client.get("/about/").content.decode()
    assert "<h1>About MathPath</h1>" in html and "The guide it follows" in html
    beyond = html[html.index("Resources beyond the guide"):]
    assert "Added later" in beyond and "Named by the guide" not in beyond


def test_privacy_says_what_is_stored_how_long_export_deletion_and_emails(client):
    html = client.get("/privacy/").content.decode()
    for heading in ("What is stored", "For how long", "Export and deletion", "Emails"):
        assert f"<h2>{heading}</h2>" in html


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /accounts/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_only_published_public_pages(client):
    published = ResourceFactory(title="Published one")
    draft = ResourceFactory(title="Draft one", published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert f"http://testserver{published.get_absolute_url()}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert "http://testserver/catalog/" in locations and "http://testserver/about/" in locations
    assert not [url for url in locations if "/accounts/" in url or "/admin/" in url]


def test_the_sitemap_lists_published_concepts_and_leaves_drafts_out(client):
    shown = ConceptFactory(title="Eigenvalues")
    hidden = ConceptFactory(title="Draft concept", published=False)
    locations = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert f"http://testserver{shown.get_absolute_url()}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    assert "http://testserver/concepts/" in locations


def test_the_resource_page_has_a_canonical_link_and_open_graph_tags(client):
    resource = ResourceFactory(title="Essence of Linear Algebra", summary="Short films.")
    html = client.get(resource.get_absolute_url() + "?utm_source=x").content.decode()
    canonical = f"http://testserver{resource.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Essence of Linear Algebra">' in html
    assert '<meta property="og:description" content="Short films.">' in html


def test_public_pages_have_open_graph_defaults(client):
    html = client.get("/catalog/").content.decode()
    assert '<link rel="canonical" href="http://testserver/catalog/">' in html
    assert '<meta property="og:site_name" content="MathPath">' in html


def test_the_site_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    ResourceFactory.create_batch(5, summary="Beyond the guide.")
    with django_assert_max_num_queries(1):
        client.get("/about/")
    with django_assert_max_num_queries(0):
        client.get("/privacy/")
        client.get("/robots.txt")
    with django_assert_max_num_queries(3):
        client.get("/sitemap.xml")
