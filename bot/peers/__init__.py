"""Peer to peer, by consent: check-ins people ask for (and nobody else gets)."""

FEATURE = "peers"
