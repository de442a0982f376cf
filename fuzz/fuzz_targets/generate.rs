//! Any text given to the generator either generates or is refused with
//! diagnostics: never a panic (which the generator turns into
//! `Error::Internal`), an abort (stack overflow) or a hang (libFuzzer's
//! `-timeout`).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // No extension: the loader tells JSON from YAML by the content.
    let path = Path::new("fuzz-input");
    let config = generator::Config::new(path).crate_name("fuzzed");
    if let Err(generator::Error::Internal(message)) =
        generator::generate_from_str(&config, text, path)
    {
        panic!("internal error: {message}");
    }
});
