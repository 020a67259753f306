"""The closed vocabularies: every code has its own label, and labels read back to their code."""

from __future__ import annotations

import enum
import inspect

import pytest

from app.schemas import enums

VOCABULARIES = [
    obj
    for _, obj in inspect.getmembers(enums, inspect.isclass)
    if issubclass(obj, enum.StrEnum) and obj is not enum.StrEnum
]


def test_every_member_has_a_label() -> None:
    missing = [f"{e.__name__}.{m.name}" for e in VOCABULARIES for m in e if m not in enums.LABEL]
    assert not missing


def test_members_sharing_a_code_share_a_label() -> None:
    """StrEnum members hash by their code, so LABEL holds one entry per code: every member's
    own word in the table's source must be the word LABEL gives it."""
    assert all(enums.LABEL[member] == word for member, word in enums._LABELS)


def test_a_code_with_two_words_is_refused() -> None:
    class Source(enum.StrEnum):
        VISIT = "visit"

    class Method(enum.StrEnum):
        VISIT = "visit"

    with pytest.raises(ValueError, match="'visit' has two labels"):
        enums._one_word_per_code(((Source.VISIT, "走访"), (Method.VISIT, "上门回访")))
    assert enums._one_word_per_code(((Source.VISIT, "其他"), (Method.VISIT, "其他")))


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda e: e.__name__)
def test_labels_read_back(vocabulary: type[enum.StrEnum]) -> None:
    for member in vocabulary:
        assert enums.from_label(vocabulary, enums.LABEL[member]) is member
        assert enums.from_label(vocabulary, member.value) is member
