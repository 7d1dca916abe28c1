//! Human rendering of an explain report. (Being written.)
