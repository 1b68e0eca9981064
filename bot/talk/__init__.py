"""One-to-one contact: the rules behind /talk, peer listeners and anonymous feedback."""
