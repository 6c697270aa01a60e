//! A synthetic daemon in its own process: `synth-daemon SOCKET FRAME_BYTES TOTAL_MIB`.
//!
//! It answers `/_ping`, `/version` and `GET .../logs` on a unix socket. A
//! logs answer is what dockerd sends: `Transfer-Encoding: chunked`, one HTTP
//! chunk per multiplexed frame, each chunk written by one `write` (dockerd
//! flushes after every frame), frames of FRAME_BYTES payload alternating
//! stdout and stderr, TOTAL_MIB of payload in all. A thread per connection,
//! blocking IO: the daemon's cost stays out of the client's process.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;

const PING: &[u8] = b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK";
const LOGS_HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
const VERSION: &str =
    r#"{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"#;

/// The two chunks (a stdout frame and a stderr frame), and how many to send.
struct Logs {
    chunks: [Vec<u8>; 2],
    count: usize,
}

fn chunk(stream: u8, frame_bytes: usize) -> Vec<u8> {
    let mut frame = vec![stream, 0, 0, 0];
    frame.extend_from_slice(&(frame_bytes as u32).to_be_bytes());
    frame.extend((0..frame_bytes).map(|i| if i + 1 == frame_bytes { b'\n' } else { b'a' + (i % 26) as u8 }));
    let mut c = format!("{:x}\r\n", frame.len()).into_bytes();
    c.extend_from_slice(&frame);
    c.extend_from_slice(b"\r\n");
    c
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 3 {
        eprintln!("usage: synth-daemon SOCKET FRAME_BYTES TOTAL_MIB");
        std::process::exit(2);
    }
    let frame_bytes: usize = args[1].parse().expect("FRAME_BYTES");
    let total: usize = args[2].parse::<usize>().expect("TOTAL_MIB") << 20;
    let logs = Arc::new(Logs { chunks: [chunk(1, frame_bytes), chunk(2, frame_bytes)], count: total / frame_bytes });
    let _ = std::fs::remove_file(&args[0]);
    let listener = UnixListener::bind(&args[0]).expect("bind");
    eprintln!("serving {} frames of {frame_bytes} bytes on {}", logs.count, args[0]);
    for conn in listener.incoming() {
        let Ok(conn) = conn else { continue };
        let logs = logs.clone();
        std::thread::spawn(move || {
            let _ = serve(conn, &logs);
        });
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(mut conn: UnixStream, logs: &Logs) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            let mut tmp = [0u8; 4096];
            let n = conn.read(&mut tmp)?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let path = head.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_owned();
        if path.ends_with("/_ping") {
            conn.write_all(PING)?;
        } else if path.ends_with("/version") {
            let answer = format!(
                "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{VERSION}",
                VERSION.len()
            );
            conn.write_all(answer.as_bytes())?;
        } else if path.ends_with("/logs") {
            conn.write_all(LOGS_HEAD)?;
            for i in 0..logs.count {
                conn.write_all(&logs.chunks[i % 2])?;
            }
            conn.write_all(b"0\r\n\r\n")?;
        } else {
            conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{\"message\":\"no such object\"}\n")?;
        }
        if head.to_ascii_lowercase().contains("connection: close") {
            return Ok(());
        }
    }
}
