"""Retrieval against rank_bm25.BM25Okapi and a faiss.IndexFlatIP, and hand-derived values for the rest."""

import math

import faiss
import numpy as np
import pytest
import torch
from rank_bm25 import BM25Okapi

from minillm.model import GPT, ModelConfig
from minillm.retrieval import (BM25, augmented_prompt, cosine_top_k, embed, final_hidden_states, pack_passages,
                               recall_at_k, tokenize, top_k)

CORPUS = [
    "the capital of zorn is vell",
    "the river of vell runs to the sea",
    "zorn trades salt and the salt is white",
    "the mountain of kesh is tall",
    "the king of kesh likes the sea and the sea likes him",
    "blue birds",
]


def test_tokenize_lowercases_and_splits_on_non_alphanumerics():
    assert tokenize("Zorn's capital: Vell, 12!") == ["zorn", "s", "capital", "vell", "12"]
    assert tokenize("") == []
    with pytest.raises(TypeError):
        tokenize(None)


@pytest.mark.parametrize("k1,b", [(1.5, 0.75), (1.2, 0.0), (2.0, 1.0)])
def test_bm25_equals_rank_bm25_including_negative_idf_terms(k1, b):
    docs = [tokenize(d) for d in CORPUS]
    ours, ref = BM25(docs, k1=k1, b=b), BM25Okapi(docs, k1=k1, b=b)
    assert ours.idf["the"] > 0 and math.log(6 - 5 + 0.5) - math.log(5.5) < 0  # "the" is in 5 of 6: floored
    for query in ["the sea", "capital of zorn", "salt salt kesh", "the", "blue birds sea"]:
        q = tokenize(query)
        torch.testing.assert_close(ours.scores(q), torch.from_numpy(ref.get_scores(q)), rtol=1e-12, atol=1e-12)


def test_bm25_hand_derived_single_term():
    # three docs, "a" in one of them: idf = log(2.5 / 1.5); only doc 0 contains it.
    docs = [["a", "a", "c"], ["b"], ["c", "d"]]
    idf_a = math.log(3 - 1 + 0.5) - math.log(1 + 0.5)
    avgdl = 2.0
    tf, dl = 2, 3
    expected = idf_a * tf * 2.5 / (tf + 1.5 * (1 - 0.75 + 0.75 * dl / avgdl))
    scores = BM25(docs).scores(["a"])
    assert scores.dtype == torch.float64
    assert scores[0].item() == pytest.approx(expected, rel=1e-12)
    assert scores[1].item() == 0.0 and scores[2].item() == 0.0


def test_query_with_no_indexed_terms_scores_zero_not_nan():
    index = BM25([tokenize(d) for d in CORPUS])
    for query in [[], ["unknown", "words"]]:
        scores = index.scores(query)
        assert torch.equal(scores, torch.zeros(len(CORPUS), dtype=torch.float64))


def test_bm25_refuses_empty_corpus_and_bad_parameters():
    with pytest.raises(ValueError, match="corpus"):
        BM25([])
    with pytest.raises(ValueError, match="empty"):
        BM25([[], []])
    with pytest.raises(ValueError, match="b="):
        BM25([["a"]], b=1.5)


def test_top_k_orders_by_score_and_breaks_ties_by_lower_index():
    values, ids = top_k(torch.tensor([1.0, 3.0, 3.0, 0.5]), 3)
    assert ids.tolist() == [1, 2, 0] and values.tolist() == [3.0, 3.0, 1.0]
    assert top_k(torch.tensor([1.0, 2.0]), 0)[1].numel() == 0
    assert top_k(torch.tensor([1.0, 2.0]), 5)[1].tolist() == [1, 0]
    with pytest.raises(ValueError):
        top_k(torch.tensor([1.0]), -1)


def small_gpt(seed=0):
    torch.manual_seed(seed)
    return GPT(ModelConfig.gpt2(vocab_size=37, block_size=16, n_layer=2, n_head=2, n_embd=16)).eval()


def test_embed_is_the_mean_of_final_norm_outputs_over_real_tokens_with_right_padding():
    model = small_gpt()
    g = torch.Generator().manual_seed(0)
    lengths = [5, 2, 7]
    ids = torch.zeros(3, 7, dtype=torch.long)
    mask = torch.zeros(3, 7, dtype=torch.bool)
    for row, n in enumerate(lengths):
        ids[row, :n] = torch.randint(1, 37, (n,), generator=g)
        mask[row, :n] = True
    got = embed(model, ids, mask)
    assert got.shape == (3, 16)
    with torch.no_grad():
        for row, n in enumerate(lengths):  # each row alone, unpadded, through the layers by hand
            x = model.token_embedding(ids[row : row + 1, :n]) + model.position_embedding(torch.arange(n))
            for block in model.blocks:
                x, _ = block(x, 0, None, False)
            expected = model.final_norm(x)[0].mean(dim=0)
            torch.testing.assert_close(got[row], expected, rtol=1e-5, atol=1e-6)


def test_embed_refuses_a_row_without_tokens():
    model = small_gpt()
    with pytest.raises(ValueError, match="no real tokens"):
        embed(model, torch.ones(2, 3, dtype=torch.long), torch.tensor([[True, True, False], [False] * 3]))


@pytest.mark.parametrize("seed,k", [(0, 3), (1, 1), (2, 10)])
def test_cosine_top_k_equals_faiss_flat_ip_on_normalised_vectors(seed, k):
    g = torch.Generator().manual_seed(seed)
    docs = torch.randn(10, 8, generator=g) * torch.rand(10, 1, generator=g) * 5  # unnormalised rows
    queries = torch.randn(4, 8, generator=g)
    scores, ids = cosine_top_k(queries, docs, k)
    d, q = docs.numpy().copy(), queries.numpy().copy()
    faiss.normalize_L2(d)
    faiss.normalize_L2(q)
    index = faiss.IndexFlatIP(8)
    index.add(d)
    ref_scores, ref_ids = index.search(q, min(k, 10))
    assert ids.tolist() == ref_ids.tolist()
    np.testing.assert_allclose(scores.numpy(), ref_scores, rtol=1e-5, atol=1e-6)


def test_cosine_top_k_ties_go_to_the_lower_doc_id():
    docs = torch.tensor([[0.0, 1.0], [2.0, 0.0], [1.0, 0.0]])  # docs 1 and 2 point the same way
    scores, ids = cosine_top_k(torch.tensor([[3.0, 0.0]]), docs, 2)
    assert ids.tolist() == [[1, 2]]
    torch.testing.assert_close(scores, torch.tensor([[1.0, 1.0]]))


def test_pack_passages_never_exceeds_budget_and_skips_only_what_does_not_fit():
    words = lambda text: len(text.split())  # noqa: E731
    passages = ["a b c", "d e f g h", "i j", "k"]  # 3, 5, 2, 1 tokens; the separator "\n" counts 0 words
    assert pack_passages(passages, words, 6) == [0, 2, 3]  # 5 does not fit after 3; 2 and 1 do
    assert pack_passages(passages, words, 8) == [0, 1]
    assert pack_passages(passages, words, 0) == []
    assert pack_passages(passages, len, 9) == [0, 2]  # characters: 5 + (1 + 3) = 9, then "k" (1 + 1) does not fit
    with pytest.raises(ValueError):
        pack_passages(passages, words, -1)


def test_augmented_prompt_puts_passages_before_the_question():
    assert augmented_prompt("who?", ["p1", "p2"]) == "Context: p1 p2\nQuestion: who?\nAnswer: "
    assert augmented_prompt("who?", ["p1", "p2"], separator="\n") == "Context: p1\np2\nQuestion: who?\nAnswer: "
    assert augmented_prompt("who?", []) == "Context: \nQuestion: who?\nAnswer: "


def test_final_hidden_states_are_what_the_head_reads():
    model = small_gpt(1)
    ids = torch.randint(0, 37, (2, 5), generator=torch.Generator().manual_seed(1))
    hidden = final_hidden_states(model, ids)
    assert hidden.shape == (2, 5, 16)
    torch.testing.assert_close(model.lm_head(hidden), model(ids)[0])
    assert not model.final_norm._forward_hooks, "the hook is removed"


def test_recall_at_k_counts_questions_whose_gold_is_in_the_first_k():
    ranked = torch.tensor([[3, 1, 2], [0, 2, 1], [5, 4, 0], [7, 8, 9]])
    gold = torch.tensor([1, 0, 0, 6])
    assert [recall_at_k(ranked, gold, k) for k in (1, 2, 3)] == [0.25, 0.5, 0.75]
    assert isinstance(recall_at_k(ranked, gold, 1), float)
    for bad in (0, 4):
        with pytest.raises(ValueError, match="k must"):
            recall_at_k(ranked, gold, bad)
    with pytest.raises(ValueError, match="Q >= 1"):
        recall_at_k(torch.zeros(0, 3, dtype=torch.long), torch.zeros(0, dtype=torch.long), 1)
