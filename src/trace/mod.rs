//! Hop-by-hop trace of a Service's traffic path. (Being written.)
