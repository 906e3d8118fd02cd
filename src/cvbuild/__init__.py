"""cvbuild: one bilingual YAML résumé in, typeset PDFs out."""

__version__ = "0.1.0"
