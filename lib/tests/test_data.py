"""data.py: finding the corpus, token shards on disk, batch sampling and the train/val split."""

from pathlib import Path

import numpy as np
import pytest
import torch

from minillm import data

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def test_find_data_file_default_is_the_repository_corpus(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./data or ../data here, so only the package-relative folder remains
    found = data.find_data_file()
    assert found.resolve() == (REPO_DATA / "tinyshakespeare.txt").resolve()
    assert found.read_text(encoding="utf-8").startswith("First Citizen")


def test_find_data_file_search_order(monkeypatch, tmp_path):
    work = tmp_path / "work"
    for folder in (tmp_path / "env", work / "data", tmp_path / "data"):
        folder.mkdir(parents=True)
        (folder / "corpus.txt").write_text(folder.parent.name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "env"))
    assert data.find_data_file("corpus.txt").read_text() == tmp_path.name  # $COURSE_DATA_DIR first
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert data.find_data_file("corpus.txt").read_text() == "work"  # then ./data
    (work / "data" / "corpus.txt").unlink()
    assert data.find_data_file("corpus.txt").resolve() == (tmp_path / "data" / "corpus.txt").resolve()  # ../data


def test_find_data_file_missing_lists_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        data.find_data_file("no_such_file.txt")
    message = str(error.value)
    assert str(tmp_path.resolve()) in message and str(REPO_DATA.resolve()) in message


@pytest.mark.parametrize("dtype, ids", [(np.uint16, [0, 1, 65535, 7]), (np.uint32, [70000, 0, 3]), (np.uint16, [])])
def test_write_then_load_round_trip(tmp_path, dtype, ids):
    path = tmp_path / "shard.bin"
    data.write_tokens(path, ids, dtype=dtype)
    tokens = data.load_tokens(path)
    assert path.exists(), "write_tokens must write to exactly the path given"
    assert isinstance(tokens, np.memmap) and tokens.dtype == dtype and tokens.ndim == 1
    np.testing.assert_array_equal(tokens, np.array(ids, dtype=dtype))
    assert path.stat().st_size == 128 + len(ids) * np.dtype(dtype).itemsize  # .npy header + raw ids
    if len(ids):
        with pytest.raises(ValueError):  # read-only mapping
            tokens[0] = 1


def test_write_tokens_rejects_ids_that_do_not_fit(tmp_path):
    with pytest.raises(ValueError, match="65536"):
        data.write_tokens(tmp_path / "a.npy", [1, 65536, 2])
    with pytest.raises(ValueError, match="-1"):
        data.write_tokens(tmp_path / "a.npy", [1, -1])
    with pytest.raises(TypeError, match="ids"):
        data.write_tokens(tmp_path / "a.npy", [1.5, 2.0])
    with pytest.raises(ValueError, match="1-D"):
        data.write_tokens(tmp_path / "a.npy", [[1, 2]])
    assert not (tmp_path / "a.npy").exists(), "nothing should be written when the ids are invalid"


def test_random_batches_are_windows_shifted_by_one(tmp_path):
    data.write_tokens(tmp_path / "t.npy", np.arange(1000) % 500)
    tokens = data.load_tokens(tmp_path / "t.npy")
    x, y = data.random_batches(tokens, batch_size=8, block_size=16, generator=torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (8, 16) and x.dtype == y.dtype == torch.int64
    for row_x, row_y in zip(x, y):
        start = int(row_x[0])
        expected = (start + torch.arange(17)) % 500  # the stored sequence counts up (mod 500)
        assert torch.equal(row_x, expected[:-1]), "x must be a contiguous window of tokens"
        assert torch.equal(row_y, expected[1:]), "y must be x shifted left by one token"


def test_random_batches_reproducible_and_same_for_tensor_input():
    tokens = np.random.default_rng(0).integers(0, 65, size=300).astype(np.uint16)
    a = data.random_batches(tokens, 4, 8, generator=torch.Generator().manual_seed(5))
    b = data.random_batches(torch.from_numpy(tokens.astype(np.int64)), 4, 8, generator=torch.Generator().manual_seed(5))
    c = data.random_batches(tokens, 4, 8, generator=torch.Generator().manual_seed(6))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])
    torch.manual_seed(1)
    d = data.random_batches(tokens, 4, 8)
    torch.manual_seed(1)
    assert torch.equal(d[0], data.random_batches(tokens, 4, 8)[0]), "default generator is torch's global RNG"


def test_random_batches_reaches_the_last_token_and_checks_length():
    tokens = np.arange(9)
    x, y = data.random_batches(tokens, batch_size=3, block_size=8)  # only one window fits
    assert torch.equal(y[0], torch.arange(1, 9))
    with pytest.raises(ValueError, match="tokens"):
        data.random_batches(tokens, batch_size=1, block_size=9)
    with pytest.raises(ValueError, match="batch_size"):
        data.random_batches(tokens, batch_size=0, block_size=4)


def test_train_val_split():
    text = "abcdefghij" * 10
    train, val = data.train_val_split(text, val_fraction=0.1)
    assert (len(train), len(val)) == (90, 10) and train + val == text
    train, val = data.train_val_split(np.arange(7), 0.3)
    np.testing.assert_array_equal(np.concatenate([train, val]), np.arange(7))
    assert len(val) == 3
    with pytest.raises(ValueError, match="val_fraction"):
        data.train_val_split(text, val_fraction=1.0)
