import pytest

from services.classify.evaluate import score


def test_scores_per_category_micro_macro_and_false_positive_rate() -> None:
    gold = [
        frozenset({"hoax"}),
        frozenset({"hoax"}),
        frozenset(),
        frozenset(),
        frozenset({"intimidation"}),
    ]
    predicted = [
        frozenset({"hoax"}),
        frozenset(),
        frozenset({"hoax"}),
        frozenset(),
        frozenset({"intimidation"}),
    ]
    result = score(gold, predicted)
    hoax = result["categories"]["hoax"]
    assert (hoax["precision"], hoax["recall"], hoax["support"]) == (0.5, 0.5, 2)
    assert result["categories"]["intimidation"]["f1"] == 1.0
    assert result["micro"]["precision"] == pytest.approx(2 / 3)
    assert result["micro"]["recall"] == pytest.approx(2 / 3)
    assert result["macro"]["f1"] == pytest.approx((0.5 + 1.0) / 2)  # only supported categories
    assert result["false_positive_rate"] == 0.5 and result["clean_events"] == 2


def test_empty_predictions_score_zero_not_error() -> None:
    result = score([frozenset({"hoax"})], [frozenset()])
    assert result["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
