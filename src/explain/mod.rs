//! Explain: each Service's layers with real values. (Being written.)
