//! `gatecheck serve` under load, all at once for [`DURATION`]: [`SCRAPERS`] keep-alive clients
//! scraping `/metrics` back to back, [`SLOW_CLIENTS`] clients sending a request head one byte a
//! second, and a stream of malformed requests (garbage, huge headers, POST, unknown paths).
//! Every well-formed scrape must get a 200 with the whole body, every slow client must be cut
//! off, every malformed request must get its error status, the server's peak RSS must stay
//! bounded, and it must still exit 0 on SIGTERM. The figures are printed (requests/s, latency
//! p50/p99, peak RSS) for docs/performance.md; wall time is never asserted.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::endpoints::raw;
use super::{Server, get, metric, small_copy};

const DURATION: Duration = Duration::from_secs(10);
const SCRAPERS: usize = 200;
const SLOW_CLIENTS: usize = 50;
/// Threads sending malformed requests, one connection each at a time.
const MALFORMED_SENDERS: usize = 4;
/// Peak RSS allowed, far above what the server needs (about 20 MiB in a debug build) but far
/// below what it would take if connections or requests were not bounded.
const MAX_RSS_KIB: u64 = 256 * 1024;

/// What one scraper saw.
#[derive(Default)]
struct Scrapes {
    latencies: Vec<Duration>,
    failures: Vec<String>,
    reconnects: usize,
}

/// Reads a response head, up to its blank line, lowercased.
fn read_head(stream: &mut TcpStream) -> Result<String, String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(0) => return Err(format!("closed after {} bytes of head", head.len())),
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(format!("read: {e}")),
        }
    }
    Ok(String::from_utf8_lossy(&head).to_lowercase())
}

/// One request on a keep-alive connection; the body length, or why it failed.
fn scrape(stream: &mut TcpStream) -> Result<usize, String> {
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: load\r\n\r\n")
        .map_err(|e| format!("write: {e}"))?;
    let head = read_head(stream)?;
    if !head.starts_with("http/1.1 200") {
        return Err(format!("status: {head}"));
    }
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no content-length: {head}"))?;
    let mut body = vec![0u8; length];
    stream
        .read_exact(&mut body)
        .map_err(|e| format!("body: {e}"))?;
    if !body.ends_with(b"\n") || !body.starts_with(b"# HELP gatecheck_") {
        return Err("a partial or foreign body".to_owned());
    }
    Ok(length)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream
}

fn scraper(addr: SocketAddr, until: Instant) -> Scrapes {
    let mut seen = Scrapes::default();
    let mut stream = connect(addr);
    while Instant::now() < until {
        let started = Instant::now();
        let mut result = scrape(&mut stream);
        if result.is_err() {
            // A server may close a keep-alive connection between requests; one retry on a
            // fresh connection, and that one must succeed.
            seen.reconnects += 1;
            stream = connect(addr);
            result = scrape(&mut stream);
        }
        match result {
            Ok(_) => seen.latencies.push(started.elapsed()),
            Err(e) => seen.failures.push(e),
        }
    }
    seen
}

/// Sends a request head a byte a second until the server closes; returns how many times it
/// was cut off before sending the whole head.
fn slow_client(addr: SocketAddr, until: Instant) -> usize {
    let request = b"GET /metrics HTTP/1.1\r\nHost: slow\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut cut_off = 0;
    while Instant::now() < until {
        let mut stream = connect(addr);
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .expect("timeout");
        for byte in request {
            if Instant::now() >= until {
                return cut_off;
            }
            if stream.write_all(&[*byte]).is_err() {
                cut_off += 1;
                break;
            }
            let mut answer = [0u8; 256];
            match stream.read(&mut answer) {
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                _ => {
                    // An answer (408) or a close, before the head was complete.
                    cut_off += 1;
                    break;
                }
            }
        }
    }
    cut_off
}

/// Malformed requests, round after round; returns how many were answered as expected and the
/// first unexpected answer.
fn malformed(addr: SocketAddr, until: Instant) -> (usize, Option<String>) {
    let huge = format!(
        "GET /metrics HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "b".repeat(100 * 1024)
    );
    let cases: [(&[u8], &str); 5] = [
        (b"\x00\x01\x02garbage\r\n\r\n", "HTTP/1.1 400"),
        (huge.as_bytes(), "HTTP/1.1 431"),
        // Well-formed but refused: `Connection: close`, so that `raw` sees the end at once
        // instead of waiting for the keep-alive timeout.
        (
            b"POST /metrics HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc",
            "HTTP/1.1 405",
        ),
        (
            b"GET /../../etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 404",
        ),
        (b"GET /metrics HTTP/9.9\r\n\r\n", "HTTP/1.1 400"),
    ];
    let mut answered = 0;
    while Instant::now() < until {
        for (request, expected) in &cases {
            let answer = raw(addr, request);
            if !answer.starts_with(expected) {
                let line = answer.lines().next().unwrap_or("(nothing)").to_owned();
                return (answered, Some(format!("expected {expected}, got {line}")));
            }
            answered += 1;
        }
    }
    (answered, None)
}

/// The peak resident set size (VmHWM) of `pid`, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> JoinHandle<T> {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn a client thread")
}

#[test]
fn serve_survives_scrapers_slow_clients_and_malformed_requests() {
    let project = small_copy();
    // Re-analysing every second: scrapes must not wait for the analyses running meanwhile.
    let mut server = Server::start(project.path(), &["--interval", "1s"]);
    let first = server.wait_for("gatecheck_serve_analyses_total", |n| n >= 1.0);
    let analyses_before = metric(&first, "gatecheck_serve_analyses_total").expect("analyses");
    let addr = server.addr;
    let rss_before = peak_rss_kib(server.process.pid());

    let until = Instant::now() + DURATION;
    let scrapers: Vec<_> = (0..SCRAPERS)
        .map(|_| spawn(move || scraper(addr, until)))
        .collect();
    let slow: Vec<_> = (0..SLOW_CLIENTS)
        .map(|_| spawn(move || slow_client(addr, until)))
        .collect();
    let bad: Vec<_> = (0..MALFORMED_SENDERS)
        .map(|_| spawn(move || malformed(addr, until)))
        .collect();
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    let mut reconnects = 0;
    for handle in scrapers {
        let seen = handle.join().expect("scraper");
        latencies.extend(seen.latencies);
        failures.extend(seen.failures);
        reconnects += seen.reconnects;
    }
    let cut_offs: Vec<usize> = slow.into_iter().map(|h| h.join().expect("slow")).collect();
    let mut rejected = 0;
    for handle in bad {
        let (answered, unexpected) = handle.join().expect("malformed");
        assert_eq!(
            unexpected, None,
            "after {answered} malformed requests answered as expected"
        );
        rejected += answered;
    }
    // VmHWM is the peak over the process's life, so reading it once afterwards is enough.
    let rss_peak = peak_rss_kib(server.process.pid());

    assert!(
        failures.is_empty(),
        "{} scrapes failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(
        latencies.len() >= SCRAPERS,
        "every scraper got answers: {}",
        latencies.len()
    );
    assert!(rejected >= 50, "malformed requests were sent: {rejected}");
    assert!(
        cut_offs.iter().all(|&n| n >= 1),
        "every slow client was cut off: {cut_offs:?}"
    );
    assert!(
        rss_peak < MAX_RSS_KIB,
        "peak RSS {rss_peak} KiB (before the load: {rss_before} KiB)"
    );

    let (status, text) = get(&server.url("/metrics"));
    assert_eq!(status, 200, "still serving after the load");
    let counted = metric(&text, "gatecheck_serve_scrapes_total").expect("scrapes counted");
    assert!(
        counted >= latencies.len() as f64,
        "{counted} < {}",
        latencies.len()
    );
    let analyses = metric(&text, "gatecheck_serve_analyses_total").expect("analyses");
    assert!(
        analyses >= analyses_before + 3.0,
        "analyses ran during the load: {analyses}"
    );

    latencies.sort();
    let seconds = DURATION.as_secs_f64();
    eprintln!(
        "load: {} scrapes in {seconds} s = {:.0} requests/s; latency p50 {:?}, p99 {:?}, max {:?}; \
         {reconnects} reconnects; {} slow-client cut-offs; {rejected} malformed requests \
         rejected; peak RSS {rss_peak} KiB (before the load {rss_before} KiB)",
        latencies.len(),
        latencies.len() as f64 / seconds,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default(),
        cut_offs.iter().sum::<usize>(),
    );

    server.process.signal("TERM");
    let exit = server.process.wait_at_most(Duration::from_secs(30));
    assert_eq!(exit.code(), Some(0), "clean exit after the load: {exit}");
}
