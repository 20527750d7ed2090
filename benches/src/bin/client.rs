//! The generated client against raw reqwest sending the same requests.
//!
//! ```text
//! client [--scenario get|list] [--rounds R] [--requests N] [--concurrency C] [--only generated|reqwest] [--control yes] [--pin yes] [--retries no]
//! ```
//!
//! `--control yes` puts a second raw reqwest client in the generated
//! client's place: an A/A run whose ratio shows the bench's own bias
//! (which side goes first, which pool is warmer), to read the real
//! comparison against.
//!
//! `--pin yes` keeps the client's threads on the first core and the
//! loopback server's on the second (Linux), so that the scheduler does
//! not move them between rounds: less noise, same work on both sides.
//!
//! `--retries no` gives the generated client `RetryPolicy::none()`, so
//! that no call keeps a copy of its request for a retry: what the default
//! policy's copy costs.
//!
//! `--only` runs one side alone (its rounds, no comparison), for a profiler
//! or `perf stat` to look at one client at a time.
//!
//! A loopback server on its own thread answers both with the same stored
//! bytes (so its cost is small and equal). Each round runs `N` requests at
//! concurrency `C` with each client, alternating which goes first (A B, B A,
//! ...) to cancel drift in machine load; the first round is a discarded
//! warm-up. Prints one JSON object: per-round requests/s, the CPU time
//! (nanoseconds, from `schedstat`) and context switches per request of the
//! client side (every thread but the server's) and of the server, and
//! latency quantiles over all requests, for `generated` and `reqwest`.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apiforge_benches::{logic, stats, AUTH_ROLES, CUSTOMER_ID, ORG_ID, PROCESS_ID};
use axum::http::header;
use customer_identification_processes_client::{types, Client, RetryPolicy};
use types::operations::{get_identification_process as get, list_identification_processes as list};
use uuid::Uuid;

/// Which operation every request calls.
#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    Get,
    List,
}

struct Options {
    scenario: Scenario,
    rounds: usize,
    requests: usize,
    concurrency: usize,
    /// Runs only this side (0: generated, 1: reqwest) when set.
    only: Option<usize>,
    /// Side 0 is a second raw reqwest client (an A/A run).
    control: bool,
    /// Client threads on core 0, server threads on core 1.
    pin: bool,
    /// The generated client retries as by default (else never).
    retries: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_args()?;
    let base = start_server(options.pin)?;
    let pin = options.pin;
    if pin {
        pin_to_core(CLIENT_CORE);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .on_thread_start(move || {
            if pin {
                pin_to_core(CLIENT_CORE);
            }
        })
        .enable_all()
        .build()?;
    runtime.block_on(run(&options, &base))
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        scenario: Scenario::Get,
        rounds: 10,
        requests: 20_000,
        concurrency: 16,
        only: None,
        control: false,
        pin: false,
        retries: true,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("`{}` needs a value", pair[0]));
        };
        let number = || {
            value
                .parse::<usize>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--scenario" if value == "get" => options.scenario = Scenario::Get,
            "--scenario" if value == "list" => options.scenario = Scenario::List,
            "--rounds" => options.rounds = number()?,
            "--requests" => options.requests = number()?,
            "--concurrency" => options.concurrency = number()?.max(1),
            "--only" if value == "generated" => options.only = Some(0),
            "--only" if value == "reqwest" => options.only = Some(1),
            "--control" if value == "yes" => options.control = true,
            "--pin" if value == "yes" => options.pin = true,
            "--retries" if value == "no" => options.retries = false,
            _ => return Err(format!("unexpected argument `{flag} {value}`")),
        }
    }
    Ok(options)
}

/// Starts the loopback server on its own thread and runtime; returns its
/// base URL.
fn start_server(pin: bool) -> std::io::Result<String> {
    let customer_id: Uuid = CUSTOMER_ID.parse().expect("valid UUID");
    let process_id: Uuid = PROCESS_ID.parse().expect("valid UUID");
    let get_body = serde_json::to_vec(&logic::get(customer_id, process_id))?;
    let list_body = serde_json::to_vec(&logic::list(customer_id))?;
    let json = |body: Vec<u8>| {
        move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }
    };
    let app = axum::Router::new()
        .route(
            "/v4/orgs/{org_id}/customers/{customer_id}/identification-processes",
            axum::routing::get(json(list_body)),
        )
        .route(
            "/v4/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}",
            axum::routing::get(json(get_body)),
        );
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let base = format!("http://{}/v4", listener.local_addr()?);
    std::thread::Builder::new()
        .name(SERVER_THREAD.to_owned())
        .spawn(move || {
            if pin {
                pin_to_core(SERVER_CORE);
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name(SERVER_THREAD)
                .on_thread_start(move || {
                    if pin {
                        pin_to_core(SERVER_CORE);
                    }
                })
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app).await.expect("server");
            });
        })?;
    Ok(base)
}

/// The core of the client's threads under `--pin yes`.
const CLIENT_CORE: usize = 0;
/// The core of the loopback server's threads under `--pin yes`.
const SERVER_CORE: usize = 1;

/// Keeps the calling thread on `core` (Linux; elsewhere, nothing).
fn pin_to_core(core: usize) {
    #[cfg(target_os = "linux")]
    // SAFETY: `set` is a local, zeroed `cpu_set_t` that `CPU_SET` writes a
    // bit of; `sched_setaffinity` reads it for the calling thread (0).
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(core, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            eprintln!("client: could not pin a thread to core {core}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = core;
}

/// The name of the loopback server's threads, which [`Spent`] counts
/// apart.
const SERVER_THREAD: &str = "bench-server";

/// What this process's threads have spent so far: CPU time and context
/// switches, of the client side (every thread but the loopback server's:
/// the clients, hyper's connections, the runtime) and of the server.
/// Linux only (`/proc/self/task`); zeros elsewhere.
#[derive(Clone, Copy, Default)]
struct Spent {
    client_cpu_ns: u64,
    client_switches: u64,
    server_cpu_ns: u64,
    server_switches: u64,
}

impl Spent {
    fn now() -> Spent {
        let mut spent = Spent::default();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return spent;
        };
        for task in tasks.flatten() {
            let read =
                |file: &str| std::fs::read_to_string(task.path().join(file)).unwrap_or_default();
            // The first field of `schedstat`: nanoseconds on a CPU.
            let cpu_ns: u64 = read("schedstat")
                .split_whitespace()
                .next()
                .and_then(|ns| ns.parse().ok())
                .unwrap_or(0);
            let switches: u64 = read("status")
                .lines()
                .filter(|line| line.contains("ctxt_switches:"))
                .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
            if read("comm").trim_end() == SERVER_THREAD {
                spent.server_cpu_ns += cpu_ns;
                spent.server_switches += switches;
            } else {
                spent.client_cpu_ns += cpu_ns;
                spent.client_switches += switches;
            }
        }
        spent
    }

    /// What was spent since `before`.
    fn since(self, before: Spent) -> Spent {
        Spent {
            client_cpu_ns: self.client_cpu_ns.saturating_sub(before.client_cpu_ns),
            client_switches: self.client_switches.saturating_sub(before.client_switches),
            server_cpu_ns: self.server_cpu_ns.saturating_sub(before.server_cpu_ns),
            server_switches: self.server_switches.saturating_sub(before.server_switches),
        }
    }
}

/// The reqwest client both sides use, configured as the generated
/// `Client::new` configures its own.
fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

async fn run(options: &Options, base: &str) -> Result<(), Box<dyn std::error::Error>> {
    let customer_id: Uuid = CUSTOMER_ID.parse()?;
    let process_id: Uuid = PROCESS_ID.parse()?;
    let mut generated =
        Client::with_http_client(base, http_client()?)?.with_credentials(types::Credentials {
            auth_roles: Some(AUTH_ROLES.to_owned()),
            ..Default::default()
        });
    if !options.retries {
        generated = generated.with_retry(RetryPolicy::none());
    }
    let generated = Arc::new(generated);
    let raw = Arc::new(RawClient {
        http: http_client()?,
        base: base.to_owned(),
    });
    let control = Arc::new(RawClient {
        http: http_client()?,
        base: base.to_owned(),
    });
    let scenario = options.scenario;

    let call_generated = move || {
        let client = Arc::clone(&generated);
        async move {
            match scenario {
                Scenario::Get => {
                    let parameters =
                        get::Parameters::new(ORG_ID.to_owned(), customer_id, process_id);
                    match client.get_identification_process(&parameters).await {
                        Ok(get::Response::Ok(body)) => {
                            std::hint::black_box(body.identification_process.attempts.len())
                        }
                        other => panic!("generated client: unexpected {other:?}"),
                    }
                }
                Scenario::List => {
                    let parameters = list::Parameters::new(ORG_ID.to_owned(), customer_id);
                    match client.list_identification_processes(&parameters).await {
                        Ok(list::Response::Ok(body)) => {
                            std::hint::black_box(body.identification_processes.len())
                        }
                        other => panic!("generated client: unexpected {other:?}"),
                    }
                }
            }
        }
    };
    let raw_calls = move |raw: Arc<RawClient>| {
        move || {
            let client = Arc::clone(&raw);
            async move {
                match scenario {
                    Scenario::Get => {
                        let body: types::GetIdentificationProcessResponse = client
                        .get(format!(
                            "/orgs/{ORG_ID}/customers/{customer_id}/identification-processes/{process_id}"
                        ))
                        .await;
                        std::hint::black_box(body.identification_process.attempts.len())
                    }
                    Scenario::List => {
                        let body: types::ListIdentificationProcessesResponse = client
                            .get(format!(
                                "/orgs/{ORG_ID}/customers/{customer_id}/identification-processes"
                            ))
                            .await;
                        std::hint::black_box(body.identification_processes.len())
                    }
                }
            }
        }
    };

    let call_raw = raw_calls(raw);
    let call_control = raw_calls(control);
    let first = if options.control {
        "control"
    } else {
        "generated"
    };
    let mut results = [Side::new(first), Side::new("reqwest")];
    for round in 0..=options.rounds {
        for side in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
            if options.only.is_some_and(|only| only != side) {
                continue;
            }
            let before = Spent::now();
            let (elapsed, latencies) = if side == 0 && options.control {
                load(options, call_control.clone()).await
            } else if side == 0 {
                load(options, call_generated.clone()).await
            } else {
                load(options, call_raw.clone()).await
            };
            let spent = Spent::now().since(before);
            // Round 0 warms connections and allocators up.
            if round > 0 {
                let result = &mut results[side];
                let per_request = |value: u64| value as f64 / options.requests as f64;
                result
                    .rates
                    .push(options.requests as f64 / elapsed.as_secs_f64());
                result.latencies.extend(latencies);
                result
                    .cpu_us_per_request
                    .push(per_request(spent.client_cpu_ns) / 1e3);
                result
                    .switches_per_request
                    .push(per_request(spent.client_switches));
                result
                    .server_cpu_us_per_request
                    .push(per_request(spent.server_cpu_ns) / 1e3);
                result
                    .server_switches_per_request
                    .push(per_request(spent.server_switches));
            }
        }
    }
    println!("{}", report(options, &results));
    Ok(())
}

/// What a hand-written reqwest call does: format the URL, send the
/// credentials header, read the body, check the status, decode the JSON.
struct RawClient {
    http: reqwest::Client,
    base: String,
}

impl RawClient {
    async fn get<T: serde::de::DeserializeOwned>(&self, path: String) -> T {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("x-auth-roles", AUTH_ROLES)
            .send()
            .await
            .expect("request sent");
        let status = response.status();
        let body = response.bytes().await.expect("body read");
        assert_eq!(
            status,
            reqwest::StatusCode::OK,
            "reqwest: unexpected status"
        );
        serde_json::from_slice(&body).expect("body decodes")
    }
}

/// Runs `options.requests` calls, `options.concurrency` at a time; returns
/// the elapsed time and each call's latency in microseconds.
async fn load<F, Fut>(options: &Options, call: F) -> (Duration, Vec<f64>)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = usize> + Send,
{
    let per_task = options.requests / options.concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..options.concurrency)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let sent = Instant::now();
                    call().await;
                    latencies.push(sent.elapsed().as_secs_f64() * 1e6);
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(options.requests);
    for task in tasks {
        latencies.extend(task.await.expect("load task"));
    }
    (started.elapsed(), latencies)
}

struct Side {
    name: &'static str,
    rates: Vec<f64>,
    latencies: Vec<f64>,
    /// Per round: the client side's CPU time per request (see
    /// [`Spent`]), steadier than the rate on a loaded machine.
    cpu_us_per_request: Vec<f64>,
    /// Per round: the client side's context switches per request.
    switches_per_request: Vec<f64>,
    /// Per round: the loopback server's CPU time per request.
    server_cpu_us_per_request: Vec<f64>,
    /// Per round: the loopback server's context switches per request.
    server_switches_per_request: Vec<f64>,
}

impl Side {
    fn new(name: &'static str) -> Self {
        Side {
            name,
            rates: Vec::new(),
            latencies: Vec::new(),
            cpu_us_per_request: Vec::new(),
            switches_per_request: Vec::new(),
            server_cpu_us_per_request: Vec::new(),
            server_switches_per_request: Vec::new(),
        }
    }
}

/// The JSON summary: each side's rounds, median rate and latency
/// quantiles, and the ratio of the medians (generated / reqwest).
fn report(options: &Options, results: &[Side; 2]) -> serde_json::Value {
    let side = |s: &Side| {
        serde_json::json!({
            "requests_per_s": s.rates,
            "median_requests_per_s": stats::median(&s.rates),
            "min_requests_per_s": s.rates.iter().copied().fold(f64::INFINITY, f64::min),
            "max_requests_per_s": s.rates.iter().copied().fold(0.0, f64::max),
            "p50_us": stats::quantile(&s.latencies, 0.50),
            "p99_us": stats::quantile(&s.latencies, 0.99),
            "cpu_us_per_request": s.cpu_us_per_request,
            "median_cpu_us_per_request": stats::median(&s.cpu_us_per_request),
            "median_switches_per_request": stats::median(&s.switches_per_request),
            "median_server_cpu_us_per_request": stats::median(&s.server_cpu_us_per_request),
            "median_server_switches_per_request": stats::median(&s.server_switches_per_request),
        })
    };
    let pair_ratios: Vec<f64> = results[0]
        .rates
        .iter()
        .zip(&results[1].rates)
        .map(|(generated, raw)| generated / raw)
        .collect();
    serde_json::json!({
        "scenario": if options.scenario == Scenario::Get { "get" } else { "list" },
        "rounds": options.rounds,
        "requests_per_round": options.requests,
        "concurrency": options.concurrency,
        results[0].name: side(&results[0]),
        results[1].name: side(&results[1]),
        "ratio_of_medians": stats::median(&results[0].rates) / stats::median(&results[1].rates),
        "median_pair_ratio": stats::median(&pair_ratios),
        "cpu_per_request_ratio": stats::median(&results[0].cpu_us_per_request)
            / stats::median(&results[1].cpu_us_per_request),
        "switches_per_request_ratio": stats::median(&results[0].switches_per_request)
            / stats::median(&results[1].switches_per_request),
        "server_cpu_per_request_ratio": stats::median(&results[0].server_cpu_us_per_request)
            / stats::median(&results[1].server_cpu_us_per_request),
    })
}
