//! cryptopocket: the rest of the documented surface (filled in by the surface issue).
