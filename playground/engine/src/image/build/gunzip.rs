//! gzip-compressed build contexts (`docker-py`'s `build(gzip=True)`, `tar
//! cz . | docker build -`): dockerd recognises the compression by its magic
//! bytes and unpacks it before reading the tar; so does the builder, with
//! this small inflater (RFC 1951 and the gzip wrapper of RFC 1952, decoded
//! bit by bit as zlib's `puff` does). Never panics on hostile input; what it
//! unpacks is capped at [`LIMIT`] bytes so that a small bomb cannot take the
//! daemon's memory.

/// The most a compressed context may unpack to.
pub(crate) const LIMIT: usize = 256 << 20;

/// Whether `data` starts as a gzip stream.
pub(crate) fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b])
}

/// The content of gzip stream `data` (its members one after another, as
/// Go's reader reads them); `Err` with a message for a damaged stream.
pub(crate) fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let start = out.len();
        pos = header(data, pos)?;
        let mut bits = Bits { data, pos, bit: 0, held: 0 };
        inflate(&mut bits, &mut out, limit)?;
        pos = bits.pos;
        let trailer = data.get(pos..pos + 8).ok_or("gzip: unexpected EOF")?;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if crc != crc32(&out[start..]) || size != (out.len() - start) as u32 {
            return Err("gzip: invalid checksum".into());
        }
        pos += 8;
    }
    Ok(out)
}

/// Skips a member's header; where its deflate data starts.
fn header(data: &[u8], pos: usize) -> Result<usize, String> {
    let fixed = data.get(pos..pos + 10).ok_or("gzip: unexpected EOF")?;
    if fixed[0..3] != [0x1f, 0x8b, 8] {
        return Err("gzip: invalid header".into());
    }
    let flags = fixed[3];
    let mut at = pos + 10;
    if flags & 4 != 0 {
        let len = data.get(at..at + 2).ok_or("gzip: unexpected EOF")?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [8, 16] {
        if flags & flag != 0 {
            let rest = data.get(at..).ok_or("gzip: unexpected EOF")?;
            at += rest.iter().position(|b| *b == 0).ok_or("gzip: unexpected EOF")? + 1;
        }
    }
    if flags & 2 != 0 {
        at += 2;
    }
    if at > data.len() {
        return Err("gzip: unexpected EOF".into());
    }
    Ok(at)
}

/// The input, read least significant bit first.
struct Bits<'a> {
    data: &'a [u8],
    /// The next byte to load.
    pos: usize,
    /// Bits loaded and not yet used (the lowest first), `held` of them.
    bit: u32,
    held: u32,
}

impl Bits<'_> {
    /// The next `n` (at most 16) bits as a number.
    fn take(&mut self, n: u32) -> Result<u32, String> {
        while self.held < n {
            let byte = *self.data.get(self.pos).ok_or("gzip: unexpected EOF")?;
            self.pos += 1;
            self.bit |= u32::from(byte) << self.held;
            self.held += 8;
        }
        let value = self.bit & ((1u32 << n) - 1);
        self.bit >>= n;
        self.held -= n;
        Ok(value)
    }

    /// Drops the bits left of the current byte.
    fn align(&mut self) {
        self.bit = 0;
        self.held = 0;
    }
}

/// A canonical Huffman code: how many codes of each length, and the
/// symbols in code order.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    /// The code with these lengths (0: symbol unused); `Err` if the lengths
    /// promise more codes than there are.
    fn new(lengths: &[u8]) -> Result<Huffman, String> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        counts[0] = 0;
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return Err("gzip: invalid Huffman code".into());
            }
        }
        let mut offsets = [0u16; 16];
        for len in 1..15 {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[usize::from(offsets[usize::from(l)])] = symbol as u16;
                offsets[usize::from(l)] += 1;
            }
        }
        Ok(Huffman { counts, symbols })
    }

    /// The next symbol of `bits`.
    fn decode(&self, bits: &mut Bits) -> Result<u16, String> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.counts[1..] {
            code |= bits.take(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                let at = usize::try_from(index + code - first).map_err(|_| "gzip: invalid code")?;
                return self.symbols.get(at).copied().ok_or_else(|| "gzip: invalid code".into());
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err("gzip: invalid code".into())
    }
}

const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// The order the code length code's lengths come in.
const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// Inflates one deflate stream onto `out`.
fn inflate(bits: &mut Bits, out: &mut Vec<u8>, limit: usize) -> Result<(), String> {
    loop {
        let last = bits.take(1)? == 1;
        match bits.take(2)? {
            0 => stored(bits, out, limit)?,
            1 => {
                let mut lengths = [8u8; 288];
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                codes(bits, out, limit, &Huffman::new(&lengths)?, &Huffman::new(&[5u8; 30])?)?;
            }
            2 => {
                let (lit, dist) = dynamic_codes(bits)?;
                codes(bits, out, limit, &lit, &dist)?;
            }
            _ => return Err("gzip: invalid block type".into()),
        }
        if last {
            bits.align();
            return Ok(());
        }
    }
}

fn stored(bits: &mut Bits, out: &mut Vec<u8>, limit: usize) -> Result<(), String> {
    bits.align();
    let head = bits.data.get(bits.pos..bits.pos + 4).ok_or("gzip: unexpected EOF")?;
    let len = usize::from(u16::from_le_bytes([head[0], head[1]]));
    if u16::from_le_bytes([head[2], head[3]]) != !(len as u16) {
        return Err("gzip: invalid stored block".into());
    }
    let body = bits.data.get(bits.pos + 4..bits.pos + 4 + len).ok_or("gzip: unexpected EOF")?;
    grow(out, len, limit)?;
    out.extend_from_slice(body);
    bits.pos += 4 + len;
    Ok(())
}

fn grow(out: &[u8], more: usize, limit: usize) -> Result<(), String> {
    if out.len() + more > limit {
        return Err(format!("gzip: the context unpacks to more than {limit} bytes"));
    }
    Ok(())
}

/// A dynamic block's literal/length and distance codes.
fn dynamic_codes(bits: &mut Bits) -> Result<(Huffman, Huffman), String> {
    let nlen = bits.take(5)? as usize + 257;
    let ndist = bits.take(5)? as usize + 1;
    let ncode = bits.take(4)? as usize + 4;
    if nlen > 286 || ndist > 30 {
        return Err("gzip: invalid code counts".into());
    }
    let mut code_lengths = [0u8; 19];
    for &i in &ORDER[..ncode] {
        code_lengths[i] = bits.take(3)? as u8;
    }
    let code = Huffman::new(&code_lengths)?;
    let mut lengths = Vec::with_capacity(nlen + ndist);
    while lengths.len() < nlen + ndist {
        let symbol = code.decode(bits)?;
        let (value, repeat) = match symbol {
            0..=15 => (symbol as u8, 1),
            16 => (*lengths.last().ok_or("gzip: repeat with no length")?, 3 + bits.take(2)?),
            17 => (0, 3 + bits.take(3)?),
            _ => (0, 11 + bits.take(7)?),
        };
        if lengths.len() + repeat as usize > nlen + ndist {
            return Err("gzip: too many lengths".into());
        }
        lengths.extend(std::iter::repeat_n(value, repeat as usize));
    }
    if lengths[256] == 0 {
        return Err("gzip: no end-of-block code".into());
    }
    Ok((Huffman::new(&lengths[..nlen])?, Huffman::new(&lengths[nlen..])?))
}

/// Decodes a compressed block's symbols until its end.
fn codes(bits: &mut Bits, out: &mut Vec<u8>, limit: usize, lit: &Huffman, dist: &Huffman) -> Result<(), String> {
    loop {
        let symbol = usize::from(lit.decode(bits)?);
        if symbol < 256 {
            grow(out, 1, limit)?;
            out.push(symbol as u8);
            continue;
        }
        if symbol == 256 {
            return Ok(());
        }
        let i = symbol - 257;
        let (Some(base), Some(extra)) = (LENGTH_BASE.get(i), LENGTH_EXTRA.get(i)) else {
            return Err("gzip: invalid length code".into());
        };
        let len = usize::from(*base) + bits.take(u32::from(*extra))? as usize;
        let d = usize::from(dist.decode(bits)?);
        let (Some(base), Some(extra)) = (DIST_BASE.get(d), DIST_EXTRA.get(d)) else {
            return Err("gzip: invalid distance code".into());
        };
        let back = usize::from(*base) + bits.take(u32::from(*extra))? as usize;
        if back > out.len() {
            return Err("gzip: distance too far back".into());
        }
        grow(out, len, limit)?;
        let from = out.len() - back;
        for k in 0..len {
            out.push(out[from + k]);
        }
    }
}

/// CRC-32 (IEEE), as gzip's trailer holds it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::{LIMIT, crc32, gunzip, is_gzip};

    // Made with Python's `gzip.compress(data, level, mtime=0)`.
    /// `hello hello hello hello\n` at level 9: a fixed-code block with a
    /// back reference.
    const FIXED: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40,
        0x27, 0xb9, 0x00, 0x00, 0x88, 0x59, 0x0b, 0x18, 0x00, 0x00, 0x00,
    ];
    /// `abc` at level 0: a stored block.
    const STORED: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03, 0x01, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63,
        0xc2, 0x41, 0x24, 0x35, 0x03, 0x00, 0x00, 0x00,
    ];
    /// 100 random bytes of `a`, `b`, `c` and newlines (55, 28, 10, 7 of
    /// them) at level 9: a dynamic-code block.
    const DYNAMIC: &[u8] = &[
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x45, 0x8c, 0xc1, 0x0d, 0x00, 0x30, 0x08, 0x02,
        0xff, 0x6c, 0xc9, 0xb9, 0xff, 0x0e, 0x05, 0x7d, 0x94, 0x18, 0x3d, 0x85, 0x68, 0x34, 0xe3, 0x28, 0x0d, 0x2f,
        0x29, 0x94, 0x1b, 0x1d, 0xed, 0x11, 0x5d, 0x5a, 0x5c, 0xee, 0x67, 0xd7, 0x41, 0xeb, 0x85, 0xd1, 0x99, 0x2a,
        0x7a, 0x3f, 0x98, 0x07, 0xc4, 0x2d, 0x88, 0x2a, 0x64, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn stored_fixed_and_dynamic_blocks_unpack() {
        assert!(is_gzip(FIXED) && !is_gzip(b"Dockerfile"));
        assert_eq!(gunzip(FIXED, LIMIT).as_deref(), Ok(&b"hello hello hello hello\n"[..]));
        assert_eq!(gunzip(STORED, LIMIT).as_deref(), Ok(&b"abc"[..]));
        let text = gunzip(DYNAMIC, LIMIT).expect("a dynamic block");
        let count = |c: u8| text.iter().filter(|b| **b == c).count();
        assert_eq!((text.len(), count(b'a'), count(b'b'), count(b'c'), count(b'\n')), (100, 55, 28, 10, 7));
        assert_eq!(crc32(&text), 0x2a88_2dc4);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // Two members, one after the other, as `cat a.gz b.gz`.
        let both = [FIXED, STORED].concat();
        assert_eq!(gunzip(&both, LIMIT).as_deref(), Ok(&b"hello hello hello hello\nabc"[..]));
    }

    #[test]
    fn damaged_streams_are_errors_not_panics() {
        for stream in [FIXED, STORED, DYNAMIC] {
            for cut in 1..stream.len() {
                assert!(gunzip(&stream[..cut], LIMIT).is_err(), "cut at {cut}");
            }
            // Every byte changed in turn: an error or some output, never a panic.
            for i in 0..stream.len() {
                for flip in [0x01, 0x80, 0xff] {
                    let mut b = stream.to_vec();
                    b[i] ^= flip;
                    let _ = gunzip(&b, LIMIT);
                }
            }
        }
        let mut bad = FIXED.to_vec();
        bad[FIXED.len() - 5] ^= 1;
        assert_eq!(gunzip(&bad, LIMIT), Err("gzip: invalid checksum".into()));
        assert_eq!(gunzip(b"\x1f\x8b\x07", LIMIT), Err("gzip: unexpected EOF".into()));
        assert_eq!(gunzip(FIXED, 10), Err("gzip: the context unpacks to more than 10 bytes".into()));
    }
}
