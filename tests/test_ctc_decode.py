import numpy as np
import pytest

from ocr.recognition.ctc import beam_search, encode, greedy_decode, label_log_prob

ALPHABET = "AB"


def frames(*rows):
    """Posterior rows given as {class: probability}, the rest spread evenly."""
    out = np.zeros((len(rows), len(ALPHABET) + 1))
    for t, row in enumerate(rows):
        rest = 1.0 - sum(row.values())
        out[t] = rest / (out.shape[1] - len(row))
        for k, p in row.items():
            out[t, k] = p
    return out


def test_greedy_merges_repeats_and_drops_blanks_with_confidence_and_frames():
    probs = frames({1: 0.9}, {1: 0.8}, {0: 0.9}, {1: 0.7}, {2: 0.6}, {2: 0.95}, {0: 0.9})
    d = greedy_decode(probs, ALPHABET)
    assert d.text == "AAB"
    np.testing.assert_allclose(d.confidence, [0.9, 0.7, 0.95])
    assert d.frames.tolist() == [[0, 1], [3, 3], [4, 5]]


def test_beam_finds_the_labelling_greedy_misses():
    probs = frames({0: 0.6, 1: 0.4}, {0: 0.6, 1: 0.4})
    assert greedy_decode(probs, ALPHABET).text == ""
    best, score = beam_search(probs, ALPHABET)[0]
    assert best == "A"
    assert score == pytest.approx(np.log(0.64))


def test_label_log_prob_sums_all_alignments():
    probs = frames({0: 0.6, 1: 0.4}, {0: 0.6, 1: 0.4})
    assert label_log_prob(probs, []) == pytest.approx(np.log(0.36))
    assert label_log_prob(probs, encode("A", ALPHABET)) == pytest.approx(np.log(0.64))
    assert label_log_prob(probs, encode("AA", ALPHABET)) == -np.inf


def test_beam_matches_label_scores_on_a_longer_line():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(3) * 0.5, size=6)
    results = beam_search(probs, ALPHABET, beam_width=50, prune=0.0)
    for text, score in results[:5]:
        assert score == pytest.approx(label_log_prob(probs, encode(text, ALPHABET)))
    assert results[0][1] >= max(label_log_prob(probs, encode(t, ALPHABET)) for t in ["", "A", "B", "AB", "BA", "ABA"])


def test_encode_rejects_unknown_characters():
    with pytest.raises(ValueError, match="not in the alphabet"):
        encode("AC", ALPHABET)
