"""efop-author: training modules written as Markdown + YAML, packaged for any LMS."""

__version__ = "0.1.0"
