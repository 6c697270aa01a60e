//! The physical limit: `peer-raw HOST PATH` sends `GET PATH` with
//! `Connection: close` on the unix socket and reads the answer to its end
//! in 256 KiB reads, parsing nothing (prints the byte count to stderr).
//! `peer-raw HOST PATH tokio` reads the same way through tokio's `UnixStream`
//! in `block_on` of the default multi-thread runtime (the shape of a
//! `#[tokio::main]` program), to show what that shape costs by itself.
//! `peer-raw HOST PATH out` is the blocking read that also writes every
//! byte it read (chunk framing and frame headers included) to stdout
//! through the same 64 KiB `BufWriter` the other peers print their items
//! with: the floor for a program that prints what it reads.

use std::io::{Read, Write};

fn main() {
    let args = dockhand_peers::args("peer-raw HOST PATH [tokio | out]", 2);
    let print = args.get(2).map(String::as_str) == Some("out");
    if args.get(2).map(String::as_str) == Some("tokio") {
        return tokio_read(&args);
    }
    let mut conn = std::os::unix::net::UnixStream::connect(dockhand_peers::socket_path(&args[0])).expect("connect");
    let request = format!("GET {} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n", args[1]);
    conn.write_all(request.as_bytes()).expect("write");
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    let mut out = dockhand_peers::sink();
    loop {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) if print => {
                dockhand_peers::put(&mut out, &buf[..n]);
                total += n;
            }
            Ok(n) => total += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("read: {e}"),
        }
    }
    out.flush().ok();
    eprintln!("{total} bytes");
}

fn tokio_read(args: &[String]) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    dockhand_peers::runtime().block_on(async {
        let mut conn = tokio::net::UnixStream::connect(dockhand_peers::socket_path(&args[0])).await.expect("connect");
        let request = format!("GET {} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n", args[1]);
        conn.write_all(request.as_bytes()).await.expect("write");
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0usize;
        loop {
            match conn.read(&mut buf).await.expect("read") {
                0 => break,
                n => total += n,
            }
        }
        eprintln!("{total} bytes");
    });
}
