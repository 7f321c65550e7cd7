"""``python -m book_build``: build the book (what ``make book`` runs); see :mod:`book_build.build`."""

from .build import main

main()
