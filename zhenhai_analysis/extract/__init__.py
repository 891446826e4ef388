"""Extraction assistant: propose the figures of a new report for an analyst to review, then accept them.

    python -m zhenhai_analysis.extract FILE --url URL --published YYYY-MM-DD --title-zh … --title-en …
    python -m zhenhai_analysis.extract --accept review/<source_id>

One module per job, in the order a document goes through them:
- place.py: whose document it is (another place's document stops, unless --place);
- document.py: what kind of document, which years, kinds and coverage its parts hold;
- numbers.py: every number judged: a candidate figure, or why it is not one;
- matching.py: the catalogue indicator whose wording fits each candidate;
- review.py: the review files, in the curated formats plus the review columns;
- accepting.py: the reviewed files into data/ (or places/<id>/), all at once or not at all;
- cli.py: the command line.
"""

from .accepting import Acceptance, accept, finish_pending_accept
from .cli import main
from .document import Part, Reading, UnreadableDocument, find_parts, read_document
from .matching import match_catalogue, subject_wording
from .numbers import Candidate, Extraction, extract
from .place import Found, Place, PlaceError, find_place
from .review import REVIEW_COLUMNS, review_tables, source_entry, write_review
from ..foundations.quotes import chinese_to_int

__all__ = ["Acceptance", "Candidate", "Extraction", "Found", "Part", "Place", "PlaceError", "REVIEW_COLUMNS", "Reading",
           "UnreadableDocument", "accept", "chinese_to_int", "extract", "find_parts", "find_place",
           "finish_pending_accept", "main", "match_catalogue", "read_document", "review_tables", "source_entry",
           "subject_wording", "write_review"]
