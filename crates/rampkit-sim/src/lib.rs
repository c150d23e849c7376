//! rampkit-sim: a local, stateful simulator of the vendors (skeleton; being written).
