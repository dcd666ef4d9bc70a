"""Facts and decks: the fact model, deck files and the seed deck."""
