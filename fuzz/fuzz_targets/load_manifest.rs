//! The manifest reader: any bytes, as `svcx -f FILE` would read them, to a
//! Snapshot. Text that is not UTF-8 is refused before parsing (as
//! `source::files::read` does), so only UTF-8 reaches the reader; whatever
//! it says, it must answer (an error or a snapshot), never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use svcx::Scope;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = svcx_fuzz::load(text, Scope::AllNamespaces);
    }
});
