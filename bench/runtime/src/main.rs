//! The generated Invent client against hand-written reqwest + serde code:
//! requests per second through a loopback server, and the time to encode
//! the request body and decode the response body.
//!
//! `cargo run --release -- [--seconds S] [--rounds R] [--concurrency 1,16] [--only KIND]`
//!
//! The kinds take turns, round after round, and each ratio is the median
//! of the per-round ratios: this machine's speed drifts by a quarter
//! within minutes, and a ratio of two runs seconds apart cancels most of
//! it. `--only generated|bare|handwritten` runs one kind alone (to
//! profile it).

mod fixture;
mod handwritten;
mod server;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting the allocations of the threads that ask
/// for it: heap allocations per request are a figure that, unlike time,
/// this noisy machine does not blur.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn count(size: usize) {
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every call goes to `System` unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TOKEN: &str = "sk-bench-123";
const ORG: &str = "org_123";

struct Args {
    seconds: f64,
    rounds: usize,
    concurrency: Vec<usize>,
    only: Option<Kind>,
}

fn args() -> Args {
    let mut args = Args {
        seconds: 0.5,
        rounds: 15,
        concurrency: vec![1, 16],
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--seconds" => args.seconds = value.parse().expect("--seconds N"),
            "--rounds" => args.rounds = value.parse().expect("--rounds N"),
            "--concurrency" => {
                args.concurrency = value
                    .split(',')
                    .map(|c| c.parse().expect("--concurrency 1,16"))
                    .collect()
            }
            "--only" => {
                args.only = Some(match value.as_str() {
                    "generated" => Kind::Generated,
                    "bare" => Kind::GeneratedBare,
                    "handwritten" => Kind::Handwritten,
                    _ => panic!("--only generated|bare|handwritten"),
                })
            }
            _ => {
                eprintln!(
                    "usage: runtime-bench [--seconds S] [--rounds R] [--concurrency 1,16] [--only KIND]"
                );
                std::process::exit(2);
            }
        }
    }
    args
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Generated,
    GeneratedBare,
    Handwritten,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Generated => {
                "generated (defaults: 60 s timeout, retry policy, redirect policy, 32 MiB limit, validation)"
            }
            Kind::GeneratedBare => "generated, `.timeout(None)` + `RetryPolicy::none()`",
            Kind::Handwritten => "hand-written reqwest + serde",
        }
    }
}

#[derive(Clone)]
struct Clients {
    generated: invent_client::Client,
    bare: invent_client::Client,
    handwritten: handwritten::Client,
}

impl Clients {
    async fn call(
        &self,
        kind: Kind,
        gen_body: &invent_client::types::CreateAssistant,
        hw_body: &handwritten::CreateAssistant,
    ) -> String {
        match kind {
            Kind::Generated => {
                self.generated
                    .create_assistant(ORG, gen_body)
                    .await
                    .expect("generated call")
                    .id
            }
            Kind::GeneratedBare => {
                self.bare
                    .create_assistant(ORG, gen_body)
                    .await
                    .expect("generated call")
                    .id
            }
            Kind::Handwritten => {
                self.handwritten
                    .create_assistant(ORG, hw_body)
                    .await
                    .expect("hand-written call")
                    .id
            }
        }
    }
}

/// Requests completed per second by `concurrency` tasks that each send one
/// request after another for `seconds`.
async fn throughput(clients: &Clients, kind: Kind, concurrency: usize, seconds: f64) -> f64 {
    let done = Rc::new(Cell::new(0u64));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let local = tokio::task::LocalSet::new();
    for _ in 0..concurrency {
        let clients = clients.clone();
        let done = done.clone();
        local.spawn_local(async move {
            let gen_body = fixture::generated_body();
            let hw_body = fixture::handwritten_body();
            while Instant::now() < deadline {
                let id = clients.call(kind, &gen_body, &hw_body).await;
                black_box(id);
                done.set(done.get() + 1);
            }
        });
    }
    local.await;
    done.get() as f64 / started.elapsed().as_secs_f64()
}

/// Nanoseconds per call of `a` and of `b`, and their ratio: 41 samples
/// of about 20 ms each, taking turns; the medians of the times and of the
/// per-turn ratios.
fn paired(mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64, f64) {
    let mut iters = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..iters {
            a();
        }
        if t.elapsed() > Duration::from_millis(20) {
            break;
        }
        iters *= 2;
    }
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        t.elapsed().as_nanos() as f64 / iters as f64
    };
    let (mut times_a, mut times_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..41 {
        let ta = time(&mut a);
        let tb = time(&mut b);
        times_a.push(ta);
        times_b.push(tb);
        ratios.push(ta / tb);
    }
    (median(times_a), median(times_b), median(ratios))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v[v.len() / 2]
}

fn main() {
    let args = args();
    let addr = server::start(fixture::RESPONSE);
    let base = format!("http://{addr}");

    // Encode and decode, before the HTTP runs.
    let gen_body = fixture::generated_body();
    let hw_body = fixture::handwritten_body();
    let gen_bytes = serde_json::to_vec(&gen_body).expect("encode");
    let hw_bytes = serde_json::to_vec(&hw_body).expect("encode");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&gen_bytes).expect("json"),
        serde_json::from_slice::<serde_json::Value>(&hw_bytes).expect("json"),
        "both request bodies must be the same JSON"
    );
    let response = fixture::RESPONSE.as_bytes();
    let gen_decoded: invent_client::types::Assistant =
        serde_json::from_slice(response).expect("generated decode");
    let hw_decoded: handwritten::Assistant =
        serde_json::from_slice(response).expect("hand-written decode");
    assert_eq!(gen_decoded.id, hw_decoded.id);

    // Skipped when one kind runs alone (profiling the HTTP path).
    let bodies = args.only.is_none().then(|| {
        // Each side as its client does it: the generated one through its
        // runtime's `decode_json`, the hand-written one with `from_slice`.
        let encode = paired(
            || {
                black_box(serde_json::to_vec(black_box(&gen_body)).expect("encode"));
            },
            || {
                black_box(serde_json::to_vec(black_box(&hw_body)).expect("encode"));
            },
        );
        let decode = paired(
            || {
                black_box(
                    invent_client::runtime::decode_json::<invent_client::types::Assistant>(
                        black_box(response),
                    )
                    .expect("decode"),
                );
            },
            || {
                black_box(
                    serde_json::from_slice::<handwritten::Assistant>(black_box(response))
                        .expect("decode"),
                );
            },
        );
        (encode, decode)
    });

    // HTTP: the client on one thread (a current-thread runtime), the
    // server on another.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let kinds: Vec<Kind> = match args.only {
        Some(kind) => vec![kind],
        None => vec![Kind::Generated, Kind::GeneratedBare, Kind::Handwritten],
    };
    // (concurrency, kind, requests per second of each round)
    let mut rounds: Vec<(usize, Kind, Vec<f64>)> = Vec::new();
    // (kind, allocations per request, bytes allocated per request)
    let mut allocations: Vec<(Kind, f64, f64)> = Vec::new();
    rt.block_on(async {
        let clients = Clients {
            generated: invent_client::Client::builder()
                .base_url(base.clone())
                .bearer_token(TOKEN)
                .build()
                .expect("generated client"),
            bare: invent_client::Client::builder()
                .base_url(base.clone())
                .bearer_token(TOKEN)
                .timeout(None)
                .retries(invent_client::RetryPolicy::none())
                .build()
                .expect("generated client"),
            handwritten: handwritten::Client::new(&base, TOKEN),
        };
        // Check each once, then warm up connections.
        for &kind in &kinds {
            assert_eq!(clients.call(kind, &gen_body, &hw_body).await, "asst_1");
        }
        // Heap allocations of the client's thread (the client, its
        // connection tasks, encoding and decoding) per request.
        const CALLS: u64 = 200;
        for &kind in &kinds {
            COUNTED.with(|counted| counted.set(true));
            let (before, before_bytes) = (
                ALLOCATIONS.load(Ordering::Relaxed),
                ALLOCATED_BYTES.load(Ordering::Relaxed),
            );
            for _ in 0..CALLS {
                black_box(clients.call(kind, &gen_body, &hw_body).await);
            }
            COUNTED.with(|counted| counted.set(false));
            allocations.push((
                kind,
                (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / CALLS as f64,
                (ALLOCATED_BYTES.load(Ordering::Relaxed) - before_bytes) as f64 / CALLS as f64,
            ));
        }
        for &c in &args.concurrency {
            let mut per_kind: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
            for &kind in &kinds {
                throughput(&clients, kind, c, 0.5).await; // warm-up
            }
            // Rounds interleave the kinds so that drift hits all alike.
            for round in 0..args.rounds {
                for (i, &kind) in kinds.iter().enumerate() {
                    let r = throughput(&clients, kind, c, args.seconds).await;
                    eprintln!(
                        "concurrency {c} round {}: {:>8.0} req/s  {}",
                        round + 1,
                        r,
                        kind.label()
                    );
                    per_kind[i].push(r);
                }
            }
            for (i, &kind) in kinds.iter().enumerate() {
                rounds.push((c, kind, per_kind[i].clone()));
            }
        }
    });

    println!(
        "Create Assistant (POST /orgs/{{org_id}}/assistants) against a loopback server; client on one thread, server on another; \
         {} rounds of {} s, the kinds taking turns; medians, and the median of the per-round ratios.\n",
        args.rounds, args.seconds
    );
    println!(
        "| client | concurrency | requests/s | µs/request | generated / hand-written (time per request) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for &c in &args.concurrency {
        let of = |kind: Kind| {
            rounds
                .iter()
                .find(|r| r.0 == c && r.1 == kind)
                .map(|r| r.2.clone())
        };
        let hw = of(Kind::Handwritten);
        for &kind in &kinds {
            let Some(own) = of(kind) else { continue };
            let r = median(own.clone());
            let ratio = match (&hw, kind) {
                (_, Kind::Handwritten) => "1.00 (baseline)".to_owned(),
                (Some(hw), _) => format!(
                    "{:.2}",
                    median(hw.iter().zip(&own).map(|(h, o)| h / o).collect())
                ),
                (None, _) => "—".to_owned(),
            };
            println!(
                "| {} | {c} | {r:.0} | {:.1} | {ratio} |",
                kind.label(),
                1e6 / r
            );
        }
    }
    println!(
        "\nHeap allocations of the client's thread per request (200 requests one after another):\n"
    );
    println!("| client | allocations | bytes allocated |");
    println!("| --- | --- | --- |");
    for (kind, count, bytes) in &allocations {
        println!("| {} | {count:.1} | {bytes:.0} |", kind.label());
    }
    let Some(((enc_gen, enc_hw, enc_ratio), (dec_gen, dec_hw, dec_ratio))) = bodies else {
        return;
    };
    println!();
    println!(
        "Bodies alone: request {} bytes (serde_json::to_vec), response {} bytes (the generated client's `runtime::decode_json`, serde_json::from_slice by hand); 41 turns of about 20 ms each; medians, and the median of the per-turn ratios.\n",
        gen_bytes.len(),
        response.len()
    );
    println!("| | generated types | hand-written structs | generated / hand-written |");
    println!("| --- | --- | --- | --- |");
    println!("| encode request body | {enc_gen:.0} ns | {enc_hw:.0} ns | {enc_ratio:.2} |");
    println!("| decode Assistant response | {dec_gen:.0} ns | {dec_hw:.0} ns | {dec_ratio:.2} |");
}
