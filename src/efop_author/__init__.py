"""efop-author: training modules written as Markdown + YAML, packaged for any LMS."""

__version__ = "0.1.0"

TARGET_NAMES = ("cmi5", "scorm12", "scorm2004", "web", "xapi")
"""The keys of ``targets.TARGETS``, for code that must not import every target to know them
(``--help``, the build's main process); a test checks that both agree."""

COURSE_FILES = ("course.yml", "course.yaml")
"""What makes a folder a course project (the first one found is read)."""
