import hashlib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def test_shakespeare_corpus_is_the_published_file():
    digest = hashlib.sha256((DATA / "tinyshakespeare.txt").read_bytes()).hexdigest()
    assert digest == "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
    assert digest in (DATA / "SOURCE.md").read_text()
