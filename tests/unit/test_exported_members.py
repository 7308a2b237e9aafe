"""The public vocabulary: ``stalwart.__all__`` is sorted, complete and importable."""

import stalwart


def test_all_is_sorted_and_unique():
    assert stalwart.__all__ == sorted(stalwart.__all__)
    assert len(set(stalwart.__all__)) == len(stalwart.__all__)


def test_every_public_name_is_exported():
    # names that are not identifiers ('@py_builtins', '@pytest_ar') are pytest's assertion
    # rewriting, which reaches the package because it ships a pytest plugin (entry point
    # pytest11): pytest rewrites a plugin's whole distribution on some installs (seen in a
    # venv without system site-packages); they are not names a user can import
    public = {n for n, v in vars(stalwart).items()
              if n.isidentifier() and not n.startswith("_")
              and not getattr(v, "__name__", "").startswith("stalwart.")}
    # subpackages are reachable as attributes but are not part of the vocabulary
    assert public - set(stalwart.__all__) == set()


def test_every_exported_name_exists_and_is_documented():
    for name in stalwart.__all__:
        obj = getattr(stalwart, name)
        if callable(obj) and name != "__version__":
            assert obj.__doc__, f"{name} has no docstring"
