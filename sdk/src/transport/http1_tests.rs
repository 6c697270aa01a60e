use super::*;

fn buf(s: &[u8]) -> BytesMut {
    BytesMut::from(s)
}

/// Decodes all of `wire` fed in pieces of `step` bytes: the items, or the
/// first error; `Ok((items, ended))`.
fn decode_all(decoder: &mut BodyDecoder, wire: &[u8], step: usize) -> Result<(Vec<Bytes>, bool), ProtocolError> {
    let mut b = BytesMut::new();
    let mut items = Vec::new();
    let mut fed = 0;
    loop {
        match decoder.decode(&mut b)? {
            Decoded::Data(d) => {
                assert!(!d.is_empty());
                items.push(d);
            }
            Decoded::End => return Ok((items, true)),
            // The reader makes room for what is asked: never more than a
            // gathered chunk, whatever size the daemon announced.
            Decoded::NeedMore(n) if n as u64 > GATHER_LIMIT => panic!("asked for {n} bytes"),
            Decoded::NeedMore(_) if fed >= wire.len() => return Ok((items, false)),
            Decoded::NeedMore(_) => {
                let n = step.max(1).min(wire.len() - fed);
                b.extend_from_slice(&wire[fed..fed + n]);
                fed += n;
            }
        }
    }
}

fn chunked() -> BodyDecoder {
    BodyDecoder::Chunked(Chunked::Size)
}

#[test]
fn chunks_come_out_whole_one_item_each() {
    let wire = b"5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: x\r\n\r\n";
    for step in [1, 2, 7, wire.len()] {
        let (items, ended) = decode_all(&mut chunked(), wire, step).unwrap();
        assert!(ended, "step {step}");
        assert_eq!(items, vec![Bytes::from_static(b"hello"), Bytes::from_static(b"abc")], "step {step}");
    }
}

#[test]
fn big_chunks_come_out_as_they_arrive() {
    let size = GATHER_LIMIT as usize + 10;
    let mut wire = format!("{size:x}\r\n").into_bytes();
    wire.extend(std::iter::repeat_n(b'a', size));
    wire.extend_from_slice(b"\r\n0\r\n\r\n");
    let (items, ended) = decode_all(&mut chunked(), &wire, 64 * 1024).unwrap();
    assert!(ended);
    assert!(items.len() > 1);
    assert_eq!(items.iter().map(Bytes::len).sum::<usize>(), size);
}

#[test]
fn hostile_chunk_sizes_are_errors() {
    for wire in [
        &b"zz\r\n"[..],
        b"\r\n",
        b"-1\r\n",
        b"1x\r\n",
        b"ffffffffffffffffff\r\nabc",
        b"5\r\nhelloXX0\r\n\r\n",
        b"0x5\r\nhello\r\n",
    ] {
        let e = decode_all(&mut chunked(), wire, 3).unwrap_err();
        assert!(!e.0.is_empty(), "{wire:?}");
    }
}

#[test]
fn a_huge_announced_chunk_asks_for_little() {
    // 2^60 bytes announced, none sent yet: the reader must not reserve them.
    let mut d = chunked();
    assert_eq!(d.decode(&mut buf(b"fffffffffffffff\r\n")), Ok(Decoded::NeedMore(1)));
}

#[test]
fn an_endless_size_line_or_trailer_is_an_error() {
    let wire = vec![b'1'; MAX_SIZE_LINE + 1];
    assert!(decode_all(&mut chunked(), &wire, 100).unwrap_err().0.contains("chunk-size line"));
    let wire = vec![b'0'; 1]
        .into_iter()
        .chain(*b"\r\n")
        .chain(std::iter::repeat_n(b'x', MAX_TRAILERS + 2))
        .collect::<Vec<_>>();
    assert!(decode_all(&mut chunked(), &wire, 100).unwrap_err().0.contains("trailers"));
}

#[test]
fn a_truncated_chunk_does_not_end() {
    let (items, ended) = decode_all(&mut chunked(), b"5\r\nhel", 2).unwrap();
    assert!(!ended && items.is_empty());
    assert!(!chunked().ends_at_eof());
}

#[test]
fn content_length_and_eof_bodies() {
    let mut d = BodyDecoder::Length(5);
    let (items, ended) = decode_all(&mut d, b"hello", 2).unwrap();
    assert!(ended);
    assert_eq!(items.concat(), b"hello");
    let mut d = BodyDecoder::ToEof;
    let (items, ended) = decode_all(&mut d, b"abc", 1).unwrap();
    assert!(!ended && d.ends_at_eof());
    assert_eq!(items.concat(), b"abc");
}

#[test]
fn heads_are_parsed_and_framing_chosen() {
    let mut b = buf(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc");
    let (parts, decoder) = parse_head(&mut b, &Method::GET).unwrap().unwrap();
    assert_eq!(parts.status, StatusCode::OK);
    assert_eq!(parts.headers["content-type"], "application/vnd.docker.multiplexed-stream");
    assert_eq!(decoder, BodyDecoder::Chunked(Chunked::Size));
    assert_eq!(&b[..], b"3\r\nabc");

    let mut b = buf(b"HTTP/1.1 404 Not Found\r\nContent-Length: 7\r\n\r\n");
    assert_eq!(parse_head(&mut b, &Method::GET).unwrap().unwrap().1, BodyDecoder::Length(7));
    let mut b = buf(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n");
    assert_eq!(parse_head(&mut b, &Method::HEAD).unwrap().unwrap().1, BodyDecoder::Done);
    let mut b = buf(b"HTTP/1.1 200 OK\r\n\r\n");
    assert_eq!(parse_head(&mut b, &Method::GET).unwrap().unwrap().1, BodyDecoder::ToEof);
    let mut b = buf(b"HTTP/1.1 200 OK\r\nContent-Len");
    assert!(parse_head(&mut b, &Method::GET).unwrap().is_none());
}

#[test]
fn bad_heads_are_errors() {
    for head in [
        &b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"[..],
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"HTTP/1.1 099 What\r\n\r\n",
        b"SMTP ready\r\n\r\n",
    ] {
        assert!(parse_head(&mut buf(head), &Method::GET).is_err(), "{head:?}");
    }
    let mut long = b"HTTP/1.1 200 OK\r\nX: ".to_vec();
    long.extend(std::iter::repeat_n(b'a', MAX_HEAD + 1));
    let e = parse_head(&mut buf(&long), &Method::GET).unwrap_err();
    assert!(e.0.contains("over"), "{e}");
}

#[test]
fn request_heads_are_origin_form_with_their_headers() {
    let req = Request::post("/v1.41/images/create?fromImage=x").header("host", "api.moby.localhost").body(()).unwrap();
    let head = String::from_utf8(request_head(&req)).unwrap();
    assert_eq!(
        head,
        "POST /v1.41/images/create?fromImage=x HTTP/1.1\r\nhost: api.moby.localhost\r\ncontent-length: 0\r\n\r\n"
    );
    let req = Request::get("/v1.41/events").body(()).unwrap();
    assert_eq!(request_head(&req), b"GET /v1.41/events HTTP/1.1\r\n\r\n");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the bytes and however they are split, decoding ends,
        /// errs or waits: it never panics.
        #[test]
        fn hostile_bodies_never_panic(wire in proptest::collection::vec(any::<u8>(), 0..600), step in 1usize..40) {
            let _ = decode_all(&mut chunked(), &wire, step);
            let _ = decode_all(&mut BodyDecoder::Length(300), &wire, step);
        }

        /// Chunk-ish bodies: digits, CRLFs and data mixed.
        #[test]
        fn chunk_like_bodies_never_panic(parts in proptest::collection::vec(prop_oneof![
            Just(b"\r\n".to_vec()), Just(b"0".to_vec()), Just(b"f".to_vec()), Just(b";".to_vec()),
            Just(b"ffffffffffffff".to_vec()), proptest::collection::vec(any::<u8>(), 0..20)], 0..40), step in 1usize..16) {
            let wire = parts.concat();
            let _ = decode_all(&mut chunked(), &wire, step);
        }

        /// Heads of any bytes parse, wait or err, without panics.
        #[test]
        fn hostile_heads_never_panic(wire in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut with_status = b"HTTP/1.1 200 OK\r\n".to_vec();
            with_status.extend_from_slice(&wire);
            let _ = parse_head(&mut buf(&wire), &Method::GET);
            let _ = parse_head(&mut buf(&with_status), &Method::GET);
        }

        /// Well-formed bodies come back as their chunks, whatever the split.
        #[test]
        fn chunks_round_trip(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..300), 0..20), step in 1usize..500) {
            let mut wire = Vec::new();
            for c in &chunks {
                wire.extend(format!("{:X}\r\n", c.len()).into_bytes());
                wire.extend(c);
                wire.extend(b"\r\n");
            }
            wire.extend(b"0\r\n\r\n");
            let (items, ended) = decode_all(&mut chunked(), &wire, step).unwrap();
            prop_assert!(ended);
            prop_assert_eq!(items.iter().map(|b| b.to_vec()).collect::<Vec<_>>(), chunks);
        }
    }
}
