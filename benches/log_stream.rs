//! Log-stream throughput against a synthetic daemon, and the physical limit.
//!
//! A synthetic daemon on a unix socket answers `/_ping` and
//! `/containers/x/logs` with ~1 GiB of multiplexed frames (a precomputed
//! buffer written again and again, chunked like dockerd's answers). The SDK
//! reads it through the full client path (`Docker` built with
//! `.host("unix://...")`, negotiation, `container.logs()`); in the same run
//! a plain socket read of the same request's bytes measures the limit. Heap
//! use is counted by a global allocator; VmHWM is read from /proc. Besides
//! wall-time throughput, each read's process CPU time is measured (the
//! column "by CPU time": raw CPU time / SDK CPU time, which a loaded
//! machine does not skew), and the decoder alone is timed in memory next
//! to the floor of any zero-copy decoder (one `Bytes` slice per frame).
//! hyper's own HTTP/1 client reads the same response too, with no frame
//! decoding: what the transport costs. From those, each run prints the
//! ceiling of a one-`Bytes`-per-frame decoder on hyper.
//!
//! Run: `cargo bench --bench log_stream` (env `DOCKHAND_BENCH_MIB` changes
//! the volume, default 1024; `DOCKHAND_BENCH_ROUNDS` the rounds, default 3).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dockhand::api::LogsOptions;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One HTTP chunk of whole frames, repeated to fill the body.
struct Payload {
    /// `{len:x}\r\n<frames>\r\n`.
    chunk: Vec<u8>,
    repeats: usize,
    /// Frame payload bytes per chunk.
    payload_per_chunk: usize,
    frame_size: usize,
}

impl Payload {
    fn new(frame_size: usize, total: usize) -> Payload {
        // About 1 MiB of frames per HTTP chunk, alternating stdout/stderr.
        let frames_per_chunk = (1 << 20) / (frame_size + 8);
        let mut frames = Vec::with_capacity(frames_per_chunk * (frame_size + 8));
        for i in 0..frames_per_chunk {
            frames.extend_from_slice(&dockhand::stream::frames::frame_header(1 + (i % 2) as u8, frame_size as u32));
            frames.extend((0..frame_size).map(|j| b'a' + (j % 26) as u8));
        }
        let mut chunk = format!("{:x}\r\n", frames.len()).into_bytes();
        chunk.extend_from_slice(&frames);
        chunk.extend_from_slice(b"\r\n");
        let payload_per_chunk = frames_per_chunk * frame_size;
        let repeats = total.div_ceil(frames.len());
        Payload { chunk, repeats, payload_per_chunk, frame_size }
    }

    /// Frames in the whole body.
    fn frames(&self) -> usize {
        self.payload_per_chunk / self.frame_size * self.repeats
    }

    fn wire_bytes(&self) -> usize {
        self.chunk.len() * self.repeats + 5
    }
}

const LOGS_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

async fn serve(listener: UnixListener, payload: Arc<Payload>) {
    loop {
        let Ok((conn, _)) = listener.accept().await else { return };
        let payload = payload.clone();
        tokio::spawn(async move {
            let _ = connection(conn, payload).await;
        });
    }
}

/// Answers requests on one connection until it closes.
async fn connection(mut conn: UnixStream, payload: Arc<Payload>) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    loop {
        // Read one request head (these requests have no body).
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            let mut tmp = [0u8; 1024];
            let n = conn.read(&mut tmp).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let path = head.split_whitespace().nth(1).unwrap_or("/");
        if path.ends_with("/_ping") {
            conn.write_all(
                b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK",
            )
            .await?;
        } else if path.contains("/containers/x/logs") {
            conn.write_all(LOGS_HEAD).await?;
            for _ in 0..payload.repeats {
                conn.write_all(&payload.chunk).await?;
            }
            conn.write_all(b"0\r\n\r\n").await?;
        } else {
            conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").await?;
        }
    }
}

/// The physical limit: the same request's answer read from the same socket
/// with no HTTP parsing and no decoding.
async fn raw_read(sock: &str, expected: usize) -> (usize, Duration) {
    let mut conn = UnixStream::connect(sock).await.unwrap();
    let start = Instant::now();
    conn.write_all(b"GET /v1.41/containers/x/logs?stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0;
    let want = expected + LOGS_HEAD.len();
    while total < want {
        let n = conn.read(&mut buf).await.unwrap();
        assert!(n > 0, "server closed early");
        total += n;
    }
    (total, start.elapsed())
}

/// The HTTP layer alone: hyper's HTTP/1 client on the same socket, the
/// body's chunks counted with no frame decoding. The SDK's transport is
/// built on it; the gap between this and the raw read is not the SDK's.
async fn hyper_read(sock: &str) -> (usize, Duration) {
    use http_body_util::BodyExt;
    let conn = UnixStream::connect(sock).await.unwrap();
    let start = Instant::now();
    let (mut send, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(conn)).await.unwrap();
    let conn = tokio::spawn(conn);
    let req = http::Request::get("/v1.41/containers/x/logs?stdout=1&stderr=1")
        .header("host", "x")
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let mut body = send.send_request(req).await.unwrap().into_body();
    let mut total = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            total += data.len();
        }
    }
    let elapsed = start.elapsed();
    drop(send);
    let _ = conn.await;
    (total, elapsed)
}

/// The SDK: a fresh client, negotiation, the log stream read to its end.
async fn sdk_read(sock: &str) -> (usize, Duration) {
    let docker = dockhand::Docker::builder().host(&format!("unix://{sock}")).unwrap().build().unwrap();
    let start = Instant::now();
    let mut logs = docker.containers().get("x").logs(LogsOptions::new());
    let mut total = 0;
    while let Some(item) = logs.next().await {
        total += item.expect("log item").data.len();
    }
    (total, start.elapsed())
}

/// The decoder alone, in memory: the same frames in chunks the size of the
/// socket reads (212 KiB), through `OutputStream` with no socket and no
/// HTTP. Returns nanoseconds of this thread's CPU time per frame (CPU
/// time, not wall time, so that the other processes of a shared machine do
/// not count): the SDK's own cost per item, without the kernel's copies;
/// and the same for the floor of any zero-copy decoder (a slice per frame).
async fn decoder_alone(frame_size: usize, mib: usize) -> (f64, f64) {
    use dockhand::stream::frames::{FrameDecoder, Framing, LogDecoder, OutputStream};
    let payload = Payload::new(frame_size, 8 << 20);
    let body_start = payload.chunk.iter().position(|&b| b == b'\n').unwrap() + 1;
    let frames = bytes::Bytes::copy_from_slice(&payload.chunk[body_start..payload.chunk.len() - 2]);
    let read = 212 * 1024;
    let chunks: Vec<bytes::Bytes> =
        (0..frames.len()).step_by(read).map(|at| frames.slice(at..frames.len().min(at + read))).collect();
    let repeats = ((mib << 20) / frames.len()).max(1);
    let frames_per_chunk = frames.len() / (frame_size + 8);
    let start = thread_cpu_ns();
    let mut total = 0;
    for _ in 0..repeats {
        let chunks = futures::stream::iter(chunks.clone().into_iter().map(Ok));
        let mut s = OutputStream::new(chunks, LogDecoder::new(FrameDecoder::new(Framing::Multiplexed), false));
        while let Some(item) = s.next().await {
            total += item.expect("item").data.len();
        }
    }
    let elapsed = thread_cpu_ns() - start;
    assert_eq!(total, repeats * frames_per_chunk * frame_size);
    let decoder = elapsed as f64 / (repeats * frames_per_chunk) as f64;
    // The floor of any zero-copy decoder: per frame, read the header, take
    // a `Bytes` slice (a reference-count increment) and drop it (the
    // decrement), as the caller does.
    let start = thread_cpu_ns();
    let mut total = 0;
    for _ in 0..repeats {
        let mut at = 0;
        while at + 8 <= frames.len() {
            let len = u32::from_be_bytes(frames[at + 4..at + 8].try_into().unwrap()) as usize;
            let item = std::hint::black_box(frames.slice(at + 8..at + 8 + len));
            total += item.len();
            at += 8 + len;
        }
    }
    let elapsed = thread_cpu_ns() - start;
    assert_eq!(total, repeats * frames_per_chunk * frame_size);
    (decoder, elapsed as f64 / (repeats * frames_per_chunk) as f64)
}

/// This thread's CPU time in nanoseconds.
fn thread_cpu_ns() -> u64 {
    cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// The process's CPU time (all threads) in nanoseconds.
fn process_cpu_ns() -> u64 {
    cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

/// The best round: on a shared machine, slower rounds measure the others'
/// load, not this code.
fn best(v: Vec<f64>) -> f64 {
    v.into_iter().fold(0.0, f64::max)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs it once, small.
    let quick = std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench");
    let mib: usize =
        std::env::var("DOCKHAND_BENCH_MIB").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick { 16 } else { 1024 });
    let rounds: usize =
        std::env::var("DOCKHAND_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick { 1 } else { 3 });
    // DOCKHAND_BENCH_THREADS=1: server, connection and reader on one thread
    // (no cross-thread wake-ups; what a loaded machine measures best).
    let threads: usize = std::env::var("DOCKHAND_BENCH_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or(2);
    let rt = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().unwrap()
    };
    println!("log_stream: {mib} MiB of frames per read, {rounds} rounds, best round reported");
    println!(
        "| frame size | raw read MiB/s | hyper body MiB/s | SDK logs MiB/s | SDK / raw | SDK / raw by CPU time | hyper / raw by CPU time | heap peak during SDK reads |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut all_ok = true;
    // Per frame size: CPU ns of the best raw and hyper reads, and frames per read.
    let mut cpu = Vec::new();
    for frame_size in [1024usize, 32 * 1024] {
        let payload = Arc::new(Payload::new(frame_size, mib << 20));
        let sock = format!("/tmp/dockhand-bench-{}-{frame_size}.sock", std::process::id());
        let _ = std::fs::remove_file(&sock);
        let frames = payload.frames();
        let (raw, hyp, sdk, cpu_ratio, hyper_cpu_ratio, heap, cpu_ns) = rt.block_on(async {
            let listener = UnixListener::bind(&sock).unwrap();
            let server = tokio::spawn(serve(listener, payload.clone()));
            let expected_payload = payload.payload_per_chunk * payload.repeats;
            let (mut raws, mut hypers, mut sdks) = (Vec::new(), Vec::new(), Vec::new());
            // Process CPU time of each read (the synthetic daemon's writes
            // included on both sides): what a shared machine's other loads
            // do not inflate, unlike wall time.
            let (mut raw_cpu, mut hyper_cpu, mut sdk_cpu) = (u64::MAX, u64::MAX, u64::MAX);
            let mut heap = 0;
            for _ in 0..rounds {
                let cpu = process_cpu_ns();
                let (n, d) = raw_read(&sock, payload.wire_bytes()).await;
                raw_cpu = raw_cpu.min(process_cpu_ns() - cpu);
                raws.push(mib_s(n, d));
                let cpu = process_cpu_ns();
                let (n, d) = hyper_read(&sock).await;
                hyper_cpu = hyper_cpu.min(process_cpu_ns() - cpu);
                assert_eq!(n, expected_payload + 8 * payload.frames(), "hyper delivered every body byte");
                hypers.push(mib_s(payload.wire_bytes() + LOGS_HEAD.len(), d));
                let base = LIVE.load(Ordering::Relaxed);
                PEAK.store(base, Ordering::Relaxed);
                let cpu = process_cpu_ns();
                let (n, d) = sdk_read(&sock).await;
                sdk_cpu = sdk_cpu.min(process_cpu_ns() - cpu);
                heap = heap.max(PEAK.load(Ordering::Relaxed) - base);
                assert_eq!(n, expected_payload, "the SDK delivered every payload byte");
                // Throughput on the same wire bytes as the raw read.
                sdks.push(mib_s(payload.wire_bytes() + LOGS_HEAD.len(), d));
            }
            server.abort();
            (
                best(raws),
                best(hypers),
                best(sdks),
                raw_cpu as f64 / sdk_cpu as f64,
                raw_cpu as f64 / hyper_cpu as f64,
                heap,
                (raw_cpu, hyper_cpu),
            )
        });
        let _ = std::fs::remove_file(&sock);
        let ratio = sdk / raw;
        all_ok &= ratio >= 0.8 && heap < 32 << 20;
        cpu.push((cpu_ns, frames));
        println!(
            "| {} KiB | {raw:.0} | {hyp:.0} | {sdk:.0} | {:.0}% | {:.0}% | {:.0}% | {:.2} MiB |",
            frame_size / 1024,
            ratio * 100.0,
            cpu_ratio * 100.0,
            hyper_cpu_ratio * 100.0,
            heap as f64 / (1024.0 * 1024.0)
        );
    }
    for (frame_size, ((raw_cpu, hyper_cpu), frames)) in [1024usize, 32 * 1024].into_iter().zip(cpu) {
        let (ns, floor) = (0..rounds)
            .map(|_| rt.block_on(decoder_alone(frame_size, mib)))
            .fold((f64::INFINITY, f64::INFINITY), |(a, b), (x, y)| (a.min(x), b.min(y)));
        println!(
            "in memory, {} KiB frames: OutputStream {ns:.1} ns of CPU per frame; a bare slice per frame {floor:.1} ns (best rounds)",
            frame_size / 1024
        );
        // The best any decoder whose items are one `Bytes` slice per frame
        // can do on this transport: hyper's read plus the bare slice floor
        // per frame, against the raw read.
        let ceiling = raw_cpu as f64 / (hyper_cpu as f64 + floor * frames as f64);
        println!(
            "  ceiling by CPU time for one Bytes slice per frame over hyper: {:.0}% of raw (SDK: see the table)",
            ceiling * 100.0
        );
    }
    println!("process VmHWM (peak RSS, server's buffers included): {} KiB", vm_hwm_kib().unwrap_or(0));
    println!("target (SDK >= 80% of raw, heap < 32 MiB): {}", if all_ok { "met" } else { "MISSED" });
}
