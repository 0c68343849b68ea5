"""Demo documents for every part of the demo that files something (methodology, council
protocols, decisions): one small valid PDF, written out by hand so the demo ships no
binaries."""

import io

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model


def demo_pdf():
    """A minimal valid one-page PDF, written out by hand so the demo ships no binaries.

    The standard PDF fonts cannot show Cyrillic without embedding a font, so the page only
    says it is a demo document; the Russian title lives in the document library.
    """
    stream = "BT /F1 18 Tf 72 760 Td (NOKO demo document) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def demo_document(title, collection):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title, collection=collection)
    document.file.save("document.pdf", ContentFile(demo_pdf()), save=False)
    document.save()
    return document
