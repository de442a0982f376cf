//! Prints how long each phase of a generation run takes, for a spec given
//! as the first argument (used by the benchmarks in `benches/`).

use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spec = std::env::args().nth(1).ok_or("usage: phases <spec>")?;
    let started = Instant::now();
    let generated = generator::Config::new(&spec).generate()?;
    let out = std::env::temp_dir().join("phases-out");
    let write = Instant::now();
    generated.files.write(Path::new(&out))?;
    for (phase, took) in &generated.timings {
        println!("{phase:12} {:8.1} ms", took.as_secs_f64() * 1000.0);
    }
    println!(
        "{:12} {:8.1} ms",
        "write",
        write.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "{:12} {:8.1} ms",
        "total",
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
