"""Small character-level matching helpers shared by the steps of answering."""

from __future__ import annotations


def names_in(name: str, clause: str) -> bool:
    """The clause names the institution, in full or coordinated (万秀区、长洲区疾病预防控制中心)."""
    if name in clause:
        return True
    return any(name[:i] + "、" in clause and name[i:] in clause for i in range(2, len(name) - 1))


def common_run(a: str, b: str) -> tuple[int, int]:
    """Length of the longest common substring of a short clause and a sentence, and where it is in
    the sentence."""
    best, at = 0, -1
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            pos = b.find(a[i:j])
            if pos < 0:
                break
            best, at = j - i, pos
    return best, at
