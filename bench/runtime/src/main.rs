//! The generated Invent client against hand-written reqwest + serde code:
//! requests per second through a loopback server, and the time to encode
//! the request body and decode the response body.
//!
//! `cargo run --release -- [--seconds S] [--rounds R] [--concurrency 1,16]`

mod fixture;
mod handwritten;
mod server;

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

const TOKEN: &str = "sk-bench-123";
const ORG: &str = "org_123";

struct Args {
    seconds: f64,
    rounds: usize,
    concurrency: Vec<usize>,
}

fn args() -> Args {
    let mut args = Args {
        seconds: 3.0,
        rounds: 3,
        concurrency: vec![1, 16],
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
            _ => {
                eprintln!("usage: runtime-bench [--seconds S] [--rounds R] [--concurrency 1,16]");
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

/// Median nanoseconds per call of `f` over 7 samples of about 150 ms.
fn per_call(mut f: impl FnMut()) -> f64 {
    let mut iters = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        if t.elapsed() > Duration::from_millis(50) {
            break;
        }
        iters *= 2;
    }
    iters *= 3;
    let mut samples: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    samples.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    samples[3]
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

    let enc_gen = per_call(|| {
        black_box(serde_json::to_vec(black_box(&gen_body)).expect("encode"));
    });
    let enc_hw = per_call(|| {
        black_box(serde_json::to_vec(black_box(&hw_body)).expect("encode"));
    });
    let dec_gen = per_call(|| {
        black_box(
            serde_json::from_slice::<invent_client::types::Assistant>(black_box(response))
                .expect("decode"),
        );
    });
    let dec_hw = per_call(|| {
        black_box(
            serde_json::from_slice::<handwritten::Assistant>(black_box(response)).expect("decode"),
        );
    });

    // HTTP: the client on one thread (a current-thread runtime), the
    // server on another.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let kinds = [Kind::Generated, Kind::GeneratedBare, Kind::Handwritten];
    let mut rps: Vec<(usize, Kind, f64)> = Vec::new();
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
        // Check both once, then warm up connections.
        for kind in kinds {
            assert_eq!(clients.call(kind, &gen_body, &hw_body).await, "asst_1");
        }
        for &c in &args.concurrency {
            let mut per_kind: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
            for kind in kinds {
                throughput(&clients, kind, c, 0.5).await; // warm-up
            }
            // Rounds interleave the kinds so that drift hits all alike.
            for round in 0..args.rounds {
                for (i, kind) in kinds.iter().enumerate() {
                    let r = throughput(&clients, *kind, c, args.seconds).await;
                    eprintln!(
                        "concurrency {c} round {}: {:>8.0} req/s  {}",
                        round + 1,
                        r,
                        kind.label()
                    );
                    per_kind[i].push(r);
                }
            }
            for (i, kind) in kinds.iter().enumerate() {
                rps.push((c, *kind, median(per_kind[i].clone())));
            }
        }
    });

    println!(
        "Create Assistant (POST /orgs/{{org_id}}/assistants) against a loopback server; client on one thread, server on another; \
         median of {} rounds of {} s.\n",
        args.rounds, args.seconds
    );
    println!(
        "| client | concurrency | requests/s | µs/request | generated / hand-written (time per request) |"
    );
    println!("| --- | --- | --- | --- | --- |");
    for &c in &args.concurrency {
        let hw = rps
            .iter()
            .find(|r| r.0 == c && r.1 == Kind::Handwritten)
            .map(|r| r.2)
            .unwrap_or(f64::NAN);
        for kind in kinds {
            let r = rps
                .iter()
                .find(|x| x.0 == c && x.1 == kind)
                .map(|x| x.2)
                .unwrap_or(f64::NAN);
            let ratio = if kind == Kind::Handwritten {
                "1.00 (baseline)".to_owned()
            } else {
                format!("{:.2}", hw / r)
            };
            println!(
                "| {} | {c} | {r:.0} | {:.1} | {ratio} |",
                kind.label(),
                1e6 / r
            );
        }
    }
    println!();
    println!(
        "Bodies alone: request {} bytes (serde_json::to_vec), response {} bytes (serde_json::from_slice); median of 7 samples.\n",
        gen_bytes.len(),
        response.len()
    );
    println!("| | generated types | hand-written structs | generated / hand-written |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| encode request body | {enc_gen:.0} ns | {enc_hw:.0} ns | {:.2} |",
        enc_gen / enc_hw
    );
    println!(
        "| decode Assistant response | {dec_gen:.0} ns | {dec_hw:.0} ns | {:.2} |",
        dec_gen / dec_hw
    );
}
