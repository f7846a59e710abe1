"""Lengths and sizes that social networks respect, shared by the checks, counters and previews."""

#: Facebook, LinkedIn and most link cards cut titles after about this many characters.
TITLE_MAX = 60
#: X shows titles up to this many characters (twitter:title).
X_TITLE_MAX = 70
#: Descriptions shorter than this look empty on a card; longer ones are cut.
DESCRIPTION_MIN = 50
DESCRIPTION_MAX = 200
#: X reads at most this many characters of alt text (twitter:image:alt).
ALT_MAX = 420
#: The size that serves Facebook, LinkedIn and X (1.91:1).
IMAGE_MIN_WIDTH = 1200
IMAGE_MIN_HEIGHT = 630
#: File types every crawler accepts (LinkedIn rejects WebP, nobody takes SVG).
CRAWLER_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif"})
