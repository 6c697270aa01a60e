//! The physical limit: `peer-raw HOST PATH` sends `GET PATH` with
//! `Connection: close` on the unix socket and reads the answer to its end
//! in 256 KiB reads, parsing nothing (prints the byte count to stderr).

use std::io::{Read, Write};

fn main() {
    let args = dockhand_peers::args("peer-raw HOST PATH", 2);
    let mut conn = std::os::unix::net::UnixStream::connect(dockhand_peers::socket_path(&args[0])).expect("connect");
    let request = format!("GET {} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n", args[1]);
    conn.write_all(request.as_bytes()).expect("write");
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0usize;
    loop {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("read: {e}"),
        }
    }
    eprintln!("{total} bytes");
}
