//! Tries to starve the generated server, served the documented way
//! (`serve` with its default `ServeOptions`), with half-sent requests, and
//! measures what a normal client sees.
//!
//! ```text
//! cargo build --release -p apiforge-benches --bin starve
//! target/release/starve --connections 10000
//! target/release/starve --connections 25000
//! target/release/starve --connections 10000 --server-fd-limit 4096
//! ```
//!
//! `--server-fd-limit` lowers the server's file descriptor limit (through
//! `sh -c 'ulimit -n N'`) below `max_connections`, as the common default of
//! 1024 does, so the server runs out of descriptors and its accept loop has
//! to back off.
//!
//! It starts the server as a child process (this binary with `server`), then
//! holder processes (`hold`, at most 9,000 connections each, so that no
//! process needs more file descriptors than the default limit) that open the
//! connections and send the start of a request head, never its end. From the
//! start, every 2 s for 70 s, it sends a normal request (a probe) and records
//! when it was answered and how many descriptors the server had open. Once
//! all connections are open (or refused), it times one more normal request,
//! reads the server's memory and open descriptors, and reports how long each
//! half-sent request stayed open before the server closed it (holders give
//! up after 120 s).

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use apiforge_benches::generated_api::Processes;
use customer_identification_processes_server::{router, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PATH: &str =
    "/v4/orgs/telco/customers/123e4567-e89b-12d3-a456-556642440000/identification-processes";
const PER_HOLDER: usize = 9_000;
/// How long a holder waits for the server to close its connections, and
/// the normal request for its answer.
const PATIENCE: Duration = Duration::from_secs(120);
const PROBE_EVERY: Duration = Duration::from_secs(2);

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["server"] => runtime.block_on(run_server()),
        ["hold", addr, count] => runtime.block_on(hold(parse(addr)?, parse(count)?)),
        ["--connections", count] => runtime.block_on(attack(parse(count)?, None)),
        ["--connections", count, "--server-fd-limit", limit] => {
            runtime.block_on(attack(parse(count)?, Some(parse(limit)?)))
        }
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "usage: starve --connections N [--server-fd-limit N]",
        )),
    }
}

fn parse<T: std::str::FromStr>(text: &str) -> std::io::Result<T> {
    text.parse().map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not understood: {text}"),
        )
    })
}

/// The server: the generated router under `/v4`, served by `serve` with
/// its defaults; prints its address, stops when stdin closes.
async fn run_server() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let app = axum::Router::new().nest("/v4", router(Processes));
    tokio::spawn(serve(listener, app));
    tokio::task::spawn_blocking(|| std::io::copy(&mut std::io::stdin(), &mut std::io::sink()))
        .await
        .map_err(std::io::Error::other)?
        .map(drop)
}

/// A holder: opens `count` half-sent requests, prints `opened OK FAILED`,
/// then waits for the server to close them and prints `closed CLOSED
/// STILL_OPEN MAX_MS MEDIAN_MS` (time each stayed open, from its connect).
async fn hold(addr: SocketAddr, count: usize) -> std::io::Result<()> {
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(256));
    let mut opening = Vec::with_capacity(count);
    for _ in 0..count {
        let slots = std::sync::Arc::clone(&slots);
        opening.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.ok()?;
            let opened = Instant::now();
            let connect = async {
                let mut stream = TcpStream::connect(addr).await?;
                let partial =
                    format!("GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-roles: API_");
                stream.write_all(partial.as_bytes()).await?;
                Ok::<_, std::io::Error>(stream)
            };
            match tokio::time::timeout(Duration::from_secs(5), connect).await {
                Ok(Ok(stream)) => Some((stream, opened)),
                _ => None,
            }
        }));
    }
    let mut held = Vec::with_capacity(count);
    for task in opening {
        if let Ok(Some(connection)) = task.await {
            held.push(connection);
        }
    }
    println!("opened {} {}", held.len(), count - held.len());
    std::io::stdout().flush()?;
    let waits = held.into_iter().map(|(mut stream, opened)| {
        tokio::spawn(async move {
            let mut buffer = [0u8; 256];
            loop {
                match tokio::time::timeout_at((opened + PATIENCE).into(), stream.read(&mut buffer))
                    .await
                {
                    Ok(Ok(0) | Err(_)) => return Some(opened.elapsed()),
                    Ok(Ok(_)) => {}
                    Err(_) => return None,
                }
            }
        })
    });
    let mut lifetimes = Vec::new();
    let mut still_open = 0;
    for wait in waits.collect::<Vec<_>>() {
        match wait.await {
            Ok(Some(lifetime)) => lifetimes.push(lifetime.as_secs_f64() * 1000.0),
            _ => still_open += 1,
        }
    }
    lifetimes.sort_by(f64::total_cmp);
    let max = lifetimes.last().copied().unwrap_or(0.0);
    let median = lifetimes.get(lifetimes.len() / 2).copied().unwrap_or(0.0);
    println!(
        "closed {} {still_open} {max:.0} {median:.0}",
        lifetimes.len()
    );
    Ok(())
}

/// The measurement: server, holders, one normal request, the report.
async fn attack(connections: usize, server_fd_limit: Option<u32>) -> std::io::Result<()> {
    let me = std::env::current_exe()?;
    let mut server = match server_fd_limit {
        None => {
            let mut command = Command::new(&me);
            command.arg("server");
            command
        }
        Some(limit) => {
            let mut command = Command::new("sh");
            command
                .args(["-c", "ulimit -n \"$0\" && exec \"$1\" server"])
                .arg(limit.to_string())
                .arg(&me);
            command
        }
    };
    let mut server = server
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut server_out = BufReader::new(server.stdout.take().expect("piped"));
    let mut line = String::new();
    server_out.read_line(&mut line)?;
    let addr: SocketAddr = parse(line.trim())?;
    println!(
        "server pid {} on {addr}, fd limit {}",
        server.id(),
        fd_limit(server.id())
    );
    println!("before: {}", usage(server.id()));

    let started = Instant::now();
    let mut holders: Vec<(Child, BufReader<std::process::ChildStdout>)> = Vec::new();
    let mut left = connections;
    while left > 0 {
        let count = left.min(PER_HOLDER);
        left -= count;
        let mut holder = Command::new(&me)
            .args(["hold", &addr.to_string(), &count.to_string()])
            .stdout(Stdio::piped())
            .spawn()?;
        let out = BufReader::new(holder.stdout.take().expect("piped"));
        holders.push((holder, out));
    }
    let server_pid = server.id();
    let probes = tokio::spawn(async move {
        let mut sent = Vec::new();
        for round in 0..35u32 {
            tokio::time::sleep_until((started + PROBE_EVERY * round).into()).await;
            let fds = usage(server_pid);
            sent.push(tokio::spawn(async move {
                let asked = Instant::now();
                let answer = tokio::time::timeout(PATIENCE, normal_request(addr)).await;
                let outcome = match answer {
                    Ok(Ok(status)) => format!(
                        "{status} after {:.1} ms",
                        asked.elapsed().as_secs_f64() * 1000.0
                    ),
                    Ok(Err(error)) => format!(
                        "failed after {:.1} s: {error}",
                        asked.elapsed().as_secs_f64()
                    ),
                    Err(_) => format!("no answer within {PATIENCE:?}"),
                };
                format!(
                    "  probe at {:>4.1} s ({fds}): {outcome}",
                    (asked - started).as_secs_f64()
                )
            }));
        }
        let mut lines = Vec::new();
        for probe in sent {
            lines.push(probe.await.unwrap_or_else(|e| format!("  probe task: {e}")));
        }
        lines
    });
    let (mut opened, mut refused) = (0, 0);
    for (_, out) in &mut holders {
        let mut line = String::new();
        out.read_line(&mut line)?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let ["opened", ok, failed] = fields.as_slice() {
            opened += parse::<usize>(ok)?;
            refused += parse::<usize>(failed)?;
        }
    }
    println!(
        "{opened} half-sent requests held, {refused} not connected within 5 s, after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("holding: {}", usage(server.id()));

    let asked = Instant::now();
    match tokio::time::timeout(PATIENCE, normal_request(addr)).await {
        Ok(Ok(status)) => println!(
            "normal request: {status} after {:.1} ms",
            asked.elapsed().as_secs_f64() * 1000.0
        ),
        Ok(Err(error)) => println!(
            "normal request: failed after {:.1} ms: {error}",
            asked.elapsed().as_secs_f64() * 1000.0
        ),
        Err(_) => println!("normal request: no answer within {PATIENCE:?}"),
    }

    let (mut closed, mut open, mut max_ms, mut medians) = (0, 0, 0.0f64, Vec::new());
    for (mut holder, mut out) in holders {
        let mut line = String::new();
        out.read_line(&mut line)?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let ["closed", done, still, max, median] = fields.as_slice() {
            closed += parse::<usize>(done)?;
            open += parse::<usize>(still)?;
            max_ms = max_ms.max(parse(max)?);
            medians.push(parse::<f64>(median)?);
        }
        holder.wait()?;
    }
    println!(
        "closed by the server: {closed} (each open at most {:.1} s, median per holder {}), still open after {PATIENCE:?}: {open}",
        max_ms / 1000.0,
        medians
            .iter()
            .map(|m| format!("{:.1} s", m / 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let asked = Instant::now();
    match tokio::time::timeout(Duration::from_secs(5), normal_request(addr)).await {
        Ok(Ok(status)) => println!(
            "afterwards, normal request: {status} after {:.1} ms",
            asked.elapsed().as_secs_f64() * 1000.0
        ),
        _ => println!("afterwards, normal request: no answer within 5 s"),
    }
    println!("probes (a normal request every {PROBE_EVERY:?} from the start):");
    for line in probes.await.map_err(std::io::Error::other)? {
        println!("{line}");
    }
    println!("after: {}", usage(server.id()));
    drop(server.stdin.take());
    server.wait()?;
    Ok(())
}

/// Sends a complete request; returns the status line.
async fn normal_request(addr: SocketAddr) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-roles: API_KEY\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response);
    Ok(text.lines().next().unwrap_or("(empty response)").to_owned())
}

/// The server's resident memory and open file descriptors.
fn usage(pid: u32) -> String {
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .map(|line| line.trim_start_matches("VmRSS:").trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| dir.count().to_string())
        .unwrap_or_else(|_| "?".into());
    // utime and stime, the 14th and 15th fields, after the command name.
    let cpu = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let fields: Vec<u64> = stat
                .rsplit_once(") ")?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|field| field.parse().ok())
                .collect();
            // Clock ticks; 100 per second on Linux.
            Some(format!(
                "{:.2} s",
                fields.iter().sum::<u64>() as f64 / 100.0
            ))
        })
        .unwrap_or_else(|| "?".into());
    format!("server RSS {rss}, {fds} fds, CPU {cpu}")
}

/// The soft limit on open files of process `pid`.
fn fd_limit(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/limits"))
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|line| line.starts_with("Max open files"))
                .and_then(|line| line.split_whitespace().nth(3).map(str::to_owned))
        })
        .unwrap_or_else(|| "?".into())
}
