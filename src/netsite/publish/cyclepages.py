"""Pages of the network's cycle: section lists, members graph, monitoring dashboard, JSON-LD.

Item pages of the new kinds come from `render.page_set` (they are in `site.entries`); this module
adds the pages that only the cycle has, the dashboard's CSV and JSON, and the template globals
its templates use. Charts are drawn here, not in templates, so that each is one tested function.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from netsite.content.cycle import STATUSES
from netsite.content.kinds import Institution, image_of
from netsite.content.models import Entry, OutputFile, Term
from netsite.content.site import Site
from netsite.publish import charts, eventpages, monitoring
from netsite.publish.render import Page, audience_order
from netsite.publish.theme import strings_of

SECTIONS = ("agreements", "meetings", "plans", "projects")
# done green, overdue red, upcoming blue, cancelled grey: the colours of the plan's status badges
STATUS_COLORS = ("#166534", "#b91c1c", "#1e40af", "#78716c")


def page_set(site: Site) -> list[Page]:
    """The section lists, /network/ and /monitoring/."""
    pages = [Page(f"/{kind}/", f"{kind}/list.html", {"entries": getattr(site.cycle, kind)})
             for kind in SECTIONS]
    pages.append(Page("/network/", "network.html", {}))
    pages.append(Page("/monitoring/", "monitoring.html", {"figures": monitoring.figures(site)}))
    return pages


def extend_environment(env: jinja2.Environment, site: Site) -> None:
    """Globals of the cycle templates; `t` is the theme strings already registered."""
    strings = strings_of(env)

    def figure_chart(figure: monitoring.Figure) -> Markup:
        colors = STATUS_COLORS if figure.series == STATUSES else charts.COLORS
        return charts.bar_chart(f"chart-{figure.id}", strings(f"monitoring_{figure.id}"),
                                [(row.label, row.values) for row in figure.rows],
                                [strings(f"series_{s}") for s in figure.series], colors)

    def members_graph() -> Markup:
        # agreements in force only: the model (cycle.current) says which are
        agreements = [(a.slug, a.title, tuple(a.parties)) for a in site.cycle.current]
        parties = {slug for _, _, slugs in agreements for slug in slugs}
        nodes = [(i.slug, i.short_name or i.title) for i in site.institutions if i.slug in parties]
        return charts.network_map("members-graph", strings("network_graph_title"), agreements, nodes)

    env.globals.update(figure_chart=figure_chart, members_graph=members_graph,
                       chart_has_data=lambda figure: charts.has_data([(r.label, r.values) for r in figure.rows]),
                       schema_org=lambda entry: json_ld(entry, site),
                       audience_sections=lambda entries: audience_sections(entries, site))


def audience_sections(entries, site: Site) -> tuple[tuple[str, tuple[Entry, ...]], ...]:
    """(theme string, entries) of one page of an audience: upcoming events, news, practices, past
    events. `entries` is the page's share of `render.audience_order`, or a whole Term (the call
    of themes written before audience pages were paginated)."""
    if isinstance(entries, Term):
        entries = audience_order(entries, site)
    upcoming = {e.slug for e in site.upcoming}

    def section(entry: Entry) -> str:
        if entry.kind == "events":
            return "upcoming_events" if entry.slug in upcoming else "past_events"
        return entry.kind

    return tuple((key, tuple(e for e in entries if section(e) == key))
                 for key in ("upcoming_events", "news", "practices", "past_events"))


def data_files(site: Site, env: jinja2.Environment) -> list[OutputFile]:
    """/monitoring/data.csv and /monitoring/data.json: the dashboard's figures for reports."""
    strings = strings_of(env)
    figures = monitoring.figures(site)
    titles = {f.id: strings(f"monitoring_{f.id}") for f in figures}
    return [OutputFile("monitoring/data.csv", monitoring.to_csv(figures)),
            OutputFile("monitoring/data.json", monitoring.to_json(figures, titles, site.now))]


def json_ld(entry: Entry, site: Site) -> Markup:
    """schema.org Organization (institutions) or Article (news) as a script block, safe to embed."""
    data = organization(entry, site) if isinstance(entry, Institution) else article(entry, site)
    return Markup(f'<script type="application/ld+json">{eventpages.script_json(data)}</script>')


def organization(entry: Institution, site: Site) -> dict:
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "Organization", "name": entry.title,
            "url": site.links.absolute(entry.path)}
    optional = {"alternateName": entry.short_name, "email": entry.email, "telephone": entry.phone,
                "sameAs": entry.website, "address": entry.address,
                "logo": site.links.absolute(entry.path + entry.logo) if entry.logo else None}
    data.update({k: v for k, v in optional.items() if v})
    if entry.geo:
        data["location"] = {"@type": "Place", "geo": {"@type": "GeoCoordinates", "latitude": entry.geo[0],
                                                      "longitude": entry.geo[1]}}
    return data


def article(entry: Entry, site: Site) -> dict:
    publisher = {"@type": "Organization", "name": site.config.title, "url": site.links.absolute("/")}
    authors = [{"@type": "Organization", "name": site.institution(s).title,
                "url": site.links.absolute(site.institution(s).path)} for s in entry.institutions]
    data = {"@context": "https://schema.org", "@type": "Article", "headline": entry.title[:110],
            "datePublished": entry.date.isoformat() if entry.date else None, "url": site.links.absolute(entry.path),
            "mainEntityOfPage": site.links.absolute(entry.path), "inLanguage": site.config.language,
            "publisher": publisher, "author": authors or [publisher]}
    if entry.summary:
        data["description"] = entry.summary
    image = image_of(entry)
    if image:
        data["image"] = site.links.absolute(entry.path + image)
    return data
