"""The open-data catalogue as DCAT-AP (https://semiceu.github.io/DCAT-AP/), for the national
open-data portal (dane.gov.pl) and others to harvest: the catalogue, each dataset, and each built
file as a distribution with its download URL, media type, size, licence and modification date.
One rdflib graph, serialised as RDF/XML or JSON-LD; its texts are Polish (built under
``translation.override("pl")``)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .datasets import MEDIA_TYPES

ADMS = Namespace("http://www.w3.org/ns/adms#")
FORMATS = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FILE_TYPES = {"json": "JSON", "csv": "CSV", "xlsx": "XLSX", "geojson": "GEOJSON"}


def _absolute(path: str) -> URIRef:
    return URIRef(settings.SITE_URL + path)


def catalogue_graph(entries, *, catalogue_url: str) -> Graph:
    """``entries``: ``opendata.selectors.catalogue()``."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    catalogue = _absolute(catalogue_url)
    publisher = BNode()
    licence = URIRef(settings.OPEN_DATA_LICENCE_URL)
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER)))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    title = _("%(site)s: open data") % {"site": settings.SITE_NAME}
    graph.add((catalogue, DCTERMS.title, Literal(title, lang="pl")))
    description = _(
        "What the municipalities buy from social economy entities and what support they give them."
    )
    graph.add((catalogue, DCTERMS.description, Literal(description, lang="pl")))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, FOAF.homepage, catalogue))
    for entry in entries:
        dataset = _absolute(f"{catalogue_url}#{entry.dataset.slug}")
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(entry.dataset.slug)))
        graph.add((dataset, DCTERMS.title, Literal(str(entry.dataset.title), lang="pl")))
        graph.add(
            (dataset, DCTERMS.description, Literal(str(entry.dataset.description), lang="pl"))
        )
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.conformsTo, Literal(entry.dataset.standard)))
        graph.add((dataset, DCAT.landingPage, catalogue))
        if entry.built_at:
            graph.add((dataset, DCTERMS.modified, Literal(entry.built_at, datatype=XSD.dateTime)))
        for file in entry.files:
            url = _absolute(entry.dataset.file_url(file.variant, file.fmt))
            graph.add((dataset, DCAT.distribution, url))
            graph.add((url, RDF.type, DCAT.Distribution))
            graph.add((url, DCTERMS.title, Literal(f"{file.dataset}-{file.variant}.{file.fmt}")))
            graph.add((url, DCAT.accessURL, url))
            graph.add((url, DCAT.downloadURL, url))
            graph.add((url, DCAT.mediaType, Literal(MEDIA_TYPES[file.fmt].split(";")[0])))
            graph.add((url, DCTERMS["format"], FORMATS[FILE_TYPES.get(file.fmt, "BIN")]))
            graph.add((url, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
            graph.add((url, DCTERMS.modified, Literal(file.built_at, datatype=XSD.dateTime)))
            graph.add((url, DCTERMS.license, licence))
    return graph
